import type { BranchInput } from '$lib/forms/organization';
import type { Branch } from '$lib/organizations/tree';
import type { Actor, Database, Tx } from '../db';
import { DomainError, translateErrors } from '../errors';

function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}

/** Lists every verified league branch, active or not, by level of the tree and then by name. */
export async function listBranches(db: Database, actor: Actor): Promise<Branch[]> {
	requireActor(actor);
	return db.as(
		actor,
		(tx) => tx<Branch[]>`
			select o.id, o.name, o.kind, o.parent_id as "parentId", o.town_code as "townCode",
				o.is_active as "isActive",
				exists (
					select 1 from public.org_members m where m.organization_id = o.id and m.role = 'admin'
				) as "hasAdmin"
			from public.organizations o
			join public.org_kinds k on k.code = o.kind and k.is_league_branch
			where o.status = 'verified'
			order by k.sort_order, o.name
			limit 5000
		`
	);
}

/**
 * Adds a league branch, verified at once. Only coordinators may: the insert policy lets others
 * create only organizations they registered themselves, and created_by stays empty here so that
 * the coordinator does not become the branch's admin. The coordinator invites its first admin.
 */
export async function addBranch(db: Database, actor: Actor, input: BranchInput): Promise<string> {
	requireActor(actor);
	return translateErrors(
		db.as(actor, async (tx) => {
			// The organizations trigger rejects a verified insert by anyone else too, but with a
			// code meant for publishing, so this check raises the clear code first.
			const [role] = await tx<{ isCoordinator: boolean }[]>`
				select private.is_coordinator() as "isCoordinator"
			`;
			if (!role?.isCoordinator) {
				throw new DomainError('not_allowed');
			}
			const [kind] = await tx`
				select 1 from public.org_kinds where code = ${input.kind} and is_league_branch
			`;
			if (!kind) {
				throw new DomainError('invalid_input', `not a league branch kind: ${input.kind}`);
			}
			const parentId = input.parentId || null;
			if (parentId) {
				await requireParentBranch(tx, parentId);
			}

			const [created] = await tx<{ id: string }[]>`
				insert into public.organizations (name, kind, parent_id, town_code, contact_name,
					contact_phone, status, verified_at, verified_by, created_by)
				values (${input.name}, ${input.kind}, ${parentId}, ${input.townCode || null},
					${input.contactName}, ${input.contactPhone}, 'verified', now(), ${actor.id}, null)
				returning id
			`;
			return created!.id;
		})
	);
}

/** Renames a league branch. Coordinators use it, and the branch's own admins may too, by policy. */
export async function renameBranch(
	db: Database,
	actor: Actor,
	organizationId: string,
	name: string
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			const updated = await tx`
				update public.organizations set name = ${name}
				where id = ${organizationId} and kind in (
					select code from public.org_kinds where is_league_branch
				)
				returning id
			`;
			if (updated.length === 0) {
				await explainUnchanged(tx, organizationId);
			}
		})
	);
}

/**
 * Moves a branch under another parent, or to the top of the tree when parentId is null. The
 * database rejects a move under the branch's own descendants (`branch_cycle`) and anyone but a
 * coordinator (`not_allowed`). Compliance counts are keyed by the branch, so they move with it.
 */
export async function moveBranch(
	db: Database,
	actor: Actor,
	organizationId: string,
	parentId: string | null
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			if (parentId) {
				await requireParentBranch(tx, parentId);
			}
			const updated = await tx`
				update public.organizations set parent_id = ${parentId}
				where id = ${organizationId} and kind in (
					select code from public.org_kinds where is_league_branch
				)
				returning id
			`;
			if (updated.length === 0) {
				await explainUnchanged(tx, organizationId);
			}
		})
	);
}

/**
 * Deactivates or reactivates a branch. An inactive branch cannot publish and drops out of the
 * compliance overview. Its events and memberships stay as they were.
 */
export async function setBranchActive(
	db: Database,
	actor: Actor,
	organizationId: string,
	isActive: boolean
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			const updated = await tx`
				update public.organizations set is_active = ${isActive}
				where id = ${organizationId} and kind in (
					select code from public.org_kinds where is_league_branch
				)
				returning id
			`;
			if (updated.length === 0) {
				await explainUnchanged(tx, organizationId);
			}
		})
	);
}

/** Raises `invalid_parent` unless the parent is a verified, active league branch. */
async function requireParentBranch(tx: Tx, parentId: string): Promise<void> {
	const [parent] = await tx`
		select 1 from public.organizations o
		join public.org_kinds k on k.code = o.kind and k.is_league_branch
		where o.id = ${parentId} and o.status = 'verified' and o.is_active
	`;
	if (!parent) {
		throw new DomainError('invalid_parent');
	}
}

/**
 * Explains an update that touched no row: the organization is one the actor cannot see or not a
 * league branch (not found), or one that policies keep them from changing (not allowed).
 */
async function explainUnchanged(tx: Tx, organizationId: string): Promise<never> {
	const [visible] = await tx`
		select 1 from public.organizations o
		join public.org_kinds k on k.code = o.kind and k.is_league_branch
		where o.id = ${organizationId}
	`;
	throw new DomainError(visible ? 'not_allowed' : 'not_found');
}
