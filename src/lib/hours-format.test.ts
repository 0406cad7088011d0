import { describe, expect, it } from 'vitest';
import { formatIsoDay, formatPeriod } from './hours-format';

describe('formatIsoDay', () => {
	it('keeps the calendar date in every language', () => {
		expect(formatIsoDay('2026-01-01', 'en')).toBe('1 January 2026');
		expect(formatIsoDay('2026-12-31', 'zh')).toBe('2026年12月31日');
	});
});

describe('formatPeriod', () => {
	it('writes one date when the period is one day', () => {
		expect(formatPeriod('2026-05-04', '2026-05-04', 'en')).toBe('4 May 2026');
	});

	it('joins two dates with a dash', () => {
		expect(formatPeriod('2026-01-01', '2026-12-31', 'en')).toBe(
			'1 January 2026 – 31 December 2026'
		);
	});
});
