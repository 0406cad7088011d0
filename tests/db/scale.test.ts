import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../../src/lib/server/db/client';
import { applyMigrations, applySeed } from '../../src/lib/server/db/migrate';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/generate';
import { ensureDemo } from '../../src/lib/server/demo/load';
import { isScaleLoaded, loadScale, scaleEmail } from '../../src/lib/server/demo/scale';

const SIZE = { opportunities: 1000, people: 2000, applications: 20_000, organizations: 12 };
const DATABASE = 'youth_scale_test';

// The scale data adds organizations under the town committees, so it gets a database of its own
// in the test cluster instead of sharing the one the other tests count rows in.
let owner: Database;
let db: Database;
let now: Date;

beforeAll(async () => {
	owner = createDatabase(inject('databaseUrl'), { max: 1 });
	await owner.sql.unsafe(`drop database if exists ${DATABASE}`);
	await owner.sql.unsafe(`create database ${DATABASE}`);
	const url = new URL(inject('databaseUrl'));
	url.pathname = `/${DATABASE}`;
	db = createDatabase(url.href, { max: 2 });
	await applyMigrations(db.sql, inject('supabaseDir'));
	await applySeed(db.sql, inject('supabaseDir'));
	await ensureDemo(db.sql);
	now = new Date();
	await loadScale(db.sql, { ...SIZE, now });
});

afterAll(async () => {
	await db.end();
	await owner.sql.unsafe(`drop database if exists ${DATABASE}`);
	await owner.end();
});

/** Returns the one number a counting query selects. */
async function count(query: Promise<{ n: number }[]>): Promise<number> {
	const [row] = await query;
	return row!.n;
}

describe('loadScale', () => {
	it('loads the requested numbers', async () => {
		expect(await isScaleLoaded(db.sql)).toBe(true);
		const people = await count(db.sql`
			select count(*)::int as n from auth.users u join public.profiles p on p.id = u.id
			where u.email like 'scale%@demo.local'
		`);
		expect(people).toBe(SIZE.people);
		const opportunities = await count(db.sql`
			select count(*)::int as n from public.opportunities o
			join public.events e on e.opportunity_id = o.id
			where o.id::text like '00000003-5ca1-%'
		`);
		expect(opportunities).toBe(SIZE.opportunities);
		const applications = await count(db.sql`
			select count(*)::int as n from public.applications
			where opportunity_id::text like '00000003-5ca1-%'
		`);
		expect(applications).toBe(SIZE.applications);
	});

	it('keeps accepted counts equal to accepted applications', async () => {
		const wrong = await count(db.sql`
			select count(*)::int as n from public.opportunities o
			where o.accepted_count <> (
				select count(*) from public.applications a
				where a.opportunity_id = o.id and a.status = 'accepted'
			)
		`);
		expect(wrong).toBe(0);
	});

	it('waitlists only on full upcoming published events', async () => {
		const waitlisted = await count(db.sql`
			select count(*)::int as n from public.applications where status = 'waitlisted'
		`);
		expect(waitlisted).toBeGreaterThan(0);
		const misplaced = await count(db.sql`
			select count(*)::int as n from public.applications a
			join public.opportunities o on o.id = a.opportunity_id
			where a.status = 'waitlisted'
				and (o.accepted_count < o.capacity or o.status <> 'published' or o.starts_at <= ${now}
					or a.queued_at is null)
		`);
		expect(misplaced).toBe(0);
	});

	it('queues the waitlist after every accepted application', async () => {
		// Places went in application order, so nobody waiting applied before someone accepted.
		const overtaken = await count(db.sql`
			select count(*)::int as n from public.applications w
			join public.applications a on a.opportunity_id = w.opportunity_id and a.status = 'accepted'
			where w.status = 'waitlisted' and w.queued_at < a.created_at
		`);
		expect(overtaken).toBe(0);
	});

	it('applies only to published events inside the window', async () => {
		const outside = await count(db.sql`
			select count(*)::int as n from public.applications a
			join public.opportunities o on o.id = a.opportunity_id
			where o.id::text like '00000003-5ca1-%'
				and (o.status <> 'published' or a.created_at < o.apply_opens_at
					or a.created_at > least(o.apply_closes_at, ${now}))
		`);
		expect(outside).toBe(0);
	});

	it('applies only adults', async () => {
		const minors = await count(db.sql`
			select count(*)::int as n from public.applications a
			join public.opportunities o on o.id = a.opportunity_id
			join public.profiles p on p.id = a.applicant_id
			where o.id::text like '00000003-5ca1-%' and private.age_on(p.birth_date, o.starts_at) < 18
		`);
		expect(minors).toBe(0);
	});

	it('mixes statuses and times', async () => {
		const rows = await db.sql<{ status: string; past: number; upcoming: number }[]>`
			select status::text, count(*) filter (where starts_at <= ${now})::int as past,
				count(*) filter (where starts_at > ${now})::int as upcoming
			from public.opportunities where id::text like '00000003-5ca1-%'
			group by status order by status
		`;
		expect(rows.map((row) => row.status)).toEqual(['cancelled', 'draft', 'published']);
		for (const row of rows) {
			expect(row.past, row.status).toBeGreaterThan(0);
			expect(row.upcoming, row.status).toBeGreaterThan(0);
		}
	});

	it('finds two-character words in titles', async () => {
		for (const word of ['雷锋', '志愿', '招宝山']) {
			const found = await count(db.sql`
				select count(*)::int as n from public.opportunities
				where id::text like '00000003-5ca1-%'
					and search_pieces @> private.bigrams(${word})
					and title like ${'%' + word + '%'}
			`);
			expect(found, word).toBeGreaterThan(0);
		}
	});

	it('gives people the demo password', async () => {
		const [row] = await db.sql<{ matches: boolean }[]>`
			select encrypted_password = extensions.crypt(${DEMO_PASSWORD}, encrypted_password)
				as matches
			from auth.users where email = ${scaleEmail(1)}
		`;
		expect(row?.matches).toBe(true);
	});
});
