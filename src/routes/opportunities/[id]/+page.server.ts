import { fail } from '@sveltejs/kit';
import { setError, superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { applySchema } from '$lib/forms/application';
import { db } from '$lib/server/db';
import { getApplyContext, submitApplication, withdrawApplication } from '$lib/server/applications';
import { getOpportunity } from '$lib/server/events/read';
import { act, actOnForm, loadOr404, parseId } from '$lib/server/http/actions';
import { listTowns } from '$lib/server/reference';
import type { Actions, PageServerLoad } from './$types';

/** Whether applications are open now; the database checks the same rule on every apply. */
function applyWindowAt(
	opportunity: { applyOpensAt: Date; applyClosesAt: Date; startsAt: Date },
	now = new Date()
): 'open' | 'not_yet' | 'closed' {
	if (now < new Date(opportunity.applyOpensAt)) return 'not_yet';
	if (now >= new Date(opportunity.applyClosesAt) || now >= new Date(opportunity.startsAt)) {
		return 'closed';
	}
	return 'open';
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const id = parseId(params.id);
	const [opportunity, towns, applyContext, form] = await Promise.all([
		loadOr404(() => getOpportunity(db(), locals.actor, id)),
		listTowns(db(), locals.actor),
		getApplyContext(db(), locals.actor, id),
		superValidate(zod4(applySchema), { errors: false })
	]);
	const town = towns.find((candidate) => candidate.code === opportunity.townCode) ?? null;
	return { opportunity, town, applyContext, form, applyWindow: applyWindowAt(opportunity) };
};

export const actions: Actions = {
	apply: async ({ params, request, locals }) => {
		const id = parseId(params.id);
		const form = await superValidate(request, zod4(applySchema));
		if (!locals.actor) {
			return fail(401, { form, error: 'not_signed_in' });
		}
		if (!form.valid) {
			return fail(400, { form });
		}
		const outcome = await actOnForm(locals, 'apply', form, () =>
			submitApplication(db(), locals.actor, id, form.data)
		);
		if (!outcome.ok) {
			return outcome.failure;
		}
		const result = outcome.result;
		if (result.kind === 'incomplete') {
			for (const [field, code] of Object.entries(result.missing)) {
				setError(form, field as keyof typeof result.missing, code);
			}
			return fail(400, { form });
		}
		if (result.kind === 'overlap') {
			return { form, overlapping: result.overlapping };
		}
		return { form, applied: result.result };
	},
	withdraw: async ({ params, locals }) => {
		const id = parseId(params.id);
		if (!locals.actor) {
			return fail(401, { error: 'not_signed_in' });
		}
		const result = await act(locals, 'withdraw', () => withdrawApplication(db(), locals.actor, id));
		return result ?? { withdrawn: true };
	}
};
