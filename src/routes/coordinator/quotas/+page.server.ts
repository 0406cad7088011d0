import { error, fail } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { quotaSchema, YEAR_RANGE } from '$lib/forms/compliance';
import { digitsNumber } from '$lib/forms/fields';
import { db } from '$lib/server/db';
import { act, loadOr404, requireUserOrSignIn } from '$lib/server/http/actions';
import { requireCoordinator } from '$lib/server/organizations/access';
import { listQuotas, setQuota } from '$lib/server/quotas';
import { listOrgKinds } from '$lib/server/reference';
import { yearOf } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';

const yearParam = digitsNumber(YEAR_RANGE.min, YEAR_RANGE.max, 'year_range');

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUserOrSignIn(locals, url);
	requireCoordinator(locals);
	const parsedYear = yearParam.safeParse(url.searchParams.get('year') || yearOf(new Date()));
	if (!parsedYear.success) {
		error(400, 'invalid_input');
	}
	const [quotas, kinds] = await Promise.all([
		loadOr404(() => listQuotas(db(), actor, parsedYear.data)),
		listOrgKinds(db(), actor)
	]);
	return { year: parsedYear.data, quotas, kinds: kinds.filter((kind) => kind.isLeagueBranch) };
};

/** Outcome of a save, shown beside that kind's form. */
type QuotaOutcome = {
	orgKind: string;
	saved: boolean;
	errors: { publicMin?: string; selfMin?: string; year?: string };
	values: { publicMin: string; selfMin: string } | null;
};

export const actions: Actions = {
	save: async ({ request, locals }) => {
		requireCoordinator(locals);
		const form = await superValidate(request, zod4(quotaSchema));
		const outcome: QuotaOutcome = {
			orgKind: typeof form.data.orgKind === 'string' ? form.data.orgKind : '',
			saved: false,
			errors: {},
			values: { publicMin: form.data.publicMin, selfMin: form.data.selfMin }
		};
		if (!form.valid) {
			const errors = {
				publicMin: form.errors.publicMin?.[0],
				selfMin: form.errors.selfMin?.[0],
				year: form.errors.year?.[0] ?? form.errors.orgKind?.[0]
			};
			return fail(400, { ...outcome, errors, error: 'invalid_input' });
		}
		const failure = await act(
			locals,
			'set quota',
			() =>
				setQuota(db(), locals.actor, {
					year: Number(form.data.year),
					orgKind: form.data.orgKind,
					publicMin: Number(form.data.publicMin),
					selfMin: Number(form.data.selfMin)
				}),
			outcome
		);
		return failure ?? { ...outcome, saved: true, values: null };
	}
};
