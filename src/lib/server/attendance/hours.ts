import {
	DEFAULT_STAR_THRESHOLDS,
	attendedHours,
	checkinPhase,
	hoursToNextStar,
	roundHours,
	starLevel,
	summarizeByYear,
	totalHours,
	type ParticipationRow,
	type YearSummary
} from '$lib/hours';
import type { Actor, Database, Tx } from '../db';
import { DomainError, translateErrors } from '../errors';

export type Participation = ParticipationRow & {
	opportunityId: string;
	title: string;
	organizationName: string | null;
	hours: number;
};

export type MyHours = {
	totalHours: number;
	stars: number;
	hoursToNextStar: number | null;
	thresholds: number[];
	years: YearSummary[];
	events: Participation[];
	/** Accepted events whose check-in or check-out is open now. */
	checkinOpen: Participation[];
};

function requireActor(actor: Actor): asserts actor is NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
}

/**
 * Lists a person's accepted applications and attendance records, newest first. Cancelled events
 * are left out because they were not held, so they give no hours and no no-shows.
 */
export async function listMyParticipation(tx: Tx, personId: string): Promise<Participation[]> {
	const rows = await tx<Omit<Participation, 'hours'>[]>`
		with mine as (
			select opportunity_id from public.applications
			where applicant_id = ${personId} and status = 'accepted'
			union
			select opportunity_id from public.attendance
			where person_id = ${personId} and checked_in_at is not null
		)
		select o.id as "opportunityId", o.title, org.name as "organizationName",
			o.starts_at as "startsAt", o.ends_at as "endsAt",
			coalesce(a.status = 'accepted', false) as "isAccepted",
			t.checked_in_at as "checkedInAt", t.checked_out_at as "checkedOutAt"
		from mine
		join public.opportunities o on o.id = mine.opportunity_id and o.status = 'published'
		left join public.organizations org on org.id = o.organization_id
		left join public.applications a on a.opportunity_id = o.id and a.applicant_id = ${personId}
		left join public.attendance t on t.opportunity_id = o.id and t.person_id = ${personId}
		order by o.starts_at desc, o.id
		limit 5000
	`;
	return rows.map((row) => ({ ...row, hours: roundHours(attendedHours(row, row)) }));
}

/** Reads the star thresholds, the cumulative hours for one to five stars. */
export async function readStarThresholds(tx: Tx): Promise<number[]> {
	const [row] = await tx<{ starThresholds: number[] }[]>`
		select star_thresholds as "starThresholds" from public.volunteer_settings
	`;
	return row?.starThresholds ?? [...DEFAULT_STAR_THRESHOLDS];
}

/** Sums the actor's hours per Asia/Shanghai year and in total, with star level and no-shows. */
export async function getMyHours(db: Database, actor: Actor, now = new Date()): Promise<MyHours> {
	requireActor(actor);
	return db.as(actor, async (tx) => {
		const [events, thresholds] = await Promise.all([
			listMyParticipation(tx, actor.id),
			readStarThresholds(tx)
		]);
		const total = totalHours(events);
		return {
			totalHours: total,
			stars: starLevel(total, thresholds),
			hoursToNextStar: hoursToNextStar(total, thresholds),
			thresholds,
			years: summarizeByYear(events, now),
			events,
			checkinOpen: events.filter(
				(event) => event.isAccepted && ['open', 'checkout_only'].includes(checkinPhase(event, now))
			)
		};
	});
}

/** Reads the star thresholds as any signed-in person may. */
export async function getStarThresholds(db: Database, actor: Actor): Promise<number[]> {
	requireActor(actor);
	return db.as(actor, readStarThresholds);
}

/** Replaces the star thresholds. Coordinators only, and the table's check enforces the order. */
export async function setStarThresholds(
	db: Database,
	actor: Actor,
	thresholds: number[]
): Promise<void> {
	requireActor(actor);
	await translateErrors(
		db.as(actor, async (tx) => {
			const updated = await tx`
				update public.volunteer_settings set star_thresholds = ${thresholds}::int[]
				where id returning id
			`;
			if (updated.length === 0) {
				throw new DomainError('not_allowed');
			}
		})
	).catch((caught: unknown) => {
		// The table's check names the rule; the page has one message for it.
		if (caught instanceof DomainError && caught.code === 'invalid_input') {
			throw new DomainError('star_thresholds_invalid', caught.message);
		}
		throw caught;
	});
}
