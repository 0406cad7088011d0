import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { listPrivateFeedEvents } from '$lib/server/calendar/feeds';
import { buildCalendar } from '$lib/server/calendar/ics';
import { calendarResponse, feedNotFound } from '$lib/server/calendar/response';
import { db } from '$lib/server/db';
import type { RequestHandler } from './$types';
import { withMessages } from '$lib/server/http/endpoint';

/** Serves a person's private feed of their accepted events. The token is the only credential. */
export const GET: RequestHandler = withMessages(async ({ params, url }) => {
	const events = await listPrivateFeedEvents(db(), params.token, getLocale());
	if (!events) {
		return feedNotFound();
	}
	const ics = buildCalendar(events, {
		name: m.calendar_private_feed_name(),
		origin: url.origin,
		cancelledPrefix: m.calendar_cancelled_prefix()
	});
	const response = calendarResponse(ics, {
		filename: 'my-events.ics',
		disposition: 'inline',
		cacheControl: 'private, no-store'
	});
	response.headers.set('x-robots-tag', 'noindex');
	return response;
});
