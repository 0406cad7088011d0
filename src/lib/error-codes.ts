/** Codes that an error page may receive in place of a message, translated there. */
const CODES = new Set([
	'not_found',
	'not_allowed',
	'not_signed_in',
	'invalid_input',
	'organization_not_verified'
]);

export function isKnownErrorCode(value: string | undefined): value is string {
	return value !== undefined && CODES.has(value);
}
