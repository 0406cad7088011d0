import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { eventSchema } from '$lib/forms/event';
import { db } from '$lib/server/db';
import { createEvent } from '$lib/server/events/manage';
import { actOnForm, parseId, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireMembership } from '$lib/server/organizations/access';
import { listTowns } from '$lib/server/reference';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	const organizationId = parseId(params.orgId);
	const membership = requireMembership(locals, organizationId);
	const form = await superValidate(zod4(eventSchema), { errors: false });
	form.data.orbit = 'self';
	form.data.capacity = '30';
	return { form, towns: await listTowns(db(), actor), membership };
};

export const actions: Actions = {
	default: async ({ params, request, locals }) => {
		const organizationId = parseId(params.orgId);
		// Strict, so that a missing orbit is an error rather than the first choice.
		const form = await superValidate(request, zod4(eventSchema), { strict: true });
		if (!form.valid) {
			return fail(400, { form });
		}
		const outcome = await actOnForm(locals, 'create event', form, () =>
			createEvent(db(), locals.actor, organizationId, form.data)
		);
		if (!outcome.ok) {
			return outcome.failure;
		}
		redirect(303, `/org/${organizationId}/events/${outcome.result}`);
	}
};
