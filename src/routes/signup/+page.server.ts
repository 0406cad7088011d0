import { fail, redirect } from '@sveltejs/kit';
import { message, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { signUpSchema } from '$lib/forms/account';
import { auth } from '$lib/server/auth';
import { DomainError } from '$lib/server/errors';
import { safeNext } from '$lib/server/http/next';
import { log } from '$lib/server/log';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({
	form: await superValidate(zod4(signUpSchema))
});

export const actions: Actions = {
	default: async ({ request, cookies, url, locals }) => {
		const form = await superValidate(request, zod4(signUpSchema));
		if (!form.valid) {
			form.data.password = '';
			return fail(400, { form });
		}
		try {
			const user = await auth().signUp(cookies, url, form.data);
			log.info({ requestId: locals.requestId, userId: user.id }, 'signed up');
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
