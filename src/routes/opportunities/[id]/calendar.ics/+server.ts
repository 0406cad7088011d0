import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { getCalendarEvent } from '$lib/server/calendar/feeds';
import { buildCalendar } from '$lib/server/calendar/ics';
import { calendarResponse } from '$lib/server/calendar/response';
import { db } from '$lib/server/db';
import { loadOr404, parseId } from '$lib/server/http/actions';
import type { RequestHandler } from './$types';
import { withMessages } from '$lib/server/http/endpoint';

/** Serves one event as an .ics file to anyone whose policies let them see it. */
export const GET: RequestHandler = withMessages(async ({ params, locals, url }) => {
	const id = parseId(params.id);
	const event = await loadOr404(() => getCalendarEvent(db(), locals.actor, id, getLocale()));
	const ics = buildCalendar([event], {
		name: event.title,
		origin: url.origin,
		cancelledPrefix: m.calendar_cancelled_prefix()
	});
	return calendarResponse(ics, {
		filename: `event-${id}.ics`,
		disposition: 'attachment',
		cacheControl: 'private, no-cache'
	});
});
