import { checkinPhase, type CheckinPhase } from '$lib/hours';
import type { Actor, Database } from '../db';
import { DomainError, translateErrors } from '../errors';
import { checkinCode } from './codes';

export type CheckinScreen = {
	id: string;
	organizationId: string;
	title: string;
	place: string;
	startsAt: Date;
	endsAt: Date;
	status: 'draft' | 'published' | 'cancelled';
	phase: CheckinPhase;
	/** The code to show now, or null outside the check-in window. */
	code: string | null;
	expiresAt: Date | null;
	acceptedCount: number;
	checkedInCount: number;
	checkedOutCount: number;
};

type ScreenRow = Omit<CheckinScreen, 'phase' | 'code' | 'expiresAt'> & { isStaff: boolean };

/**
 * Returns what an event's check-in screen shows its staff at an instant: the current code while
 * check-in or check-out is open, and how many accepted applicants have checked in and out.
 */
export async function getCheckinScreen(
	db: Database,
	actor: Actor,
	opportunityId: string,
	now = new Date()
): Promise<CheckinScreen> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
	return translateErrors(
		db.as(actor, async (tx) => {
			const [event] = await tx<ScreenRow[]>`
				select o.id, o.organization_id as "organizationId", o.title, o.place,
					o.starts_at as "startsAt", o.ends_at as "endsAt", o.status,
					private.is_staff_of_opportunity(o.id) as "isStaff",
					o.accepted_count as "acceptedCount",
					(select count(*)::int from public.attendance t
						where t.opportunity_id = o.id and t.checked_in_at is not null) as "checkedInCount",
					(select count(*)::int from public.attendance t
						where t.opportunity_id = o.id and t.checked_out_at is not null) as "checkedOutCount"
				from public.opportunities o
				where o.id = ${opportunityId}
			`;
			if (!event) {
				throw new DomainError('not_found');
			}
			if (!event.isStaff) {
				throw new DomainError('not_allowed');
			}
			const screen = {
				id: event.id,
				organizationId: event.organizationId,
				title: event.title,
				place: event.place,
				startsAt: event.startsAt,
				endsAt: event.endsAt,
				status: event.status,
				acceptedCount: event.acceptedCount,
				checkedInCount: event.checkedInCount,
				checkedOutCount: event.checkedOutCount
			};
			const phase = event.status === 'published' ? checkinPhase(event, now) : 'closed';
			if (phase === 'before' || phase === 'closed') {
				return { ...screen, phase, code: null, expiresAt: null };
			}
			const [secret] = await tx<{ secret: Uint8Array }[]>`
				select private.checkin_secret(${opportunityId}) as secret
			`;
			const current = checkinCode(secret!.secret, now);
			return { ...screen, phase, code: current.code, expiresAt: current.expiresAt };
		})
	);
}
