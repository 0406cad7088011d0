import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeLabel, errorMessage, fieldMessage, MESSAGE_TABLES } from './messages';

const english: Record<string, string> = JSON.parse(
	readFileSync(new URL('../../messages/en.json', import.meta.url), 'utf8')
);

describe('message tables', () => {
	for (const [prefix, table] of Object.entries(MESSAGE_TABLES)) {
		it(`lists every ${prefix} message`, () => {
			const expected = Object.keys(english)
				.filter((key) => key.startsWith(prefix))
				.filter((key) => prefix !== 'status_' || !key.startsWith('app_status_'))
				.filter((key) => !english[key]!.includes('{'))
				.map((key) => key.slice(prefix.length))
				.sort();
			expect(Object.keys(table).sort()).toEqual(expected);
		});
	}

	it('falls back for unknown codes', () => {
		expect(errorMessage('no_such_code')).toBe(errorMessage('unexpected'));
		expect(fieldMessage('no_such_code')).toBe(fieldMessage('invalid'));
		expect(codeLabel('kind', 'no_such_kind')).toBe('no_such_kind');
	});

	it('ignores inherited property names', () => {
		expect(errorMessage('constructor')).toBe(errorMessage('unexpected'));
		expect(codeLabel('orbit', 'toString')).toBe('toString');
	});
});
