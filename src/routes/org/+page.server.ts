import { requireUserOrSignIn } from '$lib/server/http/actions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	requireUserOrSignIn(locals, url);
	return { memberships: locals.roles.memberships };
};
