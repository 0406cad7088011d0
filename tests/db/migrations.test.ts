import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signInWithPassword } from '../../src/lib/server/auth/local';
import type { Database } from '../../src/lib/server/db/client';
import { applyMigrations, applySeed } from '../../src/lib/server/db/migrate';
import { ensureDemo, isDemoLoaded } from '../../src/lib/server/demo/load';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/lib/server/demo/generate';
import {
	type BranchCompliance,
	complianceOverview,
	hasMetQuota
} from '../../src/lib/server/quotas';
import { shareOfYearElapsed, yearOf } from '../../src/lib/time';
import { testDatabase } from './fixtures';

let db: Database;

beforeAll(() => {
	db = testDatabase();
});

afterAll(async () => {
	await db.end();
});

/** Row counts of the tables a demo or a migration could write to. */
async function rowCounts(): Promise<Record<string, number>> {
	const [row] = await db.sql<Record<string, number>[]>`
		select
			(select count(*)::int from auth.users) as users,
			(select count(*)::int from public.profiles) as profiles,
			(select count(*)::int from public.coordinators) as coordinators,
			(select count(*)::int from public.organizations) as organizations,
			(select count(*)::int from public.org_members) as members,
			(select count(*)::int from public.opportunities) as opportunities,
			(select count(*)::int from public.events) as events,
			(select count(*)::int from public.applications) as applications,
			(select count(*)::int from public.org_kinds) as kinds,
			(select count(*)::int from public.towns) as towns
	`;
	return row!;
}

describe('applyMigrations', () => {
	it('applies nothing the second time', async () => {
		const supabaseDir = inject('supabaseDir');
		const files = (await readdir(path.join(supabaseDir, 'migrations'))).filter((file) =>
			/^\d{14}_[\w-]+\.sql$/.test(file)
		);
		const before = await rowCounts();
		const report = await applyMigrations(db.sql, supabaseDir);
		expect(report.applied).toEqual([]);
		// Every migration file, plus the local auth stand-in this embedded cluster received.
		expect(report.skipped).toBe(files.length + 1);
		expect(await rowCounts()).toEqual(before);
	});

	it('records the core and local auth', async () => {
		const rows = await db.sql<{ version: string; name: string }[]>`
			select version, name from supabase_migrations.schema_migrations order by version
		`;
		expect(rows).toContainEqual({ version: '00000000000000', name: 'local_auth' });
		expect(rows).toContainEqual({ version: '20261204000000', name: 'core' });
	});

	it('records every migration file', async () => {
		const supabaseDir = inject('supabaseDir');
		const versions = (await readdir(path.join(supabaseDir, 'migrations')))
			.filter((file) => /^\d{14}_[\w-]+\.sql$/.test(file))
			.map((file) => file.slice(0, 14));
		const rows = await db.sql<{ version: string }[]>`
			select version from supabase_migrations.schema_migrations
		`;
		const recorded = rows.map((row) => row.version);
		for (const version of versions) {
			expect(recorded).toContain(version);
		}
	});

	it('loads the seed again unchanged', async () => {
		const before = await rowCounts();
		await applySeed(db.sql, inject('supabaseDir'));
		const after = await rowCounts();
		expect(after.kinds).toBe(before.kinds);
		expect(after.towns).toBe(before.towns);
		expect(after.kinds).toBe(10);
		expect(after.towns).toBe(10);
	});
});

describe('demo', () => {
	const TOWN_COMMITTEES: Record<string, string> = {
		zhaobaoshan: '共青团招宝山街道委员会',
		jiaochuan: '共青团蛟川街道委员会',
		luotuo: '共青团骆驼街道委员会',
		zhuangshi: '共青团庄市街道委员会',
		guisi: '共青团贵驷街道委员会',
		xiepu: '共青团澥浦镇委员会',
		jiulonghu: '共青团九龙湖镇委员会'
	};
	const DISTRICT = '共青团宁波市镇海区委员会';

	let loadedBefore: boolean;
	let firstLoad: boolean;
	let districtId: string;

	// Other test files create their own fixtures and never count rows across the whole cluster,
	// so the demo can live in the shared database.
	beforeAll(async () => {
		loadedBefore = await isDemoLoaded(db.sql);
		firstLoad = await ensureDemo(db.sql);
		const [district] = await db.sql<{ id: string }[]>`
			select id from public.organizations
			where name = ${DISTRICT} and kind = 'district_committee'
		`;
		districtId = district!.id;
	});

	it('loads once', async () => {
		expect(firstLoad).toBe(!loadedBefore);
		expect(await isDemoLoaded(db.sql)).toBe(true);
	});

	it('loads nothing the second time', async () => {
		const before = await rowCounts();
		expect(await ensureDemo(db.sql)).toBe(false);
		expect(await rowCounts()).toEqual(before);
	});

	it('has one district committee', async () => {
		const rows = await db.sql<{ status: string; parentId: string | null }[]>`
			select status, parent_id as "parentId" from public.organizations
			where name = ${DISTRICT} and kind = 'district_committee'
		`;
		expect(rows).toEqual([{ status: 'verified', parentId: null }]);
	});

	it('has the seven town committees', async () => {
		const rows = await db.sql<{ name: string; townCode: string }[]>`
			select name, town_code as "townCode" from public.organizations
			where parent_id = ${districtId} and kind = 'town_committee' and status = 'verified'
			order by town_code
		`;
		const expected = Object.entries(TOWN_COMMITTEES)
			.map(([townCode, name]) => ({ name, townCode }))
			.sort((a, b) => a.townCode.localeCompare(b.townCode));
		expect(rows).toEqual(expected);
	});

	it('has the three alliance members', async () => {
		const rows = await db.sql<{ name: string }[]>`
			select name from public.organizations
			where name in ('群狼救援', '博宣社', '向日葵公益')
				and kind = 'social_organization' and status = 'verified'
			order by name
		`;
		expect(rows.map((row) => row.name).sort()).toEqual(['博宣社', '向日葵公益', '群狼救援'].sort());
	});

	it('has the three demo accounts', async () => {
		for (const email of Object.values(DEMO_ACCOUNTS)) {
			const [user] = await db.sql<{ verifies: boolean }[]>`
				select encrypted_password = extensions.crypt(${DEMO_PASSWORD}, encrypted_password)
					as verifies
				from auth.users where email = ${email}
			`;
			expect(user?.verifies, email).toBe(true);
		}
	});

	it('signs in the demo youth', async () => {
		const { user } = await signInWithPassword(db, {
			email: DEMO_ACCOUNTS.youth,
			password: DEMO_PASSWORD,
			address: 'migrations-test'
		});
		expect(user.email).toBe(DEMO_ACCOUNTS.youth);
	});

	it('gives the demo roles', async () => {
		const [staff] = await db.sql<{ role: string }[]>`
			select m.role from public.org_members m
			join auth.users u on u.id = m.user_id
			join public.organizations o on o.id = m.organization_id
			where u.email = ${DEMO_ACCOUNTS.staff} and o.name = ${TOWN_COMMITTEES.zhaobaoshan!}
		`;
		expect(staff?.role).toBe('admin');
		const [coordinator] = await db.sql`
			select 1 from public.coordinators c join auth.users u on u.id = c.user_id
			where u.email = ${DEMO_ACCOUNTS.coordinator}
		`;
		expect(coordinator).toBeDefined();
		const [youth] = await db.sql<{ count: number }[]>`
			select (
				(select count(*) from public.coordinators where user_id = u.id)
				+ (select count(*) from public.org_members where user_id = u.id)
			)::int as count
			from auth.users u where u.email = ${DEMO_ACCOUNTS.youth}
		`;
		expect(youth!.count).toBe(0);
	});

	it('keeps accepted counts true', async () => {
		const [row] = await db.sql<{ wrong: number }[]>`
			select count(*)::int as wrong from public.opportunities o
			where o.accepted_count <> (
				select count(*) from public.applications a
				where a.opportunity_id = o.id and a.status = 'accepted'
			)
		`;
		expect(row!.wrong).toBe(0);
	});

	async function demoCompliance(year: number): Promise<BranchCompliance[]> {
		const [coordinator] = await db.sql<{ id: string }[]>`
			select id from auth.users where email = ${DEMO_ACCOUNTS.coordinator}
		`;
		const branchIds = await db.sql<{ id: string }[]>`
			with recursive tree(id) as (
				select ${districtId}::uuid
				union
				select o.id from public.organizations o join tree t on o.parent_id = t.id
			)
			select id from tree
		`;
		const demoBranches = new Set(branchIds.map((row) => row.id));
		const rows = await complianceOverview(db, { id: coordinator!.id }, year);
		return rows.filter((row) => demoBranches.has(row.organizationId));
	}

	it('has branches at and below quota last year', async () => {
		const rows = await demoCompliance(yearOf(new Date()) - 1);
		expect(rows.length).toBeGreaterThanOrEqual(8);
		expect(rows.filter(hasMetQuota).length).toBeGreaterThan(0);
		expect(rows.filter((row) => !hasMetQuota(row)).length).toBeGreaterThan(0);
	});

	// The demo keeps only this year's events dated before now (plus the upcoming ones), so before
	// about September no branch has its full quota yet. Pace, the quota scaled by the share of the
	// year gone by, splits the branches on every date.
	it('has branches ahead and behind pace', async () => {
		const now = new Date();
		const share = shareOfYearElapsed(yearOf(now), now);
		const rows = await demoCompliance(yearOf(now));
		const isAhead = (row: BranchCompliance) =>
			row.publicCount >= row.publicMin * share && row.selfCount >= row.selfMin * share;
		expect(rows.length).toBeGreaterThanOrEqual(8);
		expect(rows.filter(isAhead).length).toBeGreaterThan(0);
		expect(rows.filter((row) => !isAhead(row)).length).toBeGreaterThan(0);
	});
});
