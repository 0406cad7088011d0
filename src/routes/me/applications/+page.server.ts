import { db } from '$lib/server/db';
import { listMyApplications } from '$lib/server/applications';
import { requireUserOrSignIn } from '$lib/server/http/actions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	return { applications: await listMyApplications(db(), actor) };
};
