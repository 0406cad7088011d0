import { error } from '@sveltejs/kit';
import { auditFilterSchema } from '$lib/forms/audit';
import { m } from '$lib/paraglide/messages';
import { listAuditEntries } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { loadOr404, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireCoordinator } from '$lib/server/organizations/access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	requireCoordinator(locals);
	const parsed = auditFilterSchema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) {
		const value = (url.searchParams.get('table') ?? '').slice(0, 40);
		error(400, m.error_invalid_filter({ field: m.audit_table(), value }));
	}
	const table = parsed.data.table ?? null;
	const entries = await loadOr404(() => listAuditEntries(db(), actor, table));
	return { table, entries };
};
