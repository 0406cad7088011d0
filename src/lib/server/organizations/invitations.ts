import type { InvitationInput } from '$lib/forms/members';
import { hashToken, newToken } from '../auth/tokens';
import type { Actor, Database } from '../db';
import { DomainError, translateErrors } from '../errors';

const DAY_MS = 86_400_000;

export type OpenInvitation = {
	id: string;
	role: 'staff' | 'admin';
	createdAt: Date;
	expiresAt: Date;
	createdByName: string | null;
};

export type CreatedInvitation = { token: string; expiresAt: Date };

export type InvitationPreview = {
	organizationId: string;
	organizationName: string;
	role: 'staff' | 'admin';
	expiresAt: Date;
	state: 'open' | 'used' | 'expired';
};

function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}

/**
 * Creates a single-use invitation to the organization and returns its token. Only the token's
 * SHA-256 is stored, so the caller shows the token once and it cannot be read back later.
 * The organization's admins may, by policy, and coordinators, who invite a new branch's first
 * admin.
 */
export async function createInvitation(
	db: Database,
	actor: Actor,
	organizationId: string,
	input: InvitationInput
): Promise<CreatedInvitation> {
	requireActor(actor);
	const token = newToken();
	const expiresAt = new Date(Date.now() + input.days * DAY_MS);
	await translateErrors(
		db.as(
			actor,
			(tx) => tx`
				insert into public.org_invitations (organization_id, token_hash, role, created_by,
					expires_at)
				values (${organizationId}, ${hashToken(token)}, ${input.role}, ${actor.id}, ${expiresAt})
			`
		)
	);
	return { token, expiresAt };
}

/** Lists invitations not yet used and not expired, newest first. Admins only, by policy. */
export async function listOpenInvitations(
	db: Database,
	actor: Actor,
	organizationId: string
): Promise<OpenInvitation[]> {
	requireActor(actor);
	return db.as(
		actor,
		(tx) => tx<OpenInvitation[]>`
			select i.id, i.role, i.created_at as "createdAt", i.expires_at as "expiresAt",
				creator.display_name as "createdByName"
			from public.org_invitations i
			left join public.profiles creator on creator.id = i.created_by
			where i.organization_id = ${organizationId} and i.used_at is null and i.expires_at > now()
			order by i.created_at desc
			limit 200
		`
	);
}

/** Deletes an invitation, so that its link no longer works. Admins only, by policy. */
export async function revokeInvitation(
	db: Database,
	actor: Actor,
	organizationId: string,
	invitationId: string
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			const deleted = await tx`
				delete from public.org_invitations
				where id = ${invitationId} and organization_id = ${organizationId}
				returning id
			`;
			if (deleted.length === 0) {
				const [admin] = await tx<{ isAdmin: boolean }[]>`
					select private.is_org_admin(${organizationId}) as "isAdmin"
				`;
				throw new DomainError(admin?.isAdmin ? 'not_found' : 'not_allowed');
			}
		})
	);
}

/** Reads what an invitation link offers, for anyone holding it. An unknown token is not found. */
export async function previewInvitation(
	db: Database,
	actor: Actor,
	token: string
): Promise<InvitationPreview> {
	const [preview] = await db.as(
		actor,
		(tx) => tx<InvitationPreview[]>`
			select organization_id as "organizationId", organization_name as "organizationName", role,
				expires_at as "expiresAt", state
			from private.invitation_preview(${token})
		`
	);
	if (!preview) {
		throw new DomainError('invitation_not_found');
	}
	return preview;
}

/**
 * Accepts an invitation for the acting user and returns the organization joined. The SQL
 * function marks the invitation used in the statement that checks it, so a link works once.
 * A used, expired or unknown token raises `invitation_used`, `invitation_expired` or
 * `invitation_not_found` and changes nothing.
 */
export async function acceptInvitation(db: Database, actor: Actor, token: string): Promise<string> {
	requireActor(actor);
	return translateErrors(
		db.as(actor, async (tx) => {
			const [accepted] = await tx<{ organizationId: string }[]>`
				select private.accept_invitation(${token}) as "organizationId"
			`;
			return accepted!.organizationId;
		})
	);
}
