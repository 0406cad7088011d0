import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { getOrganizationFeed } from '$lib/server/calendar/feeds';
import { buildCalendar } from '$lib/server/calendar/ics';
import { calendarResponse } from '$lib/server/calendar/response';
import { db } from '$lib/server/db';
import { loadOr404, parseId } from '$lib/server/http/actions';
import type { RequestHandler } from './$types';
import { withMessages } from '$lib/server/http/endpoint';

/** Serves the public feed of a verified organization's published and cancelled events. */
export const GET: RequestHandler = withMessages(async ({ params, locals, url }) => {
	const organizationId = parseId(params.orgId);
	const feed = await loadOr404(() =>
		getOrganizationFeed(db(), locals.actor, organizationId, getLocale())
	);
	const ics = buildCalendar(feed.events, {
		name: m.calendar_organization_feed_name({ name: feed.organizationName }),
		origin: url.origin,
		cancelledPrefix: m.calendar_cancelled_prefix()
	});
	const response = calendarResponse(ics, {
		filename: `organization-${organizationId}.ics`,
		disposition: 'inline',
		cacheControl: 'public, max-age=300'
	});
	// The same for every visitor but for the language, which the locale cookie picks.
	response.headers.set('vary', 'cookie');
	return response;
});
