import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { organizationSchema } from '$lib/forms/organization';
import { db } from '$lib/server/db';
import { act, requireUserOrSignIn } from '$lib/server/http/actions';
import { listParentChoices, registerOrganization } from '$lib/server/organizations/register';
import { listOrgKinds, listTowns } from '$lib/server/reference';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	const [form, kinds, towns, parents] = await Promise.all([
		superValidate(zod4(organizationSchema), { errors: false }),
		listOrgKinds(db(), actor),
		listTowns(db(), actor),
		listParentChoices(db(), actor)
	]);
	return { form, kinds, towns, parents };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = await superValidate(request, zod4(organizationSchema));
		if (!locals.actor) {
			return fail(401, { form, error: 'not_signed_in' });
		}
		if (!form.valid) {
			return fail(400, { form });
		}
		const created = await act(
			locals,
			'register organization',
			() => registerOrganization(db(), locals.actor, form.data),
			{ form }
		);
		if (typeof created !== 'string') {
			return created;
		}
		redirect(303, `/org/${created}`);
	}
};
