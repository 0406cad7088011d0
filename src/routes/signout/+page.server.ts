import { redirect } from '@sveltejs/kit';
import { auth } from '$lib/server/auth';
import { log } from '$lib/server/log';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ cookies, url, locals }) => {
		await auth().signOut(cookies, url);
		log.info({ requestId: locals.requestId, userId: locals.user?.id }, 'signed out');
		redirect(303, '/');
	}
};
