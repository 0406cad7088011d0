import type { OpportunityStatus } from '$lib/events/phase';
import type { Actor, Database } from '../db';
import { DomainError } from '../errors';

export type NotificationKind = 'promoted' | 'event_cancelled' | 'event_time_changed';

export type Notification = {
	id: string;
	kind: NotificationKind;
	opportunityId: string;
	title: string;
	startsAt: Date;
	endsAt: Date;
	opportunityStatus: OpportunityStatus;
	createdAt: Date;
	readAt: Date | null;
};

function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}

/** Lists the actor's latest notifications, newest first, with the event each is about. */
export async function listMyNotifications(db: Database, actor: Actor): Promise<Notification[]> {
	requireActor(actor);
	return db.as(
		actor,
		(tx) => tx<Notification[]>`
			select n.id, n.kind, n.opportunity_id as "opportunityId", o.title,
				o.starts_at as "startsAt", o.ends_at as "endsAt", o.status as "opportunityStatus",
				n.created_at as "createdAt", n.read_at as "readAt"
			from public.notifications n
			join public.opportunities o on o.id = n.opportunity_id
			where n.recipient_id = ${actor.id}
			order by n.created_at desc, n.id
			limit 200
		`
	);
}

/** Counts the actor's unread notifications. A visitor has none. */
export async function countUnreadNotifications(db: Database, actor: Actor): Promise<number> {
	if (!actor) {
		return 0;
	}
	const [row] = await db.as(
		actor,
		(tx) => tx<{ count: number }[]>`
			select count(*)::int as count from public.notifications
			where recipient_id = ${actor.id} and read_at is null
		`
	);
	return row!.count;
}

/** Marks one of the actor's notifications read, or all of them when no id is given. */
export async function markNotificationsRead(
	db: Database,
	actor: Actor,
	notificationId: string | null
): Promise<void> {
	requireActor(actor);
	await db.as(actor, async (tx) => {
		if (notificationId === null) {
			await tx`
				update public.notifications set read_at = now()
				where recipient_id = ${actor.id} and read_at is null
			`;
			return;
		}
		const updated = await tx`
			update public.notifications set read_at = now()
			where id = ${notificationId} and recipient_id = ${actor.id}
			returning id
		`;
		if (updated.length === 0) {
			throw new DomainError('not_found');
		}
	});
}
