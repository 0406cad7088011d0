import {
	expect,
	request as playwrightRequest,
	test,
	type APIRequestContext,
	type APIResponse
} from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../../src/lib/server/db/client';
import {
	ACTIONS,
	actionCases,
	INPUT_FREE_PAGES,
	READS,
	readCases,
	type Case,
	type Ids,
	type Language,
	type Role
} from './fuzz-cases';
import { storeAndVisit } from './fuzz-escaping';
import { startOwnSite, type OwnSite } from './own-site';
import { siteInventory } from './route-inventory';
import { DEMO_PASSWORD, siteDatabase } from './support';

// Bad input for every form action, endpoint and page of the site, generated from a table of
// field kinds and hostile values. Each request must be rejected with a 4xx and a message in the
// visitor's language, and a digest of every table must not move. The site and its database are
// this file's own, so the digest includes no other test's writes. The cases are in
// fuzz-cases.ts; the stored-value checks in fuzz-escaping.ts.

// ---------------------------------------------------------------------------------------------

type Catalogue = string[][];

/** Returns every error and field message of a language, each as the fixed pieces around its parameters. */
function catalogue(language: Language): Catalogue {
	const file = path.resolve(import.meta.dirname, `../../messages/${language}.json`);
	const messages = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
	return Object.entries(messages)
		.filter(([key]) => /^(error|field)_/.test(key) || key === 'verify_not_found')
		.filter(([key]) => key !== 'error_request_id')
		.map(([, text]) =>
			text
				.split(/\{[^}]*\}/)
				.map((piece) => piece.trim())
				.filter((piece) => piece.length >= 2)
		);
}

const CATALOGUES: Record<Language, Catalogue> = { zh: catalogue('zh'), en: catalogue('en') };

function decodeEntities(html: string): string {
	return html
		.replace(/<[^>]+>/g, ' ')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;|&#x27;/g, "'")
		.replace(/&amp;/g, '&')
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * Returns the texts a response shows a person as its message: a plain-text body, a JSON message, the
 * role="alert" elements of a page, or the message of an error page.
 */
function shownMessages(body: string, contentType: string): string[] {
	if (contentType.includes('text/plain')) return [body];
	if (contentType.includes('application/json')) {
		try {
			return [String((JSON.parse(body) as { message?: unknown }).message ?? '')];
		} catch {
			return [];
		}
	}
	const shown: string[] = [];
	for (const match of body.matchAll(/<([a-z]+)[^>]*role="alert"[^>]*>([\s\S]*?)<\/\1>/g)) {
		shown.push(decodeEntities(match[2]!));
	}
	// +error.svelte: the status, then the message.
	for (const match of body.matchAll(/<h1>\d{3}<\/h1>\s*<p>([\s\S]*?)<\/p>/g)) {
		shown.push(decodeEntities(match[1]!));
	}
	return shown;
}

function showsMessage(body: string, contentType: string, language: Language): boolean {
	return shownMessages(body, contentType).some((text) =>
		CATALOGUES[language].some(
			(pieces) => pieces.length > 0 && pieces.every((piece) => text.includes(piece))
		)
	);
}

/** A digest of each table's rows, every schema but the system's. */
async function tableDigests(db: Database): Promise<Map<string, string>> {
	const tables = await db.sql<{ name: string }[]>`
		select format('%I.%I', n.nspname, c.relname) as name
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
			and n.nspname not like 'pg\\_%'
		order by 1
	`;
	const digests = new Map<string, string>();
	for (const { name } of tables) {
		const [row] = await db.sql.unsafe<{ digest: string }[]>(
			`select count(*) || ':' || md5(coalesce(string_agg(t::text, E'\\n' order by t::text), ''))
				as digest from ${name} t`
		);
		digests.set(name, row!.digest);
	}
	return digests;
}

/**
 * Tables a rejected request may change, and why. Each is still checked on its own below.
 * private.sign_in_failures: a well-formed sign-in or password change with a wrong password is
 * counted before the password is checked, so that guessing stays limited.
 */
const CHANGES_ON_REFUSAL = new Set(['private.sign_in_failures']);

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
	const names = new Set([...before.keys(), ...after.keys()]);
	return [...names].filter(
		(name) => !CHANGES_ON_REFUSAL.has(name) && before.get(name) !== after.get(name)
	);
}

let site: OwnSite;
let db: Database;
let ids: Ids;
const contexts = new Map<string, APIRequestContext>();
let caseNumber = 0;

function contextOf(role: Role, language: Language): APIRequestContext {
	const context = contexts.get(`${role}/${language}`);
	if (!context) throw new Error(`no ${role}/${language} context`);
	return context;
}

/** Sends a case and returns what is wrong with the response, or null. */
async function check(item: Case): Promise<string | null> {
	// One case in four is read in English, the rest in Chinese, the site's first language.
	const language: Language = item.language ?? (caseNumber++ % 4 === 0 ? 'en' : 'zh');
	const headers: Record<string, string> = { accept: 'text/html' };
	if (item.contentType) headers['content-type'] = item.contentType;
	if (item.method === 'POST' && item.origin) headers.origin = item.origin;
	let response: APIResponse;
	try {
		response = await contextOf(item.role, language).fetch(item.url, {
			method: item.method,
			data: item.body,
			headers,
			maxRedirects: 0,
			timeout: 30_000
		});
	} catch (caught) {
		return `no response: ${String(caught).slice(0, 200)}`;
	}
	const status = response.status();
	const body = await response.text();
	const type = response.headers()['content-type'] ?? '';
	if (item.expect === 'redirect') {
		const location = response.headers().location ?? '';
		if (status !== 303) return `${status}, not a redirect`;
		if (new URL(location, site.origin).origin !== site.origin) return `redirects to ${location}`;
		return null;
	}
	if (item.expect === 'sign-in' && status === 303) {
		const location = response.headers().location ?? '';
		return location.startsWith('/signin?next=') ? null : `redirects to ${location}`;
	}
	if (status < 400 || status > 499) {
		return `${status}: ${decodeEntities(body).slice(0, 160)}`;
	}
	if (type.includes('text/html') && /<script>window\.__xss|<img src=x/.test(body)) {
		return `${status} echoes the markup it was sent`;
	}
	if (!showsMessage(body, type, language)) {
		const shown = shownMessages(body, type).join(' | ') || decodeEntities(body).slice(0, 120);
		return `${status} without a ${language} message: ${shown.slice(0, 200)}`;
	}
	return null;
}

async function newContext(): Promise<APIRequestContext> {
	return playwrightRequest.newContext({ baseURL: site.origin });
}

/** A request context signed in as the demo account, in a language. */
async function signedIn(email: string | null, language: Language): Promise<APIRequestContext> {
	const context = await newContext();
	if (email) {
		const response = await context.post('/signin', {
			form: { email, password: DEMO_PASSWORD },
			headers: { origin: site.origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status(), `sign-in of ${email}`).toBe(303);
	}
	if (language === 'en') {
		expect((await context.get('/lang/en?to=/', { maxRedirects: 0 })).status()).toBe(303);
	}
	return context;
}

async function arrange(): Promise<Ids> {
	const one = async <T>(query: Promise<T[]>): Promise<T> => (await query)[0]!;
	const user = (email: string) =>
		one(db.sql<{ id: string }[]>`select id from auth.users where email = ${email}`);
	const organization = (name: string) =>
		one(db.sql<{ id: string }[]>`select id from public.organizations where name = ${name}`);
	const staffOrg = (await organization('共青团招宝山街道委员会')).id;
	const branch = await one(
		db.sql<{ id: string }[]>`
			select id from public.organizations where parent_id = ${staffOrg} order by name limit 1
		`
	);
	const host = await one(
		db.sql<{ id: string }[]>`
			insert into public.organizations (name, kind, status, contact_name, contact_phone)
			values ('模糊测试主办方', 'social_organization', 'verified', '联系人', '13800000000')
			returning id
		`
	);
	// The applicant signs up through the form, so their profile is what the site writes.
	const signUp = await (
		await newContext()
	).post('/signup', {
		form: {
			displayName: '模糊测试报名者',
			email: 'fuzz-applicant@test.local',
			password: 'long-enough-password'
		},
		headers: { origin: site.origin, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(signUp.status()).toBe(303);
	const applicant = (await user('fuzz-applicant@test.local')).id;
	const staff = (await user('staff@demo.local')).id;
	const event = async (status: string) =>
		db.service(async (tx) => {
			const startsAt = new Date(Date.now() + 10 * 86_400_000);
			const [row] = await tx<{ id: string }[]>`
				insert into public.opportunities (organization_id, kind, title, starts_at, ends_at,
					apply_opens_at, apply_closes_at, capacity, status, created_by)
				values (${staffOrg}, 'event', ${`模糊测试 ${status}`}, ${startsAt},
					${new Date(startsAt.getTime() + 2 * 3_600_000)}, ${new Date(Date.now() - 86_400_000)},
					${new Date(startsAt.getTime() - 3_600_000)}, 10, ${status}, ${staff})
				returning id
			`;
			await tx`insert into public.events (opportunity_id, orbit) values (${row!.id}, 'self')`;
			return row!.id;
		});
	const published = await event('published');
	const draft = await event('draft');
	await db.sql`
		insert into public.applications (opportunity_id, applicant_id) values (${published}, ${applicant})
	`;
	const invitation = await one(
		db.sql<{ id: string }[]>`
			insert into public.org_invitations (organization_id, token_hash, role, created_by, expires_at)
			values (${staffOrg}, ${Buffer.from(randomUUID())}, 'staff', ${staff}, now() + interval '7 days')
			returning id
		`
	);
	return {
		staffOrg,
		otherOrg: (await organization('共青团蛟川街道委员会')).id,
		hostOrg: host.id,
		branch: branch.id,
		event: published,
		draftEvent: draft,
		applicant,
		youth: (await user('youth@demo.local')).id,
		staff,
		invitation: invitation.id
	};
}

const ACCOUNTS: Record<Role, string | null> = {
	visitor: null,
	youth: 'youth@demo.local',
	staff: 'staff@demo.local',
	coordinator: 'coordinator@demo.local'
};

test('every action, endpoint and page has fuzz cases', () => {
	const inventory = siteInventory();
	const covered = new Set([...Object.keys(ACTIONS), ...Object.keys(READS)]);
	const declared = new Set([...covered, ...Object.keys(INPUT_FREE_PAGES)]);
	const missing = [...inventory.actions, ...inventory.endpoints, ...inventory.pages].filter(
		(key) => !declared.has(key)
	);
	expect(missing, 'routes without fuzz cases').toEqual([]);
	const all = new Set([...inventory.actions, ...inventory.endpoints, ...inventory.pages]);
	expect(
		[...declared].filter((key) => !all.has(key)),
		'cases for routes that are gone'
	).toEqual([]);
	expect(inventory.actions.length).toBeGreaterThan(20);
});

test.describe('bad input on its own site', () => {
	test.beforeAll(async () => {
		test.setTimeout(300_000);
		site = await startOwnSite('fuzz');
		db = siteDatabase(site);
		ids = await arrange();
		for (const role of Object.keys(ACCOUNTS) as Role[]) {
			for (const language of ['zh', 'en'] as const) {
				contexts.set(`${role}/${language}`, await signedIn(ACCOUNTS[role], language));
			}
		}
	});

	test.afterAll(async () => {
		for (const context of contexts.values()) await context.dispose();
		await db?.end();
		await site?.stop();
	});

	/** Runs the cases of each key, then names the tables that moved since the key before. */
	async function runAll(groups: [string, Case[]][]): Promise<{ problems: string[]; sent: number }> {
		const problems: string[] = [];
		let sent = 0;
		let before = await tableDigests(db);
		for (const [key, cases] of groups) {
			for (const item of cases) {
				sent++;
				const problem = await check(item);
				if (problem) problems.push(`${key} ${item.label} (${item.role}): ${problem}`);
			}
			const after = await tableDigests(db);
			const moved = changedTables(before, after);
			if (moved.length) problems.push(`${key} changed ${moved.join(', ')}`);
			before = after;
		}
		if (problems.length) console.log(`The site's errors:\n${site.output().slice(-4000)}`);
		return { problems, sent };
	}

	test('form actions reject bad input and change nothing', async () => {
		test.setTimeout(600_000);
		const [failuresBefore] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from private.sign_in_failures
		`;
		const groups = Object.entries(ACTIONS).map(
			([key, spec]) => [key, actionCases(key, spec, ids, site.origin)] as [string, Case[]]
		);
		const { problems, sent } = await runAll(groups);
		console.log(`form actions: ${groups.length} actions, ${sent} requests`);
		expect(problems).toEqual([]);
		// The only rows a rejected request adds: two per wrong password, for the account and the
		// client address, as sign-in limits count them.
		const wrongPasswords = groups.flatMap(([, cases]) => cases).filter((c) => c.countsFailure);
		const subjects = await db.sql<{ subject: string }[]>`
			select subject from private.sign_in_failures order by id offset ${failuresBefore!.count}
		`;
		expect(subjects).toHaveLength(wrongPasswords.length * 2);
		for (const { subject } of subjects) {
			expect(subject).toMatch(/^(account:(youth@demo\.local|o'reilly@test\.local)|address:.+)$/);
		}
	});

	test('endpoints and pages reject bad parameters and change nothing', async () => {
		test.setTimeout(600_000);
		const groups = Object.entries(READS).map(
			([key, spec]) => [key, readCases(key, spec, ids)] as [string, Case[]]
		);
		const { problems, sent } = await runAll(groups);
		console.log(`endpoints and pages: ${groups.length} routes, ${sent} requests`);
		expect(problems).toEqual([]);
	});

	test('stored hostile text renders as text on every page', async ({ browser }) => {
		test.setTimeout(300_000);
		await storeAndVisit(browser, { origin: site.origin, db, ids });
	});
});
