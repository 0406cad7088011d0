import { describe, expect, it } from 'vitest';
import { passwordChangeSchema } from './account';

const VALID = {
	currentPassword: 'old password',
	newPassword: 'new password 2026',
	confirmPassword: 'new password 2026'
};

/** Returns each failing field with its message code. */
function problems(input: Record<string, unknown>): Record<string, string> {
	const result = passwordChangeSchema.safeParse(input);
	return Object.fromEntries(
		(result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message])
	);
}

describe('passwordChangeSchema', () => {
	it('accepts a valid change', () => {
		expect(problems(VALID)).toEqual({});
	});

	it('applies the sign-up rule', () => {
		expect(problems({ ...VALID, newPassword: 'short', confirmPassword: 'short' })).toEqual({
			newPassword: 'password_too_short'
		});
	});

	it('rejects a mismatched confirmation', () => {
		expect(problems({ ...VALID, confirmPassword: 'new password 2027' })).toEqual({
			confirmPassword: 'passwords_differ'
		});
	});

	it('rejects the current password again', () => {
		expect(
			problems({ ...VALID, newPassword: 'old password', confirmPassword: 'old password' })
		).toEqual({ newPassword: 'password_unchanged' });
	});

	it('requires the current password', () => {
		expect(problems({ ...VALID, currentPassword: '' })).toEqual({ currentPassword: 'required' });
	});
});
