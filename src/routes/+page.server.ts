import { error } from '@sveltejs/kit';
import { browseSchema } from '$lib/forms/browse';
import { fromLocalInput } from '$lib/time';
import { db } from '$lib/server/db';
import { loadBrowsePage } from '$lib/server/events/browse';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, locals }) => {
	const parsed = browseSchema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) {
		error(400, 'invalid_input');
	}
	const query = parsed.data;
	const result = await loadBrowsePage(db(), locals.actor, {
		query: query.q,
		orbit: query.orbit,
		townCode: query.town,
		from: query.from ? fromLocalInput(`${query.from}T00:00`) : null,
		to: query.to ? fromLocalInput(`${query.to}T23:59`) : null,
		page: query.page
	});
	return { query, ...result };
};
