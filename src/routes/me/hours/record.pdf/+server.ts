import { error, redirect } from '@sveltejs/kit';
import { hoursPeriodSchema } from '$lib/forms/attendance';
import { formatDay, formatHours, formatPeriod } from '$lib/hours-format';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatDateTime } from '$lib/time';
import { PdfFontMissingError, renderHoursRecordPdf } from '$lib/server/attendance/pdf';
import { issueHoursRecord } from '$lib/server/attendance/records';
import { db } from '$lib/server/db';
import { loadOr404 } from '$lib/server/http/actions';
import { log } from '$lib/server/log';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.actor) {
		redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
	}
	const parsed = hoursPeriodSchema.safeParse(url.searchParams.get('year') ?? 'all');
	if (!parsed.success) {
		error(400, 'invalid_input');
	}
	const actor = locals.actor;
	const period = parsed.data === 'all' ? 'all' : { year: parsed.data };
	const record = await loadOr404(() => issueHoursRecord(db(), actor, period));
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
			return new Response(m.error_pdf_font_missing(), {
				status: 503,
				headers: { 'content-type': 'text/plain; charset=utf-8' }
			});
		}
		throw caught;
	}
	return new Response(new Uint8Array(pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `inline; filename="hours-record-${record.code}.pdf"`,
			'cache-control': 'private, no-store'
		}
	});
};
