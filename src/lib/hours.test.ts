import { describe, expect, it } from 'vitest';
import {
	DEFAULT_STAR_THRESHOLDS,
	attendanceState,
	attendedHours,
	checkinPhase,
	hoursToNextStar,
	starLevel,
	summarizeByYear,
	totalHours
} from './hours';

const at = (iso: string) => new Date(iso);

// 09:00-12:00 on 5 December 2026 in Asia/Shanghai.
const event = { startsAt: at('2026-12-05T01:00:00Z'), endsAt: at('2026-12-05T04:00:00Z') };

describe('starLevel', () => {
	const cases: [number, number][] = [
		[0, 0],
		[99.9, 0],
		[100, 1],
		[299.99, 1],
		[300, 2],
		[599, 2],
		[600, 3],
		[999.5, 3],
		[1000, 4],
		[1499.99, 4],
		[1500, 5],
		[20000, 5]
	];
	for (const [hours, stars] of cases) {
		it(`gives ${stars} stars at ${hours} hours`, () => {
			expect(starLevel(hours, DEFAULT_STAR_THRESHOLDS)).toBe(stars);
		});
	}

	it('follows other thresholds', () => {
		expect(starLevel(50, [20, 40, 60, 80, 100])).toBe(2);
		expect(starLevel(19, [20, 40, 60, 80, 100])).toBe(0);
	});
});

describe('hoursToNextStar', () => {
	it('counts up to the next threshold', () => {
		expect(hoursToNextStar(99.9, DEFAULT_STAR_THRESHOLDS)).toBe(0.1);
		expect(hoursToNextStar(100, DEFAULT_STAR_THRESHOLDS)).toBe(200);
	});

	it('is null at five stars', () => {
		expect(hoursToNextStar(1500, DEFAULT_STAR_THRESHOLDS)).toBeNull();
	});
});

describe('attendedHours', () => {
	it('counts check-in to check-out inside the event', () => {
		const hours = attendedHours(
			{ checkedInAt: at('2026-12-05T01:30:00Z'), checkedOutAt: at('2026-12-05T03:00:00Z') },
			event
		);
		expect(hours).toBe(1.5);
	});

	it('clamps an early check-in to the start', () => {
		const hours = attendedHours(
			{ checkedInAt: at('2026-12-05T00:35:00Z'), checkedOutAt: at('2026-12-05T02:00:00Z') },
			event
		);
		expect(hours).toBe(1);
	});

	it('clamps a late check-out to the end', () => {
		const hours = attendedHours(
			{ checkedInAt: at('2026-12-05T03:00:00Z'), checkedOutAt: at('2026-12-05T04:25:00Z') },
			event
		);
		expect(hours).toBe(1);
	});

	it('clamps both ends to the event length', () => {
		const hours = attendedHours(
			{ checkedInAt: at('2026-12-04T20:00:00Z'), checkedOutAt: at('2026-12-05T09:00:00Z') },
			event
		);
		expect(hours).toBe(3);
	});

	it('gives nothing for times wholly outside the event', () => {
		const hours = attendedHours(
			{ checkedInAt: at('2026-12-05T04:05:00Z'), checkedOutAt: at('2026-12-05T04:20:00Z') },
			event
		);
		expect(hours).toBe(0);
	});

	it('gives nothing without a check-out', () => {
		expect(
			attendedHours({ checkedInAt: at('2026-12-05T01:00:00Z'), checkedOutAt: null }, event)
		).toBe(0);
	});
});

describe('checkinPhase', () => {
	it('is closed to check-in until 30 minutes before the start', () => {
		expect(checkinPhase(event, at('2026-12-05T00:29:59Z'))).toBe('before');
		expect(checkinPhase(event, at('2026-12-05T00:30:00Z'))).toBe('open');
	});

	it('keeps check-out open for 30 minutes after the end', () => {
		expect(checkinPhase(event, at('2026-12-05T03:59:59Z'))).toBe('open');
		expect(checkinPhase(event, at('2026-12-05T04:00:00Z'))).toBe('checkout_only');
		expect(checkinPhase(event, at('2026-12-05T04:30:00Z'))).toBe('closed');
	});
});

describe('attendanceState', () => {
	it('marks someone who never checked in as a no-show once the event ended', () => {
		expect(attendanceState(null, event, at('2026-12-05T04:00:00Z'))).toBe('no_show');
		expect(attendanceState(null, event, at('2026-12-05T03:59:00Z'))).toBe('upcoming');
	});

	it('treats a cleared record like no record', () => {
		const cleared = { checkedInAt: null, checkedOutAt: null };
		expect(attendanceState(cleared, event, at('2026-12-06T00:00:00Z'))).toBe('no_show');
	});

	it('tells a complete record from an open one', () => {
		const open = { checkedInAt: at('2026-12-05T01:00:00Z'), checkedOutAt: null };
		expect(attendanceState(open, event, at('2026-12-06T00:00:00Z'))).toBe('checked_in');
		const done = { ...open, checkedOutAt: at('2026-12-05T02:00:00Z') };
		expect(attendanceState(done, event, at('2026-12-06T00:00:00Z'))).toBe('attended');
	});
});

describe('summarizeByYear', () => {
	const now = at('2027-06-01T00:00:00Z');
	// 31 December 2026, 23:30-23:59 in Asia/Shanghai, which is still 2026 there.
	const newYearsEve = {
		startsAt: at('2026-12-31T15:30:00Z'),
		endsAt: at('2026-12-31T15:59:00Z')
	};
	// 1 January 2027, 00:30-02:30 in Asia/Shanghai, still 2026 in UTC.
	const newYearsDay = {
		startsAt: at('2026-12-31T16:30:00Z'),
		endsAt: at('2026-12-31T18:30:00Z')
	};

	it('counts years in Asia/Shanghai', () => {
		const summary = summarizeByYear(
			[
				{ ...newYearsEve, checkedInAt: null, checkedOutAt: null, isAccepted: true },
				{
					...newYearsDay,
					checkedInAt: newYearsDay.startsAt,
					checkedOutAt: newYearsDay.endsAt,
					isAccepted: true
				}
			],
			now
		);
		expect(summary).toEqual([
			{ year: 2027, hours: 2, noShows: 0, events: 1 },
			{ year: 2026, hours: 0, noShows: 1, events: 0 }
		]);
	});

	it('counts no-shows only of accepted applications', () => {
		const summary = summarizeByYear(
			[{ ...event, checkedInAt: null, checkedOutAt: null, isAccepted: false }],
			now
		);
		expect(summary[0]?.noShows).toBe(0);
	});

	it('totals hours over years', () => {
		const rows = [
			{ ...event, checkedInAt: event.startsAt, checkedOutAt: event.endsAt, isAccepted: true },
			{
				...newYearsDay,
				checkedInAt: newYearsDay.startsAt,
				checkedOutAt: newYearsDay.endsAt,
				isAccepted: true
			}
		];
		expect(totalHours(rows)).toBe(5);
	});
});
