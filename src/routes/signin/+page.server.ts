import { fail, redirect } from '@sveltejs/kit';
import { message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { signInSchema } from '$lib/forms/account';
import { auth } from '$lib/server/auth';
import { DomainError } from '$lib/server/errors';
import { safeNext } from '$lib/server/http/next';
import { log } from '$lib/server/log';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({
	form: await superValidate(zod4(signInSchema))
});

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress, locals }) => {
		const form = await superValidate(request, zod4(signInSchema));
		if (!form.valid) {
			form.data.password = '';
			return fail(400, { form });
		}
		try {
			const user = await auth().signIn(cookies, url, {
				email: form.data.email,
				password: form.data.password,
				address: getClientAddress()
			});
			log.info({ requestId: locals.requestId, userId: user.id }, 'signed in');
		} catch (caught) {
			if (caught instanceof DomainError) {
				form.data.password = '';
				const status = caught.status as 400 | 409 | 429;
				return message(form, caught.code, { status });
			}
			throw caught;
		}
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
