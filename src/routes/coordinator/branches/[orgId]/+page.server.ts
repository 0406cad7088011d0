import { db } from '$lib/server/db';
import { loadOr404, parseId, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireCoordinator } from '$lib/server/organizations/access';
import { loadBranchDrillDown } from '$lib/server/quotas';
import { readDrillDownParams } from '$lib/server/quotas/params';
import { listTowns } from '$lib/server/reference';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireUserOrSignIn(locals, url);
	requireCoordinator(locals);
	const organizationId = parseId(params.orgId);
	const filters = readDrillDownParams(url);
	const [drillDown, towns] = await Promise.all([
		loadOr404(() => loadBranchDrillDown(db(), actor, organizationId, filters)),
		listTowns(db(), actor)
	]);
	return { filters, drillDown, towns };
};
