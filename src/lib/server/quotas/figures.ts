import type { Tx } from '../db';

/** One active verified league branch's events in one year, split by orbit and by state. */
export type BranchFigures = {
	organizationId: string;
	organizationName: string;
	orgKind: string;
	parentId: string | null;
	townCode: string | null;
	publicHeld: number;
	publicPlanned: number;
	selfHeld: number;
	selfPlanned: number;
	publicMin: number;
	selfMin: number;
};

/** An event behind a compliance figure. Held means it had ended at the time asked about. */
export type CountedEvent = {
	organizationId: string;
	opportunityId: string;
	title: string;
	startsAt: Date;
	endsAt: Date;
	orbit: 'public' | 'self';
	isHeld: boolean;
};

/** Events of one orbit that start in one Asia/Shanghai month of the year. */
export type MonthlyCount = {
	orbit: 'public' | 'self';
	month: number;
	held: number;
	planned: number;
};

export function selectFigures(tx: Tx, year: number, at: Date) {
	return tx<BranchFigures[]>`
		select organization_id as "organizationId", organization_name as "organizationName",
			org_kind as "orgKind", parent_id as "parentId", town_code as "townCode",
			public_held as "publicHeld", public_planned as "publicPlanned",
			self_held as "selfHeld", self_planned as "selfPlanned",
			public_min as "publicMin", self_min as "selfMin"
		from public.compliance_figures(${year}, ${at})
	`;
}

/**
 * Reads every branch's figures and the district's monthly counts for one year in one statement,
 * from one pass over the counted events.
 */
export async function selectDashboardFigures(
	tx: Tx,
	year: number,
	at: Date
): Promise<{ figures: BranchFigures[]; monthly: MonthlyCount[] }> {
	// A branch's row has a null orbit, month, held and planned. A month's row has only those set.
	const rows = await tx<(BranchFigures | (MonthlyCount & { organizationId: null }))[]>`
		select organization_id as "organizationId", organization_name as "organizationName",
			org_kind as "orgKind", parent_id as "parentId", town_code as "townCode",
			public_held as "publicHeld", public_planned as "publicPlanned",
			self_held as "selfHeld", self_planned as "selfPlanned",
			public_min as "publicMin", self_min as "selfMin", orbit, month, held, planned
		from public.compliance_dashboard(${year}, ${at})
	`;
	const figures: BranchFigures[] = [];
	const monthly: MonthlyCount[] = [];
	for (const row of rows) {
		if (row.organizationId === null) {
			monthly.push({ orbit: row.orbit, month: row.month, held: row.held, planned: row.planned });
		} else {
			figures.push({
				organizationId: row.organizationId,
				organizationName: row.organizationName,
				orgKind: row.orgKind,
				parentId: row.parentId,
				townCode: row.townCode,
				publicHeld: row.publicHeld,
				publicPlanned: row.publicPlanned,
				selfHeld: row.selfHeld,
				selfPlanned: row.selfPlanned,
				publicMin: row.publicMin,
				selfMin: row.selfMin
			});
		}
	}
	return { figures, monthly };
}

/** The counted events of a year, of one branch when `organizationId` is given. */
export function selectCountedEvents(
	tx: Tx,
	year: number,
	at: Date,
	filter: { organizationId?: string; orbit?: 'public' | 'self'; isHeld?: boolean } = {}
) {
	return tx<CountedEvent[]>`
		select organization_id as "organizationId", opportunity_id as "opportunityId", title,
			starts_at as "startsAt", ends_at as "endsAt", orbit, is_held as "isHeld"
		from public.compliance_events(${year}, ${at})
		where (${filter.organizationId ?? null}::uuid is null
				or organization_id = ${filter.organizationId ?? null}::uuid)
			and (${filter.orbit ?? null}::public.orbit is null
				or orbit = ${filter.orbit ?? null}::public.orbit)
			and (${filter.isHeld ?? null}::boolean is null or is_held = ${filter.isHeld ?? null}::boolean)
		order by starts_at, title, opportunity_id
	`;
}

/** Held and planned events per orbit and Asia/Shanghai month, of one branch or of all. */
export function selectMonthlyCounts(tx: Tx, year: number, at: Date, organizationId?: string) {
	return tx<MonthlyCount[]>`
		select orbit,
			extract(month from starts_at at time zone 'Asia/Shanghai')::int as month,
			(count(*) filter (where is_held))::int as held,
			(count(*) filter (where not is_held))::int as planned
		from public.compliance_events(${year}, ${at})
		where ${organizationId ?? null}::uuid is null or organization_id = ${organizationId ?? null}::uuid
		group by 1, 2
		order by 1, 2
	`;
}
