import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	applyToOpportunity,
	declineApplication,
	listApplicants,
	listMyApplications,
	submitApplication,
	withdrawApplication
} from '../../src/lib/server/applications';
import type { Database } from '../../src/lib/server/db/client';
import { setEventStatus, updateEvent } from '../../src/lib/server/events/manage';
import {
	countUnreadNotifications,
	listMyNotifications,
	markNotificationsRead
} from '../../src/lib/server/notifications';
import type { ApplyInput } from '../../src/lib/forms/application';
import { toLocalInput } from '../../src/lib/time';
import {
	addMember,
	createEvent,
	createOrganization,
	createPerson,
	rejectionCode,
	testDatabase
} from './fixtures';

const HOUR = 3_600_000;

let db: Database;
let organizationId: string;
let staff: string;

beforeAll(async () => {
	db = testDatabase();
	organizationId = await createOrganization(db);
	staff = await createPerson(db, 'Staff');
	await addMember(db, organizationId, staff);
});

afterAll(async () => {
	await db.end();
});

const FORM: ApplyInput = {
	confirmOverlap: false,
	birthDate: '',
	guardianName: '',
	guardianPhone: '',
	guardianConsent: false
};

async function setBirthDate(person: string, birthDate: string): Promise<void> {
	await db.sql`update public.profiles set birth_date = ${birthDate} where id = ${person}`;
}

/** Applies each person in turn, so the waitlist order is the order of the list. */
async function applyInOrder(eventId: string, people: string[]): Promise<void> {
	for (const person of people) {
		await applyToOpportunity(db, { id: person }, eventId);
	}
}

async function people(count: number, prefix: string): Promise<string[]> {
	const created: string[] = [];
	for (let index = 0; index < count; index++) {
		created.push(await createPerson(db, `${prefix} ${index + 1}`));
	}
	return created;
}

async function statusOf(eventId: string, person: string): Promise<string> {
	const [row] = await db.sql<{ status: string }[]>`
		select status from public.applications
		where opportunity_id = ${eventId} and applicant_id = ${person}
	`;
	return row!.status;
}

/** Reads the waitlist in the database's order: applicant ids, head first. */
async function waitlist(eventId: string): Promise<string[]> {
	const rows = await db.sql<{ applicant_id: string }[]>`
		select applicant_id from public.applications
		where opportunity_id = ${eventId} and status = 'waitlisted'
		order by queued_at, id
	`;
	return rows.map((row) => row.applicant_id);
}

async function acceptedIds(eventId: string): Promise<string[]> {
	const rows = await db.sql<{ applicant_id: string }[]>`
		select applicant_id from public.applications
		where opportunity_id = ${eventId} and status = 'accepted'
	`;
	return rows.map((row) => row.applicant_id).sort();
}

async function acceptedCount(eventId: string): Promise<number> {
	const [row] = await db.sql<{ accepted_count: number }[]>`
		select accepted_count from public.opportunities where id = ${eventId}
	`;
	return row!.accepted_count;
}

async function notificationKinds(person: string, eventId: string): Promise<string[]> {
	const rows = await db.sql<{ kind: string }[]>`
		select kind from public.notifications
		where recipient_id = ${person} and opportunity_id = ${eventId}
		order by created_at, id
	`;
	return rows.map((row) => row.kind);
}

function eventInput(startsAt: Date, endsAt: Date, capacity: number) {
	return {
		title: 'Waitlist event',
		description: '',
		theme: '',
		orbit: 'self' as const,
		townCode: 'zhaobaoshan',
		place: '',
		startsAt: toLocalInput(startsAt),
		endsAt: toLocalInput(endsAt),
		applyOpensAt: toLocalInput(new Date(Date.now() - 2 * HOUR)),
		applyClosesAt: toLocalInput(new Date(startsAt.getTime() - HOUR)),
		capacity: String(capacity)
	};
}

describe('joining the waitlist', () => {
	it('puts applicants to a full event on the waitlist in order', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [first, second, third] = await people(3, 'Queue');
		expect(await applyToOpportunity(db, { id: first! }, eventId)).toEqual({ status: 'accepted' });
		expect(await applyToOpportunity(db, { id: second! }, eventId)).toEqual({
			status: 'waitlisted',
			position: 1
		});
		expect(await applyToOpportunity(db, { id: third! }, eventId)).toEqual({
			status: 'waitlisted',
			position: 2
		});
		expect(await waitlist(eventId)).toEqual([second, third]);
		expect(await acceptedCount(eventId)).toBe(1);
	});

	it('shows positions on my applications', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [first, second, third] = await people(3, 'Mine');
		await applyInOrder(eventId, [first!, second!, third!]);
		const mine = await listMyApplications(db, { id: third! });
		const row = mine.find((application) => application.opportunityId === eventId);
		expect(row?.status).toBe('waitlisted');
		expect(row?.position).toBe(2);
		const accepted = (await listMyApplications(db, { id: first! })).find(
			(application) => application.opportunityId === eventId
		);
		expect(accepted?.position).toBeNull();
	});

	it('closes the waitlist with the apply window', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [first, late] = await people(2, 'Window');
		await applyToOpportunity(db, { id: first! }, eventId);
		await db.sql`
			update public.opportunities set apply_opens_at = now() - interval '2 days',
				apply_closes_at = now() - interval '1 hour'
			where id = ${eventId}
		`;
		expect(await rejectionCode(applyToOpportunity(db, { id: late! }, eventId))).toBe(
			'apply_window_closed'
		);
		expect(await waitlist(eventId)).toEqual([]);
	});

	it('keeps a request for waitlisted out of a free place', async () => {
		// Whatever status the insert requests, the guard gives a free place when there is one.
		const eventId = await createEvent(db, organizationId, { capacity: 2 });
		const youth = await createPerson(db);
		await db.as(
			{ id: youth },
			(tx) => tx`
				insert into public.applications (opportunity_id, applicant_id, status)
				values (${eventId}, ${youth}, 'waitlisted')
			`
		);
		expect(await statusOf(eventId, youth)).toBe('accepted');
	});
});

describe('promotion', () => {
	it('promotes the head of the waitlist on withdrawal', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 2 });
		const [a, b, c, d] = await people(4, 'Withdraw');
		await applyInOrder(eventId, [a!, b!, c!, d!]);
		await withdrawApplication(db, { id: a! }, eventId);
		expect(await statusOf(eventId, c!)).toBe('accepted');
		expect(await statusOf(eventId, d!)).toBe('waitlisted');
		expect(await acceptedCount(eventId)).toBe(2);
		expect(await notificationKinds(c!, eventId)).toEqual(['promoted']);
		expect(await notificationKinds(d!, eventId)).toEqual([]);
	});

	it('promotes exactly once per freed place on decline', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a, b, c] = await people(3, 'Decline');
		await applyInOrder(eventId, [a!, b!, c!]);
		await declineApplication(db, { id: staff }, eventId, a!);
		expect(await statusOf(eventId, a!)).toBe('declined');
		expect(await acceptedIds(eventId)).toEqual([b]);
		expect(await waitlist(eventId)).toEqual([c]);
		expect(await notificationKinds(b!, eventId)).toEqual(['promoted']);
	});

	it('promotes nobody when a waitlisted person is declined', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a, b, c] = await people(3, 'Decline waiting');
		await applyInOrder(eventId, [a!, b!, c!]);
		await declineApplication(db, { id: staff }, eventId, b!);
		expect(await acceptedIds(eventId)).toEqual([a]);
		expect(await waitlist(eventId)).toEqual([c]);
		expect(await notificationKinds(c!, eventId)).toEqual([]);
	});

	it('rejects a decline by someone not on staff', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a, outsider] = await people(2, 'Outsider');
		await applyToOpportunity(db, { id: a! }, eventId);
		expect(await rejectionCode(declineApplication(db, { id: outsider! }, eventId, a!))).toBe(
			'not_allowed'
		);
		expect(await statusOf(eventId, a!)).toBe('accepted');
	});

	it('rejects declining a withdrawn applicant', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a, b] = await people(2, 'Gone');
		await applyInOrder(eventId, [a!, b!]);
		await withdrawApplication(db, { id: a! }, eventId);
		expect(await rejectionCode(declineApplication(db, { id: staff }, eventId, a!))).toBe(
			'applicant_not_active'
		);
		expect(await statusOf(eventId, a!)).toBe('withdrawn');
		expect(await acceptedIds(eventId)).toEqual([b]);
	});

	it('fills every new place when staff raise the capacity', async () => {
		const start = new Date(Date.now() + 48 * HOUR);
		start.setUTCSeconds(0, 0);
		const eventId = await createEvent(db, organizationId, { capacity: 1, startsAt: start });
		const queue = await people(5, 'Raise');
		await applyInOrder(eventId, queue);
		await updateEvent(
			db,
			{ id: staff },
			eventId,
			eventInput(start, new Date(start.getTime() + 3 * HOUR), 3)
		);
		expect(await acceptedIds(eventId)).toEqual([queue[0], queue[1], queue[2]].sort());
		expect(await waitlist(eventId)).toEqual([queue[3], queue[4]]);
		expect(await acceptedCount(eventId)).toBe(3);
		for (const promoted of [queue[1]!, queue[2]!]) {
			expect(await notificationKinds(promoted, eventId)).toEqual(['promoted']);
		}
		expect(await notificationKinds(queue[3]!, eventId)).toEqual([]);
	});

	it('promotes nobody once the event has started', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a, b] = await people(2, 'Started');
		await applyInOrder(eventId, [a!, b!]);
		await db.sql`
			update public.opportunities set starts_at = now() - interval '1 minute',
				apply_closes_at = now() - interval '2 minutes',
				apply_opens_at = now() - interval '1 day'
			where id = ${eventId}
		`;
		// Declining is no longer possible after the start, so the place frees up by a raise.
		expect(await rejectionCode(declineApplication(db, { id: staff }, eventId, a!))).toBe(
			'opportunity_started'
		);
		await db.sql`update public.opportunities set capacity = 2 where id = ${eventId}`;
		expect(await statusOf(eventId, b!)).toBe('waitlisted');
		expect(await acceptedCount(eventId)).toBe(1);
	});

	it('promotes after the apply window closed, before the start', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a, b] = await people(2, 'After window');
		await applyInOrder(eventId, [a!, b!]);
		await db.sql`
			update public.opportunities set apply_closes_at = now() - interval '1 minute',
				apply_opens_at = now() - interval '1 day'
			where id = ${eventId}
		`;
		await withdrawApplication(db, { id: a! }, eventId);
		expect(await statusOf(eventId, b!)).toBe('accepted');
	});

	it('rejects withdrawal after the start', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a] = await people(1, 'Late withdraw');
		await applyToOpportunity(db, { id: a! }, eventId);
		await db.sql`
			update public.opportunities set starts_at = now() - interval '1 minute',
				apply_closes_at = now() - interval '2 minutes',
				apply_opens_at = now() - interval '1 day'
			where id = ${eventId}
		`;
		expect(await rejectionCode(withdrawApplication(db, { id: a! }, eventId))).toBe(
			'opportunity_started'
		);
		expect(await statusOf(eventId, a!)).toBe('accepted');
	});

	it('lets nobody on the waitlist jump to a place', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a, b, c] = await people(3, 'Jump');
		await applyInOrder(eventId, [a!, b!, c!]);
		await withdrawApplication(db, { id: a! }, eventId);
		// b now has the place. Staff may not give c a place out of turn.
		const jump = db.as(
			{ id: staff },
			(tx) => tx`
				update public.applications set status = 'accepted'
				where opportunity_id = ${eventId} and applicant_id = ${c!}
			`
		);
		expect(await rejectionCode(jump)).toBe('invalid_status_change');
		expect(await statusOf(eventId, c!)).toBe('waitlisted');
	});

	it('never promotes twice or skips under concurrent withdrawals', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 5 });
		const accepted = await people(5, 'Holder');
		const waiting = await people(10, 'Waiting');
		await applyInOrder(eventId, [...accepted, ...waiting]);
		expect(await waitlist(eventId)).toEqual(waiting);

		const outcomes = await Promise.allSettled(
			accepted.slice(0, 4).map((person) => withdrawApplication(db, { id: person }, eventId))
		);
		expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);

		expect(await acceptedIds(eventId)).toEqual([accepted[4], ...waiting.slice(0, 4)].sort());
		expect(await waitlist(eventId)).toEqual(waiting.slice(4));
		expect(await acceptedCount(eventId)).toBe(5);
		const [promotions] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from public.notifications
			where opportunity_id = ${eventId} and kind = 'promoted'
		`;
		expect(promotions!.count).toBe(4);
	});

	it('stays consistent when holders and waiters withdraw at once', async () => {
		// A waiting person withdrawing while a promotion would reach them must neither deadlock
		// nor be promoted after withdrawing.
		const eventId = await createEvent(db, organizationId, { capacity: 2 });
		const accepted = await people(2, 'Mixed holder');
		const waiting = await people(4, 'Mixed waiting');
		await applyInOrder(eventId, [...accepted, ...waiting]);
		const leaving = [accepted[0]!, accepted[1]!, waiting[0]!, waiting[1]!];
		const outcomes = await Promise.allSettled(
			leaving.map((person) => withdrawApplication(db, { id: person }, eventId))
		);
		expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
		for (const person of leaving) {
			expect(await statusOf(eventId, person)).toBe('withdrawn');
		}
		expect(await acceptedIds(eventId)).toEqual([waiting[2], waiting[3]].sort());
		expect(await acceptedCount(eventId)).toBe(2);
	});
});

describe('leaving the waitlist', () => {
	it('moves everyone behind up by one', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a, b, c, d] = await people(4, 'Leave');
		await applyInOrder(eventId, [a!, b!, c!, d!]);
		await withdrawApplication(db, { id: b! }, eventId);
		expect(await statusOf(eventId, b!)).toBe('withdrawn');
		expect(await waitlist(eventId)).toEqual([c, d]);
		const mine = await listMyApplications(db, { id: d! });
		expect(mine.find((row) => row.opportunityId === eventId)?.position).toBe(2);
		expect(await acceptedIds(eventId)).toEqual([a]);
	});

	it('puts a returning applicant at the end', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a, b, c] = await people(3, 'Return');
		await applyInOrder(eventId, [a!, b!, c!]);
		await withdrawApplication(db, { id: b! }, eventId);
		expect(await applyToOpportunity(db, { id: b! }, eventId)).toEqual({
			status: 'waitlisted',
			position: 2
		});
		expect(await waitlist(eventId)).toEqual([c, b]);
	});
});

describe('staff applicant list', () => {
	it('separates accepted and waitlisted, in order', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 2 });
		const queue = await people(4, 'Listed');
		await applyInOrder(eventId, queue);
		const applicants = await listApplicants(db, { id: staff }, eventId);
		const accepted = applicants.filter((row) => row.status === 'accepted');
		const waiting = applicants.filter((row) => row.status === 'waitlisted');
		expect(accepted.map((row) => row.applicantId)).toEqual([queue[0], queue[1]]);
		expect(waiting.map((row) => [row.applicantId, row.position])).toEqual([
			[queue[2], 1],
			[queue[3], 2]
		]);
	});
});

describe('guardian consent', () => {
	/** Returns a birth date that makes someone 17 when a default test event starts (in two days). */
	function minorBirthDate(): string {
		const date = new Date(Date.now() + 48 * HOUR);
		return `${date.getUTCFullYear() - 17}-01-01`;
	}

	it('rejects a minor without consent at the database', async () => {
		const eventId = await createEvent(db, organizationId);
		const minor = await createPerson(db, 'Minor');
		await setBirthDate(minor, minorBirthDate());
		const insert = db.as(
			{ id: minor },
			(tx) => tx`
				insert into public.applications (opportunity_id, applicant_id) values (${eventId}, ${minor})
			`
		);
		expect(await rejectionCode(insert)).toBe('guardian_consent_required');
		expect(await rejectionCode(applyToOpportunity(db, { id: minor }, eventId))).toBe(
			'guardian_consent_required'
		);
		const [count] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from public.applications where opportunity_id = ${eventId}
		`;
		expect(count!.count).toBe(0);
	});

	it('rejects a minor joining the waitlist without consent', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		await applyToOpportunity(db, { id: await createPerson(db) }, eventId);
		const minor = await createPerson(db, 'Waiting minor');
		await setBirthDate(minor, minorBirthDate());
		expect(await rejectionCode(applyToOpportunity(db, { id: minor }, eventId))).toBe(
			'guardian_consent_required'
		);
		expect(await waitlist(eventId)).toEqual([]);
	});

	it('stores consent for a minor and shows it to staff', async () => {
		const eventId = await createEvent(db, organizationId);
		const minor = await createPerson(db, 'Consenting minor');
		await setBirthDate(minor, minorBirthDate());
		const outcome = await submitApplication(db, { id: minor }, eventId, {
			...FORM,
			guardianName: '王芳',
			guardianPhone: '13900000000',
			guardianConsent: true
		});
		expect(outcome).toEqual({ kind: 'applied', result: { status: 'accepted' } });
		const [row] = await db.sql`
			select guardian_name, guardian_phone, consent_at from public.applications
			where opportunity_id = ${eventId} and applicant_id = ${minor}
		`;
		expect(row!.guardian_name).toBe('王芳');
		expect(row!.guardian_phone).toBe('13900000000');
		expect(row!.consent_at).toBeInstanceOf(Date);
		const [listed] = await listApplicants(db, { id: staff }, eventId);
		expect(listed!.guardianName).toBe('王芳');
		expect(listed!.consentAt).toBeInstanceOf(Date);
	});

	it('names the missing guardian fields and stores nothing', async () => {
		const eventId = await createEvent(db, organizationId);
		const minor = await createPerson(db, 'Incomplete minor');
		await setBirthDate(minor, minorBirthDate());
		const outcome = await submitApplication(db, { id: minor }, eventId, {
			...FORM,
			guardianName: '王芳'
		});
		expect(outcome).toEqual({
			kind: 'incomplete',
			missing: { guardianPhone: 'required', guardianConsent: 'consent_required' }
		});
		expect(
			await db.sql`select 1 from public.applications where opportunity_id = ${eventId}`
		).toHaveLength(0);
	});

	it('asks for a birth date first and saves it', async () => {
		const eventId = await createEvent(db, organizationId);
		const youth = await createPerson(db, 'No birth date');
		expect(await submitApplication(db, { id: youth }, eventId, FORM)).toEqual({
			kind: 'incomplete',
			missing: { birthDate: 'required' }
		});
		const minorDate = minorBirthDate();
		expect(
			await submitApplication(db, { id: youth }, eventId, { ...FORM, birthDate: minorDate })
		).toEqual({
			kind: 'incomplete',
			missing: {
				guardianName: 'required',
				guardianPhone: 'required',
				guardianConsent: 'consent_required'
			}
		});
		const [unsaved] = await db.sql`select birth_date from public.profiles where id = ${youth}`;
		expect(unsaved!.birth_date).toBeNull();

		const outcome = await submitApplication(db, { id: youth }, eventId, {
			...FORM,
			birthDate: '1999-05-04'
		});
		expect(outcome).toEqual({ kind: 'applied', result: { status: 'accepted' } });
		const [saved] = await db.sql`
			select to_char(birth_date, 'YYYY-MM-DD') as birth_date from public.profiles where id = ${youth}
		`;
		expect(saved!.birth_date).toBe('1999-05-04');
	});

	it('keeps an adult free of guardian details', async () => {
		const eventId = await createEvent(db, organizationId);
		const adult = await createPerson(db, 'Adult');
		await setBirthDate(adult, '1998-01-01');
		await submitApplication(db, { id: adult }, eventId, {
			...FORM,
			guardianName: '不需要',
			guardianPhone: '13900000000',
			guardianConsent: true
		});
		const [row] = await db.sql`
			select guardian_name, consent_at from public.applications
			where opportunity_id = ${eventId} and applicant_id = ${adult}
		`;
		expect(row!.guardian_name).toBeNull();
		expect(row!.consent_at).toBeNull();
	});

	it('counts age at the start in Shanghai', async () => {
		const rows = await db.sql<{ before: number; on: number; leap: number }[]>`
			select
				private.age_on('2008-06-18', '2026-06-17T15:59:00Z') as before,
				private.age_on('2008-06-18', '2026-06-17T16:00:00Z') as on,
				private.age_on('2008-02-29', '2026-02-28T12:00:00+08') as leap
		`;
		expect(rows[0]!.before).toBe(17);
		expect(rows[0]!.on).toBe(18);
		expect(rows[0]!.leap).toBe(17);
	});

	it('rejects changing consent after applying', async () => {
		const eventId = await createEvent(db, organizationId);
		const minor = await createPerson(db, 'Changing minor');
		await setBirthDate(minor, minorBirthDate());
		await applyToOpportunity(db, { id: minor }, eventId, { name: '王芳', phone: '13900000000' });
		const change = db.as(
			{ id: minor },
			(tx) => tx`
				update public.applications set guardian_name = '别人'
				where opportunity_id = ${eventId} and applicant_id = ${minor}
			`
		);
		expect(await rejectionCode(change)).toBe('not_allowed');
	});
});

describe('overlap', () => {
	it('finds accepted events whose time overlaps', async () => {
		const base = Date.now() + 72 * HOUR;
		const youth = await createPerson(db, 'Busy');
		await setBirthDate(youth, '1999-01-01');
		const booked = await createEvent(db, organizationId, {
			title: 'Morning',
			startsAt: new Date(base),
			endsAt: new Date(base + 3 * HOUR)
		});
		const touching = await createEvent(db, organizationId, {
			title: 'Afternoon',
			startsAt: new Date(base + 3 * HOUR),
			endsAt: new Date(base + 5 * HOUR)
		});
		const overlapping = await createEvent(db, organizationId, {
			title: 'Late morning',
			startsAt: new Date(base + 2 * HOUR),
			endsAt: new Date(base + 4 * HOUR)
		});
		await applyToOpportunity(db, { id: youth }, booked);

		const found = await db.as(
			{ id: youth },
			(tx) => tx<{ opportunity_id: string }[]>`
				select opportunity_id from private.overlapping_acceptances(${overlapping})
			`
		);
		expect(found.map((row) => row.opportunity_id)).toEqual([booked]);
		const none = await db.as(
			{ id: youth },
			(tx) => tx`select opportunity_id from private.overlapping_acceptances(${touching})`
		);
		expect(none).toHaveLength(0);
	});

	it('warns first, then applies on confirmation', async () => {
		const base = Date.now() + 96 * HOUR;
		const youth = await createPerson(db, 'Double booked');
		await setBirthDate(youth, '1999-01-01');
		const first = await createEvent(db, organizationId, {
			title: 'First booking',
			startsAt: new Date(base),
			endsAt: new Date(base + 3 * HOUR)
		});
		const second = await createEvent(db, organizationId, {
			startsAt: new Date(base + HOUR),
			endsAt: new Date(base + 2 * HOUR)
		});
		await applyToOpportunity(db, { id: youth }, first);

		const warning = await submitApplication(db, { id: youth }, second, FORM);
		expect(warning.kind).toBe('overlap');
		expect(warning.kind === 'overlap' && warning.overlapping.map((event) => event.title)).toEqual([
			'First booking'
		]);
		expect(
			await db.sql`select 1 from public.applications where opportunity_id = ${second}`
		).toHaveLength(0);

		const confirmed = await submitApplication(db, { id: youth }, second, {
			...FORM,
			confirmOverlap: true
		});
		expect(confirmed).toEqual({ kind: 'applied', result: { status: 'accepted' } });
	});

	it('ignores withdrawn and cancelled events', async () => {
		const base = Date.now() + 120 * HOUR;
		const youth = await createPerson(db, 'Free again');
		const withdrawn = await createEvent(db, organizationId, {
			startsAt: new Date(base),
			endsAt: new Date(base + 3 * HOUR)
		});
		const cancelled = await createEvent(db, organizationId, {
			startsAt: new Date(base),
			endsAt: new Date(base + 3 * HOUR)
		});
		const target = await createEvent(db, organizationId, {
			startsAt: new Date(base + HOUR),
			endsAt: new Date(base + 2 * HOUR)
		});
		await applyToOpportunity(db, { id: youth }, withdrawn);
		await withdrawApplication(db, { id: youth }, withdrawn);
		await applyToOpportunity(db, { id: youth }, cancelled);
		await setEventStatus(db, { id: staff }, cancelled, 'cancelled');
		const found = await db.as(
			{ id: youth },
			(tx) => tx`select opportunity_id from private.overlapping_acceptances(${target})`
		);
		expect(found).toHaveLength(0);
	});
});

describe('notifications', () => {
	it('tells accepted and waitlisted applicants of a cancellation', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a, b, c] = await people(3, 'Cancelled');
		await applyInOrder(eventId, [a!, b!, c!]);
		await withdrawApplication(db, { id: c! }, eventId);
		await setEventStatus(db, { id: staff }, eventId, 'cancelled');
		expect(await notificationKinds(a!, eventId)).toEqual(['event_cancelled']);
		expect(await notificationKinds(b!, eventId)).toEqual(['event_cancelled']);
		expect(await notificationKinds(c!, eventId)).toEqual([]);
	});

	it('tells accepted applicants of a new time', async () => {
		const start = new Date(Date.now() + 72 * HOUR);
		const eventId = await createEvent(db, organizationId, { capacity: 1, startsAt: start });
		const [a, b] = await people(2, 'Moved');
		await applyInOrder(eventId, [a!, b!]);
		const later = new Date(start.getTime() + 2 * HOUR);
		await updateEvent(
			db,
			{ id: staff },
			eventId,
			eventInput(later, new Date(later.getTime() + 3 * HOUR), 1)
		);
		expect(await notificationKinds(a!, eventId)).toEqual(['event_time_changed']);
		expect(await notificationKinds(b!, eventId)).toEqual([]);
	});

	it('stays quiet when the time is unchanged', async () => {
		const start = new Date(Date.now() + 72 * HOUR);
		start.setUTCSeconds(0, 0);
		const end = new Date(start.getTime() + 3 * HOUR);
		const eventId = await createEvent(db, organizationId, { startsAt: start, endsAt: end });
		const [a] = await people(1, 'Same time');
		await applyToOpportunity(db, { id: a! }, eventId);
		await updateEvent(db, { id: staff }, eventId, eventInput(start, end, 10));
		expect(await notificationKinds(a!, eventId)).toEqual([]);
	});

	it('lets the owner read and mark them, nobody else', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const [a, b, other] = await people(3, 'Reader');
		await applyInOrder(eventId, [a!, b!]);
		await withdrawApplication(db, { id: a! }, eventId);

		expect(await countUnreadNotifications(db, { id: b! })).toBe(1);
		expect(await listMyNotifications(db, { id: other! })).toEqual([]);
		const [notification] = await listMyNotifications(db, { id: b! });
		expect(notification!.kind).toBe('promoted');
		expect(notification!.opportunityId).toBe(eventId);

		expect(await rejectionCode(markNotificationsRead(db, { id: other! }, notification!.id))).toBe(
			'not_found'
		);
		expect(await countUnreadNotifications(db, { id: b! })).toBe(1);

		await markNotificationsRead(db, { id: b! }, notification!.id);
		expect(await countUnreadNotifications(db, { id: b! })).toBe(0);
	});

	it('cannot be written or unread by people', async () => {
		const eventId = await createEvent(db, organizationId);
		const youth = await createPerson(db, 'Forger');
		const insert = db.as(
			{ id: youth },
			(tx) => tx`
				insert into public.notifications (recipient_id, kind, opportunity_id)
				values (${youth}, 'promoted', ${eventId})
			`
		);
		expect(await rejectionCode(insert)).toBe('not_allowed');

		const [a, b] = await people(2, 'Unread');
		const full = await createEvent(db, organizationId, { capacity: 1 });
		await applyInOrder(full, [a!, b!]);
		await withdrawApplication(db, { id: a! }, full);
		await markNotificationsRead(db, { id: b! }, null);
		await db.as(
			{ id: b! },
			(tx) => tx`update public.notifications set read_at = null where recipient_id = ${b!}`
		);
		expect(await countUnreadNotifications(db, { id: b! })).toBe(0);
	});
});

describe('event life cycle', () => {
	it('rejects cancelling a held event', async () => {
		const eventId = await createEvent(db, organizationId, {
			startsAt: new Date(Date.now() - 5 * HOUR),
			endsAt: new Date(Date.now() - 2 * HOUR),
			applyOpensAt: new Date(Date.now() - 48 * HOUR),
			applyClosesAt: new Date(Date.now() - 6 * HOUR)
		});
		expect(await rejectionCode(setEventStatus(db, { id: staff }, eventId, 'cancelled'))).toBe(
			'opportunity_held'
		);
		const [row] = await db.sql`select status from public.opportunities where id = ${eventId}`;
		expect(row!.status).toBe('published');
	});
});
