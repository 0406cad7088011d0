import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { complianceStatus } from '../../src/lib/compliance/status';
import { dashboardFiltersSchema, quotaSchema } from '../../src/lib/forms/compliance';
import { db as sharedDatabase } from '../../src/lib/server/db';
import type { Database } from '../../src/lib/server/db/client';
import {
	listQuotas,
	loadBranchDrillDown,
	loadDashboard,
	setQuota,
	type DashboardRow
} from '../../src/lib/server/quotas';
import { shareOfYearElapsed, ZONE } from '../../src/lib/time';
import { GET as getBranchCsv } from '../../src/routes/coordinator/branches/[orgId]/export.csv/+server';
import { GET as getBranchXlsx } from '../../src/routes/coordinator/branches/[orgId]/export.xlsx/+server';
import { GET as getDashboardCsv } from '../../src/routes/coordinator/export.csv/+server';
import { GET as getDashboardXlsx } from '../../src/routes/coordinator/export.xlsx/+server';
import { actions as quotaActions } from '../../src/routes/coordinator/quotas/+page.server';
import {
	addMember,
	createEvent,
	createOrganization,
	createPerson,
	makeCoordinator,
	rejectionCode,
	testDatabase
} from './fixtures';

// Years far from today and from the other test files, so no other rows land in them for these
// branches. PAST is before every test run, so its events are all held by now.
const YEAR = 2091;
const PAST = 2001;
const ORIGIN = 'http://127.0.0.1:5999';

/** The moment the 2091 figures are taken at: noon on 1 July in Shanghai. */
const AT = shanghai(YEAR, 7, 1, 12);

function shanghai(year: number, month: number, day: number, hour: number, minute = 0): Date {
	return DateTime.fromObject({ year, month, day, hour, minute }, { zone: ZONE }).toJSDate();
}

const HOUR = 3_600_000;

let db: Database;
const marker = randomUUID().slice(0, 6);
let coordinator: { id: string };
let youth: { id: string };
let staff: { id: string };

/** The branches this file made, by role in the tests. */
const branches = {
	town: '',
	village: '',
	school: '',
	formula: '',
	inactive: '',
	pending: '',
	social: ''
};
/** Event ids with a role in the boundary and state tests. */
const named = {
	lastHalfHour: '',
	firstHalfHourNext: '',
	firstHalfHour: '',
	endsAtCut: '',
	inProgress: '',
	cancelled: '',
	draft: ''
};

type RawEvent = {
	id: string;
	organizationId: string;
	status: string;
	orbit: 'public' | 'self';
	startsAt: Date;
	endsAt: Date;
};

type Figures = {
	publicHeld: number;
	publicPlanned: number;
	selfHeld: number;
	selfPlanned: number;
};

/** Reads every event of this file's branches straight from the tables, as the owner. */
async function rawEvents(): Promise<RawEvent[]> {
	const ids = Object.values(branches);
	return db.sql<RawEvent[]>`
		select o.id, o.organization_id as "organizationId", o.status, e.orbit,
			o.starts_at as "startsAt", o.ends_at as "endsAt"
		from public.opportunities o join public.events e on e.opportunity_id = o.id
		where o.organization_id = any(${ids}::uuid[])
	`;
}

/** The events a figure should count, chosen here without the database's compliance code. */
function countedByHand(
	raw: RawEvent[],
	organizationId: string,
	year: number,
	at: Date,
	orbit?: 'public' | 'self',
	state?: 'held' | 'planned'
): string[] {
	return raw
		.filter(
			(event) =>
				event.organizationId === organizationId &&
				event.status === 'published' &&
				DateTime.fromJSDate(event.startsAt, { zone: ZONE }).year === year &&
				(!orbit || event.orbit === orbit) &&
				(!state || event.endsAt.getTime() <= at.getTime() === (state === 'held'))
		)
		.map((event) => event.id)
		.sort();
}

function figuresByHand(raw: RawEvent[], organizationId: string, year: number, at: Date): Figures {
	const count = (orbit: 'public' | 'self', state: 'held' | 'planned') =>
		countedByHand(raw, organizationId, year, at, orbit, state).length;
	return {
		publicHeld: count('public', 'held'),
		publicPlanned: count('public', 'planned'),
		selfHeld: count('self', 'held'),
		selfPlanned: count('self', 'planned')
	};
}

function figuresOf(row: DashboardRow): Figures {
	return {
		publicHeld: row.publicHeld,
		publicPlanned: row.publicPlanned,
		selfHeld: row.selfHeld,
		selfPlanned: row.selfPlanned
	};
}

const FILTERS = dashboardFiltersSchema(YEAR);

function filters(params: Record<string, string> = {}) {
	return FILTERS.parse({ year: String(YEAR), ...params });
}

async function dashboardRows(year: number, at: Date, params: Record<string, string> = {}) {
	const dashboard = await loadDashboard(
		db,
		coordinator,
		filters({ year: String(year), ...params }),
		at
	);
	return dashboard.rows;
}

async function rowOf(organizationId: string, year = YEAR, at = AT) {
	const rows = await dashboardRows(year, at);
	return rows.find((row) => row.organizationId === organizationId);
}

beforeAll(async () => {
	db = testDatabase();
	// The route handlers use the process's pool, which reads DATABASE_URL on first use.
	process.env.DATABASE_URL = inject('databaseUrl');

	coordinator = { id: await createPerson(db, 'Coordinator') };
	await makeCoordinator(db, coordinator.id);
	youth = { id: await createPerson(db, 'Youth') };
	staff = { id: await createPerson(db, 'Staff') };

	branches.town = await createOrganization(db, {
		name: `招宝山街道团工委${marker}`,
		kind: 'town_committee',
		townCode: 'zhaobaoshan'
	});
	branches.village = await createOrganization(db, {
		name: `九龙湖镇秦山村团支部${marker}`,
		kind: 'village_branch',
		townCode: 'jiulonghu'
	});
	branches.school = await createOrganization(db, {
		name: `镇海中学团委${marker}`,
		kind: 'school_branch',
		townCode: 'xiepu'
	});
	branches.formula = await createOrganization(db, {
		name: `=HYPERLINK("x")团支部${marker}`,
		kind: 'community_branch'
	});
	branches.inactive = await createOrganization(db, { name: `停用团委${marker}` });
	branches.pending = await createOrganization(db, { name: `待审团委${marker}` });
	branches.social = await createOrganization(db, {
		name: `向日葵公益${marker}`,
		kind: 'social_organization'
	});
	await addMember(db, branches.town, staff.id, 'admin');

	const event = (
		organizationId: string,
		orbit: 'public' | 'self',
		startsAt: Date,
		options: { hours?: number; status?: 'draft' | 'published' | 'cancelled'; title?: string } = {}
	) =>
		createEvent(db, organizationId, {
			orbit,
			startsAt,
			endsAt: new Date(startsAt.getTime() + (options.hours ?? 2) * HOUR),
			status: options.status ?? 'published',
			title: options.title ?? `志愿服务活动${marker}`
		});

	// The town branch: every edge case. Held means ended by AT (noon, 1 July 2091, Shanghai).
	await event(branches.town, 'public', shanghai(YEAR, 3, 5, 9), { title: `学雷锋纪念日${marker}` });
	await event(branches.town, 'public', shanghai(YEAR, 5, 4, 9), { title: `五四青年节${marker}` });
	named.endsAtCut = await event(branches.town, 'public', shanghai(YEAR, 7, 1, 9), { hours: 3 });
	named.inProgress = await event(branches.town, 'public', shanghai(YEAR, 7, 1, 11), {
		hours: 1.1
	});
	named.cancelled = await event(branches.town, 'public', shanghai(YEAR, 6, 1, 9), {
		status: 'cancelled'
	});
	named.draft = await event(branches.town, 'self', shanghai(YEAR, 4, 1, 9), { status: 'draft' });
	// 31 December 23:30 in Shanghai is 15:30 UTC: it counts in that year.
	named.lastHalfHour = await event(branches.town, 'self', shanghai(YEAR, 12, 31, 23, 30));
	// 1 January 00:30 in Shanghai is still 31 December in UTC: it counts in the new year.
	named.firstHalfHourNext = await event(branches.town, 'self', shanghai(YEAR + 1, 1, 1, 0, 30));
	named.firstHalfHour = await event(branches.town, 'self', shanghai(YEAR, 1, 1, 0, 30));
	await event(branches.town, 'self', shanghai(YEAR - 1, 12, 31, 23, 30));
	for (const day of [10, 20]) {
		await event(branches.town, 'self', shanghai(YEAR, 2, day, 9));
	}
	for (const day of [1, 2, 3]) {
		await event(branches.town, 'self', shanghai(YEAR, 10, day, 9));
	}

	// The village branch: a few of each, and a past year that is over.
	await event(branches.village, 'self', shanghai(YEAR, 3, 12, 9));
	await event(branches.village, 'self', shanghai(YEAR, 4, 12, 9));
	await event(branches.village, 'public', shanghai(YEAR, 10, 1, 9));
	for (const month of [3, 5, 6, 9]) {
		await event(branches.village, 'self', shanghai(PAST, month, 1, 9), {
			title: `护河行动${marker}`
		});
	}
	await event(branches.village, 'public', shanghai(PAST, 5, 4, 9), {
		title: `五四青年节${marker}`
	});
	await event(branches.village, 'public', shanghai(PAST, 7, 1, 9), { status: 'cancelled' });

	// Events that must never count: not league branches, inactive, or not verified.
	for (const organizationId of [branches.inactive, branches.pending, branches.social]) {
		await event(organizationId, 'self', shanghai(YEAR, 3, 1, 9));
		await event(organizationId, 'public', shanghai(PAST, 3, 1, 9));
	}
	// Published events need a verified organization, so these two lose their standing after.
	await db.sql`update public.organizations set is_active = false where id = ${branches.inactive}`;
	await db.sql`update public.organizations set status = 'pending' where id = ${branches.pending}`;
});

afterAll(async () => {
	await db.end();
	await sharedDatabase().end();
});

describe('compliance figures', () => {
	it('equal a count from the raw events', async () => {
		const raw = await rawEvents();
		for (const year of [YEAR - 1, YEAR, YEAR + 1, PAST]) {
			const at = year === PAST ? new Date() : AT;
			const rows = await dashboardRows(year, at);
			for (const id of [branches.town, branches.village, branches.school, branches.formula]) {
				const row = rows.find((candidate) => candidate.organizationId === id);
				expect(row, `${year} ${id}`).toBeDefined();
				expect(figuresOf(row!), `${year} ${id}`).toEqual(figuresByHand(raw, id, year, at));
			}
		}
	});

	it('match the hand count of the town branch', async () => {
		// Guards the setup. Public: 3 held, one of them ending exactly at AT, and 1 in progress.
		// Self: 3 held (1 January 00:30 and two in February) and 4 planned (October, 31 December).
		const row = await rowOf(branches.town);
		expect(figuresOf(row!)).toEqual({
			publicHeld: 3,
			publicPlanned: 1,
			selfHeld: 3,
			selfPlanned: 4
		});
	});

	it('count 31 December 23:30 in that year', async () => {
		const thisYear = await loadBranchDrillDown(db, coordinator, branches.town, { year: YEAR }, AT);
		const ids = thisYear.events.map((event) => event.opportunityId);
		expect(ids).toContain(named.lastHalfHour);
		expect(ids).toContain(named.firstHalfHour);
		expect(ids).not.toContain(named.firstHalfHourNext);
	});

	it('count 1 January 00:30 in the new year', async () => {
		const next = await loadBranchDrillDown(db, coordinator, branches.town, { year: YEAR + 1 }, AT);
		const ids = next.events.map((event) => event.opportunityId);
		expect(ids).toEqual([named.firstHalfHourNext]);
		const before = await loadBranchDrillDown(
			db,
			coordinator,
			branches.town,
			{ year: YEAR - 1 },
			AT
		);
		expect(before.events).toHaveLength(1);
		expect(before.events[0]!.opportunityId).not.toBe(named.lastHalfHour);
	});

	it('leave out cancelled and draft events', async () => {
		for (const year of [YEAR, PAST]) {
			const all = await loadBranchDrillDown(db, coordinator, branches.town, { year }, AT);
			const ids = all.events.map((event) => event.opportunityId);
			expect(ids).not.toContain(named.cancelled);
			expect(ids).not.toContain(named.draft);
		}
		const village = await rowOf(branches.village, PAST, new Date());
		expect(village!.publicHeld).toBe(1);
	});

	it('split held and planned at the end time', async () => {
		const held = await loadBranchDrillDown(
			db,
			coordinator,
			branches.town,
			{ year: YEAR, orbit: 'public', state: 'held' },
			AT
		);
		const planned = await loadBranchDrillDown(
			db,
			coordinator,
			branches.town,
			{ year: YEAR, orbit: 'public', state: 'planned' },
			AT
		);
		expect(held.events.map((event) => event.opportunityId)).toContain(named.endsAtCut);
		expect(planned.events.map((event) => event.opportunityId)).toEqual([named.inProgress]);

		// A minute before the end, the same event is still planned.
		const earlier = new Date(AT.getTime() - 60_000);
		const row = await rowOf(branches.town, YEAR, earlier);
		expect(row!.publicHeld).toBe(2);
		expect(row!.publicPlanned).toBe(2);
	});

	it('list only active verified league branches', async () => {
		const ids = (await dashboardRows(YEAR, AT)).map((row) => row.organizationId);
		expect(ids).toContain(branches.school);
		expect(ids).not.toContain(branches.inactive);
		expect(ids).not.toContain(branches.pending);
		expect(ids).not.toContain(branches.social);
		const raw = await rawEvents();
		expect(raw.filter((event) => event.organizationId === branches.social).length).toBe(2);
	});

	it('rate each row from its figures', async () => {
		const rows = await dashboardRows(YEAR, AT);
		const share = shareOfYearElapsed(YEAR, AT);
		for (const row of rows) {
			const expected = complianceStatus(
				{ held: row.publicHeld, planned: row.publicPlanned, min: row.publicMin },
				{ held: row.selfHeld, planned: row.selfPlanned, min: row.selfMin },
				share
			);
			expect(row.status).toBe(expected);
		}
		// By hand: on 1 July about half the year is gone, so 2 public and 5 self events are
		// expected. The town branch has held 3 and 3, and has 4 self events planned.
		expect(rows.find((row) => row.organizationId === branches.town)!.status).toBe('at_risk');
		expect(rows.find((row) => row.organizationId === branches.school)!.status).toBe('behind');
	});

	it('rate a past year from the whole quota', async () => {
		const village = await rowOf(branches.village, PAST, new Date());
		// 4 self and 1 public event held against 12 and 4, nothing left to hold.
		expect(village!.status).toBe('behind');
	});

	it('filter by town, kind and status', async () => {
		const byTown = await dashboardRows(YEAR, AT, { town: 'jiulonghu' });
		expect(byTown.map((row) => row.organizationId)).toContain(branches.village);
		expect(byTown.every((row) => row.townCode === 'jiulonghu')).toBe(true);

		const byKind = await dashboardRows(YEAR, AT, { kind: 'school_branch' });
		expect(byKind.map((row) => row.organizationId)).toContain(branches.school);
		expect(byKind.every((row) => row.orgKind === 'school_branch')).toBe(true);

		const atRisk = await dashboardRows(YEAR, AT, { status: 'at_risk' });
		expect(atRisk.map((row) => row.organizationId)).toContain(branches.town);
		expect(atRisk.every((row) => row.status === 'at_risk')).toBe(true);
	});

	it('sort by counts with ties by name', async () => {
		const rows = await dashboardRows(YEAR, AT, { sort: 'self_planned', dir: 'desc' });
		const counts = rows.map((row) => row.selfPlanned);
		expect(counts).toEqual([...counts].sort((a, b) => b - a));
	});
});

describe('filters', () => {
	it('reject invalid values', () => {
		for (const params of [
			{ status: 'done' },
			{ sort: 'title' },
			{ dir: 'up' },
			{ year: '1999' },
			{ year: 'abc' },
			{ town: 'Robert; drop' }
		]) {
			expect(FILTERS.safeParse(params).success, JSON.stringify(params)).toBe(false);
		}
	});

	it('default the year, sort and direction', () => {
		expect(FILTERS.parse({})).toEqual({ year: YEAR, sort: 'name', dir: 'asc' });
		expect(FILTERS.parse({ town: '', kind: '', status: '' })).toEqual({
			year: YEAR,
			sort: 'name',
			dir: 'asc'
		});
	});
});

describe('drill-down', () => {
	it('lists exactly the counted events', async () => {
		const raw = await rawEvents();
		for (const [year, at] of [
			[YEAR, AT],
			[PAST, new Date()]
		] as const) {
			for (const organizationId of [branches.town, branches.village, branches.school]) {
				const row = await rowOf(organizationId, year, at);
				for (const orbit of ['public', 'self'] as const) {
					for (const state of ['held', 'planned'] as const) {
						const drillDown = await loadBranchDrillDown(
							db,
							coordinator,
							organizationId,
							{ year, orbit, state },
							at
						);
						const ids = drillDown.events.map((event) => event.opportunityId).sort();
						const label = `${year} ${organizationId} ${orbit} ${state}`;
						expect(ids, label).toEqual(countedByHand(raw, organizationId, year, at, orbit, state));
						const key = `${orbit}${state === 'held' ? 'Held' : 'Planned'}` as keyof Figures;
						expect(ids.length, label).toBe(row![key]);
					}
				}
			}
		}
	});

	it('sums the months to the figures', async () => {
		const drillDown = await loadBranchDrillDown(db, coordinator, branches.town, { year: YEAR }, AT);
		for (const orbit of ['public', 'self'] as const) {
			const months = drillDown.monthly.filter((count) => count.orbit === orbit);
			const held = months.reduce((sum, count) => sum + count.held, 0);
			const planned = months.reduce((sum, count) => sum + count.planned, 0);
			expect(held).toBe(
				orbit === 'public' ? drillDown.branch.publicHeld : drillDown.branch.selfHeld
			);
			expect(planned).toBe(
				orbit === 'public' ? drillDown.branch.publicPlanned : drillDown.branch.selfPlanned
			);
		}
		// 31 December 23:30 lands in December, 1 January 00:30 in January.
		const self = drillDown.monthly.filter((count) => count.orbit === 'self');
		expect(self.find((count) => count.month === 12)).toEqual({
			orbit: 'self',
			month: 12,
			held: 0,
			planned: 1
		});
		expect(self.find((count) => count.month === 1)!.held).toBe(1);
	});

	it('is not found for other organizations', async () => {
		for (const organizationId of [branches.social, branches.inactive, branches.pending]) {
			expect(
				await rejectionCode(
					loadBranchDrillDown(db, coordinator, organizationId, { year: YEAR }, AT)
				)
			).toBe('not_found');
		}
	});
});

describe('quotas', () => {
	const SET_YEAR = 2026;

	async function quotaRow(year: number, kind: string) {
		const [row] = await db.sql<{ publicMin: number; selfMin: number; updatedBy: string | null }[]>`
			select public_min as "publicMin", self_min as "selfMin", updated_by as "updatedBy"
			from public.quotas where year = ${year} and org_kind = ${kind}
		`;
		return row;
	}

	async function restore(year: number, kind: string, row: Awaited<ReturnType<typeof quotaRow>>) {
		if (row) {
			await db.sql`
				update public.quotas set public_min = ${row.publicMin}, self_min = ${row.selfMin}
				where year = ${year} and org_kind = ${kind}
			`;
		} else {
			await db.sql`delete from public.quotas where year = ${year} and org_kind = ${kind}`;
		}
	}

	it('changes only its own year and kind', async () => {
		const at = new Date();
		const saved = await quotaRow(SET_YEAR, 'village_branch');
		const before2025 = await dashboardRows(SET_YEAR - 1, at);
		const before2026 = await dashboardRows(SET_YEAR, at);
		try {
			const oldSelf = before2026.find((row) => row.organizationId === branches.village)!.selfMin;
			await setQuota(db, coordinator, {
				year: SET_YEAR,
				orgKind: 'village_branch',
				publicMin: before2026.find((row) => row.organizationId === branches.village)!.publicMin,
				selfMin: oldSelf + 8
			});

			expect(await dashboardRows(SET_YEAR - 1, at)).toEqual(before2025);
			const after2026 = await dashboardRows(SET_YEAR, at);
			expect(after2026.map((row) => row.organizationId)).toEqual(
				before2026.map((row) => row.organizationId)
			);
			for (const [index, after] of after2026.entries()) {
				const before = before2026[index]!;
				if (after.orgKind === 'village_branch') {
					expect(after.selfMin).toBe(before.selfMin + 8);
					expect(after.status).toBe(
						complianceStatus(
							{ held: after.publicHeld, planned: after.publicPlanned, min: after.publicMin },
							{ held: after.selfHeld, planned: after.selfPlanned, min: after.selfMin },
							shareOfYearElapsed(SET_YEAR, at)
						)
					);
					expect({ ...after, selfMin: before.selfMin, status: before.status }).toEqual(before);
				} else {
					expect(after).toEqual(before);
				}
			}
			expect((await quotaRow(SET_YEAR, 'village_branch'))!.updatedBy).toBe(coordinator.id);
		} finally {
			await restore(SET_YEAR, 'village_branch', saved);
		}
	});

	it('lists every league branch kind with defaults', async () => {
		const quotas = await listQuotas(db, coordinator, 2093);
		const kinds = quotas.map((quota) => quota.orgKind);
		expect(kinds).toContain('town_committee');
		expect(kinds).not.toContain('social_organization');
		const school = quotas.find((quota) => quota.orgKind === 'school_branch')!;
		expect(school).toMatchObject({ publicMin: 4, selfMin: 12, isSet: false });
	});

	it('shows a set quota on the dashboard', async () => {
		try {
			await setQuota(db, coordinator, {
				year: YEAR,
				orgKind: 'school_branch',
				publicMin: 0,
				selfMin: 0
			});
			const school = await rowOf(branches.school);
			expect(school).toMatchObject({ publicMin: 0, selfMin: 0, status: 'met' });
			const town = await rowOf(branches.town);
			expect(town).toMatchObject({ publicMin: 4, selfMin: 12 });
			const quotas = await listQuotas(db, coordinator, YEAR);
			expect(quotas.find((quota) => quota.orgKind === 'school_branch')!.isSet).toBe(true);
		} finally {
			await restore(YEAR, 'school_branch', undefined);
		}
	});

	it('rejects kinds that are not league branches', async () => {
		const input = { year: 2093, orgKind: 'social_organization', publicMin: 1, selfMin: 1 };
		expect(await rejectionCode(setQuota(db, coordinator, input))).toBe('invalid_input');
		expect(await quotaRow(2093, 'social_organization')).toBeUndefined();
	});

	it('rejects counts outside 0 to 365 in the database', async () => {
		for (const [publicMin, selfMin] of [
			[-1, 12],
			[4, 366]
		] as const) {
			const input = { year: 2093, orgKind: 'town_committee', publicMin, selfMin };
			expect(await rejectionCode(setQuota(db, coordinator, input))).toBe('invalid_input');
		}
		expect(await quotaRow(2093, 'town_committee')).toBeUndefined();
	});

	it('rejects everyone but coordinators', async () => {
		const input = { year: 2093, orgKind: 'town_committee', publicMin: 1, selfMin: 1 };
		for (const actor of [youth, staff]) {
			expect(await rejectionCode(setQuota(db, actor, input))).toBe('not_allowed');
			expect(await rejectionCode(listQuotas(db, actor, 2093))).toBe('not_allowed');
		}
		expect(await rejectionCode(setQuota(db, null, input))).toBe('not_signed_in');
		expect(await quotaRow(2093, 'town_committee')).toBeUndefined();
	});

	it('validates the form fields', () => {
		// Form values arrive as text and are checked digit by digit.
		const valid = { year: '2093', orgKind: 'town_committee', publicMin: '4', selfMin: '12' };
		expect(quotaSchema.safeParse(valid).success).toBe(true);
		expect(quotaSchema.safeParse({ ...valid, publicMin: '0', selfMin: '365' }).success).toBe(true);
		const cases = [
			[{ publicMin: '-1' }, 'publicMin', 'invalid_number'],
			[{ selfMin: '366' }, 'selfMin', 'quota_range'],
			[{ selfMin: '2.5' }, 'selfMin', 'invalid_number'],
			[{ selfMin: '12abc' }, 'selfMin', 'invalid_number'],
			[{ year: '1999' }, 'year', 'year_range']
		] as const;
		for (const [change, field, code] of cases) {
			const parsed = quotaSchema.safeParse({ ...valid, ...change });
			expect(parsed.success).toBe(false);
			const issue = parsed.error!.issues.find((candidate) => candidate.path[0] === field);
			expect(issue?.message, JSON.stringify(change)).toBe(code);
		}
	});
});

/** Builds a request event with the fields the handlers read. */
function requestEvent<T>(
	path: string,
	actor: { id: string } | null,
	isCoordinator: boolean,
	params: Record<string, string> = {},
	request?: Request
) {
	return {
		params,
		request,
		url: new URL(path, ORIGIN),
		locals: {
			requestId: 'test',
			user: null,
			actor,
			roles: { isCoordinator, memberships: [] }
		}
	} as unknown as T;
}

async function httpStatusOf(work: () => unknown): Promise<number> {
	try {
		const response = await work();
		return (response as Response).status;
	} catch (caught) {
		return (caught as { status: number }).status;
	}
}

describe('quota form', () => {
	const save = quotaActions.save!;
	type SaveEvent = Parameters<typeof save>[0];

	function post(fields: Record<string, string>) {
		const body = new FormData();
		for (const [key, value] of Object.entries(fields)) body.set(key, value);
		return new Request(`${ORIGIN}/coordinator/quotas?/save`, { method: 'POST', body });
	}

	it('shows field messages and changes nothing', async () => {
		const event = requestEvent<SaveEvent>(
			'/coordinator/quotas',
			coordinator,
			true,
			{},
			post({ year: '2093', orgKind: 'town_committee', publicMin: '400', selfMin: '-3' })
		);
		const result = (await save(event)) as {
			status: number;
			data: { errors: Record<string, string | undefined> };
		};
		expect(result.status).toBe(400);
		expect(result.data.errors.publicMin).toBe('quota_range');
		expect(result.data.errors.selfMin).toBe('invalid_number');
		const [row] = await db.sql`select 1 from public.quotas where year = 2093`;
		expect(row).toBeUndefined();
	});

	it('is forbidden to others', async () => {
		const event = requestEvent<SaveEvent>(
			'/coordinator/quotas',
			youth,
			false,
			{},
			post({ year: '2093', orgKind: 'town_committee', publicMin: '1', selfMin: '1' })
		);
		expect(await httpStatusOf(() => save(event))).toBe(403);
	});
});

/** Splits RFC 4180 CSV text into rows of cells. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		if (quoted) {
			if (char === '"' && text[index + 1] === '"') {
				cell += '"';
				index++;
			} else if (char === '"') {
				quoted = false;
			} else {
				cell += char;
			}
		} else if (char === '"') {
			quoted = true;
		} else if (char === ',') {
			row.push(cell);
			cell = '';
		} else if (char === '\r' && text[index + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			index++;
		} else {
			cell += char;
		}
	}
	return rows;
}

async function xlsxRows(response: Response): Promise<(string | number)[][]> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(await response.arrayBuffer());
	const sheet = workbook.worksheets[0]!;
	const rows: (string | number)[][] = [];
	sheet.eachRow((row) => {
		const values = (row.values as (string | number | undefined)[]).slice(1);
		rows.push(values.map((value) => value ?? ''));
	});
	return rows;
}

describe('exports', () => {
	type Handler = (event: never) => unknown;

	async function download(handler: Handler, path: string, params: Record<string, string> = {}) {
		const response = (await handler(
			requestEvent<never>(path, coordinator, true, params)
		)) as Response;
		expect(response.status).toBe(200);
		return response;
	}

	/** Reduces each exported row to its name and six numbers, in the page's column order. */
	function exportedFigures(rows: (string | number)[][]): (string | number)[][] {
		return rows
			.slice(1)
			.map((row) => [String(row[0]), ...row.slice(3, 9).map((value) => Number(value))]);
	}

	/** The dashboard's rows, in its order, as the exports should carry them. */
	async function dashboardFigures(year: number): Promise<(string | number)[][]> {
		const rows = await dashboardRows(year, new Date());
		return rows.map((row) => [
			row.organizationName,
			row.publicHeld,
			row.publicPlanned,
			row.publicMin,
			row.selfHeld,
			row.selfPlanned,
			row.selfMin
		]);
	}

	it('writes CSV with a BOM and the dashboard numbers', async () => {
		for (const year of [PAST, YEAR]) {
			const response = await download(getDashboardCsv, `/coordinator/export.csv?year=${year}`);
			expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
			const bytes = new Uint8Array(await response.arrayBuffer());
			expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
			const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
			expect(text.charCodeAt(0)).toBe(0xfeff);
			// The CSV writer puts an apostrophe before text that a spreadsheet would run as a formula.
			const rows = parseCsv(text.slice(1)).map(([name, ...rest]) => [
				name!.replace(/^'(?=[=+\-@])/, ''),
				...rest
			]);
			const exported = exportedFigures(rows);
			expect(exported).toEqual(await dashboardFigures(year));
			const village = exported.find((row) => row[0] === `九龙湖镇秦山村团支部${marker}`)!;
			const expected = figuresByHand(await rawEvents(), branches.village, year, new Date());
			expect(village[1]).toBe(expected.publicHeld);
			expect(village[4]).toBe(expected.selfHeld);
		}
	});

	it('keeps Chinese text in CSV', async () => {
		const response = await download(getDashboardCsv, `/coordinator/export.csv?year=${YEAR}`);
		const text = await response.text();
		expect(text).toContain(`九龙湖镇秦山村团支部${marker}`);
		expect(text).toContain('公转已举办');
		expect(text).toContain('镇/街道团委');
		expect(text).toContain('九龙湖镇');
	});

	it('neutralizes formulas in CSV', async () => {
		const response = await download(getDashboardCsv, `/coordinator/export.csv?year=${YEAR}`);
		const rows = parseCsv((await response.text()).replace(/^\uFEFF/, ''));
		const names = rows.map((row) => row[0]);
		expect(names).toContain(`'=HYPERLINK("x")团支部${marker}`);
		expect(names).not.toContain(`=HYPERLINK("x")团支部${marker}`);
	});

	it('writes XLSX with the dashboard numbers', async () => {
		for (const year of [PAST, YEAR]) {
			const response = await download(getDashboardXlsx, `/coordinator/export.xlsx?year=${year}`);
			const rows = await xlsxRows(response);
			expect(rows[0]![0]).toBe('团组织');
			expect(exportedFigures(rows)).toEqual(await dashboardFigures(year));
			const village = rows.find((row) => row[0] === `九龙湖镇秦山村团支部${marker}`)!;
			expect(typeof village[3]).toBe('number');
			expect(village[2]).toBe('九龙湖镇');
		}
	});

	it('applies the page filters', async () => {
		const response = await download(
			getDashboardCsv,
			`/coordinator/export.csv?year=${YEAR}&kind=village_branch&sort=self_held&dir=desc`
		);
		const rows = parseCsv((await response.text()).replace(/^\uFEFF/, '')).slice(1);
		const page = await dashboardRows(YEAR, new Date(), {
			kind: 'village_branch',
			sort: 'self_held',
			dir: 'desc'
		});
		expect(rows.map((row) => row[0])).toEqual(page.map((row) => row.organizationName));
		expect(rows.every((row) => row[1] === '村团支部')).toBe(true);
	});

	it('exports the drill-down lists', async () => {
		const raw = await rawEvents();
		const path = `/coordinator/branches/${branches.village}/export.csv?year=${PAST}&orbit=self&state=held`;
		const csv = await download(getBranchCsv, path, { orgId: branches.village });
		const csvRows = parseCsv((await csv.text()).replace(/^\uFEFF/, ''));
		const expected = countedByHand(raw, branches.village, PAST, new Date(), 'self', 'held');
		expect(csvRows.length - 1).toBe(expected.length);
		expect(csvRows.slice(1).every((row) => row[0] === `护河行动${marker}`)).toBe(true);
		expect(csvRows.slice(1).every((row) => row[4] === '已举办')).toBe(true);
		expect(csvRows[1]![1]).toBe('2001-03-01 09:00');

		const xlsx = await download(getBranchXlsx, path.replace('export.csv', 'export.xlsx'), {
			orgId: branches.village
		});
		const xlsxData = await xlsxRows(xlsx);
		expect(xlsxData.slice(1)).toEqual(csvRows.slice(1));
	});

	it('rejects invalid filters with 400', async () => {
		for (const query of ['status=done', 'town=nowhere', 'kind=social_organization', 'year=3000']) {
			const event = requestEvent<never>(`/coordinator/export.csv?${query}`, coordinator, true);
			expect(await httpStatusOf(() => getDashboardCsv(event)), query).toBe(400);
		}
		const event = requestEvent<never>(
			`/coordinator/branches/${branches.town}/export.csv?orbit=sideways`,
			coordinator,
			true,
			{ orgId: branches.town }
		);
		expect(await httpStatusOf(() => getBranchCsv(event))).toBe(400);
	});

	it('is forbidden to everyone but coordinators', async () => {
		const handlers: [Handler, Record<string, string>][] = [
			[getDashboardCsv, {}],
			[getDashboardXlsx, {}],
			[getBranchCsv, { orgId: branches.town }],
			[getBranchXlsx, { orgId: branches.town }]
		];
		for (const [handler, params] of handlers) {
			for (const actor of [youth, staff]) {
				const event = requestEvent<never>(
					`/coordinator/export.csv?year=${YEAR}`,
					actor,
					false,
					params
				);
				expect(await httpStatusOf(() => handler(event))).toBe(403);
			}
			const visitor = requestEvent<never>(
				`/coordinator/export.csv?year=${YEAR}`,
				null,
				false,
				params
			);
			expect(await httpStatusOf(() => handler(visitor))).toBe(401);
		}
	});
});

describe('access', () => {
	it('rejects everyone but coordinators in the domain', async () => {
		for (const actor of [youth, staff]) {
			expect(await rejectionCode(loadDashboard(db, actor, filters(), AT))).toBe('not_allowed');
			expect(
				await rejectionCode(loadBranchDrillDown(db, actor, branches.town, { year: YEAR }, AT))
			).toBe('not_allowed');
		}
		expect(await rejectionCode(loadDashboard(db, null, filters(), AT))).toBe('not_signed_in');
	});

	it('rejects everyone but coordinators in the database', async () => {
		const queries = [
			(tx: Parameters<Parameters<Database['as']>[1]>[0]) =>
				tx`select * from public.compliance_events(${YEAR})`,
			(tx: Parameters<Parameters<Database['as']>[1]>[0]) =>
				tx`select * from public.compliance_figures(${YEAR})`,
			(tx: Parameters<Parameters<Database['as']>[1]>[0]) =>
				tx`select * from public.quota_settings(${YEAR})`
		];
		for (const query of queries) {
			for (const actor of [youth, staff, null]) {
				expect(await rejectionCode(db.as(actor, query))).toBe('not_allowed');
			}
			const rows = await db.as(coordinator, query);
			expect(rows.length).toBeGreaterThan(0);
		}
	});

	it('lets staff see no other branch figures through the events table', async () => {
		// Staff can read published events, but the figures need the coordinator's functions.
		const direct = db.as(staff, (tx) => tx`select * from public.compliance_overview(${YEAR})`);
		expect(await rejectionCode(direct)).toBe('not_allowed');
	});
});
