import { createHash } from 'node:crypto';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalEventStatus, foldLines } from 'ical-generator';
import { DateTime } from 'luxon';
import { ZONE } from '$lib/time';

/** One event as a calendar shows it. */
export type CalendarEvent = {
	id: string;
	title: string;
	description: string;
	place: string;
	/** The town's name in the feed's language, or null when the event has no town. */
	townName: string | null;
	startsAt: Date;
	endsAt: Date;
	status: 'draft' | 'published' | 'cancelled';
	/** Revision number, raised by the database on every change a calendar should pick up. */
	sequence: number;
	updatedAt: Date;
	organizationId: string;
	organizationName: string;
};

/** Feed-wide settings: the calendar's name, the site's origin for links, translated labels. */
export type CalendarOptions = {
	name: string;
	/** The site's origin, such as `https://example.org`, from which event links are built. */
	origin: string;
	/** Put before the title of a cancelled event, for clients that do not show STATUS. */
	cancelledPrefix: string;
};

/** The domain part of every UID. A UID must never change, so neither may this. */
const UID_DOMAIN = 'youth-opportunities';

const PRODUCT_ID = {
	company: 'Zhenhai Youth League',
	product: 'youth-opportunities',
	language: 'ZH'
};

const STATUS: Record<CalendarEvent['status'], ICalEventStatus> = {
	draft: ICalEventStatus.TENTATIVE,
	published: ICalEventStatus.CONFIRMED,
	cancelled: ICalEventStatus.CANCELLED
};

/** Returns the UID of an event, the same for every version of it in every feed. */
export function eventUid(opportunityId: string): string {
	return `${opportunityId}@${UID_DOMAIN}`;
}

/**
 * Documents already built, by a digest of their input, newest use last. ical-generator 10.2
 * makes a TextEncoder for every character while folding lines, so 500 events take about a
 * quarter of a second of CPU; calendar clients poll feeds that rarely change. Version 11 fixes
 * the folding but needs Node 22. At most BUILT_CALENDARS_MAX documents (about 330 KB each for
 * 500 events) are kept per server process.
 */
const builtCalendars = new Map<string, string>();
const BUILT_CALENDARS_MAX = 32;

/**
 * Builds an iCalendar (RFC 5545) document from event rows. Start and end are written as wall
 * time in Asia/Shanghai with TZID and a VTIMEZONE block, never as floating time. DTSTAMP is the
 * row's last change, as RFC 5545 (section 3.8.7.2) defines it for a calendar without METHOD, so
 * an unchanged event gives byte-identical output, which is what lets a built document be reused
 * for the same rows.
 */
export function buildCalendar(events: readonly CalendarEvent[], options: CalendarOptions): string {
	const key = createHash('sha256')
		.update(JSON.stringify([events, options]))
		.digest('base64');
	const built = builtCalendars.get(key);
	if (built !== undefined) {
		builtCalendars.delete(key);
		builtCalendars.set(key, built);
		return built;
	}
	const text = renderCalendar(events, options);
	builtCalendars.set(key, text);
	if (builtCalendars.size > BUILT_CALENDARS_MAX) {
		builtCalendars.delete(builtCalendars.keys().next().value!);
	}
	return text;
}

/** Builds the document as buildCalendar describes, without looking in or adding to the cache. */
export function renderCalendar(events: readonly CalendarEvent[], options: CalendarOptions): string {
	const calendar = ical({ name: options.name, prodId: PRODUCT_ID });
	// The generator supplies the VTIMEZONE block. With a name, ical-generator 10.2 would write
	// X-WR-TIMEZONE and make events without their own zone floating, so each event carries TZID.
	calendar.timezone({ name: null, generator: getVtimezoneComponent });

	for (const event of events) {
		const location = [event.townName, event.place].filter(Boolean).join(' ');
		const summary =
			event.status === 'cancelled' ? `${options.cancelledPrefix}${event.title}` : event.title;
		calendar.createEvent({
			id: eventUid(event.id),
			sequence: event.sequence,
			stamp: DateTime.fromJSDate(event.updatedAt, { zone: 'utc' }),
			lastModified: DateTime.fromJSDate(event.updatedAt, { zone: 'utc' }),
			timezone: ZONE,
			start: DateTime.fromJSDate(event.startsAt, { zone: ZONE }),
			end: DateTime.fromJSDate(event.endsAt, { zone: ZONE }),
			summary,
			description: event.description || null,
			location: location || null,
			url: new URL(`/opportunities/${event.id}`, options.origin).href,
			status: STATUS[event.status]
		});
	}
	// RFC 5545 ends every content line with CRLF, the last one too, but ical-generator omits it.
	return `${addOrganizers(calendar.toString(), events, options.origin)}\r\n`;
}

/**
 * Adds an ORGANIZER line to each VEVENT. ical-generator writes ORGANIZER only as a mailto:
 * address, and organizations have no email, so the organizer is named (CN) and identified by
 * its public calendar's URL. RFC 5545 (section 3.3.3) allows any URI as a CAL-ADDRESS.
 */
function addOrganizers(text: string, events: readonly CalendarEvent[], origin: string): string {
	const parts = text.split('END:VEVENT\r\n');
	if (parts.length !== events.length + 1) {
		throw new Error(`expected ${events.length} VEVENT blocks, found ${parts.length - 1}`);
	}
	return parts
		.map((part, index) => {
			const event = events[index];
			if (!event) {
				return part;
			}
			const address = new URL(`/org/${event.organizationId}/calendar.ics`, origin).href;
			const line = `ORGANIZER;CN=${quoteParameter(event.organizationName)}:${address}`;
			return `${part}${foldLines(line)}\r\nEND:VEVENT\r\n`;
		})
		.join('');
}

/** Quotes a parameter value, dropping the DQUOTE and control characters RFC 5545 forbids there. */
function quoteParameter(value: string): string {
	// eslint-disable-next-line no-control-regex
	return `"${value.replace(/["\u0000-\u001f\u007f]/g, '')}"`;
}
