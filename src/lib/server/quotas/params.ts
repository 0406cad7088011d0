import { error } from '@sveltejs/kit';
import type { z } from 'zod';
import {
	dashboardFiltersSchema,
	drillDownSchema,
	type DashboardFilters,
	type DrillDownFilters
} from '$lib/forms/compliance';
import { m } from '$lib/paraglide/messages';
import { yearOf } from '$lib/time';
import type { Actor, Database } from '../db';
import { listOrgKinds, listTowns, type OrgKind, type Town } from '../reference';

const FIELD_LABELS: Record<string, () => string> = {
	year: m.field_year,
	town: m.field_town,
	kind: m.field_kind,
	status: m.field_status,
	sort: m.compliance_sort,
	dir: m.compliance_direction,
	orbit: m.field_orbit,
	state: m.field_status
};

/** Throws a 400 naming the first invalid GET parameter and its value, in the page's language. */
function rejectFilter(url: URL, field: string): never {
	const value = (url.searchParams.get(field) ?? '').slice(0, 40);
	const label = FIELD_LABELS[field]?.() ?? field;
	error(400, m.error_invalid_filter({ field: label, value }));
}

function parseParams<T extends z.ZodType>(url: URL, schema: T): z.output<T> {
	const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) {
		rejectFilter(url, String(parsed.error.issues[0]?.path[0] ?? ''));
	}
	return parsed.data;
}

export type DashboardParams = {
	filters: DashboardFilters;
	currentYear: number;
	towns: Town[];
	branchKinds: OrgKind[];
};

/**
 * Reads the dashboard's filters from the URL. Town and kind must name a town and a kind of
 * league branch in the reference tables. Any invalid value is a 400 with a message.
 */
export async function readDashboardParams(
	db: Database,
	actor: Actor,
	url: URL
): Promise<DashboardParams> {
	const currentYear = yearOf(new Date());
	const filters = parseParams(url, dashboardFiltersSchema(currentYear));
	const [towns, kinds] = await Promise.all([listTowns(db, actor), listOrgKinds(db, actor)]);
	const branchKinds = kinds.filter((kind) => kind.isLeagueBranch);
	if (filters.town && !towns.some((town) => town.code === filters.town)) {
		rejectFilter(url, 'town');
	}
	if (filters.kind && !branchKinds.some((kind) => kind.code === filters.kind)) {
		rejectFilter(url, 'kind');
	}
	return { filters, currentYear, towns, branchKinds };
}

/** Reads the drill-down page's year, orbit and state from the URL, or throws a 400. */
export function readDrillDownParams(url: URL): DrillDownFilters {
	return parseParams(url, drillDownSchema(yearOf(new Date())));
}
