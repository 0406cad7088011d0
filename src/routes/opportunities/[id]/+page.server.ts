import { fail } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { applyToOpportunity, withdrawApplication } from '$lib/server/applications';
import { getOpportunity } from '$lib/server/events/read';
import { act, loadOr404, parseId } from '$lib/server/http/actions';
import { listTowns } from '$lib/server/reference';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const id = parseId(params.id);
	const [opportunity, towns] = await Promise.all([
		loadOr404(() => getOpportunity(db(), locals.actor, id)),
		listTowns(db(), locals.actor)
	]);
	const town = towns.find((candidate) => candidate.code === opportunity.townCode) ?? null;
	return { opportunity, town };
};

export const actions: Actions = {
	apply: async ({ params, locals }) => {
		const id = parseId(params.id);
		if (!locals.actor) {
			return fail(401, { error: 'not_signed_in' });
		}
		const status = await act(locals, 'apply', () => applyToOpportunity(db(), locals.actor, id));
		return typeof status === 'string' ? { applied: status } : status;
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
