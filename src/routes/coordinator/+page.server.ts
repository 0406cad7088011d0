import { db } from '$lib/server/db';
import { loadOr404, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireCoordinator } from '$lib/server/organizations/access';
import { loadDashboard } from '$lib/server/quotas';
import { readDashboardParams } from '$lib/server/quotas/params';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	requireCoordinator(locals);
	const { filters, currentYear, towns, branchKinds } = await readDashboardParams(db(), actor, url);
	const dashboard = await loadOr404(() => loadDashboard(db(), actor, filters));
	return { filters, currentYear, towns, branchKinds, dashboard };
};
