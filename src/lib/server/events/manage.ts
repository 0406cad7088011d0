import type { EventInput } from '$lib/forms/event';
import { fromLocalInput } from '$lib/time';
import type { Actor, Database, Tx } from '../db';
import { DomainError, translateErrors } from '../errors';

type Times = { startsAt: Date; endsAt: Date; applyOpensAt: Date; applyClosesAt: Date };

function toTimes(input: EventInput): Times {
	const times = {
		startsAt: fromLocalInput(input.startsAt),
		endsAt: fromLocalInput(input.endsAt),
		applyOpensAt: fromLocalInput(input.applyOpensAt),
		applyClosesAt: fromLocalInput(input.applyClosesAt)
	};
	if (!times.startsAt || !times.endsAt || !times.applyOpensAt || !times.applyClosesAt) {
		throw new DomainError('invalid_input', 'event times');
	}
	return times as Times;
}

function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}

/** Creates an event as a draft of the organization. Staff only, by policy. */
export async function createEvent(
	db: Database,
	actor: Actor,
	organizationId: string,
	input: EventInput
): Promise<string> {
	requireActor(actor);
	const times = toTimes(input);
	return translateErrors(
		db.as(actor, async (tx) => {
			const [created] = await tx<{ id: string }[]>`
				insert into public.opportunities (organization_id, kind, title, description, town_code,
					place, starts_at, ends_at, apply_opens_at, apply_closes_at, capacity, created_by)
				values (${organizationId}, 'event', ${input.title}, ${input.description},
					${input.townCode || null}, ${input.place}, ${times.startsAt}, ${times.endsAt},
					${times.applyOpensAt}, ${times.applyClosesAt}, ${Number(input.capacity)}, ${actor.id})
				returning id
			`;
			if (!created) {
				throw new DomainError('not_allowed');
			}
			await tx`
				insert into public.events (opportunity_id, orbit, theme)
				values (${created.id}, ${input.orbit}, ${input.theme})
			`;
			return created.id;
		})
	);
}

/** Edits an event's details. The status is left as it is. */
export async function updateEvent(
	db: Database,
	actor: Actor,
	opportunityId: string,
	input: EventInput
): Promise<void> {
	requireActor(actor);
	const times = toTimes(input);
	await translateErrors(
		db.as(actor, async (tx) => {
			const updated = await tx`
				update public.opportunities set
					title = ${input.title}, description = ${input.description},
					town_code = ${input.townCode || null}, place = ${input.place},
					starts_at = ${times.startsAt}, ends_at = ${times.endsAt},
					apply_opens_at = ${times.applyOpensAt}, apply_closes_at = ${times.applyClosesAt},
					capacity = ${Number(input.capacity)}
				where id = ${opportunityId} and kind = 'event'
				returning id
			`;
			if (updated.length === 0) {
				await explainMissingRow(tx, opportunityId);
			}
			await tx`
				update public.events set orbit = ${input.orbit}, theme = ${input.theme}
				where opportunity_id = ${opportunityId}
			`;
		})
	);
}

/** Moves an event to published or cancelled. The database enforces the allowed order. */
export async function setEventStatus(
	db: Database,
	actor: Actor,
	opportunityId: string,
	status: 'published' | 'cancelled'
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			const [before] = await tx<{ status: string }[]>`
				select status from public.opportunities where id = ${opportunityId} and kind = 'event'
			`;
			const updated = await tx`
				update public.opportunities set status = ${status}
				where id = ${opportunityId} and kind = 'event'
				returning id
			`;
			if (updated.length === 0) {
				await explainMissingRow(tx, opportunityId);
			}
			// Publishing twice would move published_at, so the error rolls the no-op update back.
			if (before?.status === status) {
				throw new DomainError('invalid_status_change');
			}
		})
	);
}

/**
 * An update that touched no row either names an opportunity the actor cannot see (not found)
 * or one that policies keep them from changing (not allowed).
 */
async function explainMissingRow(tx: Tx, opportunityId: string): Promise<never> {
	const [visible] = await tx`select 1 from public.opportunities where id = ${opportunityId}`;
	throw new DomainError(visible ? 'not_allowed' : 'not_found');
}
