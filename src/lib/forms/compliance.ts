import { z } from 'zod';
import { COMPLIANCE_STATUSES } from '$lib/compliance/status';
import { digitsNumber, wholeNumber } from './fields';
import { EVENT_STATES, MAX_QUOTA, ORBITS, SORT_KEYS, YEAR_RANGE } from '$lib/compliance/params';

export { EVENT_STATES, MAX_QUOTA, ORBITS, SORT_KEYS, YEAR_RANGE };
export type { SortKey } from '$lib/compliance/params';

const yearField = digitsNumber(YEAR_RANGE.min, YEAR_RANGE.max, 'year_range');

/** A reference-data code as the seed writes them, e.g. `town_committee` or `zhaobaoshan`. */
const codeField = z.string().regex(/^[a-z_]{1,40}$/, 'invalid_choice');

/** Reads an empty GET parameter as no filter. */
function optional<T extends z.ZodType>(schema: T) {
	return z.preprocess(
		(value) => (value === '' || value === null ? undefined : value),
		schema.optional()
	);
}

/**
 * Builds the schema of the dashboard's GET parameters. The page checks town and kind against the
 * reference tables after parsing, because those codes live in the database.
 */
export function dashboardFiltersSchema(currentYear: number) {
	return z.object({
		year: optional(yearField).transform((year) => year ?? currentYear),
		town: optional(codeField),
		kind: optional(codeField),
		status: optional(z.enum(COMPLIANCE_STATUSES, { error: 'invalid_choice' })),
		sort: optional(z.enum(SORT_KEYS, { error: 'invalid_choice' })).transform(
			(sort) => sort ?? 'name'
		),
		dir: optional(z.enum(['asc', 'desc'], { error: 'invalid_choice' })).transform(
			(dir) => dir ?? 'asc'
		)
	});
}

export type DashboardFilters = z.output<ReturnType<typeof dashboardFiltersSchema>>;

/** Builds the schema of the drill-down page's GET parameters. A missing orbit or state means both. */
export function drillDownSchema(currentYear: number) {
	return z.object({
		year: optional(yearField).transform((year) => year ?? currentYear),
		orbit: optional(z.enum(ORBITS, { error: 'invalid_choice' })),
		state: optional(z.enum(EVENT_STATES, { error: 'invalid_choice' }))
	});
}

export type DrillDownFilters = z.output<ReturnType<typeof drillDownSchema>>;

const quotaField = wholeNumber(0, MAX_QUOTA, 'quota_range');

/** One kind's quota form on /coordinator/quotas. */
export const quotaSchema = z.object({
	year: wholeNumber(YEAR_RANGE.min, YEAR_RANGE.max, 'year_range'),
	orgKind: codeField,
	publicMin: quotaField,
	selfMin: quotaField
});

export type QuotaInput = z.infer<typeof quotaSchema>;
