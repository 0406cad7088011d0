import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInOrOut } from '../../src/lib/server/attendance/checkin';
import { checkinCode } from '../../src/lib/server/attendance/codes';
import {
	getMyHours,
	getStarThresholds,
	setStarThresholds
} from '../../src/lib/server/attendance/hours';
import { issueHoursRecord, verifyHoursRecord } from '../../src/lib/server/attendance/records';
import { getCheckinScreen } from '../../src/lib/server/attendance/screen';
import {
	listAttendance,
	listCorrections,
	recordAttendance
} from '../../src/lib/server/attendance/staff';
import type { Database } from '../../src/lib/server/db/client';
import {
	addMember,
	createEvent,
	createOrganization,
	createPerson,
	makeCoordinator,
	rejectionCode,
	testDatabase
} from './fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const STEP = 30_000;

let db: Database;
let organizationId: string;
let staffId: string;
let otherOrganizationId: string;
let otherStaffId: string;

beforeAll(async () => {
	db = testDatabase();
	organizationId = await createOrganization(db);
	staffId = await createPerson(db, 'Staff member');
	await addMember(db, organizationId, staffId);
	otherOrganizationId = await createOrganization(db);
	otherStaffId = await createPerson(db, 'Other staff');
	await addMember(db, otherOrganizationId, otherStaffId);
});

afterAll(async () => {
	await db.end();
});

type Times = { startsAt: Date; endsAt: Date };

/**
 * Creates an event with the given people applied while it was open, then moves it to the given
 * times, so that it can be running now or over. Applications cannot be made after the start.
 */
async function eventAt(
	times: Times,
	applicants: string[],
	options: { capacity?: number; organization?: string } = {}
): Promise<string> {
	const eventId = await createEvent(db, options.organization ?? organizationId, {
		capacity: options.capacity ?? 20
	});
	for (const person of applicants) {
		await db.service(
			(tx) => tx`
				insert into public.applications (opportunity_id, applicant_id, status)
				values (${eventId}, ${person}, 'accepted')
			`
		);
	}
	await db.service(
		(tx) => tx`
			update public.opportunities set
				apply_opens_at = ${new Date(times.startsAt.getTime() - 72 * HOUR)},
				apply_closes_at = ${new Date(times.startsAt.getTime() - 48 * HOUR)},
				starts_at = ${times.startsAt}, ends_at = ${times.endsAt}
			where id = ${eventId}
		`
	);
	return eventId;
}

function runningNow(): Times {
	return { startsAt: new Date(Date.now() - HOUR), endsAt: new Date(Date.now() + 2 * HOUR) };
}

async function secretOf(eventId: string): Promise<Uint8Array> {
	const [row] = await db.service(
		(tx) => tx<{ secret: Uint8Array }[]>`
			insert into public.checkin_secrets (opportunity_id) values (${eventId})
			on conflict (opportunity_id) do update set opportunity_id = excluded.opportunity_id
			returning secret
		`
	);
	return row!.secret;
}

/** Replaces an event's secret, as if another random one had been drawn. */
async function redrawSecret(eventId: string): Promise<Uint8Array> {
	const [row] = await db.service(
		(tx) => tx<{ secret: Uint8Array }[]>`
			update public.checkin_secrets set secret = extensions.gen_random_bytes(20)
			where opportunity_id = ${eventId}
			returning secret
		`
	);
	return row!.secret;
}

/** Waits while the current 30-second step has under three seconds left, so a test cannot
 * compute a code in one step and submit it two steps later. */
async function awayFromStepEdge(): Promise<void> {
	const left = STEP - (Date.now() % STEP);
	if (left < 3000) {
		await new Promise((resolve) => setTimeout(resolve, left + 200));
	}
}

async function attendanceOf(eventId: string, personId: string) {
	const [row] = await db.sql<{ checked_in_at: Date | null; checked_out_at: Date | null }[]>`
		select checked_in_at, checked_out_at from public.attendance
		where opportunity_id = ${eventId} and person_id = ${personId}
	`;
	return row ?? null;
}

describe('check-in codes', () => {
	it('derives RFC 6238 values in SQL', async () => {
		const [row] = await db.sql<{ code: string }[]>`
			select private.totp_code(convert_to('12345678901234567890', 'UTF8'), 1) as code
		`;
		expect(row!.code).toBe('287082');
	});

	it('agrees with the screen in SQL', async () => {
		const eventId = await eventAt(runningNow(), []);
		const secret = await secretOf(eventId);
		for (const offset of [0, 1, 2, 1000, 123456]) {
			const at = new Date(Date.now() - offset * STEP);
			const step = Math.floor(at.getTime() / STEP);
			const [row] = await db.sql<{ code: string }[]>`
				select private.totp_code(${secret}, ${step}) as code
			`;
			expect(row!.code).toBe(checkinCode(secret, at).code);
		}
	});

	it('shows staff a code only during the window', async () => {
		const running = await eventAt(runningNow(), []);
		const screen = await getCheckinScreen(db, { id: staffId }, running);
		expect(screen.phase).toBe('open');
		expect(screen.code).toMatch(/^\d{6}$/);
		const later = await eventAt(
			{ startsAt: new Date(Date.now() + 2 * HOUR), endsAt: new Date(Date.now() + 3 * HOUR) },
			[]
		);
		const waiting = await getCheckinScreen(db, { id: staffId }, later);
		expect(waiting.phase).toBe('before');
		expect(waiting.code).toBeNull();
	});
});

describe('checking in and out', () => {
	it('checks in with the current code', async () => {
		const youth = await createPerson(db);
		const eventId = await eventAt(runningNow(), [youth]);
		await awayFromStepEdge();
		const screen = await getCheckinScreen(db, { id: staffId }, eventId);
		expect(await checkInOrOut(db, { id: youth }, eventId, screen.code!, 'in')).toBe('checked_in');
		expect((await attendanceOf(eventId, youth))?.checked_in_at).toBeInstanceOf(Date);
		const after = await getCheckinScreen(db, { id: staffId }, eventId);
		expect(after.checkedInCount).toBe(1);
	});

	it('accepts the code of the previous window', async () => {
		const youth = await createPerson(db);
		const eventId = await eventAt(runningNow(), [youth]);
		const secret = await secretOf(eventId);
		await awayFromStepEdge();
		const previous = checkinCode(secret, new Date(Date.now() - STEP)).code;
		expect(await checkInOrOut(db, { id: youth }, eventId, previous, 'in')).toBe('checked_in');
	});

	it('rejects a code from an earlier window', async () => {
		const youth = await createPerson(db);
		const eventId = await eventAt(runningNow(), [youth]);
		let secret = await secretOf(eventId);
		await awayFromStepEdge();
		const codeAt = (offset: number) =>
			checkinCode(secret, new Date(Date.now() - offset * STEP)).code;
		// A code two windows old may by chance equal a current one; draw again until it does not.
		while ([codeAt(0), codeAt(1)].includes(codeAt(2))) {
			secret = await redrawSecret(eventId);
		}
		expect(await rejectionCode(checkInOrOut(db, { id: youth }, eventId, codeAt(2), 'in'))).toBe(
			'checkin_code_expired'
		);
		expect(await attendanceOf(eventId, youth)).toBeNull();
	});

	it('rejects a code of another event', async () => {
		const youth = await createPerson(db);
		const eventId = await eventAt(runningNow(), [youth]);
		const otherId = await eventAt(runningNow(), [youth]);
		const secret = await secretOf(eventId);
		let otherSecret = await secretOf(otherId);
		await awayFromStepEdge();
		const valid = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(
			(offset) => checkinCode(secret, new Date(Date.now() - offset * STEP)).code
		);
		while (valid.includes(checkinCode(otherSecret, new Date()).code)) {
			otherSecret = await redrawSecret(otherId);
		}
		const otherCode = checkinCode(otherSecret, new Date()).code;
		expect(await rejectionCode(checkInOrOut(db, { id: youth }, eventId, otherCode, 'in'))).toBe(
			'checkin_code_invalid'
		);
		expect(await attendanceOf(eventId, youth)).toBeNull();
	});

	it('rejects check-in outside the window', async () => {
		const youth = await createPerson(db);
		const early = await eventAt(
			{ startsAt: new Date(Date.now() + 31 * MINUTE), endsAt: new Date(Date.now() + 3 * HOUR) },
			[youth]
		);
		const over = await eventAt(
			{ startsAt: new Date(Date.now() - 3 * HOUR), endsAt: new Date(Date.now() - MINUTE) },
			[youth]
		);
		await awayFromStepEdge();
		const earlyCode = checkinCode(await secretOf(early), new Date()).code;
		const overCode = checkinCode(await secretOf(over), new Date()).code;
		expect(await rejectionCode(checkInOrOut(db, { id: youth }, early, earlyCode, 'in'))).toBe(
			'checkin_not_open'
		);
		expect(await rejectionCode(checkInOrOut(db, { id: youth }, over, overCode, 'in'))).toBe(
			'checkin_closed'
		);
		expect(await attendanceOf(early, youth)).toBeNull();
		expect(await attendanceOf(over, youth)).toBeNull();
	});

	it('opens check-in 30 minutes before the start', async () => {
		const youth = await createPerson(db);
		const eventId = await eventAt(
			{ startsAt: new Date(Date.now() + 29 * MINUTE), endsAt: new Date(Date.now() + 3 * HOUR) },
			[youth]
		);
		await awayFromStepEdge();
		const code = checkinCode(await secretOf(eventId), new Date()).code;
		expect(await checkInOrOut(db, { id: youth }, eventId, code, 'in')).toBe('checked_in');
	});

	it('rejects people who are not accepted', async () => {
		const accepted = await createPerson(db);
		const waitlisted = await createPerson(db);
		const withdrawn = await createPerson(db);
		const declined = await createPerson(db);
		const stranger = await createPerson(db);
		// One place: everyone after the first waits, so withdrawing frees no place to promote.
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		for (const person of [accepted, waitlisted, withdrawn, declined]) {
			await db.service(
				(tx) => tx`
					insert into public.applications (opportunity_id, applicant_id, status)
					values (${eventId}, ${person}, 'accepted')
				`
			);
		}
		await db.service(
			(tx) => tx`
				update public.applications set status = 'withdrawn'
				where opportunity_id = ${eventId} and applicant_id = ${withdrawn}
			`
		);
		await db.service(
			(tx) => tx`
				update public.applications set status = 'declined'
				where opportunity_id = ${eventId} and applicant_id = ${declined}
			`
		);
		const times = runningNow();
		await db.service(
			(tx) => tx`
				update public.opportunities set
					apply_opens_at = ${new Date(times.startsAt.getTime() - 72 * HOUR)},
					apply_closes_at = ${new Date(times.startsAt.getTime() - 48 * HOUR)},
					starts_at = ${times.startsAt}, ends_at = ${times.endsAt}
				where id = ${eventId}
			`
		);
		const [row] = await db.sql<{ status: string }[]>`
			select status from public.applications
			where opportunity_id = ${eventId} and applicant_id = ${waitlisted}
		`;
		expect(row!.status).toBe('waitlisted');

		await awayFromStepEdge();
		const code = checkinCode(await secretOf(eventId), new Date()).code;
		for (const person of [waitlisted, withdrawn, declined, stranger]) {
			expect(await rejectionCode(checkInOrOut(db, { id: person }, eventId, code, 'in'))).toBe(
				'attendance_not_accepted'
			);
			expect(await attendanceOf(eventId, person)).toBeNull();
		}
		expect(await checkInOrOut(db, { id: accepted }, eventId, code, 'in')).toBe('checked_in');
	});

	it('checks out once, after checking in', async () => {
		const youth = await createPerson(db);
		const eventId = await eventAt(runningNow(), [youth]);
		await awayFromStepEdge();
		const code = checkinCode(await secretOf(eventId), new Date()).code;
		expect(await rejectionCode(checkInOrOut(db, { id: youth }, eventId, code, 'out'))).toBe(
			'not_checked_in'
		);
		await checkInOrOut(db, { id: youth }, eventId, code, 'in');
		expect(await rejectionCode(checkInOrOut(db, { id: youth }, eventId, code, 'in'))).toBe(
			'already_checked_in'
		);
		expect(await checkInOrOut(db, { id: youth }, eventId, code, 'out')).toBe('checked_out');
		expect(await rejectionCode(checkInOrOut(db, { id: youth }, eventId, code, 'out'))).toBe(
			'already_checked_out'
		);
		const record = await attendanceOf(eventId, youth);
		expect(record?.checked_out_at?.getTime()).toBeGreaterThanOrEqual(
			record!.checked_in_at!.getTime()
		);
	});

	it('keeps check-out open for 30 minutes after the end', async () => {
		const youth = await createPerson(db);
		const late = await createPerson(db);
		const ended = await eventAt(
			{ startsAt: new Date(Date.now() - 3 * HOUR), endsAt: new Date(Date.now() - 10 * MINUTE) },
			[youth]
		);
		const closed = await eventAt(
			{ startsAt: new Date(Date.now() - 3 * HOUR), endsAt: new Date(Date.now() - 31 * MINUTE) },
			[late]
		);
		for (const [eventId, person] of [
			[ended, youth],
			[closed, late]
		] as const) {
			await recordAttendance(db, { id: staffId }, eventId, {
				personId: person,
				checkedInAt: new Date(Date.now() - 2 * HOUR),
				checkedOutAt: null,
				reason: 'Checked in on paper'
			});
		}
		await awayFromStepEdge();
		const endedCode = checkinCode(await secretOf(ended), new Date()).code;
		const closedCode = checkinCode(await secretOf(closed), new Date()).code;
		expect(await checkInOrOut(db, { id: youth }, ended, endedCode, 'out')).toBe('checked_out');
		expect(await rejectionCode(checkInOrOut(db, { id: late }, closed, closedCode, 'out'))).toBe(
			'checkout_closed'
		);
		expect((await attendanceOf(closed, late))?.checked_out_at).toBeNull();
	});

	it('stops accepting codes after ten failures', async () => {
		const youth = await createPerson(db);
		const eventId = await eventAt(runningNow(), [youth]);
		const secret = await secretOf(eventId);
		await awayFromStepEdge();
		const valid = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(
			(offset) => checkinCode(secret, new Date(Date.now() - offset * STEP)).code
		);
		const wrong = ['000000', '111111', '222222', '333333', '444444', '555555', '666666']
			.concat(['777777', '888888', '999999', '123456', '654321'])
			.filter((candidate) => !valid.includes(candidate))
			.slice(0, 10);
		expect(wrong).toHaveLength(10);
		for (const candidate of wrong) {
			expect(await rejectionCode(checkInOrOut(db, { id: youth }, eventId, candidate, 'in'))).toBe(
				'checkin_code_invalid'
			);
		}
		const code = checkinCode(secret, new Date()).code;
		expect(await rejectionCode(checkInOrOut(db, { id: youth }, eventId, code, 'in'))).toBe(
			'checkin_too_many_attempts'
		);
		expect(await attendanceOf(eventId, youth)).toBeNull();
	});
});

describe('hours', () => {
	it('clamps hours to the event time', async () => {
		const youth = await createPerson(db);
		const startsAt = new Date(Date.now() - 5 * HOUR);
		const endsAt = new Date(Date.now() - 2 * HOUR);
		const eventId = await eventAt({ startsAt, endsAt }, [youth]);
		await recordAttendance(db, { id: staffId }, eventId, {
			personId: youth,
			checkedInAt: new Date(startsAt.getTime() - 20 * MINUTE),
			checkedOutAt: new Date(endsAt.getTime() + 25 * MINUTE),
			reason: 'Came without a phone'
		});
		const hours = await getMyHours(db, { id: youth });
		expect(hours.totalHours).toBe(3);
		expect(hours.events.find((event) => event.opportunityId === eventId)?.hours).toBe(3);
	});

	it('counts no-shows per Asia/Shanghai year', async () => {
		const youth = await createPerson(db);
		// 31 December 2025, 23:30 to 23:59 in Asia/Shanghai: still 2025 there.
		const eve = await eventAt(
			{ startsAt: new Date('2025-12-31T15:30:00Z'), endsAt: new Date('2025-12-31T15:59:00Z') },
			[youth]
		);
		// 1 January 2026, 00:30 to 02:30 in Asia/Shanghai: 2026 there, 2025 in UTC.
		const newYear = await eventAt(
			{ startsAt: new Date('2025-12-31T16:30:00Z'), endsAt: new Date('2025-12-31T18:30:00Z') },
			[youth]
		);
		const attended = await eventAt(
			{ startsAt: new Date('2026-03-05T01:00:00Z'), endsAt: new Date('2026-03-05T03:00:00Z') },
			[youth]
		);
		await recordAttendance(db, { id: staffId }, attended, {
			personId: youth,
			checkedInAt: new Date('2026-03-05T01:00:00Z'),
			checkedOutAt: new Date('2026-03-05T03:00:00Z'),
			reason: 'Signed the paper sheet'
		});
		const { years } = await getMyHours(db, { id: youth });
		expect(years.find((year) => year.year === 2025)).toEqual({
			year: 2025,
			hours: 0,
			noShows: 1,
			events: 0
		});
		expect(years.find((year) => year.year === 2026)).toEqual({
			year: 2026,
			hours: 2,
			noShows: 1,
			events: 1
		});

		const rows = await listAttendance(db, { id: staffId }, newYear);
		expect(rows.map((row) => [row.personId, row.checkedInAt])).toEqual([[youth, null]]);

		// Running the count again changes nothing, and a correction takes the no-show away.
		expect((await getMyHours(db, { id: youth })).years).toEqual(years);
		await recordAttendance(db, { id: staffId }, eve, {
			personId: youth,
			checkedInAt: new Date('2025-12-31T15:30:00Z'),
			checkedOutAt: new Date('2025-12-31T15:59:00Z'),
			reason: 'Was there, phone battery empty'
		});
		const corrected = await getMyHours(db, { id: youth });
		expect(corrected.years.find((year) => year.year === 2025)?.noShows).toBe(0);
	});
});

describe('staff corrections', () => {
	it('keeps reason, before and after', async () => {
		const youth = await createPerson(db);
		const startsAt = new Date(Date.now() - 4 * HOUR);
		const endsAt = new Date(Date.now() - HOUR);
		const eventId = await eventAt({ startsAt, endsAt }, [youth]);
		const firstIn = new Date(startsAt.getTime() + 10 * MINUTE);
		const firstOut = new Date(endsAt.getTime() - 10 * MINUTE);
		await recordAttendance(db, { id: staffId }, eventId, {
			personId: youth,
			checkedInAt: firstIn,
			checkedOutAt: null,
			reason: 'No phone'
		});
		await recordAttendance(db, { id: staffId }, eventId, {
			personId: youth,
			checkedInAt: firstIn,
			checkedOutAt: firstOut,
			reason: 'Left at the end, forgot to check out'
		});

		const history = await listCorrections(db, { id: staffId }, eventId);
		expect(history).toHaveLength(2);
		expect(history[0]?.reason).toBe('Left at the end, forgot to check out');
		expect(history[0]?.checkedInBefore?.getTime()).toBe(firstIn.getTime());
		expect(history[0]?.checkedOutBefore).toBeNull();
		expect(history[0]?.checkedOutAfter?.getTime()).toBe(firstOut.getTime());
		expect(history[0]?.correctedByName).toBe('Staff member');
		expect(history[1]?.checkedInBefore).toBeNull();
		expect(history[1]?.reason).toBe('No phone');
	});

	it('rejects a change without reason', async () => {
		const youth = await createPerson(db);
		const startsAt = new Date(Date.now() - 4 * HOUR);
		const eventId = await eventAt({ startsAt, endsAt: new Date(Date.now() - HOUR) }, [youth]);
		const change = (reason: string) =>
			recordAttendance(db, { id: staffId }, eventId, {
				personId: youth,
				checkedInAt: startsAt,
				checkedOutAt: null,
				reason
			});
		expect(await rejectionCode(change(' '))).toBe('correction_reason_required');
		expect(await attendanceOf(eventId, youth)).toBeNull();
		await change('No phone');
		expect(await rejectionCode(change('Same again'))).toBe('attendance_unchanged');
		expect(await listCorrections(db, { id: staffId }, eventId)).toHaveLength(1);
	});

	it('rejects invalid correction times', async () => {
		const youth = await createPerson(db);
		const startsAt = new Date(Date.now() - 2 * HOUR);
		const endsAt = new Date(Date.now() + HOUR);
		const eventId = await eventAt({ startsAt, endsAt }, [youth]);
		const attempts = [
			{ checkedInAt: new Date(startsAt.getTime() - 31 * MINUTE), checkedOutAt: null },
			{ checkedInAt: startsAt, checkedOutAt: new Date(Date.now() + 5 * MINUTE) },
			{ checkedInAt: startsAt, checkedOutAt: new Date(startsAt.getTime() - MINUTE) },
			{ checkedInAt: null, checkedOutAt: startsAt }
		];
		for (const times of attempts) {
			expect(
				await rejectionCode(
					recordAttendance(db, { id: staffId }, eventId, {
						personId: youth,
						...times,
						reason: 'Test'
					})
				)
			).toBe('attendance_time_invalid');
		}
		expect(await attendanceOf(eventId, youth)).toBeNull();
	});

	it('records only accepted applicants', async () => {
		const stranger = await createPerson(db);
		const eventId = await eventAt(runningNow(), []);
		expect(
			await rejectionCode(
				recordAttendance(db, { id: staffId }, eventId, {
					personId: stranger,
					checkedInAt: new Date(Date.now() - 30 * MINUTE),
					checkedOutAt: null,
					reason: 'Walked in'
				})
			)
		).toBe('attendance_not_accepted');
	});
});

describe('records of hours', () => {
	it('verifies name, hours and period only', async () => {
		const youth = await createPerson(db, 'Li Hua');
		const startsAt = new Date('2025-05-04T01:00:00Z');
		const endsAt = new Date('2025-05-04T05:30:00Z');
		const eventId = await eventAt({ startsAt, endsAt }, [youth]);
		await recordAttendance(db, { id: staffId }, eventId, {
			personId: youth,
			checkedInAt: startsAt,
			checkedOutAt: endsAt,
			reason: 'Paper sheet'
		});
		const record = await issueHoursRecord(db, { id: youth }, { year: 2025 });
		expect(record.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
		expect(record.totalHours).toBe(4.5);

		const verified = await verifyHoursRecord(db, record.code);
		expect(verified).toEqual({
			displayName: 'Li Hua',
			totalHours: 4.5,
			periodStart: '2025-01-01',
			periodEnd: '2025-12-31',
			issuedAt: expect.any(Date)
		});
		const columns = await db.as(
			null,
			(tx) => tx`select * from private.verify_hours_record(${record.code})`
		);
		expect(Object.keys(columns[0]!).sort()).toEqual(
			['display_name', 'issued_at', 'period_end', 'period_start', 'total_hours'].sort()
		);
	});

	it('returns the same code while nothing changed', async () => {
		const youth = await createPerson(db);
		const first = await issueHoursRecord(db, { id: youth }, 'all');
		const second = await issueHoursRecord(db, { id: youth }, 'all');
		expect(second.code).toBe(first.code);
	});

	it('rejects a record of a year to come', async () => {
		const youth = await createPerson(db);
		const nextYear = new Date().getUTCFullYear() + 2;
		expect(await rejectionCode(issueHoursRecord(db, { id: youth }, { year: nextYear }))).toBe(
			'invalid_input'
		);
	});

	it('finds nothing for an unknown code', async () => {
		expect(await verifyHoursRecord(db, 'ABCDEFGHJKMN')).toBeNull();
		expect(await verifyHoursRecord(db, 'not a code')).toBeNull();
	});

	it('hides records from other people', async () => {
		const youth = await createPerson(db);
		const other = await createPerson(db);
		await issueHoursRecord(db, { id: youth }, 'all');
		expect(await rejectionCode(db.as(null, (tx) => tx`select * from public.hours_records`))).toBe(
			'not_allowed'
		);
		const seen = await db.as(
			{ id: other },
			(tx) => tx`select * from public.hours_records where person_id = ${youth}`
		);
		expect(seen).toHaveLength(0);
		expect(
			await rejectionCode(
				db.as(
					{ id: youth },
					(tx) => tx`
						insert into public.hours_records (code, person_id, display_name, total_hours,
							period_start, period_end)
						values ('ABCDEFGHJKMN', ${youth}, 'Me', 9999, '2026-01-01', '2026-12-31')
					`
				)
			)
		).toBe('not_allowed');
	});
});

describe('attendance row level security', () => {
	it('keeps a youth from reading another person’s attendance', async () => {
		const youth = await createPerson(db);
		const other = await createPerson(db);
		const startsAt = new Date(Date.now() - 4 * HOUR);
		const eventId = await eventAt({ startsAt, endsAt: new Date(Date.now() - HOUR) }, [
			youth,
			other
		]);
		for (const person of [youth, other]) {
			await recordAttendance(db, { id: staffId }, eventId, {
				personId: person,
				checkedInAt: startsAt,
				checkedOutAt: null,
				reason: 'Paper sheet'
			});
		}
		const seen = await db.as(
			{ id: youth },
			(tx) => tx<{ person_id: string }[]>`
				select person_id from public.attendance where opportunity_id = ${eventId}
			`
		);
		expect(seen.map((row) => row.person_id)).toEqual([youth]);
		const corrections = await db.as(
			{ id: youth },
			(tx) => tx<{ person_id: string }[]>`
				select person_id from public.attendance_corrections where opportunity_id = ${eventId}
			`
		);
		expect(corrections.map((row) => row.person_id)).toEqual([youth]);
		expect(await rejectionCode(listAttendance(db, { id: youth }, eventId))).toBe('not_allowed');
	});

	it('keeps people from writing attendance directly', async () => {
		const youth = await createPerson(db);
		const eventId = await eventAt(runningNow(), [youth]);
		expect(
			await rejectionCode(
				db.as(
					{ id: youth },
					(tx) => tx`
						insert into public.attendance (opportunity_id, person_id, checked_in_at, source)
						values (${eventId}, ${youth}, now(), 'code')
					`
				)
			)
		).toBe('not_allowed');
		expect(
			await rejectionCode(
				db.as(
					{ id: staffId },
					(tx) => tx`update public.attendance set checked_in_at = now() where true`
				)
			)
		).toBe('not_allowed');
	});

	it('blocks staff of other organizations', async () => {
		const youth = await createPerson(db);
		const startsAt = new Date(Date.now() - HOUR);
		const eventId = await eventAt({ startsAt, endsAt: new Date(Date.now() + HOUR) }, [youth]);
		await recordAttendance(db, { id: staffId }, eventId, {
			personId: youth,
			checkedInAt: startsAt,
			checkedOutAt: null,
			reason: 'Paper sheet'
		});

		const outsider = { id: otherStaffId };
		const seen = await db.as(
			outsider,
			(tx) => tx`select * from public.attendance where opportunity_id = ${eventId}`
		);
		expect(seen).toHaveLength(0);
		const history = await db.as(
			outsider,
			(tx) => tx`select * from public.attendance_corrections where opportunity_id = ${eventId}`
		);
		expect(history).toHaveLength(0);

		expect(await rejectionCode(listAttendance(db, outsider, eventId))).toBe('not_allowed');
		expect(await rejectionCode(listCorrections(db, outsider, eventId))).toBe('not_allowed');
		expect(await rejectionCode(getCheckinScreen(db, outsider, eventId))).toBe('not_allowed');
		expect(
			await rejectionCode(
				recordAttendance(db, outsider, eventId, {
					personId: youth,
					checkedInAt: null,
					checkedOutAt: null,
					reason: 'Trying to clear it'
				})
			)
		).toBe('not_allowed');
		expect((await attendanceOf(eventId, youth))?.checked_in_at?.getTime()).toBe(startsAt.getTime());
	});

	it('shows the check-in secret to the event’s staff only', async () => {
		const youth = await createPerson(db);
		const eventId = await eventAt(runningNow(), [youth]);
		await secretOf(eventId);
		for (const person of [youth, otherStaffId]) {
			const rows = await db.as(
				{ id: person },
				(tx) => tx`select * from public.checkin_secrets where opportunity_id = ${eventId}`
			);
			expect(rows).toHaveLength(0);
		}
		const rows = await db.as(
			{ id: staffId },
			(tx) => tx`select * from public.checkin_secrets where opportunity_id = ${eventId}`
		);
		expect(rows).toHaveLength(1);
	});
});

describe('star thresholds', () => {
	it('lets coordinators set ascending values', async () => {
		const coordinator = await createPerson(db);
		await makeCoordinator(db, coordinator);
		const youth = await createPerson(db);
		expect(await getStarThresholds(db, { id: youth })).toEqual([100, 300, 600, 1000, 1500]);

		await setStarThresholds(db, { id: coordinator }, [50, 200, 400, 800, 1200]);
		expect(await getStarThresholds(db, { id: youth })).toEqual([50, 200, 400, 800, 1200]);

		expect(
			await rejectionCode(setStarThresholds(db, { id: coordinator }, [50, 40, 400, 800, 1200]))
		).toBe('star_thresholds_invalid');
		expect(
			await rejectionCode(setStarThresholds(db, { id: coordinator }, [0, 200, 400, 800, 1200]))
		).toBe('star_thresholds_invalid');
		expect(await rejectionCode(setStarThresholds(db, { id: youth }, [1, 2, 3, 4, 5]))).toBe(
			'not_allowed'
		);
		expect(await getStarThresholds(db, { id: youth })).toEqual([50, 200, 400, 800, 1200]);

		await setStarThresholds(db, { id: coordinator }, [100, 300, 600, 1000, 1500]);
	});
});

describe('rules once an event starts', () => {
	it('rejects check-out before the start', async () => {
		const person = await createPerson(db);
		const startsSoon = {
			startsAt: new Date(Date.now() + 10 * MINUTE),
			endsAt: new Date(Date.now() + 2 * HOUR)
		};
		const eventId = await eventAt(startsSoon, [person]);
		const secret = await secretOf(eventId);
		await awayFromStepEdge();
		const { code } = checkinCode(secret, new Date());
		expect(await checkInOrOut(db, { id: person }, eventId, code, 'in')).toBe('checked_in');
		const early = checkInOrOut(db, { id: person }, eventId, code, 'out');
		expect(await rejectionCode(early)).toBe('checkout_not_open');
		expect((await attendanceOf(eventId, person))?.checked_out_at).toBeNull();
	});

	it('rejects declining after the start', async () => {
		const person = await createPerson(db);
		const eventId = await eventAt(runningNow(), [person]);
		const decline = db.as(
			{ id: staffId },
			(tx) => tx`
				update public.applications set status = 'declined'
				where opportunity_id = ${eventId} and applicant_id = ${person}
			`
		);
		expect(await rejectionCode(decline)).toBe('opportunity_started');
		const [row] = await db.sql<{ status: string }[]>`
			select status from public.applications
			where opportunity_id = ${eventId} and applicant_id = ${person}
		`;
		expect(row!.status).toBe('accepted');
	});
});
