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
