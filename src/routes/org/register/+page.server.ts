import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { organizationSchema } from '$lib/forms/organization';
import { db } from '$lib/server/db';
import { actOnForm, requireUserOrSignIn } from '$lib/server/http/actions';
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
		if (!form.valid) {
			return fail(400, { form });
		}
		const outcome = await actOnForm(locals, 'register organization', form, () =>
			registerOrganization(db(), locals.actor, form.data)
		);
		if (!outcome.ok) {
			return outcome.failure;
		}
		redirect(303, `/org/${outcome.result}`);
	}
};
