import type { Actor, Database } from '../db';
import { DomainError, translateErrors } from '../errors';

export type Member = {
	userId: string;
	displayName: string | null;
	role: 'staff' | 'admin';
	joinedAt: Date;
};

function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}

/** Lists the organization's members, admins first. Members and coordinators may read them. */
export async function listMembers(
	db: Database,
	actor: Actor,
	organizationId: string
): Promise<Member[]> {
	requireActor(actor);
	return db.as(
		actor,
		(tx) => tx<Member[]>`
			select m.user_id as "userId", p.display_name as "displayName", m.role,
				m.created_at as "joinedAt"
			from public.org_members m
			left join public.profiles p on p.id = m.user_id
			where m.organization_id = ${organizationId}
			order by m.role desc, p.display_name, m.created_at
			limit 1000
		`
	);
}

/**
 * Removes a member from the organization. Admins only, by policy. The database keeps at least
 * one admin, so removing the last one raises `last_admin` and changes nothing.
 */
export async function removeMember(
	db: Database,
	actor: Actor,
	organizationId: string,
	userId: string
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			const deleted = await tx`
				delete from public.org_members
				where organization_id = ${organizationId} and user_id = ${userId}
				returning user_id
			`;
			if (deleted.length === 0) {
				const [admin] = await tx<{ isAdmin: boolean }[]>`
					select private.is_org_admin(${organizationId}) as "isAdmin"
				`;
				throw new DomainError(admin?.isAdmin ? 'not_found' : 'not_allowed');
			}
		})
	);
}
