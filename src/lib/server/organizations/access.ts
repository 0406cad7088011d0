import { error } from '@sveltejs/kit';
import { db } from '../db';
import { findOpportunityOrganization } from '../events/read';

/**
 * The acting user's membership of an organization, or a 403. Pages check this for a clear
 * answer; the policies enforce the same rule again on every query.
 */
export function requireMembership(locals: App.Locals, organizationId: string) {
	const membership = locals.roles.memberships.find(
		(candidate) => candidate.organizationId === organizationId
	);
	if (!membership) {
		error(403, 'not_allowed');
	}
	return membership;
}

/** Returns the acting user's admin membership of an organization, or throws a 403. */
export function requireAdmin(locals: App.Locals, organizationId: string) {
	const membership = requireMembership(locals, organizationId);
	if (membership.role !== 'admin') {
		error(403, 'not_allowed');
	}
	return membership;
}

/** Throws a 403 unless the acting user is a coordinator. The database checks it on every change. */
export function requireCoordinator(locals: App.Locals): void {
	if (!locals.roles.isCoordinator) {
		error(403, 'not_allowed');
	}
}

/**
 * Throws unless the event in the URL belongs to the organization in the URL and the actor is a
 * member of it: 403 for someone else's event, 404 for one the actor cannot see. Actions call it
 * before changing anything, so a refused request never changes data.
 */
export async function requireEventOfOrganization(
	locals: App.Locals,
	organizationId: string,
	opportunityId: string
): Promise<void> {
	requireMembership(locals, organizationId);
	const owner = await findOpportunityOrganization(db(), locals.actor, opportunityId);
	if (owner === null) {
		error(404, 'not_found');
	}
	if (owner !== organizationId) {
		error(403, 'not_allowed');
	}
}
