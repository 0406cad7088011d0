import type { Actor, Database, Tx } from '../db';
import { DomainError, translateErrors } from '../errors';

export type AttendanceRow = {
	personId: string;
	displayName: string;
	applicationStatus: 'accepted' | 'waitlisted' | 'withdrawn' | 'declined' | null;
	checkedInAt: Date | null;
	checkedOutAt: Date | null;
	source: 'code' | 'staff' | null;
};

export type AttendanceCorrection = {
	id: string;
	personId: string;
	personName: string;
	correctedByName: string | null;
	correctedAt: Date;
	checkedInBefore: Date | null;
	checkedOutBefore: Date | null;
	checkedInAfter: Date | null;
	checkedOutAfter: Date | null;
	reason: string;
};

export type AttendanceInput = {
	personId: string;
	checkedInAt: Date | null;
	checkedOutAt: Date | null;
	reason: string;
};

function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}

async function requireStaff(tx: Tx, opportunityId: string): Promise<void> {
	const [row] = await tx<{ allowed: boolean }[]>`
		select private.is_staff_of_opportunity(${opportunityId}) as allowed
	`;
	if (!row?.allowed) {
		throw new DomainError('not_allowed');
	}
}

/**
 * Lists the accepted applicants of an event and anyone else with an attendance record, by name,
 * with their check-in and check-out times. Staff of the event only.
 */
export async function listAttendance(
	db: Database,
	actor: Actor,
	opportunityId: string
): Promise<AttendanceRow[]> {
	requireActor(actor);
	return db.as(actor, async (tx) => {
		await requireStaff(tx, opportunityId);
		return tx<AttendanceRow[]>`
			with people as (
				select applicant_id as person_id from public.applications
				where opportunity_id = ${opportunityId} and status = 'accepted'
				union
				select person_id from public.attendance where opportunity_id = ${opportunityId}
			)
			select p.id as "personId", p.display_name as "displayName",
				a.status as "applicationStatus", t.checked_in_at as "checkedInAt",
				t.checked_out_at as "checkedOutAt", t.source
			from people
			join public.profiles p on p.id = people.person_id
			left join public.applications a
				on a.opportunity_id = ${opportunityId} and a.applicant_id = p.id
			left join public.attendance t on t.opportunity_id = ${opportunityId} and t.person_id = p.id
			order by p.display_name, p.id
		`;
	});
}

/** Lists every staff change of the event's attendance, newest first. Staff of the event only. */
export async function listCorrections(
	db: Database,
	actor: Actor,
	opportunityId: string
): Promise<AttendanceCorrection[]> {
	requireActor(actor);
	return db.as(actor, async (tx) => {
		await requireStaff(tx, opportunityId);
		return tx<AttendanceCorrection[]>`
			select c.id::text as id, c.person_id as "personId", person.display_name as "personName",
				staff.display_name as "correctedByName", c.corrected_at as "correctedAt",
				c.checked_in_before as "checkedInBefore", c.checked_out_before as "checkedOutBefore",
				c.checked_in_after as "checkedInAfter", c.checked_out_after as "checkedOutAfter", c.reason
			from public.attendance_corrections c
			join public.profiles person on person.id = c.person_id
			left join public.profiles staff on staff.id = c.corrected_by
			where c.opportunity_id = ${opportunityId}
			order by c.corrected_at desc, c.id desc
			limit 500
		`;
	});
}

/**
 * Sets an accepted applicant's check-in and check-out times by hand, with the reason. The
 * database function checks that the actor is staff of the event and keeps the change in the
 * corrections history.
 */
export async function recordAttendance(
	db: Database,
	actor: Actor,
	opportunityId: string,
	input: AttendanceInput
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			await tx`
				select private.record_attendance(${opportunityId}, ${input.personId},
					${input.checkedInAt}, ${input.checkedOutAt}, ${input.reason})
			`;
		})
	);
}
