import { error, redirect } from '@sveltejs/kit';
import { invitationTokenSchema } from '$lib/forms/members';
import { db } from '$lib/server/db';
import { act, loadOr404 } from '$lib/server/http/actions';
import { acceptInvitation, previewInvitation } from '$lib/server/organizations/invitations';
import type { Actions, PageServerLoad } from './$types';

/** Parses the route's token, or throws a 404 when newToken() cannot have made it. */
function parseToken(value: string): string {
	const parsed = invitationTokenSchema.safeParse(value);
	if (!parsed.success) {
		error(404, 'invitation_not_found');
	}
	return parsed.data;
}

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const token = parseToken(params.token);
	const preview = await loadOr404(() => previewInvitation(db(), locals.actor, token));
	if (preview.state !== 'open') {
		error(410, preview.state === 'used' ? 'invitation_used' : 'invitation_expired');
	}
	const next = encodeURIComponent(url.pathname);
	return {
		organizationId: preview.organizationId,
		organizationName: preview.organizationName,
		role: preview.role,
		expiresAt: preview.expiresAt,
		isSignedIn: Boolean(locals.actor),
		isMember: locals.roles.memberships.some(
			(membership) => membership.organizationId === preview.organizationId
		),
		signInHref: `/signin?next=${next}`,
		signUpHref: `/signup?next=${next}`
	};
};

export const actions: Actions = {
	default: async ({ params, locals, url }) => {
		const token = parseToken(params.token);
		if (!locals.actor) {
			redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
		}
		const result = await act(locals, 'accept invitation', () =>
			acceptInvitation(db(), locals.actor, token)
		);
		if (typeof result !== 'string') {
			return result;
		}
		redirect(303, `/org/${result}`);
	}
};
