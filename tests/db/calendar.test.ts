import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { applyToOpportunity, withdrawApplication } from '../../src/lib/server/applications';
import { hashToken } from '../../src/lib/server/auth/tokens';
import {
	getCalendarEvent,
	getCalendarFeedState,
	getOrganizationFeed,
	listPrivateFeedEvents,
	resetCalendarFeed
} from '../../src/lib/server/calendar/feeds';
import { buildCalendar, type CalendarEvent } from '../../src/lib/server/calendar/ics';
import type { Database } from '../../src/lib/server/db/client';
import { db as sharedDatabase } from '../../src/lib/server/db';
import { setEventStatus, updateEvent } from '../../src/lib/server/events/manage';
import { toLocalInput, ZONE } from '../../src/lib/time';
import { GET as getEventFile } from '../../src/routes/opportunities/[id]/calendar.ics/+server';
import { GET as getPrivateFeed } from '../../src/routes/calendar/[token].ics/+server';
import { GET as getOrganizationFile } from '../../src/routes/org/[orgId]/calendar.ics/+server';
import {
	addMember,
	createEvent,
	createOrganization,
	createPerson,
	rejectionCode,
	testDatabase
} from './fixtures';

const ORIGIN = 'http://127.0.0.1:5999';

let db: Database;

beforeAll(() => {
	db = testDatabase();
	// The route handlers use the process's pool, which reads DATABASE_URL on first use.
	process.env.DATABASE_URL = inject('databaseUrl');
});

afterAll(async () => {
	await db.end();
	await sharedDatabase().end();
});

/** 09:00 to 11:30 in Asia/Shanghai, the given number of days from today. */
function morningIn(days: number): { startsAt: Date; endsAt: Date } {
	const start = DateTime.now()
		.setZone(ZONE)
		.plus({ days })
		.set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
	return { startsAt: start.toJSDate(), endsAt: start.plus({ hours: 2, minutes: 30 }).toJSDate() };
}

function feedText(events: CalendarEvent[]): string {
	return buildCalendar(events, { name: 'test', origin: ORIGIN, cancelledPrefix: '[x] ' });
}

/** Parses every VEVENT of a feed with ical.js, keyed by the opportunity id in its UID. */
function parseFeed(text: string): Map<string, ICAL.Event> {
	const calendar = new ICAL.Component(ICAL.parse(text));
	const events = new Map<string, ICAL.Event>();
	for (const component of calendar.getAllSubcomponents('vevent')) {
		const event = new ICAL.Event(component);
		events.set(event.uid.replace(/@youth-opportunities$/, ''), event);
	}
	return events;
}

async function eventFile(actor: { id: string } | null, opportunityId: string) {
	return feedText([await getCalendarEvent(db, actor, opportunityId, 'zh')]);
}

function onlyEvent(text: string): ICAL.Event {
	const events = [...parseFeed(text).values()];
	expect(events).toHaveLength(1);
	return events[0]!;
}

function statusOf(event: ICAL.Event): unknown {
	return event.component.getFirstPropertyValue('status');
}

/** Builds a request event with the fields the calendar handlers read. */
function requestEvent<T>(
	path: string,
	params: Record<string, string>,
	actor: { id: string } | null
) {
	return {
		params,
		url: new URL(path, ORIGIN),
		locals: {
			requestId: 'test',
			user: null,
			actor,
			roles: { isCoordinator: false, memberships: [] }
		}
	} as unknown as T;
}

type StatusError = { status: number };

/** Returns the status of a handler's response, or of the HTTP error it threw. */
async function httpStatusOf(work: Promise<Response> | Response): Promise<number> {
	try {
		const response = await work;
		return response.status;
	} catch (caught) {
		return (caught as StatusError).status;
	}
}

describe('event .ics', () => {
	let organizationId: string;
	let staff: { id: string };

	beforeAll(async () => {
		organizationId = await createOrganization(db, { name: '共青团日历测试街道委员会' });
		staff = { id: await createPerson(db, 'Staff') };
		await addMember(db, organizationId, staff.id);
	});

	it('converts 09:00 Asia/Shanghai to 01:00Z', async () => {
		const start = DateTime.fromISO('2027-03-05T09:00', { zone: ZONE });
		const id = await createEvent(db, organizationId, {
			title: '学雷锋纪念日志愿服务',
			place: '社区广场',
			startsAt: start.toJSDate(),
			endsAt: start.plus({ hours: 2, minutes: 30 }).toJSDate()
		});

		const text = await eventFile(null, id);
		const event = onlyEvent(text);

		expect(text).toContain('DTSTART;TZID=Asia/Shanghai:20270305T090000');
		expect(event.startDate.toJSDate().toISOString()).toBe('2027-03-05T01:00:00.000Z');
		expect(event.endDate.toJSDate().toISOString()).toBe('2027-03-05T03:30:00.000Z');
		expect(event.uid).toBe(`${id}@youth-opportunities`);
		expect(event.sequence).toBe(0);
		expect(event.summary).toBe('学雷锋纪念日志愿服务');
		expect(event.location).toBe('招宝山街道 社区广场');
		expect(event.component.getFirstProperty('organizer')!.getParameter('cn')).toBe(
			'共青团日历测试街道委员会'
		);
	});

	it('keeps the UID and raises SEQUENCE on an edit', async () => {
		const times = morningIn(20);
		const id = await createEvent(db, organizationId, { title: '原来的标题', ...times });
		// DTSTAMP has whole seconds, so the first version is dated an hour back.
		await db.sql`
			update public.opportunities set updated_at = now() - interval '1 hour' where id = ${id}
		`;
		const before = onlyEvent(await eventFile(null, id));
		const input = {
			title: '改过的标题',
			description: '',
			theme: '',
			orbit: 'self' as const,
			townCode: 'zhaobaoshan',
			place: '',
			startsAt: toLocalInput(new Date(times.startsAt.getTime() + 3_600_000)),
			endsAt: toLocalInput(new Date(times.endsAt.getTime() + 3_600_000)),
			applyOpensAt: toLocalInput(new Date(Date.now() - 3_600_000)),
			applyClosesAt: toLocalInput(new Date(Date.now() + 86_400_000)),
			capacity: '10'
		};

		await updateEvent(db, staff, id, input);
		const after = onlyEvent(await eventFile(null, id));

		expect(after.uid).toBe(before.uid);
		expect(after.sequence).toBe(before.sequence + 1);
		expect(after.summary).toBe('改过的标题');
		expect(after.startDate.toJSDate().getTime()).toBe(times.startsAt.getTime() + 3_600_000);
		const stampBefore = before.component.getFirstPropertyValue('dtstamp') as ICAL.Time;
		const stampAfter = after.component.getFirstPropertyValue('dtstamp') as ICAL.Time;
		expect(stampAfter.compare(stampBefore)).toBe(1);
	});

	it('raises SEQUENCE only for detail changes', async () => {
		const id = await createEvent(db, organizationId, morningIn(21));
		const sequence = async () => onlyEvent(await eventFile(null, id)).sequence;

		await db.as(
			staff,
			(tx) => tx`update public.opportunities set place = '新地点' where id = ${id}`
		);
		expect(await sequence()).toBe(1);
		await db.as(
			staff,
			(tx) => tx`update public.opportunities set description = '说明' where id = ${id}`
		);
		expect(await sequence()).toBe(2);
		await db.as(
			staff,
			(tx) => tx`update public.opportunities set town_code = 'jiaochuan' where id = ${id}`
		);
		expect(await sequence()).toBe(3);
		await db.as(staff, (tx) => tx`update public.opportunities set capacity = 99 where id = ${id}`);
		expect(await sequence()).toBe(3);
		await db.as(
			staff,
			(tx) => tx`update public.opportunities set place = '新地点' where id = ${id}`
		);
		expect(await sequence()).toBe(3);
	});

	it('does not raise SEQUENCE when someone applies', async () => {
		const id = await createEvent(db, organizationId, morningIn(22));
		const youth = { id: await createPerson(db, 'Youth') };

		await applyToOpportunity(db, youth, id);

		expect(onlyEvent(await eventFile(null, id)).sequence).toBe(0);
	});

	it('lets nobody set SEQUENCE by hand', async () => {
		const id = await createEvent(db, organizationId, morningIn(23));

		const code = await rejectionCode(
			db.as(staff, (tx) => tx`update public.opportunities set ical_sequence = 50 where id = ${id}`)
		);
		await db.service(
			(tx) => tx`update public.opportunities set ical_sequence = 50 where id = ${id}`
		);

		expect(code).toBe('not_allowed');
		expect(onlyEvent(await eventFile(null, id)).sequence).toBe(0);
	});

	it('marks a cancellation with STATUS and SEQUENCE', async () => {
		const id = await createEvent(db, organizationId, morningIn(24));
		const youth = { id: await createPerson(db, 'Youth') };
		await applyToOpportunity(db, youth, id);

		await setEventStatus(db, staff, id, 'cancelled');
		const event = onlyEvent(await eventFile(youth, id));

		expect(statusOf(event)).toBe('CANCELLED');
		expect(event.sequence).toBe(1);
		expect(event.uid).toBe(`${id}@youth-opportunities`);
	});

	it('serves visible events, 404 otherwise', async () => {
		const published = await createEvent(db, organizationId, morningIn(25));
		const draft = await createEvent(db, organizationId, { ...morningIn(25), status: 'draft' });
		const stranger = { id: await createPerson(db, 'Stranger') };
		type Event = Parameters<typeof getEventFile>[0];
		const fetchFile = (id: string, actor: { id: string } | null) =>
			getEventFile(requestEvent<Event>(`/opportunities/${id}/calendar.ics`, { id }, actor));

		const response = await fetchFile(published, null);
		const staffDraft = await fetchFile(draft, staff);

		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			`attachment; filename="event-${published}.ics"`
		);
		const event = onlyEvent(await response.text());
		expect(event.component.getFirstPropertyValue('url')).toBe(
			`${ORIGIN}/opportunities/${published}`
		);
		expect(statusOf(onlyEvent(await staffDraft.text()))).toBe('TENTATIVE');
		expect(await httpStatusOf(fetchFile(draft, null))).toBe(404);
		expect(await httpStatusOf(fetchFile(draft, stranger))).toBe(404);
		expect(await httpStatusOf(fetchFile('not-a-uuid', null))).toBe(404);
	});
});

describe('private feed', () => {
	let organizationId: string;
	let staff: { id: string };
	let owner: { id: string };
	let other: { id: string };
	const ids: Record<string, string> = {};

	beforeAll(async () => {
		organizationId = await createOrganization(db);
		staff = { id: await createPerson(db, 'Staff') };
		owner = { id: await createPerson(db, 'Owner') };
		other = { id: await createPerson(db, 'Other') };
		await addMember(db, organizationId, staff.id);

		for (const [index, name] of [
			'accepted',
			'withdrawn',
			'others',
			'cancelled',
			'declined',
			'none'
		].entries()) {
			ids[name] = await createEvent(db, organizationId, { title: name, ...morningIn(30 + index) });
		}
		await applyToOpportunity(db, owner, ids.accepted!);
		await applyToOpportunity(db, owner, ids.withdrawn!);
		await withdrawApplication(db, owner, ids.withdrawn!);
		await applyToOpportunity(db, other, ids.others!);
		await applyToOpportunity(db, owner, ids.cancelled!);
		await setEventStatus(db, staff, ids.cancelled!, 'cancelled');
		await applyToOpportunity(db, owner, ids.declined!);
		await db.as(
			staff,
			(tx) => tx`
				update public.applications set status = 'declined'
				where opportunity_id = ${ids.declined!} and applicant_id = ${owner.id}
			`
		);
	});

	it('lists only the owner’s accepted events', async () => {
		const token = await resetCalendarFeed(db, owner);

		const events = parseFeed(feedText((await listPrivateFeedEvents(db, token, 'zh'))!));

		expect([...events.keys()].sort()).toEqual([ids.accepted!, ids.cancelled!].sort());
		expect(statusOf(events.get(ids.accepted!)!)).toBe('CONFIRMED');
		expect(statusOf(events.get(ids.cancelled!)!)).toBe('CANCELLED');
		expect(events.get(ids.cancelled!)!.summary).toBe('[x] cancelled');
	});

	it('writes each event at its instant', async () => {
		const token = await resetCalendarFeed(db, owner);
		const times = morningIn(30);

		const events = parseFeed(feedText((await listPrivateFeedEvents(db, token, 'zh'))!));
		const accepted = events.get(ids.accepted!)!;

		expect(accepted.startDate.toJSDate().getTime()).toBe(times.startsAt.getTime());
		expect(accepted.endDate.toJSDate().getTime()).toBe(times.endsAt.getTime());
		expect(accepted.startDate.toString()).toMatch(/T09:00:00$/);
	});

	it('stores only the SHA-256 of the token', async () => {
		const token = await resetCalendarFeed(db, owner);

		const [row] = await db.sql<{ tokenHash: Buffer }[]>`
			select token_hash as "tokenHash" from public.calendar_feeds where user_id = ${owner.id}
		`;

		expect(row!.tokenHash.equals(hashToken(token))).toBe(true);
		expect(row!.tokenHash.toString('utf8')).not.toContain(token);
	});

	it('stops the old URL at once when reset', async () => {
		const oldToken = await resetCalendarFeed(db, owner);
		const stateBefore = await getCalendarFeedState(db, owner);

		const newToken = await resetCalendarFeed(db, owner);
		const stateAfter = await getCalendarFeedState(db, owner);

		expect(newToken).not.toBe(oldToken);
		expect(await listPrivateFeedEvents(db, oldToken, 'zh')).toBeNull();
		expect(await listPrivateFeedEvents(db, newToken, 'zh')).toHaveLength(2);
		expect(stateAfter!.createdAt.getTime()).toBe(stateBefore!.createdAt.getTime());
		expect(stateAfter!.resetAt.getTime()).toBeGreaterThanOrEqual(stateBefore!.resetAt.getTime());
	});

	it('finds nothing for unknown or malformed tokens', async () => {
		const unknown = 'A'.repeat(43);

		expect(await listPrivateFeedEvents(db, unknown, 'zh')).toBeNull();
		expect(await listPrivateFeedEvents(db, 'short', 'zh')).toBeNull();
		expect(await listPrivateFeedEvents(db, `${'A'.repeat(42)}%`, 'zh')).toBeNull();
		expect(await listPrivateFeedEvents(db, '', 'zh')).toBeNull();
	});

	it('serves an uncached calendar or a 404 message', async () => {
		const token = await resetCalendarFeed(db, owner);
		type Event = Parameters<typeof getPrivateFeed>[0];
		const fetchFeed = (value: string) =>
			getPrivateFeed(requestEvent<Event>(`/calendar/${value}.ics`, { token: value }, null));

		const response = await fetchFeed(token);
		const text = await response.text();
		const newToken = await resetCalendarFeed(db, owner);
		const stale = await fetchFeed(token);
		const malformed = await fetchFeed('nope');

		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(response.headers.get('cache-control')).toBe('private, no-store');
		expect(response.headers.get('content-disposition')).toBe('inline; filename="my-events.ics"');
		expect(parseFeed(text).size).toBe(2);
		// A stale or malformed token gets the same not-found message, so neither tells which.
		expect(stale.status).toBe(404);
		expect(await stale.text()).toBe('未找到该页面或记录。');
		expect(stale.headers.get('cache-control')).toBe('no-store');
		expect(malformed.status).toBe(404);
		expect(await malformed.text()).toBe('未找到该页面或记录。');
		expect((await fetchFeed(newToken)).status).toBe(200);
	});

	it('gives each person their own feed', async () => {
		const ownerToken = await resetCalendarFeed(db, owner);
		const otherToken = await resetCalendarFeed(db, other);

		const otherEvents = parseFeed(feedText((await listPrivateFeedEvents(db, otherToken, 'zh'))!));

		expect(ownerToken).not.toBe(otherToken);
		expect([...otherEvents.keys()]).toEqual([ids.others!]);
	});
});

describe('calendar_feeds row level security', () => {
	let owner: { id: string };
	let intruder: { id: string };

	beforeAll(async () => {
		owner = { id: await createPerson(db, 'Owner') };
		intruder = { id: await createPerson(db, 'Intruder') };
		await resetCalendarFeed(db, owner);
	});

	it('lets the owner read their row and nobody else', async () => {
		const own = await db.as(owner, (tx) => tx`select user_id from public.calendar_feeds`);
		const seen = await db.as(intruder, (tx) => tx`select user_id from public.calendar_feeds`);

		expect(own.map((row) => row.user_id)).toEqual([owner.id]);
		expect(seen).toHaveLength(0);
		expect(await getCalendarFeedState(db, intruder)).toBeNull();
	});

	it('keeps visitors out entirely', async () => {
		const code = await rejectionCode(db.as(null, (tx) => tx`select 1 from public.calendar_feeds`));

		expect(code).toBe('not_allowed');
	});

	it('rejects creating or resetting another person’s row', async () => {
		const insertCode = await rejectionCode(
			db.as(
				intruder,
				(tx) => tx`
					insert into public.calendar_feeds (user_id, token_hash)
					values (${owner.id}, ${hashToken('intruder')})
				`
			)
		);
		const updated = await db.as(
			intruder,
			(tx) => tx`
				update public.calendar_feeds set token_hash = ${hashToken('intruder')}
				where user_id = ${owner.id}
				returning user_id
			`
		);
		const [row] = await db.sql<{ tokenHash: Buffer }[]>`
			select token_hash as "tokenHash" from public.calendar_feeds where user_id = ${owner.id}
		`;

		expect(insertCode).toBe('not_allowed');
		expect(updated).toHaveLength(0);
		expect(row!.tokenHash.equals(hashToken('intruder'))).toBe(false);
	});

	it('rejects a hash that is not 32 bytes', async () => {
		const code = await rejectionCode(
			db.as(
				intruder,
				(tx) => tx`
					insert into public.calendar_feeds (user_id, token_hash)
					values (${intruder.id}, ${Buffer.from('short')})
				`
			)
		);

		expect(code).toBe('invalid_input');
	});

	it('requires a signed-in person to reset', async () => {
		expect(await rejectionCode(resetCalendarFeed(db, null))).toBe('not_signed_in');
	});
});

describe('organization feed', () => {
	let organizationId: string;
	let staff: { id: string };
	const ids: Record<string, string> = {};

	beforeAll(async () => {
		organizationId = await createOrganization(db, { name: '共青团骆驼测试街道委员会' });
		staff = { id: await createPerson(db, 'Staff') };
		await addMember(db, organizationId, staff.id);
		const elsewhere = await createOrganization(db);

		ids.published = await createEvent(db, organizationId, { title: 'published', ...morningIn(40) });
		ids.cancelled = await createEvent(db, organizationId, { title: 'cancelled', ...morningIn(41) });
		await setEventStatus(db, staff, ids.cancelled, 'cancelled');
		ids.draft = await createEvent(db, organizationId, {
			title: 'draft',
			status: 'draft',
			...morningIn(42)
		});
		ids.draftCancelled = await createEvent(db, organizationId, {
			title: 'draft cancelled',
			status: 'draft',
			...morningIn(43)
		});
		await setEventStatus(db, staff, ids.draftCancelled, 'cancelled');
		ids.elsewhere = await createEvent(db, elsewhere, { title: 'elsewhere', ...morningIn(44) });
	});

	it('lists published and cancelled events, never drafts', async () => {
		const feed = await getOrganizationFeed(db, null, organizationId, 'zh');
		const events = parseFeed(feedText(feed.events));

		expect(feed.organizationName).toBe('共青团骆驼测试街道委员会');
		expect([...events.keys()].sort()).toEqual([ids.published!, ids.cancelled!].sort());
		expect(statusOf(events.get(ids.published!)!)).toBe('CONFIRMED');
		expect(statusOf(events.get(ids.cancelled!)!)).toBe('CANCELLED');
	});

	it('writes each event at its instant', async () => {
		const times = morningIn(40);

		const feed = await getOrganizationFeed(db, null, organizationId, 'en');
		const published = parseFeed(feedText(feed.events)).get(ids.published!)!;

		expect(published.startDate.toJSDate().getTime()).toBe(times.startsAt.getTime());
		expect(published.endDate.toJSDate().getTime()).toBe(times.endsAt.getTime());
		expect(published.location).toBe('Zhaobaoshan Street');
	});

	it('is the same for staff as for visitors', async () => {
		const asStaff = await getOrganizationFeed(db, staff, organizationId, 'zh');
		const asVisitor = await getOrganizationFeed(db, null, organizationId, 'zh');

		expect(feedText(asStaff.events)).toBe(feedText(asVisitor.events));
	});

	it('does not exist for a pending organization', async () => {
		const pending = await createOrganization(db, { status: 'pending' });
		await addMember(db, pending, staff.id);
		await createEvent(db, pending, { status: 'draft', ...morningIn(45) });

		expect(await rejectionCode(getOrganizationFeed(db, staff, pending, 'zh'))).toBe('not_found');
		expect(await rejectionCode(getOrganizationFeed(db, null, pending, 'zh'))).toBe('not_found');
	});

	it('SQL function skips pending organizations', async () => {
		const pending = await createOrganization(db, { status: 'pending' });
		await createEvent(db, pending, { status: 'draft', ...morningIn(46) });

		const rows = await db.as(
			null,
			(tx) => tx`select * from private.organization_calendar(${pending})`
		);

		expect(rows).toHaveLength(0);
	});

	it('serves the calendar, 404 when unknown', async () => {
		type Event = Parameters<typeof getOrganizationFile>[0];
		const fetchFeed = (orgId: string) =>
			getOrganizationFile(requestEvent<Event>(`/org/${orgId}/calendar.ics`, { orgId }, null));

		const response = await fetchFeed(organizationId);

		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			`inline; filename="organization-${organizationId}.ics"`
		);
		const calendar = new ICAL.Component(ICAL.parse(await response.text()));
		expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('共青团骆驼测试街道委员会的活动');
		expect(calendar.getAllSubcomponents('vevent')).toHaveLength(2);
		expect(await httpStatusOf(fetchFeed('8f14e45f-ceea-467f-a8f9-0f1e2d3c4b5a'))).toBe(404);
		expect(await httpStatusOf(fetchFeed('nope'))).toBe(404);
	});
});
