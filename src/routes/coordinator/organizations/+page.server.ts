import { fail, type Action } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { DEFAULT_INVITATION_DAYS } from '$lib/forms/members';
import {
	branchSchema,
	moveBranchSchema,
	organizationChoiceSchema,
	renameBranchSchema
} from '$lib/forms/organization';
import { nestBranches } from '$lib/organizations/tree';
import type { Actor } from '$lib/server/db';
import { db } from '$lib/server/db';
import { act, actOnForm, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireCoordinator } from '$lib/server/organizations/access';
import { createInvitation } from '$lib/server/organizations/invitations';
import {
	addBranch,
	listBranches,
	moveBranch,
	renameBranch,
	setBranchActive
} from '$lib/server/organizations/branches';
import { listPendingOrganizations, reviewOrganization } from '$lib/server/organizations/verify';
import { listOrgKinds, listTowns } from '$lib/server/reference';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	requireCoordinator(locals);
	const [pending, branches, towns, kinds, addForm] = await Promise.all([
		listPendingOrganizations(db(), actor),
		listBranches(db(), actor),
		listTowns(db(), actor),
		listOrgKinds(db(), actor),
		superValidate(zod4(branchSchema), { errors: false })
	]);
	const editId = url.searchParams.get('edit');
	return {
		pending,
		branches,
		tree: nestBranches(branches),
		towns,
		branchKinds: kinds.filter((kind) => kind.isLeagueBranch),
		addForm,
		editId: branches.some((branch) => branch.id === editId) ? editId : null
	};
};

type Section = 'review' | 'branch';

/**
 * Builds an action on one organization, named by the form's organizationId. The result names the
 * section and the organization, so the page shows the outcome where the coordinator acted.
 */
function organizationAction(
	section: Section,
	what: string,
	done: string,
	change: (actor: Actor, organizationId: string) => Promise<void>
): Action {
	return async ({ request, locals }) => {
		requireCoordinator(locals);
		const form = await superValidate(request, zod4(organizationChoiceSchema));
		if (!form.valid) {
			return fail(400, { section, organizationId: '', error: 'invalid_input' });
		}
		const { organizationId } = form.data;
		const failure = await act(locals, what, () => change(locals.actor, organizationId), {
			section,
			organizationId
		});
		return failure ?? { section, organizationId, done };
	};
}

export const actions: Actions = {
	verify: organizationAction('review', 'verify organization', 'verified', (actor, id) =>
		reviewOrganization(db(), actor, id, 'verified')
	),
	reject: organizationAction('review', 'reject organization', 'rejected', (actor, id) =>
		reviewOrganization(db(), actor, id, 'rejected')
	),
	deactivate: organizationAction('branch', 'deactivate branch', 'deactivated', (actor, id) =>
		setBranchActive(db(), actor, id, false)
	),
	reactivate: organizationAction('branch', 'reactivate branch', 'reactivated', (actor, id) =>
		setBranchActive(db(), actor, id, true)
	),

	rename: async ({ request, locals }) => {
		requireCoordinator(locals);
		const form = await superValidate(request, zod4(renameBranchSchema));
		const section: Section = 'branch';
		const organizationId = form.data.organizationId ?? '';
		if (!form.valid) {
			const field = form.errors.name?.[0] ?? 'invalid_choice';
			return fail(400, { section, organizationId, error: 'invalid_input', field });
		}
		const failure = await act(
			locals,
			'rename branch',
			() => renameBranch(db(), locals.actor, organizationId, form.data.name),
			{ section, organizationId }
		);
		return failure ?? { section, organizationId, done: 'renamed' };
	},

	move: async ({ request, locals }) => {
		requireCoordinator(locals);
		const form = await superValidate(request, zod4(moveBranchSchema));
		const section: Section = 'branch';
		const organizationId = form.data.organizationId ?? '';
		if (!form.valid) {
			return fail(400, { section, organizationId, error: 'invalid_parent' });
		}
		const failure = await act(
			locals,
			'move branch',
			() => moveBranch(db(), locals.actor, organizationId, form.data.parentId || null),
			{ section, organizationId }
		);
		return failure ?? { section, organizationId, done: 'moved' };
	},

	inviteAdmin: async ({ request, locals, url }) => {
		requireCoordinator(locals);
		const form = await superValidate(request, zod4(organizationChoiceSchema));
		const section: Section = 'branch';
		if (!form.valid) {
			return fail(400, { section, organizationId: '', error: 'invalid_input' });
		}
		const { organizationId } = form.data;
		const result = await act(
			locals,
			'invite branch admin',
			() =>
				createInvitation(db(), locals.actor, organizationId, {
					role: 'admin',
					days: DEFAULT_INVITATION_DAYS
				}),
			{ section, organizationId }
		);
		if (!('token' in result)) {
			return result;
		}
		// The token is sent in this one response only, because the database keeps just its hash.
		return {
			section,
			organizationId,
			done: 'invited',
			invitation: { link: `${url.origin}/invite/${result.token}`, expiresAt: result.expiresAt }
		};
	},

	add: async ({ request, locals }) => {
		requireCoordinator(locals);
		const form = await superValidate(request, zod4(branchSchema));
		if (!form.valid) {
			return fail(400, { form });
		}
		const outcome = await actOnForm(locals, 'add branch', form, () =>
			addBranch(db(), locals.actor, form.data)
		);
		if (!outcome.ok) {
			return outcome.failure;
		}
		return { form, section: 'add', organizationId: outcome.result, done: 'added' };
	}
};
