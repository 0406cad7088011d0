import { error, redirect } from '@sveltejs/kit';
import { cookieName, isLocale } from '$lib/paraglide/runtime';
import { safeNext } from '$lib/server/http/next';
import type { RequestHandler } from './$types';
import { withMessages } from '$lib/server/http/endpoint';

/** Switches the language with a plain link, so it works without JavaScript. */
export const GET: RequestHandler = withMessages(({ params, url, cookies }) => {
	// Only paths on this site, so the link cannot send anyone elsewhere.
	const target = safeNext(url.searchParams.get('to'));
	if (!isLocale(params.locale)) {
		error(404, 'not_found');
	}
	cookies.set(cookieName, params.locale, {
		path: '/',
		httpOnly: false,
		sameSite: 'lax',
		maxAge: 60 * 60 * 24 * 400
	});
	redirect(303, target);
});
