import { DateTime } from 'luxon';

/** The district's time zone: every date, day and year boundary is counted in it. */
export const ZONE = 'Asia/Shanghai';

/** Reads a `datetime-local` value (YYYY-MM-DDTHH:mm) as wall time in Asia/Shanghai. */
export function fromLocalInput(value: string): Date | null {
	const parsed = DateTime.fromISO(value, { zone: ZONE });
	return parsed.isValid ? parsed.toJSDate() : null;
}

/** Writes an instant as a `datetime-local` value in Asia/Shanghai. */
export function toLocalInput(value: Date): string {
	return DateTime.fromJSDate(value, { zone: ZONE }).toFormat("yyyy-LL-dd'T'HH:mm");
}

/** Returns the Asia/Shanghai calendar year an instant falls in. */
export function yearOf(value: Date): number {
	return DateTime.fromJSDate(value, { zone: ZONE }).year;
}

/** Returns the share of an Asia/Shanghai calendar year gone by at an instant, from 0 to 1. */
export function shareOfYearElapsed(year: number, at: Date): number {
	const start = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: ZONE });
	const end = start.plus({ years: 1 });
	const elapsed = at.getTime() - start.toMillis();
	return Math.min(1, Math.max(0, elapsed / (end.toMillis() - start.toMillis())));
}

/** Formats an instant for people, in Asia/Shanghai, in the page's language. */
export function formatDateTime(value: Date | string, locale: string): string {
	return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', {
		timeZone: ZONE,
		year: 'numeric',
		month: 'short',
		day: 'numeric',
		weekday: 'short',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	}).format(new Date(value));
}
