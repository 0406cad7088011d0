import { calendarDateOf, fromLocalInput } from '$lib/time';

/** The age from which no guardian consent is needed to apply. */
export const ADULT_AGE = 18;

/**
 * Whole years between a birth date (YYYY-MM-DD) and the Asia/Shanghai calendar date of an
 * instant, counted as private.age_on counts them in the database: a birthday on 29 February
 * comes on 1 March in other years. Returns null for an invalid date.
 */
export function ageOn(birthDate: string, at: Date): number | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate) || !fromLocalInput(`${birthDate}T00:00`)) {
		return null;
	}
	const [bornYear = 0, bornMonth = 0, bornDay = 0] = birthDate.split('-').map(Number);
	const born = { year: bornYear, month: bornMonth, day: bornDay };
	const day = calendarDateOf(at);
	const birthdayToCome = day.month < born.month || (day.month === born.month && day.day < born.day);
	return day.year - born.year - (birthdayToCome ? 1 : 0);
}

/** Checks whether a person with this birth date is under 18 at an instant. An unknown date is not. */
export function isMinorOn(birthDate: string | null, at: Date): boolean {
	if (!birthDate) {
		return false;
	}
	const age = ageOn(birthDate, at);
	return age !== null && age < ADULT_AGE;
}

export type TimeSpan = { startsAt: Date; endsAt: Date };

/** Checks whether two half-open spans [start, end) share an instant. Touching ends do not. */
export function spansOverlap(first: TimeSpan, second: TimeSpan): boolean {
	return first.startsAt < second.endsAt && second.startsAt < first.endsAt;
}

/** Collects the ids of the items whose span overlaps the span of at least one other item. */
export function findOverlapping<T extends TimeSpan & { id: string }>(items: T[]): Set<string> {
	const sorted = [...items].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
	const overlapping = new Set<string>();
	for (let index = 0; index < sorted.length; index++) {
		const current = sorted[index]!;
		for (let next = index + 1; next < sorted.length; next++) {
			const later = sorted[next]!;
			if (later.startsAt >= current.endsAt) {
				break;
			}
			overlapping.add(current.id);
			overlapping.add(later.id);
		}
	}
	return overlapping;
}
