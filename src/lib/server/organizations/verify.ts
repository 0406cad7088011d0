import type { Actor, Database, Tx } from '../db';
import { DomainError, translateErrors } from '../errors';

export type PendingOrganization = {
	id: string;
	name: string;
	kind: string;
	parentName: string | null;
	townCode: string | null;
	contactName: string;
	contactPhone: string;
	registrantName: string | null;
	createdAt: Date;
};

function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}

/** Lists organizations waiting for review, oldest first. Row level security shows them to coordinators. */
export async function listPendingOrganizations(
	db: Database,
	actor: Actor
): Promise<PendingOrganization[]> {
	requireActor(actor);
	return db.as(
		actor,
		(tx) => tx<PendingOrganization[]>`
			select o.id, o.name, o.kind, parent.name as "parentName", o.town_code as "townCode",
				o.contact_name as "contactName", o.contact_phone as "contactPhone",
				registrant.display_name as "registrantName", o.created_at as "createdAt"
			from public.organizations o
			left join public.organizations parent on parent.id = o.parent_id
			left join public.profiles registrant on registrant.id = o.created_by
			where o.status = 'pending'
			order by o.created_at, o.name
			limit 500
		`
	);
}

/**
 * Records a coordinator's review of a pending organization. verified_at and verified_by record
 * the time and the reviewer, whichever the outcome. The organizations trigger rejects
 * anyone but a coordinator with `not_allowed`.
 */
export async function reviewOrganization(
	db: Database,
	actor: Actor,
	organizationId: string,
	outcome: 'verified' | 'rejected'
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			const updated = await tx`
				update public.organizations
				set status = ${outcome}, verified_at = now(), verified_by = ${actor.id}
				where id = ${organizationId} and status = 'pending'
				returning id
			`;
			if (updated.length === 0) {
				await explainUnchanged(tx, organizationId);
			}
		})
	);
}

/**
 * Explains a review that changed no row: the organization is one the actor cannot see (not
 * found), one reviewed already, or one that policies keep them from changing.
 */
async function explainUnchanged(tx: Tx, organizationId: string): Promise<never> {
	const [visible] = await tx<{ status: string }[]>`
		select status from public.organizations where id = ${organizationId}
	`;
	if (!visible) {
		throw new DomainError('not_found');
	}
	throw new DomainError(visible.status === 'pending' ? 'not_allowed' : 'organization_not_pending');
}
