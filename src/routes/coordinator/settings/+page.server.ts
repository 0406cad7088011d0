import { fail } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { starThresholdsSchema, thresholdsOf } from '$lib/forms/attendance';
import { getStarThresholds, setStarThresholds } from '$lib/server/attendance/hours';
import { db } from '$lib/server/db';
import { actOnForm, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireCoordinator } from '$lib/server/organizations/access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	requireCoordinator(locals);
	const [one, two, three, four, five] = (await getStarThresholds(db(), actor)).map(String);
	const form = await superValidate({ one, two, three, four, five }, zod4(starThresholdsSchema), {
		errors: false
	});
	return { form };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		requireCoordinator(locals);
		const form = await superValidate(request, zod4(starThresholdsSchema));
		if (!form.valid) {
			return fail(400, { form });
		}
		const outcome = await actOnForm(locals, 'set star thresholds', form, () =>
			setStarThresholds(db(), locals.actor, thresholdsOf(form.data))
		);
		return outcome.ok ? { form, saved: true } : outcome.failure;
	}
};
