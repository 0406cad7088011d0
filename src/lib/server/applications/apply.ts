import { isMinorOn } from '$lib/applications/rules';
import type { ApplyInput } from '$lib/forms/application';
import type { Actor, Database, Tx } from '../db';
import { DomainError, translateErrors } from '../errors';
import { requireActor, type ApplicationStatus } from './shared';

export type OverlappingEvent = {
	opportunityId: string;
	title: string;
	startsAt: Date;
	endsAt: Date;
};

/** The apply form fields the applicant still has to fill, each with a `field_<code>` code. */
export type MissingFields = Partial<
	Record<'birthDate' | 'guardianName' | 'guardianPhone' | 'guardianConsent', string>
>;

/** Outcome of an application: a place, or the waitlist at a 1-based position. */
export type ApplyResult = { status: 'accepted' } | { status: 'waitlisted'; position: number };

export type ApplyOutcome =
	| { kind: 'applied'; result: ApplyResult }
	| { kind: 'overlap'; overlapping: OverlappingEvent[] }
	| { kind: 'incomplete'; missing: MissingFields };

/** A guardian's consent, given on the apply form; stored for a minor only. */
export type Guardian = { name: string; phone: string };

type Target = {
	startsAt: Date;
	status: 'draft' | 'published' | 'cancelled';
	isStarted: boolean;
	isWindowOpen: boolean;
	birthDate: string | null;
	existingStatus: ApplicationStatus | null;
};

/**
 * Applies the actor to an opportunity. The database decides between a place and the end of the
 * waitlist under the opportunity's row lock (private.guard_application), so two people can never
 * take the last place together, and it rejects a minor's application without a guardian's
 * consent. Reapplying after a withdrawal reuses the one row a person may have per opportunity.
 */
export async function applyToOpportunity(
	db: Database,
	actor: Actor,
	opportunityId: string,
	guardian: Guardian | null = null
): Promise<ApplyResult> {
	requireActor(actor);
	return translateErrors(
		db.as(actor, async (tx) => {
			await readTarget(tx, actor.id, opportunityId);
			return insertApplication(tx, actor.id, opportunityId, guardian);
		})
	);
}

/**
 * Applies the actor through the apply form. Before anything is written, the form may come back
 * with fields to fill: a birth date when the profile has none, and a guardian's consent for
 * someone under 18 when the event starts. It may also come back with the accepted events whose
 * time overlaps, to confirm. A birth date given here is saved to the profile with the application.
 */
export async function submitApplication(
	db: Database,
	actor: Actor,
	opportunityId: string,
	input: ApplyInput
): Promise<ApplyOutcome> {
	requireActor(actor);
	return translateErrors(
		db.as(actor, async (tx) => {
			const target = await readTarget(tx, actor.id, opportunityId);
			const birthDate = target.birthDate ?? (input.birthDate || null);
			const missing = missingFields(input, birthDate, target.startsAt);
			if (Object.keys(missing).length > 0) {
				return { kind: 'incomplete', missing };
			}

			const overlapping = await tx<OverlappingEvent[]>`
				select opportunity_id as "opportunityId", title, starts_at as "startsAt",
					ends_at as "endsAt"
				from private.overlapping_acceptances(${opportunityId})
			`;
			if (overlapping.length > 0 && !input.confirmOverlap) {
				return { kind: 'overlap', overlapping };
			}

			if (!target.birthDate) {
				await tx`update public.profiles set birth_date = ${birthDate} where id = ${actor.id}`;
			}
			const guardian = isMinorOn(birthDate, target.startsAt)
				? { name: input.guardianName, phone: input.guardianPhone }
				: null;
			// An overlap confirmed on the form is kept on the application, so the audit log shows
			// who applied anyway.
			const result = await insertApplication(
				tx,
				actor.id,
				opportunityId,
				guardian,
				overlapping.length > 0
			);
			return { kind: 'applied', result };
		})
	);
}

/**
 * Reads the opportunity and the applicant's state and checks them in the order the page explains
 * them: not found, already applied, then the status and window rules of the database guard. The
 * form asks for a birth date only after these pass, because the event must take applications.
 */
async function readTarget(tx: Tx, applicantId: string, opportunityId: string): Promise<Target> {
	const [target] = await tx<Target[]>`
		select o.starts_at as "startsAt", o.status, now() >= o.starts_at as "isStarted",
			now() >= o.apply_opens_at and now() < o.apply_closes_at as "isWindowOpen",
			to_char(p.birth_date, 'YYYY-MM-DD') as "birthDate", a.status as "existingStatus"
		from public.opportunities o
		left join public.profiles p on p.id = ${applicantId}
		left join public.applications a on a.opportunity_id = o.id and a.applicant_id = ${applicantId}
		where o.id = ${opportunityId}
	`;
	if (!target) {
		throw new DomainError('not_found');
	}
	if (target.existingStatus && target.existingStatus !== 'withdrawn') {
		throw new DomainError('already_applied');
	}
	if (target.status === 'cancelled') {
		throw new DomainError('opportunity_cancelled');
	}
	if (target.status !== 'published') {
		throw new DomainError('opportunity_not_published');
	}
	if (target.isStarted) {
		throw new DomainError('opportunity_started');
	}
	if (!target.isWindowOpen) {
		throw new DomainError('apply_window_closed');
	}
	return target;
}

function missingFields(input: ApplyInput, birthDate: string | null, startsAt: Date): MissingFields {
	if (!birthDate) {
		return { birthDate: 'required' };
	}
	if (!isMinorOn(birthDate, startsAt)) {
		return {};
	}
	const missing: MissingFields = {};
	if (!input.guardianName) {
		missing.guardianName = 'required';
	}
	if (!input.guardianPhone) {
		missing.guardianPhone = 'required';
	}
	if (!input.guardianConsent) {
		missing.guardianConsent = 'consent_required';
	}
	return missing;
}

async function insertApplication(
	tx: Tx,
	applicantId: string,
	opportunityId: string,
	guardian: Guardian | null,
	overlapConfirmed = false
): Promise<ApplyResult> {
	const [application] = await tx<{ id: string; status: ApplicationStatus }[]>`
		insert into public.applications (opportunity_id, applicant_id, status, guardian_name,
			guardian_phone, overlap_confirmed)
		values (${opportunityId}, ${applicantId}, 'accepted', ${guardian?.name ?? null},
			${guardian?.phone ?? null}, ${overlapConfirmed})
		on conflict on constraint applications_one_per_person do update
			set status = 'accepted', guardian_name = excluded.guardian_name,
				guardian_phone = excluded.guardian_phone, overlap_confirmed = excluded.overlap_confirmed
			where applications.status = 'withdrawn'
		returning id, status
	`;
	if (!application) {
		throw new DomainError('already_applied');
	}
	if (application.status === 'accepted') {
		return { status: 'accepted' };
	}
	const [queue] = await tx<{ position: number }[]>`
		select private.waitlist_position(${application.id}) as position
	`;
	return { status: 'waitlisted', position: queue!.position };
}

export type ApplyContext = {
	/** The actor's birth date (YYYY-MM-DD) from their profile; null when not given yet. */
	birthDate: string | null;
	/** The actor's 1-based place in this opportunity's waitlist; null unless waitlisted. */
	position: number | null;
};

/** Reads what the apply form needs to know about the actor. A visitor gets empty values. */
export async function getApplyContext(
	db: Database,
	actor: Actor,
	opportunityId: string
): Promise<ApplyContext> {
	if (!actor) {
		return { birthDate: null, position: null };
	}
	const [context] = await db.as(
		actor,
		(tx) => tx<ApplyContext[]>`
			select to_char(p.birth_date, 'YYYY-MM-DD') as "birthDate",
				(select private.waitlist_position(a.id) from public.applications a
					where a.opportunity_id = ${opportunityId} and a.applicant_id = p.id) as position
			from public.profiles p
			where p.id = ${actor.id}
		`
	);
	return context ?? { birthDate: null, position: null };
}
