import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventInput } from '../../src/lib/forms/event';
import type { Database } from '../../src/lib/server/db/client';
import { browseOpportunities, type BrowseFilters } from '../../src/lib/server/events/browse';
import {
	createEvent as createEventAsStaff,
	setEventStatus,
	updateEvent
} from '../../src/lib/server/events/manage';
import { getOpportunity, listOrganizationEvents } from '../../src/lib/server/events/read';
import { complianceOverview } from '../../src/lib/server/quotas';
import { toLocalInput } from '../../src/lib/time';
import {
	addMember,
	createEvent,
	createOrganization,
	createPerson,
	makeCoordinator,
	rejectionCode,
	testDatabase
} from './fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let db: Database;

beforeAll(() => {
	db = testDatabase();
});

afterAll(async () => {
	await db.end();
});

function eventInput(overrides: Partial<EventInput> = {}): EventInput {
	const startsAt = new Date(Date.now() + 5 * DAY);
	return {
		title: '社区垃圾分类宣传',
		description: '周末上午在社区广场宣传垃圾分类。',
		theme: '环境保护',
		orbit: 'self',
		townCode: 'zhaobaoshan',
		place: '社区广场',
		startsAt: toLocalInput(startsAt),
		endsAt: toLocalInput(new Date(startsAt.getTime() + 2 * HOUR)),
		applyOpensAt: toLocalInput(new Date(Date.now() - HOUR)),
		applyClosesAt: toLocalInput(new Date(startsAt.getTime() - HOUR)),
		capacity: '20',
		...overrides
	};
}

type EventRow = {
	status: string;
	title: string;
	capacity: number;
	orbit: string;
	theme: string;
	publishedAt: Date | null;
	cancelledAt: Date | null;
};

async function eventRow(id: string): Promise<EventRow> {
	const [row] = await db.sql<EventRow[]>`
		select o.status, o.title, o.capacity, e.orbit, e.theme, o.published_at as "publishedAt",
			o.cancelled_at as "cancelledAt"
		from public.opportunities o join public.events e on e.opportunity_id = o.id
		where o.id = ${id}
	`;
	return row!;
}

describe('event lifecycle', () => {
	let organizationId: string;
	let staff: { id: string };

	beforeAll(async () => {
		organizationId = await createOrganization(db);
		staff = { id: await createPerson(db, 'Staff') };
		await addMember(db, organizationId, staff.id);
	});

	it('creates a draft', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		const row = await eventRow(id);
		expect(row.status).toBe('draft');
		expect(row.title).toBe('社区垃圾分类宣传');
		expect(row.orbit).toBe('self');
		expect(row.publishedAt).toBeNull();
	});

	it('rejects capacity below accepted', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		await setEventStatus(db, staff, id, 'published');
		for (let index = 0; index < 3; index++) {
			const person = await createPerson(db);
			await db.sql`
				insert into public.applications (opportunity_id, applicant_id, status)
				values (${id}, ${person}, 'accepted')
			`;
		}
		const lower = updateEvent(db, staff, id, eventInput({ capacity: '2' }));
		expect(await rejectionCode(lower)).toBe('capacity_below_accepted');
		expect((await eventRow(id)).capacity).toBe(20);
	});

	it('updates a draft', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		await updateEvent(
			db,
			staff,
			id,
			eventInput({
				title: '社区垃圾分类入户宣传',
				orbit: 'public',
				theme: '文明创建',
				capacity: '35'
			})
		);
		const row = await eventRow(id);
		expect(row.title).toBe('社区垃圾分类入户宣传');
		expect(row.orbit).toBe('public');
		expect(row.theme).toBe('文明创建');
		expect(row.capacity).toBe(35);
		expect(row.status).toBe('draft');
	});

	it('publishes for a verified organization', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		await setEventStatus(db, staff, id, 'published');
		const row = await eventRow(id);
		expect(row.status).toBe('published');
		expect(row.publishedAt).toBeInstanceOf(Date);
	});

	it('cancels a published event', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		await setEventStatus(db, staff, id, 'published');
		await setEventStatus(db, staff, id, 'cancelled');
		const row = await eventRow(id);
		expect(row.status).toBe('cancelled');
		expect(row.cancelledAt).toBeInstanceOf(Date);
	});

	it('cancels a draft', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		await setEventStatus(db, staff, id, 'cancelled');
		expect((await eventRow(id)).status).toBe('cancelled');
	});

	it('rejects published back to draft', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		await setEventStatus(db, staff, id, 'published');
		const toDraft = db.as(
			staff,
			(tx) => tx`update public.opportunities set status = 'draft' where id = ${id}`
		);
		expect(await rejectionCode(toDraft)).toBe('invalid_status_change');
		expect((await eventRow(id)).status).toBe('published');
	});

	it('rejects publishing a cancelled event', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		await setEventStatus(db, staff, id, 'cancelled');
		expect(await rejectionCode(setEventStatus(db, staff, id, 'published'))).toBe(
			'invalid_status_change'
		);
		expect((await eventRow(id)).status).toBe('cancelled');
	});

	it('rejects editing a cancelled event', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		await setEventStatus(db, staff, id, 'cancelled');
		const edit = updateEvent(db, staff, id, eventInput({ title: '改过的标题' }));
		expect(await rejectionCode(edit)).toBe('opportunity_cancelled');
		expect((await eventRow(id)).title).toBe('社区垃圾分类宣传');
	});

	it('rejects an orbit change once cancelled', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput({ orbit: 'self' }));
		await setEventStatus(db, staff, id, 'cancelled');
		const edit = db.as(
			staff,
			(tx) =>
				tx`update public.events set orbit = 'public', theme = '改过' where opportunity_id = ${id}`
		);
		expect(await rejectionCode(edit)).toBe('opportunity_cancelled');
		const row = await eventRow(id);
		expect(row.orbit).toBe('self');
		expect(row.theme).toBe('环境保护');
	});

	it('keeps an event on its opportunity', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		const [bare] = await db.sql<{ id: string }[]>`
			insert into public.opportunities (organization_id, kind, title, starts_at, ends_at,
				apply_opens_at, apply_closes_at, capacity)
			values (${organizationId}, 'event', 'Opportunity without event row',
				now() + interval '2 days', now() + interval '3 days', now(), now() + interval '1 day', 5)
			returning id
		`;
		const move = db.as(
			staff,
			(tx) => tx`
				update public.events set opportunity_id = ${bare!.id} where opportunity_id = ${id}
			`
		);
		expect(await rejectionCode(move)).toBe('not_allowed');
		const [row] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from public.events where opportunity_id = ${id}
		`;
		expect(row!.count).toBe(1);
	});

	it('rejects an edit that breaks the times', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		const input = eventInput();
		const edit = updateEvent(db, staff, id, { ...input, endsAt: input.startsAt });
		expect(await rejectionCode(edit)).toBe('invalid_input');
		expect((await eventRow(id)).title).toBe('社区垃圾分类宣传');
	});

	it('rejects a non-member', async () => {
		const youth = { id: await createPerson(db) };
		const create = createEventAsStaff(db, youth, organizationId, eventInput());
		expect(await rejectionCode(create)).toBe('not_allowed');
	});

	it('rejects a visitor', async () => {
		const create = createEventAsStaff(db, null, organizationId, eventInput());
		expect(await rejectionCode(create)).toBe('not_signed_in');
	});

	it('hides a draft from youth', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		const youth = { id: await createPerson(db) };
		expect(await rejectionCode(getOpportunity(db, youth, id))).toBe('not_found');
		expect((await getOpportunity(db, staff, id)).isStaff).toBe(true);
	});

	it('lists organization events for staff only', async () => {
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		const listed = await listOrganizationEvents(db, staff, organizationId);
		expect(listed.map((row) => row.id)).toContain(id);
		const youth = { id: await createPerson(db) };
		expect(await listOrganizationEvents(db, youth, organizationId)).toEqual([]);
	});
});

describe('pending organization', () => {
	it('creates a draft but cannot publish', async () => {
		const organizationId = await createOrganization(db, { status: 'pending' });
		const staff = { id: await createPerson(db) };
		await addMember(db, organizationId, staff.id, 'admin');
		const id = await createEventAsStaff(db, staff, organizationId, eventInput());
		expect((await eventRow(id)).status).toBe('draft');
		expect(await rejectionCode(setEventStatus(db, staff, id, 'published'))).toBe(
			'organization_not_verified'
		);
		const row = await eventRow(id);
		expect(row.status).toBe('draft');
		expect(row.publishedAt).toBeNull();
	});
});

describe('browseOpportunities', () => {
	let organizationId: string;

	beforeAll(async () => {
		organizationId = await createOrganization(db);
	});

	/** Makes a Latin word that no other test uses. Events carry it, so a search matches only this test's rows. */
	function newMarker(): string {
		return `mk${randomUUID().replaceAll('-', '').slice(0, 12)}`;
	}

	async function browse(filters: Partial<BrowseFilters>): Promise<string[]> {
		const { cards } = await browseOpportunities(db, null, {
			query: '',
			orbit: '',
			townCode: '',
			from: null,
			to: null,
			page: 1,
			...filters
		});
		return cards.map((card) => card.id);
	}

	it('returns published events only', async () => {
		const marker = newMarker();
		const published = await createEvent(db, organizationId, { description: marker });
		await createEvent(db, organizationId, { description: marker, status: 'draft' });
		await createEvent(db, organizationId, { description: marker, status: 'cancelled' });
		expect(await browse({ query: marker })).toEqual([published]);
	});

	it('returns the same to youth', async () => {
		const marker = newMarker();
		const published = await createEvent(db, organizationId, { description: marker });
		await createEvent(db, organizationId, { description: marker, status: 'draft' });
		const youth = { id: await createPerson(db) };
		const { cards } = await browseOpportunities(db, youth, {
			query: marker,
			orbit: '',
			townCode: '',
			from: null,
			to: null,
			page: 1
		});
		expect(cards.map((card) => card.id)).toEqual([published]);
	});

	it('hides ended events', async () => {
		const marker = newMarker();
		await createEvent(db, organizationId, {
			description: marker,
			startsAt: new Date(Date.now() - 3 * HOUR),
			endsAt: new Date(Date.now() - HOUR),
			applyOpensAt: new Date(Date.now() - 3 * DAY),
			applyClosesAt: new Date(Date.now() - 4 * HOUR)
		});
		expect(await browse({ query: marker })).toEqual([]);
	});

	it('filters by orbit', async () => {
		const marker = newMarker();
		const publicEvent = await createEvent(db, organizationId, {
			description: marker,
			orbit: 'public'
		});
		const selfEvent = await createEvent(db, organizationId, { description: marker, orbit: 'self' });
		expect(await browse({ query: marker, orbit: 'public' })).toEqual([publicEvent]);
		expect(await browse({ query: marker, orbit: 'self' })).toEqual([selfEvent]);
	});

	it('filters by town', async () => {
		const marker = newMarker();
		const zhaobaoshan = await createEvent(db, organizationId, {
			description: marker,
			townCode: 'zhaobaoshan'
		});
		const jiaochuan = await createEvent(db, organizationId, {
			description: marker,
			townCode: 'jiaochuan'
		});
		expect(await browse({ query: marker, townCode: 'zhaobaoshan' })).toEqual([zhaobaoshan]);
		expect(await browse({ query: marker, townCode: 'jiaochuan' })).toEqual([jiaochuan]);
		expect(await browse({ query: marker, townCode: 'xiepu' })).toEqual([]);
	});

	it('filters by date range', async () => {
		const marker = newMarker();
		const at = (days: number) => new Date(Date.now() + days * DAY);
		const early = await createEvent(db, organizationId, { description: marker, startsAt: at(10) });
		const middle = await createEvent(db, organizationId, { description: marker, startsAt: at(20) });
		const late = await createEvent(db, organizationId, { description: marker, startsAt: at(30) });
		expect(await browse({ query: marker })).toEqual([early, middle, late]);
		expect(await browse({ query: marker, from: at(15), to: at(25) })).toEqual([middle]);
		expect(await browse({ query: marker, from: at(15) })).toEqual([middle, late]);
		expect(await browse({ query: marker, to: at(25) })).toEqual([early, middle]);
	});

	it('finds Chinese words inside longer text', async () => {
		const marker = newMarker();
		const event = await createEvent(db, organizationId, {
			title: '学雷锋纪念日志愿服务活动在招宝山街道举行',
			description: marker
		});
		expect(await browse({ query: `雷锋 ${marker}` })).toEqual([event]);
		expect(await browse({ query: `志愿 ${marker}` })).toEqual([event]);
		expect(await browse({ query: `招宝山 ${marker}` })).toEqual([event]);
		expect(await browse({ query: `五四 ${marker}` })).toEqual([]);
	});

	it('searches description and place', async () => {
		const marker = newMarker();
		const event = await createEvent(db, organizationId, {
			title: marker,
			description: '为独居老人上门服务',
			place: '郑氏十七房'
		});
		expect(await browse({ query: `独居老人 ${marker}` })).toEqual([event]);
		expect(await browse({ query: `十七房 ${marker}` })).toEqual([event]);
	});

	it('rejects pieces of a word apart', async () => {
		const marker = newMarker();
		await createEvent(db, organizationId, { title: '招宝路宝山', description: marker });
		expect(await browse({ query: `招宝山 ${marker}` })).toEqual([]);
	});

	it('matches every word', async () => {
		const marker = newMarker();
		const both = await createEvent(db, organizationId, {
			title: '防溺水安全宣讲',
			description: `${marker} 九龙湖`
		});
		await createEvent(db, organizationId, { title: '防溺水安全宣讲', description: marker });
		expect(await browse({ query: `防溺水 九龙湖 ${marker}` })).toEqual([both]);
	});

	it('matches % literally', async () => {
		const marker = newMarker();
		const percent = await createEvent(db, organizationId, {
			title: '垃圾分类达标率100%',
			description: marker
		});
		await createEvent(db, organizationId, { title: '垃圾分类达标率100', description: marker });
		expect(await browse({ query: `% ${marker}` })).toEqual([percent]);
		expect(await browse({ query: `100% ${marker}` })).toEqual([percent]);
	});

	it('matches _ literally', async () => {
		const marker = newMarker();
		const underscore = await createEvent(db, organizationId, {
			title: '代码 a_b 工作坊',
			description: marker
		});
		await createEvent(db, organizationId, { title: '代码 axb 工作坊', description: marker });
		expect(await browse({ query: `a_b ${marker}` })).toEqual([underscore]);
	});

	it('matches Latin words in any case', async () => {
		const marker = newMarker();
		const event = await createEvent(db, organizationId, {
			title: 'Beach Cleanup Day',
			description: marker
		});
		expect(await browse({ query: `cLeAnUp ${marker.toUpperCase()}` })).toEqual([event]);
		expect(await browse({ query: `cleanups ${marker}` })).toEqual([]);
	});

	it('pages by twenty', async () => {
		const marker = newMarker();
		const ids: string[] = [];
		for (let index = 0; index < 21; index++) {
			ids.push(
				await createEvent(db, organizationId, {
					description: marker,
					startsAt: new Date(Date.now() + (10 + index) * DAY)
				})
			);
		}
		const first = await browseOpportunities(db, null, {
			query: marker,
			orbit: '',
			townCode: '',
			from: null,
			to: null,
			page: 1
		});
		expect(first.cards.map((card) => card.id)).toEqual(ids.slice(0, 20));
		expect(first.hasMore).toBe(true);
		const second = await browseOpportunities(db, null, {
			query: marker,
			orbit: '',
			townCode: '',
			from: null,
			to: null,
			page: 2
		});
		expect(second.cards.map((card) => card.id)).toEqual(ids.slice(20));
		expect(second.hasMore).toBe(false);
	});
});

describe('compliance counts', () => {
	// Years far from today, so that no other test or the demo has events in them.
	const YEAR = 2090;
	const ZONE = 'Asia/Shanghai';

	type Spec = {
		orbit: 'public' | 'self';
		status: 'draft' | 'published' | 'cancelled';
		startsAt: Date;
	};

	const shanghai = (year: number, month: number, day: number, hour: number, minute = 0) =>
		DateTime.fromObject({ year, month, day, hour, minute }, { zone: ZONE }).toJSDate();

	const specs: Spec[] = [
		// 31 December 23:30 in Shanghai is 15:30 UTC the same day: counts in YEAR.
		{ orbit: 'public', status: 'published', startsAt: shanghai(YEAR, 12, 31, 23, 30) },
		// 1 January 00:30 in Shanghai is still 31 December in UTC: counts in the next year.
		{ orbit: 'public', status: 'published', startsAt: shanghai(YEAR + 1, 1, 1, 0, 30) },
		// 1 January 00:10 in Shanghai is 31 December of the year before in UTC: counts in YEAR.
		{ orbit: 'self', status: 'published', startsAt: shanghai(YEAR, 1, 1, 0, 10) },
		{ orbit: 'self', status: 'published', startsAt: shanghai(YEAR, 6, 1, 9) },
		{ orbit: 'self', status: 'published', startsAt: shanghai(YEAR, 9, 15, 14) },
		{ orbit: 'public', status: 'cancelled', startsAt: shanghai(YEAR, 3, 5, 9) },
		{ orbit: 'self', status: 'draft', startsAt: shanghai(YEAR, 8, 1, 9) },
		{ orbit: 'self', status: 'published', startsAt: shanghai(YEAR + 1, 3, 5, 9) },
		{ orbit: 'self', status: 'published', startsAt: shanghai(YEAR + 1, 12, 31, 15, 59) }
	];

	/** Counts the specs by hand: published only, year read in Shanghai wall time. */
	function expectedCount(year: number, orbit: 'public' | 'self'): number {
		return specs.filter(
			(spec) =>
				spec.status === 'published' &&
				spec.orbit === orbit &&
				DateTime.fromJSDate(spec.startsAt, { zone: ZONE }).year === year
		).length;
	}

	let coordinator: { id: string };
	let branch: string;

	beforeAll(async () => {
		coordinator = { id: await createPerson(db, 'Coordinator') };
		await makeCoordinator(db, coordinator.id);
		branch = await createOrganization(db, { kind: 'school_branch' });
		for (const spec of specs) {
			await createEvent(db, branch, spec);
		}
	});

	async function branchRow(year: number, organizationId = branch) {
		const rows = await complianceOverview(db, coordinator, year);
		return rows.find((row) => row.organizationId === organizationId);
	}

	it('counts by Shanghai year', async () => {
		const row = await branchRow(YEAR);
		expect(row!.publicCount).toBe(expectedCount(YEAR, 'public'));
		expect(row!.selfCount).toBe(expectedCount(YEAR, 'self'));
	});

	it('counts the next year apart', async () => {
		const row = await branchRow(YEAR + 1);
		expect(row!.publicCount).toBe(expectedCount(YEAR + 1, 'public'));
		expect(row!.selfCount).toBe(expectedCount(YEAR + 1, 'self'));
	});

	it('agrees with the hand count', () => {
		// Guards the table above: the edge cases must land in the years the comments state.
		expect(expectedCount(YEAR, 'public')).toBe(1);
		expect(expectedCount(YEAR, 'self')).toBe(3);
		expect(expectedCount(YEAR + 1, 'public')).toBe(1);
		expect(expectedCount(YEAR + 1, 'self')).toBe(2);
	});

	it('lists a branch without events', async () => {
		const empty = await createOrganization(db, { kind: 'school_branch' });
		const row = await branchRow(YEAR, empty);
		expect(row!.publicCount).toBe(0);
		expect(row!.selfCount).toBe(0);
	});

	it('defaults the quota to 4 and 12', async () => {
		const row = await branchRow(YEAR);
		expect(row!.publicMin).toBe(4);
		expect(row!.selfMin).toBe(12);
	});

	it('uses a quota row for the year', async () => {
		await db.as(
			coordinator,
			(tx) => tx`
				insert into public.quotas (year, org_kind, public_min, self_min, updated_by)
				values (${YEAR + 1}, 'school_branch', 2, 5, ${coordinator.id})
			`
		);
		const next = await branchRow(YEAR + 1);
		expect(next!.publicMin).toBe(2);
		expect(next!.selfMin).toBe(5);
		const thisYear = await branchRow(YEAR);
		expect(thisYear!.publicMin).toBe(4);
		expect(thisYear!.selfMin).toBe(12);
	});

	it('rejects quota changes by staff', async () => {
		const staff = { id: await createPerson(db) };
		await addMember(db, branch, staff.id, 'admin');
		const insert = db.as(
			staff,
			(tx) => tx`
				insert into public.quotas (year, org_kind, public_min, self_min)
				values (${YEAR + 2}, 'school_branch', 0, 0)
			`
		);
		expect(await rejectionCode(insert)).toBe('not_allowed');
		const [row] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from public.quotas where year = ${YEAR + 2}
		`;
		expect(row!.count).toBe(0);
	});

	it('leaves out pending branches', async () => {
		const pending = await createOrganization(db, { kind: 'school_branch', status: 'pending' });
		expect(await branchRow(YEAR, pending)).toBeUndefined();
	});

	it('leaves out non-league organizations', async () => {
		const social = await createOrganization(db, { kind: 'social_organization' });
		await createEvent(db, social, { startsAt: shanghai(YEAR, 4, 1, 9), orbit: 'self' });
		expect(await branchRow(YEAR, social)).toBeUndefined();
	});
});
