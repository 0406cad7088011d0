import { z } from 'zod';
import { COMPLIANCE_STATUSES } from '$lib/compliance/status';
import { wholeNumber } from './fields';

/** Years the quota table and the compliance functions accept. */
export const YEAR_RANGE = { min: 2000, max: 2100 } as const;

/** The maximum events a quota may require in one orbit and year: one a day. */
export const MAX_QUOTA = 365;

const yearField = z.coerce
	.number({ error: 'invalid_number' })
	.int('invalid_number')
	.min(YEAR_RANGE.min, 'year_range')
	.max(YEAR_RANGE.max, 'year_range');

/** A reference-data code as the seed writes them, e.g. `town_committee` or `zhaobaoshan`. */
const codeField = z.string().regex(/^[a-z_]{1,40}$/, 'invalid_choice');

/** Reads an empty GET parameter as no filter. */
function optional<T extends z.ZodType>(schema: T) {
	return z.preprocess(
		(value) => (value === '' || value === null ? undefined : value),
		schema.optional()
	);
}

export const SORT_KEYS = [
	'name',
	'public_held',
	'public_planned',
	'self_held',
	'self_planned',
	'status'
] as const;

export type SortKey = (typeof SORT_KEYS)[number];

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

export const ORBITS = ['public', 'self'] as const;
export const EVENT_STATES = ['held', 'planned'] as const;

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
