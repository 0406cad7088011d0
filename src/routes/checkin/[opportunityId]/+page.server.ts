import { fail } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { checkinCodeSchema } from '$lib/forms/attendance';
import { checkinPhase } from '$lib/hours';
import { checkInOrOut, getMyCheckin } from '$lib/server/attendance/checkin';
import { db } from '$lib/server/db';
import { actOnForm, loadOr404, parseId, requireUserOrSignIn } from '$lib/server/http/actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	const opportunityId = parseId(params.opportunityId);
	const event = await loadOr404(() => getMyCheckin(db(), actor, opportunityId));
	// A scanned QR code brings the code in the URL; anything else starts with an empty field.
	const scanned = checkinCodeSchema.safeParse({ code: url.searchParams.get('code') ?? '' });
	const form = await superValidate(
		{ code: scanned.success ? scanned.data.code : '' },
		zod4(checkinCodeSchema),
		{ errors: false }
	);
	return { event, phase: checkinPhase(event, new Date()), form };
};

function checkAction(direction: 'in' | 'out') {
	return async ({ params, request, locals }: Parameters<Actions[string]>[0]) => {
		const opportunityId = parseId(params.opportunityId);
		const form = await superValidate(request, zod4(checkinCodeSchema));
		if (!form.valid) {
			return fail(400, { form });
		}
		const outcome = await actOnForm(locals, `check ${direction}`, form, () =>
			checkInOrOut(db(), locals.actor, opportunityId, form.data.code, direction)
		);
		if (!outcome.ok) {
			return outcome.failure;
		}
		// The code is spent: the next step (check-out) needs the code shown at that time.
		form.data.code = '';
		return { form, done: outcome.result };
	};
}

export const actions: Actions = {
	checkIn: checkAction('in'),
	checkOut: checkAction('out')
};
