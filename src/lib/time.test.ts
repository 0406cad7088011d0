import { describe, expect, it } from 'vitest';
import { fromLocalInput, shareOfYearElapsed, toLocalInput, yearOf } from './time';

describe('Asia/Shanghai time', () => {
	it('reads form input as Shanghai wall time', () => {
		expect(fromLocalInput('2026-03-05T09:00')?.toISOString()).toBe('2026-03-05T01:00:00.000Z');
	});

	it('rejects a malformed input', () => {
		expect(fromLocalInput('2026-13-40T25:00')).toBeNull();
		expect(fromLocalInput('yesterday')).toBeNull();
	});

	it('writes an instant back as the same input', () => {
		expect(toLocalInput(new Date('2026-03-05T01:00:00Z'))).toBe('2026-03-05T09:00');
	});

	it('counts 31 December 23:30 local in that year', () => {
		const lateNewYearsEve = new Date('2025-12-31T15:30:00Z');
		expect(yearOf(lateNewYearsEve)).toBe(2025);
	});

	it('counts 1 January 00:30 local in the new year', () => {
		const earlyNewYear = new Date('2025-12-31T16:30:00Z');
		expect(yearOf(earlyNewYear)).toBe(2026);
	});

	it('measures the share of a year gone by', () => {
		expect(shareOfYearElapsed(2026, new Date('2025-12-31T15:59:59Z'))).toBe(0);
		expect(shareOfYearElapsed(2026, new Date('2027-01-01T00:00:00Z'))).toBe(1);
		const midYear = shareOfYearElapsed(2026, new Date('2026-07-02T04:00:00Z'));
		expect(midYear).toBeGreaterThan(0.49);
		expect(midYear).toBeLessThan(0.51);
	});
});

describe('Asia/Shanghai time before 1992', () => {
	it('reads summer time in 1990 as UTC+9', () => {
		expect(fromLocalInput('1990-07-01T12:00')?.toISOString()).toBe('1990-07-01T03:00:00.000Z');
	});

	it('reads winter in 1990 as UTC+8', () => {
		expect(fromLocalInput('1990-01-15T12:00')?.toISOString()).toBe('1990-01-15T04:00:00.000Z');
	});

	it('rejects 29 February outside leap years', () => {
		expect(fromLocalInput('2027-02-29T10:00')).toBeNull();
		expect(fromLocalInput('2028-02-29T10:00')?.toISOString()).toBe('2028-02-29T02:00:00.000Z');
	});

	it('writes a pre-1900 instant with its year', () => {
		expect(yearOf(new Date('1800-06-01T00:00:00Z'))).toBe(1800);
	});
});
