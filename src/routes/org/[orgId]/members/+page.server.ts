import { fail, redirect } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { invitationChoiceSchema, invitationSchema, memberChoiceSchema } from '$lib/forms/members';
import { db } from '$lib/server/db';
import { act, actOnForm, loadOr404, parseId, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireAdmin } from '$lib/server/organizations/access';
import {
	createInvitation,
	listOpenInvitations,
	revokeInvitation
} from '$lib/server/organizations/invitations';
import { listMembers, removeMember } from '$lib/server/organizations/members';
import { getOrganization } from '$lib/server/organizations/register';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	const organizationId = parseId(params.orgId);
	requireAdmin(locals, organizationId);
	const [organization, members, invitations, inviteForm] = await Promise.all([
		loadOr404(() => getOrganization(db(), actor, organizationId)),
		listMembers(db(), actor, organizationId),
		listOpenInvitations(db(), actor, organizationId),
		superValidate(zod4(invitationSchema), { errors: false })
	]);
	return { organization, members, invitations, inviteForm, myId: actor.id };
};

export const actions: Actions = {
	invite: async ({ params, request, locals, url }) => {
		const organizationId = parseId(params.orgId);
		requireAdmin(locals, organizationId);
		const form = await superValidate(request, zod4(invitationSchema));
		if (!form.valid) {
			return fail(400, { form });
		}
		const outcome = await actOnForm(locals, 'create invitation', form, () =>
			createInvitation(db(), locals.actor, organizationId, {
				role: form.data.role,
				days: Number(form.data.days)
			})
		);
		if (!outcome.ok) {
			return outcome.failure;
		}
		// The token is sent in this one response only, because the database keeps just its hash.
		return {
			form,
			invitation: {
				link: `${url.origin}/invite/${outcome.result.token}`,
				expiresAt: outcome.result.expiresAt
			}
		};
	},

	revoke: async ({ params, request, locals }) => {
		const organizationId = parseId(params.orgId);
		requireAdmin(locals, organizationId);
		const form = await superValidate(request, zod4(invitationChoiceSchema));
		if (!form.valid) {
			return fail(400, { error: 'invalid_input' });
		}
		const failure = await act(locals, 'revoke invitation', () =>
			revokeInvitation(db(), locals.actor, organizationId, form.data.invitationId)
		);
		return failure ?? { done: 'revoked' };
	},

	remove: async ({ params, request, locals }) => {
		const organizationId = parseId(params.orgId);
		requireAdmin(locals, organizationId);
		const form = await superValidate(request, zod4(memberChoiceSchema));
		if (!form.valid) {
			return fail(400, { error: 'invalid_input' });
		}
		const { userId } = form.data;
		const failure = await act(locals, 'remove member', () =>
			removeMember(db(), locals.actor, organizationId, userId)
		);
		if (failure) {
			return failure;
		}
		if (userId === locals.actor?.id) {
			redirect(303, '/org');
		}
		return { done: 'removed' };
	}
};
