import { yearOf } from '$lib/time';

/** Default cumulative hours for one to five stars, the ladder many Chinese cities use. */
export const DEFAULT_STAR_THRESHOLDS = [100, 300, 600, 1000, 1500] as const;

/** Minutes before the start when check-in opens and the check-in screen starts showing codes. */
export const CHECKIN_OPENS_MINUTES = 30;
/** Minutes after the end when check-out closes; check-in itself closes at the end. */
export const CHECKOUT_CLOSES_MINUTES = 30;

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export type EventTimes = { startsAt: Date; endsAt: Date };

export type AttendanceTimes = { checkedInAt: Date | null; checkedOutAt: Date | null };

/**
 * Hours between check-in and check-out, both clamped to the event's start and end. Without a
 * check-in or a check-out there are no hours: staff complete such a record by hand.
 */
export function attendedHours(attendance: AttendanceTimes, event: EventTimes): number {
	if (!attendance.checkedInAt || !attendance.checkedOutAt) {
		return 0;
	}
	const start = Math.max(attendance.checkedInAt.getTime(), event.startsAt.getTime());
	const end = Math.min(attendance.checkedOutAt.getTime(), event.endsAt.getTime());
	return Math.max(0, end - start) / HOUR_MS;
}

/** Rounds hours to two decimals, as records and pages show them. */
export function roundHours(hours: number): number {
	return Math.round(hours * 100) / 100;
}

/** Returns the star level (0 to the number of thresholds) that cumulative hours reach. */
export function starLevel(hours: number, thresholds: readonly number[]): number {
	return thresholds.filter((threshold) => hours >= threshold).length;
}

/** Returns the hours still needed for the next star, or null at the top level. */
export function hoursToNextStar(hours: number, thresholds: readonly number[]): number | null {
	const next = thresholds.find((threshold) => hours < threshold);
	return next === undefined ? null : roundHours(next - hours);
}

export type CheckinPhase = 'before' | 'open' | 'checkout_only' | 'closed';

/**
 * Returns where an instant falls in an event's check-in window: check-in and check-out from 30 minutes
 * before the start to the end, check-out alone for 30 minutes after the end.
 */
export function checkinPhase(event: EventTimes, now: Date): CheckinPhase {
	const time = now.getTime();
	if (time < event.startsAt.getTime() - CHECKIN_OPENS_MINUTES * MINUTE_MS) {
		return 'before';
	}
	if (time < event.endsAt.getTime()) {
		return 'open';
	}
	if (time < event.endsAt.getTime() + CHECKOUT_CLOSES_MINUTES * MINUTE_MS) {
		return 'checkout_only';
	}
	return 'closed';
}

/** Returns the instant check-in opens for an event. */
export function checkinOpensAt(event: EventTimes): Date {
	return new Date(event.startsAt.getTime() - CHECKIN_OPENS_MINUTES * MINUTE_MS);
}

export type AttendanceState = 'upcoming' | 'checked_in' | 'attended' | 'no_show';

/**
 * Returns the state of an accepted applicant's attendance. A no-show is someone who never
 * checked in by the time the event ended. Someone checked in but not out is 'checked_in' until staff
 * complete the record.
 */
export function attendanceState(
	attendance: AttendanceTimes | null,
	event: EventTimes,
	now: Date
): AttendanceState {
	if (attendance?.checkedInAt) {
		return attendance.checkedOutAt ? 'attended' : 'checked_in';
	}
	return now.getTime() >= event.endsAt.getTime() ? 'no_show' : 'upcoming';
}

export type ParticipationRow = EventTimes &
	AttendanceTimes & {
		isAccepted: boolean;
	};

export type YearSummary = { year: number; hours: number; noShows: number; events: number };

/**
 * Hours, attended events and no-shows per Asia/Shanghai calendar year of the event's start,
 * newest year first. A row counts as a no-show only if the application is accepted.
 */
export function summarizeByYear(rows: readonly ParticipationRow[], now: Date): YearSummary[] {
	const years = new Map<number, YearSummary>();
	for (const row of rows) {
		const year = yearOf(row.startsAt);
		const summary = years.get(year) ?? { year, hours: 0, noShows: 0, events: 0 };
		const hours = attendedHours(row, row);
		summary.hours += hours;
		if (hours > 0) {
			summary.events += 1;
		}
		if (row.isAccepted && attendanceState(row, row, now) === 'no_show') {
			summary.noShows += 1;
		}
		years.set(year, summary);
	}
	return [...years.values()]
		.map((summary) => ({ ...summary, hours: roundHours(summary.hours) }))
		.sort((a, b) => b.year - a.year);
}

/** Total hours over every row, rounded. */
export function totalHours(rows: readonly ParticipationRow[]): number {
	return roundHours(rows.reduce((sum, row) => sum + attendedHours(row, row), 0));
}
