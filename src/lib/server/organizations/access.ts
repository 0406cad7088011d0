import { error } from '@sveltejs/kit';

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
