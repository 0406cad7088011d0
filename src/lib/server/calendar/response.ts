/** How a calendar response may be cached and whether the browser saves it as a file. */
export type CalendarResponseOptions = {
	/** An ASCII file name ending in .ics. */
	filename: string;
	disposition: 'attachment' | 'inline';
	cacheControl: string;
};

/** An iCalendar document as an HTTP response (media type from RFC 5545, section 8.1). */
export function calendarResponse(ics: string, options: CalendarResponseOptions): Response {
	return new Response(ics, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': `${options.disposition}; filename="${options.filename}"`,
			'cache-control': options.cacheControl
		}
	});
}

/** The 404 for a private feed: the same for a malformed, unknown or reset token, with no body. */
export function feedNotFound(): Response {
	return new Response(null, { status: 404, headers: { 'cache-control': 'no-store' } });
}
