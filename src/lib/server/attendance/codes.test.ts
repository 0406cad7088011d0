import { describe, expect, it } from 'vitest';
import { checkinCode } from './codes';

// The SHA-1 secret of the test vectors in RFC 6238, appendix B.
const RFC_SECRET = new TextEncoder().encode('12345678901234567890');

describe('checkinCode', () => {
	it('matches the RFC 6238 test vectors in six digits', () => {
		expect(checkinCode(RFC_SECRET, new Date(59_000)).code).toBe('287082');
		expect(checkinCode(RFC_SECRET, new Date(1_111_111_109_000)).code).toBe('081804');
		expect(checkinCode(RFC_SECRET, new Date(1_234_567_890_000)).code).toBe('005924');
	});

	it('expires at the end of its 30-second step', () => {
		const current = checkinCode(RFC_SECRET, new Date(1_234_567_890_000));
		expect(current.expiresAt.toISOString()).toBe(
			new Date(1_234_567_890_000 + 30_000).toISOString()
		);
	});

	it('changes with the step', () => {
		const first = checkinCode(RFC_SECRET, new Date(60_000)).code;
		const second = checkinCode(RFC_SECRET, new Date(90_000)).code;
		expect(first).not.toBe(second);
	});
});
