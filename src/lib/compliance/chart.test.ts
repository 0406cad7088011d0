import { describe, expect, it } from 'vitest';
import { pacePoints, shareAtMonthEnd } from './chart';

describe('shareAtMonthEnd', () => {
	it('counts days, so February is short', () => {
		expect(shareAtMonthEnd(2030, 1)).toBeCloseTo(31 / 365, 10);
		expect(shareAtMonthEnd(2030, 2)).toBeCloseTo(59 / 365, 10);
		expect(shareAtMonthEnd(2028, 2)).toBeCloseTo(60 / 366, 10);
	});

	it('reaches the whole year in December', () => {
		expect(shareAtMonthEnd(2030, 12)).toBe(1);
	});
});

describe('pacePoints', () => {
	it('adds each month to the running totals', () => {
		const points = pacePoints(
			2030,
			[
				{ month: 3, held: 2, planned: 0 },
				{ month: 7, held: 1, planned: 3 },
				{ month: 12, held: 0, planned: 1 }
			],
			12
		);
		expect(points).toHaveLength(12);
		expect(points.map((point) => point.held)).toEqual([0, 0, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3]);
		expect(points.map((point) => point.total)).toEqual([0, 0, 2, 2, 2, 2, 6, 6, 6, 6, 6, 7]);
	});

	it('draws pace from zero to the quota', () => {
		const points = pacePoints(2030, [], 4);
		expect(points[0]!.pace).toBeCloseTo((4 * 31) / 365, 10);
		expect(points[11]!.pace).toBe(4);
		for (let index = 1; index < 12; index++) {
			expect(points[index]!.pace).toBeGreaterThan(points[index - 1]!.pace);
		}
	});
});
