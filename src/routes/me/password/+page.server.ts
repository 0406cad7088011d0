import { fail } from '@sveltejs/kit';
import { message, setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { passwordChangeSchema } from '$lib/forms/account';
import { changePassword } from '$lib/server/auth';
import { DomainError } from '$lib/server/errors';
import { requireUserOrSignIn } from '$lib/server/http/actions';
import { log } from '$lib/server/log';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireUserOrSignIn(locals, url);
	return { form: await superValidate(zod4(passwordChangeSchema)) };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, locals, getClientAddress }) => {
		const form = await superValidate(request, zod4(passwordChangeSchema));
		// Passwords never go back to the browser, whatever the outcome.
		const blank = () => {
			form.data.currentPassword = '';
			form.data.newPassword = '';
			form.data.confirmPassword = '';
		};
		if (!locals.user) {
			blank();
			return message(form, 'not_signed_in', { status: 401 });
		}
		if (!form.valid) {
			blank();
			return fail(400, { form });
		}
		try {
			await changePassword(cookies, url, {
				user: locals.user,
				currentPassword: form.data.currentPassword,
				newPassword: form.data.newPassword,
				address: getClientAddress()
			});
		} catch (caught) {
			if (!(caught instanceof DomainError)) {
				throw caught;
			}
			log.info(
				{ requestId: locals.requestId, userId: locals.user.id, code: caught.code },
				'password change rejected'
			);
			blank();
			const status = caught.status as 400 | 429;
			if (caught.code === 'current_password_invalid') {
				return setError(form, 'currentPassword', caught.code, { status });
			}
			if (caught.code === 'password_unchanged') {
				return setError(form, 'newPassword', caught.code, { status });
			}
			return message(form, caught.code, { status });
		}
		log.info({ requestId: locals.requestId, userId: locals.user.id }, 'password changed');
		blank();
		return { form, changed: true };
	}
};
