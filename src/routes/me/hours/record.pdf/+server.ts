import { redirect } from '@sveltejs/kit';
import { hoursPeriodSchema } from '$lib/forms/attendance';
import { errorMessage } from '$lib/messages';
import { formatDay, formatHours, formatPeriod } from '$lib/hours-format';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatDateTime } from '$lib/time';
import { PdfFontMissingError, renderHoursRecordPdf } from '$lib/server/attendance/pdf';
import { issueHoursRecord } from '$lib/server/attendance/records';
import { db } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { log } from '$lib/server/log';
import type { RequestHandler } from './$types';
import { withMessages } from '$lib/server/http/endpoint';

/** Builds a plain-text response in the page's language, for a PDF request that failed. */
function textResponse(status: number, message: string): Response {
	return new Response(message, {
		status,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
}

export const GET: RequestHandler = withMessages(async ({ locals, url }) => {
	if (!locals.actor) {
		redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
	}
	const parsed = hoursPeriodSchema.safeParse(url.searchParams.get('year') ?? 'all');
	if (!parsed.success) {
		return textResponse(400, errorMessage('invalid_input'));
	}
	const period = parsed.data === 'all' ? 'all' : { year: parsed.data };
	let record;
	try {
		record = await issueHoursRecord(db(), locals.actor, period);
	} catch (caught) {
		if (caught instanceof DomainError) {
			return textResponse(caught.status, errorMessage(caught.code));
		}
		throw caught;
	}
	const locale = getLocale();
	const verifyUrl = `${url.origin}/verify/${record.code}`;

	let pdf: Buffer;
	try {
		pdf = await renderHoursRecordPdf(
			record,
			{
				title: m.record_title(),
				name: m.record_name(),
				period: m.record_period(),
				totalHours: m.record_total_hours(),
				issuedAt: m.record_issued_at(),
				code: m.record_code(),
				verifyAt: m.record_verify_at(),
				eventsHeading: m.record_events(),
				noEvents: m.record_no_events(),
				columnDate: m.record_column_date(),
				columnEvent: m.record_column_event(),
				columnHours: m.hours_column(),
				formatDate: (value) => formatDay(value, locale),
				formatHours: (hours) => formatHours(hours, locale),
				periodText: formatPeriod(record.periodStart, record.periodEnd, locale),
				issuedText: formatDateTime(record.issuedAt, locale)
			},
			verifyUrl
		);
	} catch (caught) {
		if (caught instanceof PdfFontMissingError) {
			log.error({ requestId: locals.requestId, err: caught }, 'hours record PDF failed');
			return textResponse(503, m.error_pdf_font_missing());
		}
		throw caught;
	}
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `inline; filename="hours-record-${record.code}.pdf"`,
			'cache-control': 'private, no-store',
			// Chrome shows an inline PDF in a viewer page that the response's CSP also governs, and
			// the site-wide fallback (default-src 'none') leaves that viewer blank. The file is
			// generated here and carries no script, so only framing is restricted.
			'content-security-policy': "frame-ancestors 'none'"
		}
	});
});
