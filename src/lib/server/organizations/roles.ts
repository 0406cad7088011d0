import type { Database } from '../db';

export type Membership = {
	organizationId: string;
	organizationName: string;
	role: 'staff' | 'admin';
	status: 'pending' | 'verified' | 'rejected';
};

export type Roles = { isCoordinator: boolean; memberships: Membership[] };

/** Loads a person's roles from tables, never from user metadata. */
export async function loadRoles(db: Database, userId: string): Promise<Roles> {
	return db.as({ id: userId }, async (tx) => {
		const memberships = await tx<Membership[]>`
			select m.organization_id as "organizationId", o.name as "organizationName", m.role, o.status
			from public.org_members m
			join public.organizations o on o.id = m.organization_id
			where m.user_id = ${userId}
			order by o.name
		`;
		const [coordinator] = await tx`select 1 from public.coordinators where user_id = ${userId}`;
		return { isCoordinator: Boolean(coordinator), memberships };
	});
}
