import { m } from '$lib/paraglide/messages';

/** File name, disposition and caching of a calendar response. */
export type CalendarResponseOptions = {
	/** An ASCII file name ending in .ics. */
	filename: string;
	disposition: 'attachment' | 'inline';
	cacheControl: string;
};

/** Wraps an iCalendar document in an HTTP response with the text/calendar media type. */
export function calendarResponse(ics: string, options: CalendarResponseOptions): Response {
	return new Response(ics, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': `${options.disposition}; filename="${options.filename}"`,
			'cache-control': options.cacheControl
		}
	});
}

/**
 * Builds the 404 of a private feed, the same for a malformed, unknown or reset token, with the
 * not-found message for whoever opens the link in a browser.
 */
export function feedNotFound(): Response {
	return new Response(m.error_not_found(), {
		status: 404,
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
	});
}
