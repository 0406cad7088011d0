import type { Actor, Database } from '../db';
import { DomainError } from '../errors';

export type OpportunityDetail = {
	id: string;
	organizationId: string;
	organizationName: string;
	title: string;
	description: string;
	townCode: string | null;
	place: string;
	startsAt: Date;
	endsAt: Date;
	applyOpensAt: Date;
	applyClosesAt: Date;
	capacity: number;
	acceptedCount: number;
	status: 'draft' | 'published' | 'cancelled';
	orbit: 'public' | 'self';
	theme: string;
	myApplicationStatus: 'accepted' | 'waitlisted' | 'withdrawn' | 'declined' | null;
	isStaff: boolean;
};

/** Loads one event as the actor may see it, with their own application if any. */
export async function getOpportunity(
	db: Database,
	actor: Actor,
	opportunityId: string
): Promise<OpportunityDetail> {
	const [detail] = await db.as(
		actor,
		(tx) => tx<OpportunityDetail[]>`
			select o.id, o.organization_id as "organizationId", org.name as "organizationName",
				o.title, o.description, o.town_code as "townCode", o.place, o.starts_at as "startsAt",
				o.ends_at as "endsAt", o.apply_opens_at as "applyOpensAt",
				o.apply_closes_at as "applyClosesAt", o.capacity, o.accepted_count as "acceptedCount",
				o.status, e.orbit, e.theme,
				${
					actor
						? tx`(select a.status from public.applications a
								where a.opportunity_id = o.id and a.applicant_id = ${actor.id})`
						: tx`null::public.application_status`
				} as "myApplicationStatus",
				private.is_org_member(o.organization_id) as "isStaff"
			from public.opportunities o
			join public.events e on e.opportunity_id = o.id
			join public.organizations org on org.id = o.organization_id
			where o.id = ${opportunityId}
		`
	);
	if (!detail) {
		throw new DomainError('not_found');
	}
	return detail;
}

export type OrganizationEventRow = {
	id: string;
	title: string;
	startsAt: Date;
	endsAt: Date;
	status: 'draft' | 'published' | 'cancelled';
	orbit: 'public' | 'self';
	capacity: number;
	acceptedCount: number;
};

/** Lists every event of one organization, newest first, for its staff. */
export async function listOrganizationEvents(
	db: Database,
	actor: Actor,
	organizationId: string
): Promise<OrganizationEventRow[]> {
	return db.as(
		actor,
		(tx) => tx<OrganizationEventRow[]>`
			select o.id, o.title, o.starts_at as "startsAt", o.ends_at as "endsAt", o.status,
				e.orbit, o.capacity, o.accepted_count as "acceptedCount"
			from public.opportunities o
			join public.events e on e.opportunity_id = o.id
			where o.organization_id = ${organizationId}
				and private.is_org_member(o.organization_id)
			order by o.starts_at desc
			limit 500
		`
	);
}

/** Returns the organization an opportunity belongs to, or null when the actor cannot see it. */
export async function findOpportunityOrganization(
	db: Database,
	actor: Actor,
	opportunityId: string
): Promise<string | null> {
	const [row] = await db.as(
		actor,
		(tx) => tx<{ organizationId: string }[]>`
			select organization_id as "organizationId" from public.opportunities where id = ${opportunityId}
		`
	);
	return row?.organizationId ?? null;
}
