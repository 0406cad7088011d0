// The dashboard's and quota page's fixed choices, kept apart from the zod schemas that check
// them so that pages can import them without bringing zod into the browser bundle.

/** Years the quota table and the compliance functions accept. */
export const YEAR_RANGE = { min: 2000, max: 2100 } as const;

/** The maximum events a quota may require in one orbit and year: one a day. */
export const MAX_QUOTA = 365;

export const SORT_KEYS = [
	'name',
	'public_held',
	'public_planned',
	'self_held',
	'self_planned',
	'status'
] as const;

export type SortKey = (typeof SORT_KEYS)[number];

export const ORBITS = ['public', 'self'] as const;
export const EVENT_STATES = ['held', 'planned'] as const;
