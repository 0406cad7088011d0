import { z } from 'zod';
import { hashToken, newToken } from '../auth/tokens';
import type { Actor, Database, Tx } from '../db';
import { DomainError, translateErrors } from '../errors';
import type { CalendarEvent } from './ics';

export type FeedLocale = 'zh' | 'en';

/** A feed token as `newToken` makes it: 32 random bytes in base64url, 43 characters. */
const feedTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/**
 * Selects the columns of a CalendarEvent except the organization's name, from an opportunity row
 * `o` and towns `t`. Each query adds the name from its own source.
 */
function eventColumns(tx: Tx, locale: FeedLocale) {
	return tx`
		o.id, o.title, o.description, o.place,
		${locale === 'en' ? tx`t.name_en` : tx`t.name_zh`} as "townName",
		o.starts_at as "startsAt", o.ends_at as "endsAt", o.status, o.ical_sequence as "sequence",
		o.updated_at as "updatedAt", o.organization_id as "organizationId"
	`;
}

/** Reads one event for its own .ics file. Policies decide visibility, so drafts reach only staff. */
export async function getCalendarEvent(
	db: Database,
	actor: Actor,
	opportunityId: string,
	locale: FeedLocale
): Promise<CalendarEvent> {
	const [event] = await db.as(
		actor,
		(tx) => tx<CalendarEvent[]>`
			select ${eventColumns(tx, locale)}, coalesce(org.name, '') as "organizationName"
			from public.opportunities o
			left join public.organizations org on org.id = o.organization_id
			left join public.towns t on t.code = o.town_code
			where o.id = ${opportunityId}
		`
	);
	if (!event) {
		throw new DomainError('not_found');
	}
	return event;
}

/**
 * Reads the events of a private feed: those its owner was accepted to, including ones cancelled
 * later, that ended less than a year ago. Returns null for a malformed or unknown token alike.
 */
export async function listPrivateFeedEvents(
	db: Database,
	token: string,
	locale: FeedLocale
): Promise<CalendarEvent[] | null> {
	if (!feedTokenSchema.safeParse(token).success) {
		return null;
	}
	// Runs as the owner because a calendar client that fetches the feed sends no session. The
	// token is the only credential, and no policy could let an anonymous request find a row by it.
	// Only the owner's id leaves this lookup, and the events are then read as that person, under RLS.
	const [feed] = await db.service(
		(tx) => tx<{ userId: string }[]>`
			select user_id as "userId" from public.calendar_feeds where token_hash = ${hashToken(token)}
		`
	);
	if (!feed) {
		return null;
	}

	return db.as(
		{ id: feed.userId },
		(tx) => tx<CalendarEvent[]>`
			select ${eventColumns(tx, locale)}, coalesce(org.name, '') as "organizationName"
			from public.applications a
			join public.opportunities o on o.id = a.opportunity_id
			left join public.organizations org on org.id = o.organization_id
			left join public.towns t on t.code = o.town_code
			where a.applicant_id = ${feed.userId}
				and a.status = 'accepted'
				and o.ends_at > now() - interval '1 year'
			order by o.starts_at desc
			limit 500
		`
	);
}

export type OrganizationFeed = { organizationName: string; events: CalendarEvent[] };

/**
 * Reads the public feed of a verified, active organization: its published events and its
 * cancelled ones that had been published, never drafts. Throws not_found for any other one.
 */
export async function getOrganizationFeed(
	db: Database,
	actor: Actor,
	organizationId: string,
	locale: FeedLocale
): Promise<OrganizationFeed> {
	return db.as(actor, async (tx) => {
		const [organization] = await tx<{ name: string }[]>`
			select name from public.organizations
			where id = ${organizationId} and status = 'verified' and is_active
		`;
		if (!organization) {
			throw new DomainError('not_found');
		}
		const events = await tx<CalendarEvent[]>`
			select ${eventColumns(tx, locale)}, o.organization_name as "organizationName"
			from private.organization_calendar(${organizationId}) o
			left join public.towns t on t.code = o.town_code
			order by o.starts_at desc
		`;
		return { organizationName: organization.name, events };
	});
}

export type CalendarFeedState = { createdAt: Date; resetAt: Date };

/** Reads when the actor's private feed was created and last reset. Returns null if there is none. */
export async function getCalendarFeedState(
	db: Database,
	actor: Actor
): Promise<CalendarFeedState | null> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
	const [feed] = await db.as(
		actor,
		(tx) => tx<CalendarFeedState[]>`
			select created_at as "createdAt", reset_at as "resetAt"
			from public.calendar_feeds where user_id = ${actor.id}
		`
	);
	return feed ?? null;
}

/**
 * Creates the actor's private feed token, or replaces it so the old URL stops working at once.
 * Returns the new token. Only its hash is stored, so this is the one time it can be shown.
 */
export async function resetCalendarFeed(db: Database, actor: Actor): Promise<string> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
	const token = newToken();
	await translateErrors(
		db.as(
			actor,
			(tx) => tx`
				insert into public.calendar_feeds (user_id, token_hash)
				values (${actor.id}, ${hashToken(token)})
				on conflict (user_id) do update
					set token_hash = excluded.token_hash, reset_at = now()
			`
		)
	);
	return token;
}
