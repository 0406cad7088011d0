import { error, fail } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { applicantChoiceSchema } from '$lib/forms/application';
import { eventSchema } from '$lib/forms/event';
import { toLocalInput } from '$lib/time';
import { declineApplication, listApplicants } from '$lib/server/applications';
import { db } from '$lib/server/db';
import { setEventStatus, updateEvent } from '$lib/server/events/manage';
import { getOpportunity } from '$lib/server/events/read';
import { act, actOnForm, loadOr404, parseId, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireEventOfOrganization, requireMembership } from '$lib/server/organizations/access';
import { listTowns } from '$lib/server/reference';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	const organizationId = parseId(params.orgId);
	const opportunityId = parseId(params.id);
	requireMembership(locals, organizationId);

	const opportunity = await loadOr404(() => getOpportunity(db(), actor, opportunityId));
	if (opportunity.organizationId !== organizationId) {
		error(403, 'not_allowed');
	}
	const form = await superValidate(
		{
			title: opportunity.title,
			description: opportunity.description,
			theme: opportunity.theme,
			orbit: opportunity.orbit,
			townCode: opportunity.townCode ?? '',
			place: opportunity.place,
			startsAt: toLocalInput(opportunity.startsAt),
			endsAt: toLocalInput(opportunity.endsAt),
			applyOpensAt: toLocalInput(opportunity.applyOpensAt),
			applyClosesAt: toLocalInput(opportunity.applyClosesAt),
			capacity: String(opportunity.capacity)
		},
		zod4(eventSchema),
		{ errors: false }
	);
	const [applicants, towns] = await Promise.all([
		listApplicants(db(), actor, opportunityId),
		listTowns(db(), actor)
	]);
	return { opportunity, form, applicants, towns };
};

/** The event id from the URL, once it is known to be this organization's and the actor its staff. */
async function ownedEventId(params: { orgId: string; id: string }, locals: App.Locals) {
	const opportunityId = parseId(params.id);
	await requireEventOfOrganization(locals, parseId(params.orgId), opportunityId);
	return opportunityId;
}

export const actions: Actions = {
	update: async ({ params, request, locals }) => {
		const opportunityId = await ownedEventId(params, locals);
		// Strict, so that a missing orbit is an error rather than the first choice.
		const form = await superValidate(request, zod4(eventSchema), { strict: true });
		if (!form.valid) {
			return fail(400, { form });
		}
		const outcome = await actOnForm(locals, 'update event', form, () =>
			updateEvent(db(), locals.actor, opportunityId, form.data)
		);
		return outcome.ok ? { form, saved: true } : outcome.failure;
	},
	publish: async ({ params, locals }) => {
		const opportunityId = await ownedEventId(params, locals);
		const result = await act(locals, 'publish event', () =>
			setEventStatus(db(), locals.actor, opportunityId, 'published')
		);
		return result ?? { published: true };
	},
	cancel: async ({ params, locals }) => {
		const opportunityId = await ownedEventId(params, locals);
		const result = await act(locals, 'cancel event', () =>
			setEventStatus(db(), locals.actor, opportunityId, 'cancelled')
		);
		return result ?? { cancelled: true };
	},
	decline: async ({ params, request, locals }) => {
		const opportunityId = await ownedEventId(params, locals);
		const choice = await superValidate(request, zod4(applicantChoiceSchema));
		if (!choice.valid) {
			return fail(400, { error: 'invalid_input' });
		}
		const result = await act(locals, 'decline applicant', () =>
			declineApplication(db(), locals.actor, opportunityId, choice.data.applicantId)
		);
		return result ?? { declined: true };
	}
};
