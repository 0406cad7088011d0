import { m } from '$lib/paraglide/messages';
import { ZONE } from '$lib/time';

function dateFormat(locale: string): Intl.DateTimeFormat {
	return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', {
		timeZone: ZONE,
		year: 'numeric',
		month: 'long',
		day: 'numeric'
	});
}

/** Formats an instant as its Asia/Shanghai calendar date, in the page's language. */
export function formatDay(value: Date, locale: string): string {
	return dateFormat(locale).format(value);
}

/** Formats a calendar date written YYYY-MM-DD, in the page's language. */
export function formatIsoDay(value: string, locale: string): string {
	// Noon in Asia/Shanghai, so the date is the same whatever zone formats it.
	return formatDay(new Date(`${value}T12:00:00+08:00`), locale);
}

/** Formats a period of dates, such as "1 January 2026 – 31 December 2026". */
export function formatPeriod(start: string, end: string, locale: string): string {
	return start === end
		? formatIsoDay(start, locale)
		: `${formatIsoDay(start, locale)} – ${formatIsoDay(end, locale)}`;
}

/** Hours with up to two decimals and the unit, in the page's language. */
export function formatHours(hours: number, locale: string): string {
	const number = new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', {
		maximumFractionDigits: 2
	}).format(hours);
	return m.hours_amount({ hours: number });
}
