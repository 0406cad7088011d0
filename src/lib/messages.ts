import { m } from '$lib/paraglide/messages';

type Translate = () => string;
const messages = m as unknown as Record<string, Translate | undefined>;

/** Returns the translated message for a domain error code, in the current language. */
export function errorMessage(code: string | undefined | null): string {
	return (code && messages[`error_${code}`]?.()) || m.error_unexpected();
}

/** Returns the translated message for a form field's problem code. */
export function fieldMessage(code: string | undefined | null): string {
	return (code && messages[`field_${code}`]?.()) || m.field_invalid();
}

/** Returns the translated name of a reference-data code (an organization kind, an orbit). */
export function codeLabel(
	prefix: 'kind' | 'orbit' | 'status' | 'app_status',
	code: string | null
): string {
	return (code && messages[`${prefix}_${code}`]?.()) || code || '';
}
