/** The district's time zone: every date, day and year boundary is counted in it. */
export const ZONE = 'Asia/Shanghai';

// This module uses Intl only, with no date library, because it is part of every page's browser
// bundle: luxon alone would add about 22 KB gzipped.

type WallClock = {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
};

const wallClockFormat = new Intl.DateTimeFormat('en-US', {
	timeZone: ZONE,
	hourCycle: 'h23',
	era: 'short',
	year: 'numeric',
	month: 'numeric',
	day: 'numeric',
	hour: 'numeric',
	minute: 'numeric',
	second: 'numeric'
});

/** Reads the Asia/Shanghai wall clock at an instant. */
function wallClockAt(value: Date): WallClock {
	const fields: Record<string, string> = {};
	for (const part of wallClockFormat.formatToParts(value)) fields[part.type] = part.value;
	const year = Number(fields.year);
	return {
		// Intl numbers years before 1 CE backwards within the BC era; ISO year 0 is 1 BC.
		year: fields.era === 'BC' ? 1 - year : year,
		month: Number(fields.month),
		day: Number(fields.day),
		hour: Number(fields.hour),
		minute: Number(fields.minute),
		second: Number(fields.second)
	};
}

/** Returns milliseconds since the epoch of a wall clock read as if it were UTC. */
function wallClockAsUtc(clock: WallClock): number {
	const date = new Date(0);
	date.setUTCFullYear(clock.year, clock.month - 1, clock.day);
	date.setUTCHours(clock.hour, clock.minute, clock.second, 0);
	return date.getTime();
}

/** Returns the instant at which Asia/Shanghai wall clocks show the given time. */
function instantOfWallClock(clock: WallClock): number {
	const asUtc = wallClockAsUtc(clock);
	// The zone's offset is not known before the instant is, so guess with the offset at the wall
	// time read as UTC, then correct once with the offset at the guessed instant. Two passes
	// settle every offset change Shanghai has had (summer time 1986-1991 included).
	const firstGuess = asUtc - offsetAt(asUtc);
	return asUtc - offsetAt(firstGuess);
}

/** Returns the zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: number): number {
	const wholeSecond = Math.floor(instant / 1000) * 1000;
	return wallClockAsUtc(wallClockAt(new Date(wholeSecond))) - wholeSecond;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Reads a `datetime-local` value (YYYY-MM-DDTHH:mm) as wall time in Asia/Shanghai. */
export function fromLocalInput(value: string): Date | null {
	const match = LOCAL_INPUT.exec(value);
	if (!match) return null;
	const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
		.slice(1)
		.map((part) => Number(part ?? 0));
	if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
	const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
	const daysInMonth = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
	if (day < 1 || day > daysInMonth) return null;
	const clock: WallClock = { year, month, day, hour, minute, second };
	return new Date(instantOfWallClock(clock));
}

/** Writes an instant as a `datetime-local` value in Asia/Shanghai. */
export function toLocalInput(value: Date): string {
	const clock = wallClockAt(value);
	const pad = (number: number, width = 2) => String(number).padStart(width, '0');
	return `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}T${pad(clock.hour)}:${pad(clock.minute)}`;
}

/** An Asia/Shanghai calendar date; months and days count from 1. */
export type CalendarDate = { year: number; month: number; day: number };

/** Returns the Asia/Shanghai calendar date an instant falls on. */
export function calendarDateOf(value: Date): CalendarDate {
	const { year, month, day } = wallClockAt(value);
	return { year, month, day };
}

/** Returns the instant an Asia/Shanghai calendar date begins. Months past 12 roll into later years. */
export function startOfDate(date: CalendarDate): Date {
	const year = date.year + Math.floor((date.month - 1) / 12);
	const month = ((date.month - 1) % 12) + 1;
	return new Date(
		instantOfWallClock({ year, month, day: date.day, hour: 0, minute: 0, second: 0 })
	);
}

/** Returns the Asia/Shanghai calendar year an instant falls in. */
export function yearOf(value: Date): number {
	return wallClockAt(value).year;
}

/** Returns the share of an Asia/Shanghai calendar year gone by at an instant, from 0 to 1. */
export function shareOfYearElapsed(year: number, at: Date): number {
	const newYear = { month: 1, day: 1, hour: 0, minute: 0, second: 0 };
	const start = instantOfWallClock({ year, ...newYear });
	const end = instantOfWallClock({ year: year + 1, ...newYear });
	const elapsed = at.getTime() - start;
	return Math.min(1, Math.max(0, elapsed / (end - start)));
}

/**
 * One formatter per language, made on first use: building an Intl.DateTimeFormat costs far more
 * than formatting with one, and a list page formats dozens of dates.
 */
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** Formats an instant for people, in Asia/Shanghai, in the page's language. */
export function formatDateTime(value: Date | string, locale: string): string {
	const tag = locale === 'zh' ? 'zh-CN' : 'en-GB';
	let format = dateTimeFormats.get(tag);
	if (!format) {
		format = new Intl.DateTimeFormat(tag, {
			timeZone: ZONE,
			year: 'numeric',
			month: 'short',
			day: 'numeric',
			weekday: 'short',
			hour: '2-digit',
			minute: '2-digit',
			hour12: false
		});
		dateTimeFormats.set(tag, format);
	}
	return format.format(new Date(value));
}
