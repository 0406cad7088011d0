import { describe, expect, it } from 'vitest';
import { ageOn, findOverlapping, isMinorOn, spansOverlap } from './rules';

/** Reads an Asia/Shanghai wall time as an instant. */
function shanghai(wallTime: string): Date {
	return new Date(`${wallTime}+08:00`);
}

describe('ageOn', () => {
	it('counts a birthday that has come', () => {
		expect(ageOn('2008-06-18', shanghai('2026-06-18T09:00:00'))).toBe(18);
	});

	it('counts a birthday still to come', () => {
		expect(ageOn('2008-06-18', shanghai('2026-06-17T23:59:00'))).toBe(17);
	});

	it('uses the Shanghai date, not UTC', () => {
		// 2026-06-17T17:30Z is already 18 June in Shanghai.
		expect(ageOn('2008-06-18', new Date('2026-06-17T17:30:00Z'))).toBe(18);
		expect(ageOn('2008-06-18', new Date('2026-06-17T15:30:00Z'))).toBe(17);
	});

	it('turns a 29 February birthday on 1 March', () => {
		expect(ageOn('2008-02-29', shanghai('2026-02-28T12:00:00'))).toBe(17);
		expect(ageOn('2008-02-29', shanghai('2026-03-01T00:00:00'))).toBe(18);
	});

	it('returns null for an invalid date', () => {
		expect(ageOn('2008-13-01', shanghai('2026-01-01T00:00:00'))).toBeNull();
	});
});

describe('isMinorOn', () => {
	it('is true the day before the 18th birthday', () => {
		expect(isMinorOn('2008-12-05', shanghai('2026-12-04T10:00:00'))).toBe(true);
	});

	it('is false on the 18th birthday', () => {
		expect(isMinorOn('2008-12-05', shanghai('2026-12-05T00:00:00'))).toBe(false);
	});

	it('is false without a birth date', () => {
		expect(isMinorOn(null, shanghai('2026-12-05T00:00:00'))).toBe(false);
	});
});

describe('spansOverlap', () => {
	const morning = {
		startsAt: shanghai('2026-12-05T09:00:00'),
		endsAt: shanghai('2026-12-05T12:00:00')
	};

	it('finds a partial overlap', () => {
		const late = {
			startsAt: shanghai('2026-12-05T11:00:00'),
			endsAt: shanghai('2026-12-05T14:00:00')
		};
		expect(spansOverlap(morning, late)).toBe(true);
		expect(spansOverlap(late, morning)).toBe(true);
	});

	it('finds a span inside another', () => {
		const inner = {
			startsAt: shanghai('2026-12-05T10:00:00'),
			endsAt: shanghai('2026-12-05T10:30:00')
		};
		expect(spansOverlap(morning, inner)).toBe(true);
	});

	it('treats touching ends as no overlap', () => {
		const afternoon = {
			startsAt: shanghai('2026-12-05T12:00:00'),
			endsAt: shanghai('2026-12-05T15:00:00')
		};
		expect(spansOverlap(morning, afternoon)).toBe(false);
	});
});

describe('findOverlapping', () => {
	it('marks every member of an overlapping pair', () => {
		const spans = [
			{
				id: 'a',
				startsAt: shanghai('2026-12-05T09:00:00'),
				endsAt: shanghai('2026-12-05T17:00:00')
			},
			{
				id: 'b',
				startsAt: shanghai('2026-12-06T09:00:00'),
				endsAt: shanghai('2026-12-06T10:00:00')
			},
			{
				id: 'c',
				startsAt: shanghai('2026-12-05T16:00:00'),
				endsAt: shanghai('2026-12-05T18:00:00')
			},
			{
				id: 'd',
				startsAt: shanghai('2026-12-05T10:00:00'),
				endsAt: shanghai('2026-12-05T11:00:00')
			}
		];
		expect([...findOverlapping(spans)].sort()).toEqual(['a', 'c', 'd']);
	});

	it('returns nothing for back-to-back spans', () => {
		const spans = [
			{
				id: 'a',
				startsAt: shanghai('2026-12-05T09:00:00'),
				endsAt: shanghai('2026-12-05T12:00:00')
			},
			{
				id: 'b',
				startsAt: shanghai('2026-12-05T12:00:00'),
				endsAt: shanghai('2026-12-05T13:00:00')
			}
		];
		expect(findOverlapping(spans).size).toBe(0);
	});
});
