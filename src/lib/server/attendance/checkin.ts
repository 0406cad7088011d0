import type { Actor, Database } from '../db';
import { DomainError, isDomainErrorCode, translateErrors } from '../errors';

export type ApplicationStatus = 'accepted' | 'waitlisted' | 'withdrawn' | 'declined';

export type MyCheckin = {
	id: string;
	title: string;
	organizationName: string | null;
	place: string;
	startsAt: Date;
	endsAt: Date;
	status: 'draft' | 'published' | 'cancelled';
	applicationStatus: ApplicationStatus | null;
	checkedInAt: Date | null;
	checkedOutAt: Date | null;
};

function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}

/** Reads one event for the actor's check-in page, with their application and attendance. */
export async function getMyCheckin(
	db: Database,
	actor: Actor,
	opportunityId: string
): Promise<MyCheckin> {
	requireActor(actor);
	const [event] = await db.as(
		actor,
		(tx) => tx<MyCheckin[]>`
			select o.id, o.title, org.name as "organizationName", o.place, o.starts_at as "startsAt",
				o.ends_at as "endsAt", o.status, a.status as "applicationStatus",
				t.checked_in_at as "checkedInAt", t.checked_out_at as "checkedOutAt"
			from public.opportunities o
			left join public.organizations org on org.id = o.organization_id
			left join public.applications a on a.opportunity_id = o.id and a.applicant_id = ${actor.id}
			left join public.attendance t on t.opportunity_id = o.id and t.person_id = ${actor.id}
			where o.id = ${opportunityId}
		`
	);
	if (!event) {
		throw new DomainError('not_found');
	}
	return event;
}

/**
 * Checks the actor in to or out of an event with the code from its check-in screen. The database
 * function enforces every rule (acceptance, time window, code, repeated attempts) and counts a
 * failed code even though the attempt is rejected.
 */
export async function checkInOrOut(
	db: Database,
	actor: Actor,
	opportunityId: string,
	code: string,
	direction: 'in' | 'out'
): Promise<'checked_in' | 'checked_out'> {
	requireActor(actor);
	const [row] = await translateErrors(
		db.as(
			actor,
			(tx) => tx<{ outcome: string }[]>`
				select private.check_in_or_out(${opportunityId}, ${code}, ${direction}) as outcome
			`
		)
	);
	const outcome = row?.outcome ?? '';
	if (outcome === 'checked_in' || outcome === 'checked_out') {
		return outcome;
	}
	throw new DomainError(isDomainErrorCode(outcome) ? outcome : 'invalid_input', outcome);
}
