import { shareOfYearElapsed, startOfDate } from '$lib/time';

/** Events of one orbit that start in one Asia/Shanghai month (1 to 12). */
export type MonthCount = { month: number; held: number; planned: number };

/** One month's point on a pace chart: running totals at the month's end. */
export type PacePoint = {
	month: number;
	held: number;
	total: number;
	pace: number;
};

/** The share of an Asia/Shanghai year gone by at the end of one of its months. */
export function shareAtMonthEnd(year: number, month: number): number {
	return shareOfYearElapsed(year, startOfDate({ year, month: month + 1, day: 1 }));
}

/**
 * Builds the running totals a pace chart draws: for each month, the events held and the events
 * held or planned that start by its end, against the pace line, which grows evenly over the
 * year's days from 0 on 1 January to the quota on 31 December. Months missing from `counts`
 * add nothing.
 */
export function pacePoints(year: number, counts: MonthCount[], min: number): PacePoint[] {
	const points: PacePoint[] = [];
	let held = 0;
	let total = 0;
	for (let month = 1; month <= 12; month++) {
		const inMonth = counts.filter((count) => count.month === month);
		held += inMonth.reduce((sum, count) => sum + count.held, 0);
		total += inMonth.reduce((sum, count) => sum + count.held + count.planned, 0);
		points.push({ month, held, total, pace: min * shareAtMonthEnd(year, month) });
	}
	return points;
}
