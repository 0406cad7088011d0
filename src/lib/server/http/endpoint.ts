import { isHttpError } from '@sveltejs/kit';
import { errorMessage } from '$lib/messages';
import { isDomainErrorCode } from '../errors';

/**
 * Wraps a `+server.ts` handler so that its HTTP errors respond with the message in the visitor's
 * language as plain text. SvelteKit would otherwise show an error code such as `not_found` on
 * its static error page, since `+error.svelte` serves pages only.
 */
export function withMessages<E>(
	handler: (event: E) => Response | Promise<Response>
): (event: E) => Promise<Response> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (caught) {
			if (!isHttpError(caught)) {
				throw caught;
			}
			const text = caught.body.message;
			return new Response(isDomainErrorCode(text) ? errorMessage(text) : text, {
				status: caught.status,
				headers: { 'content-type': 'text/plain; charset=utf-8' }
			});
		}
	};
}
