import { getMyHours } from '$lib/server/attendance/hours';
import { db } from '$lib/server/db';
import { requireUserOrSignIn } from '$lib/server/http/actions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	const now = new Date();
	return { hours: await getMyHours(db(), actor, now), now };
};
