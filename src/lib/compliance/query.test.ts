import { describe, expect, it } from 'vitest';
import { toQuery } from './query';

describe('toQuery', () => {
	it('leaves out empty values and encodes the rest', () => {
		expect(toQuery({ year: 2026, town: undefined, kind: '', sort: 'name' })).toBe(
			'year=2026&sort=name'
		);
		expect(toQuery({ q: '招宝山 & co' })).toBe('q=%E6%8B%9B%E5%AE%9D%E5%B1%B1%20%26%20co');
	});
});
