import { randomInt } from 'node:crypto';
import { DateTime } from 'luxon';
import { totalHours } from '$lib/hours';
import { ZONE, yearOf } from '$lib/time';
import type { Actor, Database } from '../db';
import { DomainError } from '../errors';
import { listMyParticipation, type Participation } from './hours';

/** Crockford's base 32 alphabet: no I, L, O or U, so a code read aloud or typed is unambiguous. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;

/** A verification code as newVerificationCode() writes it, 60 random bits. */
export const VERIFICATION_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{12}$/;

export type HoursPeriod = { year: number } | 'all';

export type VerifiedRecord = {
	displayName: string;
	totalHours: number;
	periodStart: string;
	periodEnd: string;
	issuedAt: Date;
};

export type HoursRecord = VerifiedRecord & {
	code: string;
	events: Participation[];
};

export function newVerificationCode(): string {
	let code = '';
	for (let index = 0; index < CODE_LENGTH; index++) {
		code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
	}
	return code;
}

function localDate(value: Date): string {
	return DateTime.fromJSDate(value, { zone: ZONE }).toISODate() ?? '';
}

/**
 * Returns the dates a record covers: an Asia/Shanghai year up to today, or for all time the days
 * of the first and the last event with hours (today when there is none).
 */
function periodOf(period: HoursPeriod, attended: Participation[], now: Date) {
	if (period !== 'all') {
		// The current year's record covers the days so far, so it never vouches for days to come.
		const yearEnd = `${period.year}-12-31`;
		const today = localDate(now);
		return { periodStart: `${period.year}-01-01`, periodEnd: today < yearEnd ? today : yearEnd };
	}
	if (attended.length === 0) {
		return { periodStart: localDate(now), periodEnd: localDate(now) };
	}
	const starts = attended.map((event) => event.startsAt.getTime());
	return {
		periodStart: localDate(new Date(Math.min(...starts))),
		periodEnd: localDate(new Date(Math.max(...starts)))
	};
}

/**
 * Issues the actor's record of hours for a period, with its verification code. Each snapshot
 * (name, hours, period) is stored once, so a repeated request with nothing changed returns the
 * same record and code. A change of hours or name issues a new record, and older codes still
 * verify the values they were issued with.
 */
export async function issueHoursRecord(
	db: Database,
	actor: Actor,
	period: HoursPeriod,
	now = new Date()
): Promise<HoursRecord> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
	if (period !== 'all' && period.year > yearOf(now)) {
		throw new DomainError('invalid_input', 'a record cannot cover a year to come');
	}
	const { events, displayName } = await db.as(actor, async (tx) => {
		const [profile] = await tx<{ displayName: string }[]>`
			select display_name as "displayName" from public.profiles where id = ${actor.id}
		`;
		return { events: await listMyParticipation(tx, actor.id), displayName: profile?.displayName };
	});
	if (!displayName) {
		throw new DomainError('not_found');
	}

	const attended = events
		.filter((event) => event.hours > 0)
		.filter((event) => period === 'all' || yearOf(event.startsAt) === period.year);
	const snapshot = {
		displayName,
		totalHours: totalHours(attended),
		...periodOf(period, attended, now)
	};

	// As the owner, because people may not write their own hours: the server computed them from
	// the attendance the person can read, and the table takes no writes from people.
	const stored = await db.service(async (tx) => {
		await tx`
			insert into public.hours_records (code, person_id, display_name, total_hours,
				period_start, period_end)
			values (${newVerificationCode()}, ${actor.id}, ${snapshot.displayName},
				${snapshot.totalHours}, ${snapshot.periodStart}, ${snapshot.periodEnd})
			on conflict on constraint hours_records_one_per_snapshot do nothing
		`;
		const [row] = await tx<{ code: string; issuedAt: Date }[]>`
			select code, issued_at as "issuedAt" from public.hours_records
			where person_id = ${actor.id} and display_name = ${snapshot.displayName}
				and total_hours = ${snapshot.totalHours} and period_start = ${snapshot.periodStart}
				and period_end = ${snapshot.periodEnd}
		`;
		return row!;
	});
	return { ...snapshot, code: stored.code, issuedAt: stored.issuedAt, events: attended };
}

/** Looks up the name, hours and period of a record by its code, or returns null if unknown. */
export async function verifyHoursRecord(
	db: Database,
	code: string
): Promise<VerifiedRecord | null> {
	if (!VERIFICATION_CODE_PATTERN.test(code)) {
		return null;
	}
	const [row] = await db.as(
		null,
		(tx) => tx<
			{
				displayName: string;
				totalHours: string;
				periodStart: string;
				periodEnd: string;
				issuedAt: Date;
			}[]
		>`
			select display_name as "displayName", total_hours::text as "totalHours",
				period_start::text as "periodStart", period_end::text as "periodEnd",
				issued_at as "issuedAt"
			from private.verify_hours_record(${code})
		`
	);
	return row ? { ...row, totalHours: Number(row.totalHours) } : null;
}
