// JavaScript per page, gzipped: each main page is loaded in Chromium, signed in as the role that
// uses it, against the production build with the demo data. Every JavaScript response is
// gzipped at level 9 and summed per page, and split by the library each chunk mostly holds.
import { chromium, type Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import type { Sql } from '../src/lib/server/db';
import { DEMO_ACCOUNTS } from '../src/lib/server/demo/generate';
import { ensureDemo } from '../src/lib/server/demo/load';
import { SESSION_COOKIE } from '../src/lib/server/auth/local-provider';
import { hashToken, newToken } from '../src/lib/server/auth/tokens';
import { runScenario } from './lib/scenario';
import { printTable, writeResult } from './lib/results';
import { round } from './lib/stats';

const GOAL_KB = 50;

type Role = 'visitor' | 'youth' | 'staff' | 'coordinator';
type Chunk = { url: string; bytes: number; gzipBytes: number; library: string };

/**
 * Names what a built chunk mostly holds, from strings each library leaves in its minified code.
 * The build has no source maps to ask, so this is a guess; the first signature found wins.
 */
const SIGNATURES: [library: string, matches: (code: string) => boolean][] = [
	['luxon', (code) => code.includes('Invalid DateTime')],
	['zod', (code) => (code.match(/_zod/g)?.length ?? 0) > 20],
	['sveltekit-superforms', (code) => code.includes('taintedMessage')],
	['SvelteKit client', (code) => code.includes('sveltekit:scroll')],
	['Svelte runtime', (code) => code.includes('svelte.dev/e/')],
	['Paraglide messages', (code) => (code.match(/locale\?\?/g)?.length ?? 0) >= 3]
];

const LIBRARIES = [...SIGNATURES.map(([library]) => library), 'app code'];

function libraryOf(code: string): string {
	return SIGNATURES.find(([, matches]) => matches(code))?.[0] ?? 'app code';
}

await runScenario('page-weight', async ({ sql, launchApp }) => {
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
	});
	try {
		await ensureDemo(sql);
		const sessions = await openDemoSessions(sql);
		const [staffEvent] = await sql<{ organizationId: string; opportunityId: string }[]>`
			select o.organization_id as "organizationId", o.id as "opportunityId"
			from public.opportunities o
			join public.org_members m on m.organization_id = o.organization_id
			join auth.users u on u.id = m.user_id and u.email = ${DEMO_ACCOUNTS.staff}
			where o.status = 'published' and o.starts_at > now()
			order by o.starts_at
			limit 1
		`;

		const app = await launchApp();
		const pages: { name: string; path: string; role: Role }[] = [
			{ name: 'browse', path: '/', role: 'visitor' },
			{ name: 'event detail', path: `/opportunities/${staffEvent!.opportunityId}`, role: 'youth' },
			{ name: 'sign-in', path: '/signin', role: 'visitor' },
			{ name: 'my applications', path: '/me/applications', role: 'youth' },
			{
				name: 'org event management',
				path: `/org/${staffEvent!.organizationId}/events/${staffEvent!.opportunityId}`,
				role: 'staff'
			},
			{ name: 'coordinator dashboard', path: '/coordinator', role: 'coordinator' }
		];

		const measured: { name: string; path: string; role: Role; chunks: Chunk[] }[] = [];
		for (const entry of pages) {
			const context = await browser.newContext({ locale: 'zh-CN' });
			const token = entry.role === 'visitor' ? null : sessions[entry.role];
			if (token) {
				await context.addCookies([{ name: SESSION_COOKIE, value: token, url: app.origin }]);
			}
			const page = await context.newPage();
			const chunks = await loadAndCollectScripts(page, app.origin + entry.path);
			measured.push({ ...entry, chunks });
			await context.close();
		}

		const perPage = measured.map((entry) => {
			const gzipBytes = entry.chunks.reduce((sum, chunk) => sum + chunk.gzipBytes, 0);
			const bytes = entry.chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);
			const byLibrary: Record<string, number> = {};
			for (const chunk of entry.chunks) {
				byLibrary[chunk.library] = (byLibrary[chunk.library] ?? 0) + chunk.gzipBytes;
			}
			const chunks = [...entry.chunks].sort((a, b) => b.gzipBytes - a.gzipBytes);
			return {
				name: entry.name,
				path: entry.path,
				role: entry.role,
				files: entry.chunks.length,
				kb: round(bytes / 1024, 1),
				gzipKb: round(gzipBytes / 1024, 1),
				gzipKbByLibrary: Object.fromEntries(
					Object.entries(byLibrary)
						.sort(([, a], [, b]) => b - a)
						.map(([library, gzipBytes]) => [library, round(gzipBytes / 1024, 1)])
				),
				chunks: chunks.map((chunk) => ({
					file: new URL(chunk.url).pathname,
					library: chunk.library,
					gzipKb: round(chunk.gzipBytes / 1024, 1)
				}))
			};
		});
		const goals = perPage.map((entry) => ({
			goal: `${entry.name}: JavaScript gzipped`,
			target: `≤ ${GOAL_KB} KB`,
			actual: `${entry.gzipKb} KB`,
			met: entry.gzipKb <= GOAL_KB
		}));
		printTable(
			'JavaScript per page (gzip level 9)',
			perPage.map((entry) => ({
				page: entry.name,
				role: entry.role,
				files: entry.files,
				KB: entry.kb,
				'gzip KB': entry.gzipKb,
				...Object.fromEntries(
					LIBRARIES.map((library) => [library, entry.gzipKbByLibrary[library] ?? 0])
				)
			}))
		);
		const sizes = perPage.map((entry) => entry.gzipKb);
		const file = await writeResult('page-weight', {
			pages: perPage,
			ratios: { heaviestOverGoal: round(Math.max(...sizes) / GOAL_KB) },
			goals,
			met: goals.every((goal) => goal.met)
		});
		console.log(`\nWrote ${file}`);
	} finally {
		await browser.close();
	}
});

/** Opens a session for each demo role, as signing in would, and returns the cookie values. */
async function openDemoSessions(sql: Sql): Promise<Record<Exclude<Role, 'visitor'>, string>> {
	const roles = ['youth', 'staff', 'coordinator'] as const;
	const tokens = roles.map(() => newToken());
	await sql`
		insert into private.sessions (token_hash, user_id, expires_at)
		select decode(s.token_hash, 'hex'), u.id, now() + interval '1 day'
		from unnest(
			${tokens.map((token) => hashToken(token).toString('hex'))}::text[],
			${roles.map((role) => DEMO_ACCOUNTS[role])}::text[]
		) as s(token_hash, email)
		join auth.users u on u.email = s.email
	`;
	return { youth: tokens[0]!, staff: tokens[1]!, coordinator: tokens[2]! };
}

/** Loads a page until the network is idle and returns every JavaScript file it fetched. */
async function loadAndCollectScripts(page: Page, url: string): Promise<Chunk[]> {
	const pending: Promise<Chunk | null>[] = [];
	page.on('response', (response) => {
		const type = response.headers()['content-type'] ?? '';
		const isScript = response.request().resourceType() === 'script' || type.includes('javascript');
		if (!isScript || response.status() !== 200) {
			return;
		}
		pending.push(
			response.body().then(
				(body) => ({
					url: response.url(),
					bytes: body.length,
					gzipBytes: gzipSync(body, { level: 9 }).length,
					library: libraryOf(body.toString('utf8'))
				}),
				() => null
			)
		);
	});
	const response = await page.goto(url, { waitUntil: 'networkidle' });
	if (response?.status() !== 200) {
		throw new Error(`${url} responded with status ${response?.status()}`);
	}
	const chunks = (await Promise.all(pending)).filter((chunk): chunk is Chunk => chunk !== null);
	return [...new Map(chunks.map((chunk) => [chunk.url, chunk])).values()];
}
