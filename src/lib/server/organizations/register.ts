import type { OrganizationInput } from '$lib/forms/organization';
import type { Actor, Database } from '../db';
import { DomainError, translateErrors } from '../errors';

function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}

/** Registers an organization, pending a coordinator's check. The registrant becomes its admin. */
export async function registerOrganization(
	db: Database,
	actor: Actor,
	input: OrganizationInput
): Promise<string> {
	requireActor(actor);
	return translateErrors(
		db.as(actor, async (tx) => {
			const [created] = await tx<{ id: string }[]>`
				insert into public.organizations (name, kind, parent_id, town_code, contact_name,
					contact_phone, created_by)
				values (${input.name}, ${input.kind}, ${input.parentId || null}, ${input.townCode || null},
					${input.contactName}, ${input.contactPhone}, ${actor.id})
				returning id
			`;
			if (!created) {
				throw new DomainError('not_allowed');
			}
			return created.id;
		})
	);
}

export type OrganizationSummary = {
	id: string;
	name: string;
	kind: string;
	parentId: string | null;
	parentName: string | null;
	townCode: string | null;
	contactName: string;
	contactPhone: string;
	status: 'pending' | 'verified' | 'rejected';
	isActive: boolean;
	createdAt: Date;
};

/** Loads one organization as the actor may see it. */
export async function getOrganization(
	db: Database,
	actor: Actor,
	organizationId: string
): Promise<OrganizationSummary> {
	const [organization] = await db.as(
		actor,
		(tx) => tx<OrganizationSummary[]>`
			select o.id, o.name, o.kind, o.parent_id as "parentId", parent.name as "parentName",
				o.town_code as "townCode", o.contact_name as "contactName",
				o.contact_phone as "contactPhone", o.status, o.is_active as "isActive",
				o.created_at as "createdAt"
			from public.organizations o
			left join public.organizations parent on parent.id = o.parent_id
			where o.id = ${organizationId}
		`
	);
	if (!organization) {
		throw new DomainError('not_found');
	}
	return organization;
}

/** Verified, active league branches that a new organization may name as its parent. */
export async function listParentChoices(
	db: Database,
	actor: Actor
): Promise<{ id: string; name: string }[]> {
	return db.as(
		actor,
		(tx) => tx<{ id: string; name: string }[]>`
			select o.id, o.name from public.organizations o
			join public.org_kinds k on k.code = o.kind and k.is_league_branch
			where o.status = 'verified' and o.is_active
			order by k.sort_order, o.name
			limit 1000
		`
	);
}
