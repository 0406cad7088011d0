import type { OpportunityStatus } from '$lib/events/phase';
import type { Actor, Database } from '../db';
import { DomainError } from '../errors';
import { requireActor, type ApplicationStatus } from './shared';

export type MyApplication = {
	opportunityId: string;
	title: string;
	organizationName: string;
	startsAt: Date;
	endsAt: Date;
	opportunityStatus: OpportunityStatus;
	status: ApplicationStatus;
	/** 1-based place in the waitlist; null unless waitlisted. */
	position: number | null;
	appliedAt: Date;
};

/** Lists the actor's own applications, latest event first, with waitlist positions. */
export async function listMyApplications(db: Database, actor: Actor): Promise<MyApplication[]> {
	requireActor(actor);
	return db.as(
		actor,
		(tx) => tx<MyApplication[]>`
			select a.opportunity_id as "opportunityId", o.title, org.name as "organizationName",
				o.starts_at as "startsAt", o.ends_at as "endsAt", o.status as "opportunityStatus",
				a.status, private.waitlist_position(a.id) as position, a.created_at as "appliedAt"
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
	/** 1-based place in the waitlist; null unless waitlisted. */
	position: number | null;
	guardianName: string | null;
	consentAt: Date | null;
	appliedAt: Date;
};

/**
 * Lists the people who applied to an opportunity, for its staff: the accepted in order of
 * application, then the waitlist in its order, then everyone else.
 */
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
				case when a.status = 'waitlisted' then
					row_number() over (
						partition by a.status = 'waitlisted' order by a.queued_at, a.id
					)::int
				end as position,
				a.guardian_name as "guardianName", a.consent_at as "consentAt",
				a.created_at as "appliedAt"
			from public.applications a
			join public.profiles p on p.id = a.applicant_id
			where a.opportunity_id = ${opportunityId}
			order by case a.status when 'accepted' then 0 when 'waitlisted' then 1 else 2 end,
				case when a.status = 'waitlisted' then a.queued_at end, a.created_at, a.id
		`;
	});
}
