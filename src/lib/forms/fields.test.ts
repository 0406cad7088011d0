import { describe, expect, it } from 'vitest';
import { digitsNumber, multilineText, text, wholeNumber } from './fields';

describe('wholeNumber', () => {
	const field = wholeNumber(0, 365, 'quota_range');

	it('accepts digits in range', () => {
		expect(field.parse('12')).toBe('12');
		expect(field.parse(' 0 ')).toBe('0');
	});

	for (const value of ['1.5', '12abc', '0x10', '1e2', '-1', '', ' ']) {
		it(`rejects ${JSON.stringify(value)}`, () => {
			expect(field.safeParse(value).success).toBe(false);
		});
	}

	it('names the range problem', () => {
		const result = field.safeParse('366');
		expect(result.error?.issues[0]?.message).toBe('quota_range');
	});
});

describe('text fields', () => {
	it('rejects control characters on one line', () => {
		expect(text(1, 50).safeParse('学雷锋\n活动').success).toBe(false);
		expect(text(1, 50).safeParse('学雷锋\u0000').success).toBe(false);
	});

	it('keeps line breaks in several lines', () => {
		expect(multilineText(100).parse('第一行\n第二行')).toBe('第一行\n第二行');
		expect(multilineText(100).safeParse('坏\u0000字').success).toBe(false);
	});
});

describe('digitsNumber', () => {
	const year = digitsNumber(2000, 2100, 'year_range');
	it('reads digits and numbers', () => {
		expect(year.parse('2026')).toBe(2026);
		expect(year.parse(' 2026 ')).toBe(2026);
		expect(year.parse(2026)).toBe(2026);
	});
	for (const value of ['0x7ea', '2e3', '2026.0', ' ', '', 'NaN', '-2026', 2026.5]) {
		it(`rejects ${JSON.stringify(value)}`, () => {
			expect(year.safeParse(value).success).toBe(false);
		});
	}
	it('names the range problem', () => {
		expect(year.safeParse('1999').error?.issues[0]?.message).toBe('year_range');
	});
});
