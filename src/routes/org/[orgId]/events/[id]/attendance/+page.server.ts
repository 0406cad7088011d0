import { error, fail } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { attendanceRecordSchema } from '$lib/forms/attendance';
import { fromLocalInput } from '$lib/time';
import { listAttendance, listCorrections, recordAttendance } from '$lib/server/attendance/staff';
import { db } from '$lib/server/db';
import { getOpportunity } from '$lib/server/events/read';
import { act, loadOr404, parseId, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireEventOfOrganization, requireMembership } from '$lib/server/organizations/access';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	const organizationId = parseId(params.orgId);
	const opportunityId = parseId(params.id);
	requireMembership(locals, organizationId);

	const opportunity = await loadOr404(() => getOpportunity(db(), actor, opportunityId));
	if (opportunity.organizationId !== organizationId) {
		error(404, 'not_found');
	}
	const [rows, corrections] = await Promise.all([
		loadOr404(() => listAttendance(db(), actor, opportunityId)),
		loadOr404(() => listCorrections(db(), actor, opportunityId))
	]);
	return { opportunity, rows, corrections, now: new Date() };
};

export const actions: Actions = {
	record: async ({ params, request, locals }) => {
		const organizationId = parseId(params.orgId);
		const opportunityId = parseId(params.id);
		await requireEventOfOrganization(locals, organizationId, opportunityId);
		const form = await superValidate(request, zod4(attendanceRecordSchema));
		if (!form.valid) {
			return fail(400, { recordForm: form });
		}
		const { personId, checkedInAt, checkedOutAt, reason } = form.data;
		const failure = await act(
			locals,
			'record attendance',
			() =>
				recordAttendance(db(), locals.actor, opportunityId, {
					personId,
					checkedInAt: checkedInAt ? fromLocalInput(checkedInAt) : null,
					checkedOutAt: checkedOutAt ? fromLocalInput(checkedOutAt) : null,
					reason
				}),
			// Sent back so the form shows what was typed next to the error.
			{ personId, checkedInAt, checkedOutAt, reason }
		);
		return failure ?? { savedFor: personId };
	}
};
