import { db } from '$lib/server/db';
import { listOrganizationEvents } from '$lib/server/events/read';
import { loadOr404, parseId, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireMembership } from '$lib/server/organizations/access';
import { getOrganization } from '$lib/server/organizations/register';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	const organizationId = parseId(params.orgId);
	const membership = requireMembership(locals, organizationId);
	const [organization, events] = await Promise.all([
		loadOr404(() => getOrganization(db(), actor, organizationId)),
		listOrganizationEvents(db(), actor, organizationId)
	]);
	return { organization, events, membership };
};
