/** Codes that an error page may receive in place of a message, translated there. */
const CODES = new Set([
	'not_found',
	'not_allowed',
	'not_signed_in',
	'invalid_input',
	'organization_not_verified',
	'invitation_used',
	'invitation_expired',
	'invitation_not_found'
]);

export function isKnownErrorCode(value: string | undefined): value is string {
	return value !== undefined && CODES.has(value);
}
