import type { Actor, Database } from '../db';
import { DomainError, translateErrors } from '../errors';

export type ApplicationStatus = 'accepted' | 'waitlisted' | 'withdrawn' | 'declined';

function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}

/**
 * Applies the actor to an opportunity. A trigger locks the opportunity row and checks its
 * status, apply window and places, so two people can never take the last place together.
 * Reapplying after a withdrawal reuses the one row a person may have per opportunity.
 */
export async function applyToOpportunity(
	db: Database,
	actor: Actor,
	opportunityId: string
): Promise<ApplicationStatus> {
	requireActor(actor);
	return translateErrors(
		db.as(actor, async (tx) => {
			const [visible] = await tx`select 1 from public.opportunities where id = ${opportunityId}`;
			if (!visible) {
				throw new DomainError('not_found');
			}
			// Checked first because the insert's trigger would report a full event before the
			// unique constraint could report the repeat. The constraint still guards races.
			const [existing] = await tx<{ status: ApplicationStatus }[]>`
				select status from public.applications
				where opportunity_id = ${opportunityId} and applicant_id = ${actor.id}
			`;
			if (existing && existing.status !== 'withdrawn') {
				throw new DomainError('already_applied');
			}
			const [application] = await tx<{ status: ApplicationStatus }[]>`
				insert into public.applications (opportunity_id, applicant_id, status)
				values (${opportunityId}, ${actor.id}, 'accepted')
				on conflict on constraint applications_one_per_person do update
					set status = 'accepted'
					where applications.status = 'withdrawn'
				returning status
			`;
			if (!application) {
				throw new DomainError('already_applied');
			}
			return application.status;
		})
	);
}

/** Withdraws the actor's application; allowed until the opportunity starts. */
export async function withdrawApplication(
	db: Database,
	actor: Actor,
	opportunityId: string
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			const updated = await tx`
				update public.applications set status = 'withdrawn'
				where opportunity_id = ${opportunityId} and applicant_id = ${actor.id}
					and status in ('accepted', 'waitlisted')
				returning id
			`;
			if (updated.length === 0) {
				throw new DomainError('not_applied');
			}
		})
	);
}

export type MyApplication = {
	opportunityId: string;
	title: string;
	organizationName: string;
	startsAt: Date;
	endsAt: Date;
	opportunityStatus: 'draft' | 'published' | 'cancelled';
	status: ApplicationStatus;
	appliedAt: Date;
};

/** The actor's own applications, upcoming first. */
export async function listMyApplications(db: Database, actor: Actor): Promise<MyApplication[]> {
	requireActor(actor);
	return db.as(
		actor,
		(tx) => tx<MyApplication[]>`
			select a.opportunity_id as "opportunityId", o.title, org.name as "organizationName",
				o.starts_at as "startsAt", o.ends_at as "endsAt", o.status as "opportunityStatus",
				a.status, a.created_at as "appliedAt"
			from public.applications a
			join public.opportunities o on o.id = a.opportunity_id
			join public.organizations org on org.id = o.organization_id
			where a.applicant_id = ${actor.id}
			order by o.starts_at desc
			limit 500
		`
	);
}

export type Applicant = {
	applicantId: string;
	displayName: string;
	status: ApplicationStatus;
	appliedAt: Date;
};

/** The people who applied to an opportunity, in order of application, for its staff. */
export async function listApplicants(
	db: Database,
	actor: Actor,
	opportunityId: string
): Promise<Applicant[]> {
	requireActor(actor);
	return db.as(actor, async (tx) => {
		const [isStaff] = await tx<{ allowed: boolean }[]>`
			select private.is_staff_of_opportunity(${opportunityId}) as allowed
		`;
		if (!isStaff?.allowed) {
			throw new DomainError('not_allowed');
		}
		return tx<Applicant[]>`
			select a.applicant_id as "applicantId", p.display_name as "displayName", a.status,
				a.created_at as "appliedAt"
			from public.applications a
			join public.profiles p on p.id = a.applicant_id
			where a.opportunity_id = ${opportunityId}
			order by a.created_at, a.id
		`;
	});
}
