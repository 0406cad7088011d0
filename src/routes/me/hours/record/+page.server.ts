import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { hoursPeriodSchema } from '$lib/forms/attendance';
import { issueHoursRecord } from '$lib/server/attendance/records';
import { db } from '$lib/server/db';
import { loadOr404, requireUserOrSignIn } from '$lib/server/http/actions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	const parsed = hoursPeriodSchema.safeParse(url.searchParams.get('year') ?? 'all');
	if (!parsed.success) {
		error(400, 'invalid_input');
	}
	const period = parsed.data === 'all' ? 'all' : { year: parsed.data };
	const record = await loadOr404(() => issueHoursRecord(db(), actor, period));
	const verifyUrl = `${url.origin}/verify/${record.code}`;
	const qr = await QRCode.toDataURL(verifyUrl, { margin: 1, width: 240 });
	return { record, verifyUrl, qr, year: parsed.data };
};
