import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { yearOf } from '$lib/time';
import { db } from '$lib/server/db';
import { loadOr404, requireUserOrSignIn } from '$lib/server/http/actions';
import { complianceOverview } from '$lib/server/quotas';
import { listOrgKinds, listTowns } from '$lib/server/reference';
import type { PageServerLoad } from './$types';

const yearSchema = z.coerce.number().int().min(2000).max(2100);

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	if (!locals.roles.isCoordinator) {
		error(403, 'not_allowed');
	}
	const currentYear = yearOf(new Date());
	const parsedYear = yearSchema.safeParse(url.searchParams.get('year') ?? currentYear);
	if (!parsedYear.success) {
		error(400, 'invalid_input');
	}
	const [rows, towns, kinds] = await Promise.all([
		loadOr404(() => complianceOverview(db(), actor, parsedYear.data)),
		listTowns(db(), actor),
		listOrgKinds(db(), actor)
	]);
	return { year: parsedYear.data, currentYear, rows, towns, kinds };
};
