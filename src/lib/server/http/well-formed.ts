import type { Handle } from '@sveltejs/kit';
import { errorMessage } from '$lib/messages';
import { DOMAIN_ERRORS, type DomainErrorCode } from '../errors';
import { log } from '../log';

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/** Superforms may split its JSON field into several parts of one name, which it joins itself. */
const REPEATABLE = new Set(['__superform_json']);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes one percent-encoded part of a query string or form body, or null if it is not UTF-8. */
function decodeComponent(part: string): string | null {
	try {
		return decodeURIComponent(part.replaceAll('+', ' '));
	} catch {
		return null;
	}
}

/** Returns the names of a query string or URL-encoded body, or null when a part is not valid UTF-8. */
function urlEncodedNames(text: string): string[] | null {
	const names: string[] = [];
	for (const pair of text.split('&')) {
		if (pair === '') continue;
		const separator = pair.indexOf('=');
		const name = decodeComponent(separator === -1 ? pair : pair.slice(0, separator));
		const value = separator === -1 ? '' : decodeComponent(pair.slice(separator + 1));
		if (name === null || value === null) return null;
		names.push(name);
	}
	return names;
}

function repeated(names: Iterable<string>): boolean {
	const seen = new Set<string>();
	for (const name of names) {
		if (seen.has(name) && !REPEATABLE.has(name)) return true;
		seen.add(name);
	}
	return false;
}

function reject(code: DomainErrorCode, detail: Record<string, unknown>): Response {
	log.info({ ...detail, code }, 'malformed request rejected');
	return new Response(errorMessage(code), {
		status: DOMAIN_ERRORS[code],
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
}

/**
 * Finds what makes a request's query or form body ambiguous or unreadable: text that is not
 * UTF-8 (raw bytes, or percent-escapes of bytes that are not UTF-8), a parameter or field sent
 * twice, or a post that is not a form. Returns the error code, or null when it is well formed.
 */
async function problemOf(request: Request, url: URL): Promise<DomainErrorCode | null> {
	const queryNames = urlEncodedNames(url.search.slice(1));
	if (queryNames === null) return 'invalid_encoding';
	if (repeated(queryNames)) return 'repeated_field';
	// SvelteKit throws a plain Error, a 500, for an action named `default` in the URL.
	if (queryNames.includes('/default')) return 'not_found';
	if (request.method !== 'POST') return null;
	const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
	if (!FORM_TYPES.has(type)) return 'unsupported_form';
	let bytes: ArrayBuffer;
	try {
		bytes = await request.clone().arrayBuffer();
	} catch {
		// adapter-node stops reading past BODY_SIZE_LIMIT (512 kB by default).
		return 'body_too_large';
	}
	let text: string;
	try {
		// No form on this site uploads a file, so every byte of a post is text.
		text = strictUtf8.decode(bytes);
	} catch {
		return 'invalid_encoding';
	}
	if (type === 'application/x-www-form-urlencoded') {
		const names = urlEncodedNames(text);
		if (names === null) return 'invalid_encoding';
		return repeated(names) ? 'repeated_field' : null;
	}
	let form: FormData;
	try {
		form = await request.clone().formData();
	} catch {
		return 'invalid_input';
	}
	return repeated(form.keys()) ? 'repeated_field' : null;
}

/**
 * Rejects a malformed request before any page or action sees it, with a 4xx and a message in
 * the visitor's language. Form parsers would otherwise read bad bytes as U+FFFD, keep one of
 * two values of a field, or fail with an error that is not the visitor's.
 */
export const wellFormed: Handle = async ({ event, resolve }) => {
	const problem = await problemOf(event.request, event.url);
	if (problem) {
		return reject(problem, {
			requestId: event.locals.requestId,
			method: event.request.method,
			path: event.route.id
		});
	}
	return resolve(event);
};
