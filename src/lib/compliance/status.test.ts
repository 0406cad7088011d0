import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { shareOfYearElapsed, ZONE } from '$lib/time';
import { complianceStatus, expectedByNow, statusRank, type OrbitFigures } from './status';

function orbit(held: number, planned: number, min: number): OrbitFigures {
	return { held, planned, min };
}

function shanghai(year: number, month: number, day: number, hour = 0, minute = 0): Date {
	return DateTime.fromObject({ year, month, day, hour, minute }, { zone: ZONE }).toJSDate();
}

describe('complianceStatus', () => {
	it('is met when both orbits reach the quota', () => {
		expect(complianceStatus(orbit(4, 0, 4), orbit(12, 0, 12), 0.5)).toBe('met');
		expect(complianceStatus(orbit(5, 2, 4), orbit(13, 0, 12), 0.1)).toBe('met');
	});

	it('counts planned events toward pace, not toward met', () => {
		expect(complianceStatus(orbit(3, 1, 4), orbit(12, 0, 12), 0.5)).toBe('on_track');
	});

	it('is on track when held keeps pace in both orbits', () => {
		expect(complianceStatus(orbit(2, 0, 4), orbit(6, 0, 12), 0.5)).toBe('on_track');
	});

	it('is at risk when only planned events reach pace', () => {
		expect(complianceStatus(orbit(2, 0, 4), orbit(5, 1, 12), 0.5)).toBe('at_risk');
		expect(complianceStatus(orbit(0, 2, 4), orbit(6, 0, 12), 0.5)).toBe('at_risk');
	});

	it('is behind when planned events fall short of pace', () => {
		expect(complianceStatus(orbit(2, 0, 4), orbit(4, 1, 12), 0.5)).toBe('behind');
		expect(complianceStatus(orbit(1, 0, 4), orbit(12, 0, 12), 0.5)).toBe('behind');
	});

	it('treats a quota of zero as met', () => {
		expect(complianceStatus(orbit(0, 0, 0), orbit(0, 0, 0), 1)).toBe('met');
		expect(complianceStatus(orbit(0, 0, 0), orbit(0, 0, 12), 0)).toBe('on_track');
	});

	it('puts every unmet branch on track in a future year', () => {
		const share = shareOfYearElapsed(2031, shanghai(2030, 6, 1));
		expect(share).toBe(0);
		expect(complianceStatus(orbit(0, 0, 4), orbit(0, 0, 12), share)).toBe('on_track');
	});

	it('leaves only met, at risk or behind in a past year', () => {
		const share = shareOfYearElapsed(2029, shanghai(2030, 6, 1));
		expect(share).toBe(1);
		expect(complianceStatus(orbit(4, 0, 4), orbit(12, 0, 12), share)).toBe('met');
		expect(complianceStatus(orbit(3, 0, 4), orbit(12, 0, 12), share)).toBe('behind');
		expect(complianceStatus(orbit(3, 1, 4), orbit(12, 0, 12), share)).toBe('at_risk');
	});

	it('reads the year boundary in Shanghai time', () => {
		// 31 December 23:30 in Shanghai is 15:30 UTC: the year is not quite over there.
		const lastHalfHour = shareOfYearElapsed(2030, shanghai(2030, 12, 31, 23, 30));
		expect(lastHalfHour).toBeLessThan(1);
		expect(lastHalfHour).toBeGreaterThan(0.9999);
		expect(complianceStatus(orbit(3, 0, 4), orbit(11, 0, 12), lastHalfHour)).toBe('on_track');
		expect(complianceStatus(orbit(2, 1, 4), orbit(11, 0, 12), lastHalfHour)).toBe('at_risk');
		expect(complianceStatus(orbit(2, 0, 4), orbit(11, 0, 12), lastHalfHour)).toBe('behind');

		// Half an hour into 1 January in Shanghai is still 31 December in UTC.
		const firstHalfHour = shareOfYearElapsed(2031, shanghai(2031, 1, 1, 0, 30));
		expect(firstHalfHour).toBeGreaterThan(0);
		expect(firstHalfHour).toBeLessThan(0.0001);
		expect(complianceStatus(orbit(0, 0, 4), orbit(0, 0, 12), firstHalfHour)).toBe('on_track');

		// Once 2030 is over in Shanghai, the same figures fall behind.
		const after = shareOfYearElapsed(2030, shanghai(2031, 1, 1, 0, 30));
		expect(after).toBe(1);
		expect(complianceStatus(orbit(3, 0, 4), orbit(11, 0, 12), after)).toBe('behind');
	});

	it('clamps shares outside 0 to 1', () => {
		expect(complianceStatus(orbit(3, 0, 4), orbit(12, 0, 12), 1.5)).toBe('behind');
		expect(complianceStatus(orbit(0, 0, 4), orbit(0, 0, 12), -1)).toBe('on_track');
	});
});

describe('expectedByNow', () => {
	it('rounds down to whole events', () => {
		expect(expectedByNow(12, 0.25)).toBe(3);
		expect(expectedByNow(12, 0.2499)).toBe(2);
		expect(expectedByNow(4, 0.5)).toBe(2);
		expect(expectedByNow(4, 1)).toBe(4);
		expect(expectedByNow(4, 0)).toBe(0);
	});
});

describe('statusRank', () => {
	it('orders from met to behind', () => {
		expect(statusRank('met')).toBeLessThan(statusRank('on_track'));
		expect(statusRank('on_track')).toBeLessThan(statusRank('at_risk'));
		expect(statusRank('at_risk')).toBeLessThan(statusRank('behind'));
	});
});
