import { error } from '@sveltejs/kit';
import { verifyHoursRecord } from '$lib/server/attendance/records';
import { db } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, setHeaders }) => {
	// Codes are printed in capitals, but people may type them in lower case or with spaces.
	const code = params.code.replace(/[\s-]+/g, '').toUpperCase();
	const record = await verifyHoursRecord(db(), code);
	if (!record) {
		error(404, 'verification_not_found');
	}
	setHeaders({ 'cache-control': 'no-store' });
	return { record, code };
};
