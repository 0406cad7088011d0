import type { Handle, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { randomUUID } from 'node:crypto';
import { m } from '$lib/paraglide/messages';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { auth } from '$lib/server/auth';
import { db } from '$lib/server/db';
import { wellFormed } from '$lib/server/http/well-formed';
import { log } from '$lib/server/log';
import { loadRoles } from '$lib/server/organizations/roles';

const NO_ROLES = { isCoordinator: false, memberships: [] };

/**
 * Returns the request path for the log. Invitation links and private calendar feeds carry a
 * secret token in the path, so the token is replaced.
 */
function pathForLog(url: URL): string {
	return url.pathname
		.replace(/^\/invite\/[^/]+/, '/invite/[token]')
		.replace(/^\/calendar\/[^/]+/, '/calendar/[token]');
}

const language: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) =>
				html.replace('%paraglide.lang%', locale === 'zh' ? 'zh-CN' : locale)
		});
	});

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Rejects every state-changing request whose Origin is not this site, whatever its content type.
 * SvelteKit's own check covers only form content types and replies in English, so
 * svelte.config.js turns it off in favour of this one.
 */
const sameOrigin: Handle = ({ event, resolve }) => {
	if (
		!SAFE_METHODS.has(event.request.method) &&
		event.request.headers.get('origin') !== event.url.origin
	) {
		log.warn(
			{
				method: event.request.method,
				path: pathForLog(event.url),
				origin: event.request.headers.get('origin')
			},
			'cross-site request rejected'
		);
		return new Response(m.error_cross_site(), {
			status: 403,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return resolve(event);
};

/**
 * The policy for responses that SvelteKit's csp setting does not cover: its config applies only
 * to the HTML pages it renders, not to endpoints (.ics, .csv, .xlsx, .pdf), redirects,
 * __data.json, or the origin check's refusal. None of those need to load anything.
 */
const FALLBACK_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Sets the security headers on every response that passes through `handle`, whoever made it.
 * It runs first, so the responses of the handles after it (the origin check's 403 included) get
 * them too.
 */
const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!response.headers.has('content-security-policy')) {
		response.headers.set('content-security-policy', FALLBACK_CSP);
	}
	response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('x-frame-options', 'DENY');
	response.headers.set('permissions-policy', 'camera=(self), geolocation=(self), microphone=()');
	return response;
};

const session: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	event.locals.requestId = randomUUID();
	const user = await auth().currentUser(event.cookies);
	event.locals.user = user;
	event.locals.actor = user ? { id: user.id } : null;
	event.locals.roles = user ? await loadRoles(db(), user.id) : NO_ROLES;

	const response = await resolve(event);

	log.info({
		requestId: event.locals.requestId,
		userId: user?.id,
		method: event.request.method,
		path: pathForLog(event.url),
		status: response.status,
		ms: Math.round(performance.now() - started)
	});
	return response;
};

export const handle = sequence(securityHeaders, language, sameOrigin, session, wellFormed);

export const handleError: HandleServerError = ({ error, event, status }) => {
	const requestId = event.locals.requestId ?? randomUUID();
	if (status !== 404) {
		log.error({ requestId, path: pathForLog(event.url), err: error }, 'request failed');
	}
	return {
		message: status === 404 ? m.error_not_found() : m.error_unexpected(),
		requestId
	};
};
