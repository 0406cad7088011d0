import { describe, expect, it } from 'vitest';
import { safeNext } from './next';

describe('safeNext', () => {
	it('keeps a path on this site', () => {
		expect(safeNext('/me/applications?tab=1')).toBe('/me/applications?tab=1');
		expect(safeNext('/opportunities/abc#apply')).toBe('/opportunities/abc#apply');
	});

	it('sends missing values home', () => {
		expect(safeNext(null)).toBe('/');
		expect(safeNext('')).toBe('/');
	});

	const hostile = [
		'//evil.example',
		'/\\evil.example',
		'/\t/evil.example',
		'/\n/evil.example',
		'/\r/evil.example',
		'/\u0000/evil.example',
		'https://evil.example',
		'javascript:alert(1)',
		'evil.example'
	];
	for (const value of hostile) {
		it(`sends ${JSON.stringify(value)} home`, () => {
			expect(safeNext(value)).toBe('/');
		});
	}
});
