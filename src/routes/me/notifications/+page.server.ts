import { fail } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { notificationChoiceSchema } from '$lib/forms/application';
import { db } from '$lib/server/db';
import { act, requireUserOrSignIn } from '$lib/server/http/actions';
import { listMyNotifications, markNotificationsRead } from '$lib/server/notifications';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	return { notifications: await listMyNotifications(db(), actor) };
};

export const actions: Actions = {
	read: async ({ request, locals }) => {
		if (!locals.actor) {
			return fail(401, { error: 'not_signed_in' });
		}
		const choice = await superValidate(request, zod4(notificationChoiceSchema));
		if (!choice.valid) {
			return fail(400, { error: 'invalid_input' });
		}
		const result = await act(locals, 'mark notifications read', () =>
			markNotificationsRead(db(), locals.actor, choice.data.notificationId || null)
		);
		return result ?? { marked: true };
	}
};
