// Browse and search at scale: the real `/` page of the production build against 100,000
// opportunities, 200,000 people and 2,000,000 applications, for a visitor and a signed-in youth.
// The ceiling (the same page rendered from memory, bench/ceiling/) and the floor (the same query
// behind bare node:http, bench/floor.ts) are measured beside it in the same run. Also saves EXPLAIN (analyze, buffers)
// of every query these pages run, as the RLS roles, and a CPU profile of the app under load.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { browseSchema } from '../src/lib/forms/browse';
import { createDatabase, type Actor, type Database } from '../src/lib/server/db/client';
import { listMyApplications } from '../src/lib/server/applications/lists';
import { getApplyContext } from '../src/lib/server/applications/apply';
import { browseOpportunities } from '../src/lib/server/events/browse';
import { getOpportunity } from '../src/lib/server/events/read';
import { countUnreadNotifications } from '../src/lib/server/notifications';
import { loadRoles } from '../src/lib/server/organizations/roles';
import { listTowns } from '../src/lib/server/reference';
import { DEMO_PASSWORD } from '../src/lib/server/demo/generate';
import { ensureDemo } from '../src/lib/server/demo/load';
import { loadScale, SCALE_FULL, type ScaleOptions } from '../src/lib/server/demo/scale';
import { buildDir, ensureBuild, ROOT, startApp, type RunningApp } from './lib/app';
import { startBenchDatabase } from './lib/cluster';
import { explainCalls, findSeqScans } from './lib/explain';
import { runLoad, type LoadResult } from './lib/load';
import { summarizeProfile } from './lib/profile';
import { printTable, RESULTS_DIR, writeResult, type Goal } from './lib/results';
import { round } from './lib/stats';

const SCALE: ScaleOptions =
	process.env.BENCH_SCALE === 'small'
		? { opportunities: 10_000, people: 20_000, applications: 200_000, organizations: 100 }
		: SCALE_FULL;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = 2;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const P95_GOAL_MS = 50;
const CEILING_SHARE_GOAL = 0.7;

/** Two-character and longer words: common (志愿), rarer (雷锋, 读书) and a place name (招宝山). */
const SEARCH_TERMS = ['志愿', '雷锋', '招宝山', '读书'];
const BROWSE_PATH = '/';
const SEARCH_PATHS = SEARCH_TERMS.map((term) => `/?q=${encodeURIComponent(term)}`);

const CEILING_DIR = path.join(ROOT, 'build-ceiling');
const CEILING_SOURCE = path.join(ROOT, 'bench', 'ceiling');

type Scenario = { name: string; paths: string[]; signedIn: boolean };
const SCENARIOS: Scenario[] = [
	{ name: 'browse, visitor', paths: [BROWSE_PATH], signedIn: false },
	{ name: 'search, visitor', paths: SEARCH_PATHS, signedIn: false },
	{ name: 'browse, youth', paths: [BROWSE_PATH], signedIn: true },
	{ name: 'search, youth', paths: SEARCH_PATHS, signedIn: true }
];

function newestIn(folder: string): number {
	let newest = statSync(folder).mtimeMs;
	for (const entry of readdirSync(folder, { withFileTypes: true })) {
		const full = path.join(folder, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : statSync(full).mtimeMs);
	}
	return newest;
}

/** Builds the ceiling site when it is missing or older than the app's build or its own files. */
function ensureCeilingBuild(): void {
	const marker = path.join(CEILING_DIR, 'index.js');
	const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : 0;
	const appBuiltAt = statSync(path.join(buildDir(), 'index.js')).mtimeMs;
	if (builtAt > Math.max(appBuiltAt, newestIn(CEILING_SOURCE))) {
		return;
	}
	console.log('Building the ceiling site…');
	execFileSync(
		process.execPath,
		[
			path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
			'build',
			'--bypass-lock',
			'--emptyOutDir',
			'--logLevel',
			'error'
		],
		{ cwd: CEILING_SOURCE, stdio: ['ignore', 'ignore', 'inherit'] }
	);
}

/** Signs in over HTTP as a real visitor would and returns the cookies to send. */
async function signIn(origin: string, email: string): Promise<string> {
	const response = await fetch(`${origin}/signin`, {
		method: 'POST',
		redirect: 'manual',
		// text/html: with */* SvelteKit responds to a form post with JSON instead of the redirect.
		headers: {
			origin,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email, password: DEMO_PASSWORD })
	});
	const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
	if (response.status !== 303 || cookies.length === 0) {
		throw new Error(
			`Sign-in as ${email} returned status ${response.status} without a session cookie`
		);
	}
	const cookie = cookies.join('; ');
	const page = await (await fetch(`${origin}/`, { headers: { cookie } })).text();
	if (!page.includes('href="/me/applications"')) {
		throw new Error(`The session cookie of ${email} does not sign in`);
	}
	return cookie;
}

async function saveExplains(db: Database, youth: Actor & object): Promise<Record<string, unknown>> {
	const filters = (query: string) => ({
		query,
		orbit: '' as const,
		townCode: '',
		from: null,
		to: null,
		page: 1
	});
	const [waitlisted] = await db.sql<{ id: string }[]>`
		select opportunity_id as id from public.applications
		where applicant_id = ${youth.id} and status = 'waitlisted' limit 1
	`;
	const groups: Record<string, (recording: Database) => Promise<unknown>> = {
		browse: async (recording) => {
			await browseOpportunities(recording, null, filters(''));
			await browseOpportunities(recording, youth, filters(''));
			await listTowns(recording, null);
		},
		search: async (recording) => {
			for (const term of SEARCH_TERMS) {
				await browseOpportunities(recording, null, filters(term));
			}
			await browseOpportunities(recording, youth, filters(SEARCH_TERMS[0]!));
		},
		youth: async (recording) => {
			await loadRoles(recording, youth.id);
			await countUnreadNotifications(recording, youth);
			await listMyApplications(recording, youth);
			if (waitlisted) {
				await getOpportunity(recording, youth, waitlisted.id);
				await getApplyContext(recording, youth, waitlisted.id);
			}
		}
	};
	const report: Record<string, unknown> = {};
	for (const [name, call] of Object.entries(groups)) {
		const plans = await explainCalls(db, call);
		const file = path.join(RESULTS_DIR, `explain-${name}.txt`);
		await writeFile(file, plans.join('\n'));
		report[name] = {
			file: path.relative(ROOT, file),
			queries: plans.length,
			seqScansOfBigTables: findSeqScans(plans),
			executionMs: plans.map((plan) => Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN))
		};
	}
	return report;
}

/** Saves what the app's browse load returns for each path, for the ceiling to render. */
async function saveCeilingPages(db: Database, file: string): Promise<void> {
	const pages: Record<string, unknown> = {};
	const towns = await listTowns(db, null);
	for (const pagePath of [BROWSE_PATH, ...SEARCH_PATHS]) {
		const search = new URL(pagePath, 'http://x').search;
		const query = browseSchema.parse(Object.fromEntries(new URLSearchParams(search)));
		const result = await browseOpportunities(db, null, {
			query: query.q,
			orbit: query.orbit,
			townCode: query.town,
			from: null,
			to: null,
			page: query.page
		});
		pages[search] = { query, towns, ...result };
	}
	await writeFile(file, JSON.stringify(pages));
}

/** Returns a browse page's result list without nonces and class hashes, to compare servers. */
async function listMarkup(origin: string, pagePath: string): Promise<string> {
	const html = await (await fetch(origin + pagePath)).text();
	const section = /<section[^>]*>[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
	// Scoped class names hash the component's path from the project root, which differs between
	// the app and the ceiling project.
	return section.replace(/ nonce="[^"]*"/g, '').replace(/\bsvelte-[a-z0-9]+\b/g, 'svelte-scoped');
}

async function measure(
	origin: string,
	scenario: Scenario,
	headers: Record<string, string>
): Promise<LoadResult> {
	const options = { url: origin, paths: scenario.paths, headers, connections: CONNECTIONS };
	await runLoad({ ...options, durationSeconds: WARMUP });
	return runLoad({ ...options, durationSeconds: DURATION });
}

async function main(): Promise<void> {
	const started = performance.now();
	ensureBuild();
	ensureCeilingBuild();

	const cluster = await startBenchDatabase('browse');
	const scratch = await mkdtemp(path.join(os.tmpdir(), 'youth-bench-browse-'));
	const running: RunningApp[] = [];
	const db = createDatabase(cluster.url, { max: 4 });
	try {
		await ensureDemo(db.sql);
		const scale = await loadScale(db.sql, SCALE);
		console.log(
			`Scale data: ${scale.opportunities} opportunities, ${scale.people} people, ` +
				`${scale.applications} applications in ${round(scale.milliseconds / 1000, 1)} s`
		);

		// A youth with several applications, one of them on a waitlist.
		const [youthRow] = await db.sql<{ id: string; email: string; applications: number }[]>`
			select u.id, u.email,
				(select count(*)::int from public.applications a where a.applicant_id = u.id) as applications
			from public.applications w
			join auth.users u on u.id = w.applicant_id
			where w.status = 'waitlisted' and u.email like 'scale%'
			order by u.email limit 1
		`;
		const youth = { id: youthRow!.id };
		const explains = await saveExplains(db, youth);
		console.log(`EXPLAIN plans saved: ${Object.keys(explains).join(', ')}`);

		const ceilingData = path.join(scratch, 'ceiling-pages.json');
		await saveCeilingPages(db, ceilingData);

		const app = await startApp({ databaseUrl: cluster.url });
		running.push(app);
		const ceiling = await startApp({
			databaseUrl: '',
			entry: path.join(CEILING_DIR, 'index.js'),
			env: { BENCH_CEILING_DATA: ceilingData }
		});
		running.push(ceiling);
		const floor = await startApp({
			databaseUrl: cluster.url,
			entry: path.join(ROOT, 'bench', 'floor.ts'),
			nodeArgs: ['--import', 'tsx']
		});
		running.push(floor);

		const cookie = await signIn(app.origin, youthRow!.email);
		const markupDifferences: { path: string; app: string; ceiling: string }[] = [];
		for (const pagePath of [BROWSE_PATH, ...SEARCH_PATHS]) {
			const [appList, ceilingList] = await Promise.all([
				listMarkup(app.origin, pagePath),
				listMarkup(ceiling.origin, pagePath)
			]);
			if (appList !== ceilingList) {
				const at = [...appList].findIndex((character, index) => character !== ceilingList[index]);
				markupDifferences.push({
					path: pagePath,
					app: appList.slice(Math.max(0, at - 80), at + 80),
					ceiling: ceilingList.slice(Math.max(0, at - 80), at + 80)
				});
			}
		}
		const sameMarkup = markupDifferences.length === 0;

		const scenarios: Record<string, unknown>[] = [];
		const rows: Record<string, string | number>[] = [];
		const goals: Goal[] = [];
		for (const scenario of SCENARIOS) {
			const appResult = await measure(app.origin, scenario, scenario.signedIn ? { cookie } : {});
			// The ceiling renders the visitor's page only: the framework's cost, without a session.
			const ceilingResult = scenario.signedIn ? null : await measure(ceiling.origin, scenario, {});
			const floorResult = await measure(
				floor.origin,
				scenario,
				scenario.signedIn ? { 'x-bench-actor': youth.id } : {}
			);
			const ofCeiling = ceilingResult
				? round(appResult.requestsPerSecond / ceilingResult.requestsPerSecond, 2)
				: null;
			const ofFloor = round(appResult.requestsPerSecond / floorResult.requestsPerSecond, 2);
			scenarios.push({
				name: scenario.name,
				paths: scenario.paths,
				app: appResult,
				ceiling: ceilingResult,
				floor: floorResult,
				appShareOfCeiling: ofCeiling,
				appShareOfFloor: ofFloor
			});
			for (const [server, result] of [
				['app', appResult],
				['ceiling', ceilingResult],
				['floor', floorResult]
			] as const) {
				if (!result) continue;
				rows.push({
					scenario: scenario.name,
					server,
					'req/s': result.requestsPerSecond,
					'p50 ms': result.p50,
					'p95 ms': result.p95,
					'p99 ms': result.p99,
					'errors+non2xx': result.errors + result.non2xx,
					'app/this': server === 'app' ? '' : `${server === 'ceiling' ? ofCeiling : ofFloor}x`
				});
			}
			goals.push({
				goal: `${scenario.name}: p95`,
				target: `≤ ${P95_GOAL_MS} ms`,
				actual: `${appResult.p95} ms`,
				met: appResult.p95 <= P95_GOAL_MS && appResult.errors + appResult.non2xx === 0
			});
			if (ofCeiling !== null) {
				goals.push({
					goal: `${scenario.name}: share of ceiling`,
					target: `≥ ${CEILING_SHARE_GOAL * 100} %`,
					actual: `${Math.round(ofCeiling * 100)} %`,
					met: ofCeiling >= CEILING_SHARE_GOAL
				});
			}
		}
		goals.push({
			goal: 'ceiling renders the same list markup',
			target: 'same',
			actual: sameMarkup ? 'same' : 'different',
			met: sameMarkup
		});

		// One more app run under a CPU profile: visitor search and youth browse, one after another.
		for (const server of running.splice(0)) {
			await server.stop();
		}
		const profileDir = path.join(scratch, 'profile');
		const profiled = await startApp({ databaseUrl: cluster.url, cpuProfileDir: profileDir });
		running.push(profiled);
		const profiledCookie = await signIn(profiled.origin, youthRow!.email);
		await measure(profiled.origin, SCENARIOS[1]!, {});
		await measure(profiled.origin, SCENARIOS[2]!, { cookie: profiledCookie });
		await profiled.stop();
		running.length = 0;
		const [profileName] = (await readdir(profileDir)).filter((name) =>
			name.endsWith('.cpuprofile')
		);
		const profileFile = path.join(RESULTS_DIR, 'browse-app.cpuprofile');
		await rm(profileFile, { force: true });
		execFileSync('cp', [path.join(profileDir, profileName!), profileFile]);
		const profile = summarizeProfile(profileFile);

		printTable(
			`Browse at ${SCALE.opportunities.toLocaleString('en')} opportunities, ` +
				`${CONNECTIONS} connections, ${DURATION} s each`,
			rows
		);
		printTable(
			'Where the app spends its CPU (self time, visitor search + youth browse)',
			profile.groups.slice(0, 10).map((group) => ({
				group: group.group,
				'self ms': group.selfMs,
				share: `${group.share} %`
			}))
		);
		const file = await writeResult('browse', {
			scale: { ...SCALE, loadSeconds: round(scale.milliseconds / 1000, 1) },
			settings: {
				durationSeconds: DURATION,
				warmupSeconds: WARMUP,
				connections: CONNECTIONS,
				searchTerms: SEARCH_TERMS,
				youthApplications: youthRow!.applications
			},
			scenarios,
			goals,
			sameMarkup,
			markupDifferences,
			explains,
			profile: { file: path.relative(ROOT, profileFile), ...profile },
			wallSeconds: round((performance.now() - started) / 1000, 0)
		});
		console.log(`\nWrote ${path.relative(ROOT, file)}`);
	} finally {
		for (const server of running) {
			await server.stop();
		}
		await db.end();
		await cluster.stop();
		await rm(scratch, { recursive: true, force: true });
	}
}

try {
	await main();
	process.exit(0);
} catch (error) {
	console.error(error);
	process.exit(1);
}
