import { complianceStatus, type ComplianceStatus } from '$lib/compliance/status';
import { filterBranches, sortBranches } from '$lib/compliance/table';
import type { DashboardFilters, DrillDownFilters } from '$lib/forms/compliance';
import { shareOfYearElapsed } from '$lib/time';
import type { Actor, Database } from '../db';
import { DomainError, translateErrors } from '../errors';
import {
	selectCountedEvents,
	selectDashboardFigures,
	selectFigures,
	selectMonthlyCounts,
	type BranchFigures,
	type CountedEvent,
	type MonthlyCount
} from './figures';

export type DashboardRow = BranchFigures & { status: ComplianceStatus };

/** The quota of every branch added up, and the district's events by month. */
export type DistrictFigures = {
	publicMin: number;
	selfMin: number;
	monthly: MonthlyCount[];
};

export type Dashboard = {
	year: number;
	elapsedShare: number;
	/** Every active verified branch, before filters: the district's totals count them all. */
	branchCount: number;
	rows: DashboardRow[];
	district: DistrictFigures;
};

function rate(figures: BranchFigures, elapsedShare: number): DashboardRow {
	const status = complianceStatus(
		{ held: figures.publicHeld, planned: figures.publicPlanned, min: figures.publicMin },
		{ held: figures.selfHeld, planned: figures.selfPlanned, min: figures.selfMin },
		elapsedShare
	);
	return { ...figures, status };
}

function requireActor(actor: Actor): NonNullable<Actor> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
	return actor;
}

/**
 * Loads the compliance dashboard for one Asia/Shanghai year as it stands at `at`: every active
 * verified league branch rated by pace, filtered and sorted, and the district's monthly counts
 * for its chart. The database functions reject anyone but a coordinator.
 */
export async function loadDashboard(
	db: Database,
	actor: Actor,
	filters: DashboardFilters,
	at: Date = new Date()
): Promise<Dashboard> {
	const signedIn = requireActor(actor);
	const elapsedShare = shareOfYearElapsed(filters.year, at);

	const { figures, monthly } = await translateErrors(
		db.as(signedIn, (tx) => selectDashboardFigures(tx, filters.year, at))
	);

	const rated = figures.map((row) => rate(row, elapsedShare));
	const rows = sortBranches(filterBranches(rated, filters), filters.sort, filters.dir);
	return {
		year: filters.year,
		elapsedShare,
		branchCount: rated.length,
		rows,
		district: {
			publicMin: rated.reduce((sum, row) => sum + row.publicMin, 0),
			selfMin: rated.reduce((sum, row) => sum + row.selfMin, 0),
			monthly
		}
	};
}

export type BranchDrillDown = {
	year: number;
	elapsedShare: number;
	branch: DashboardRow;
	events: CountedEvent[];
	monthly: MonthlyCount[];
};

/**
 * Loads one branch's figures for a year with the events behind them, of one orbit and state
 * when the filters name them. A branch that is not an active verified league branch is
 * `not_found`.
 */
export async function loadBranchDrillDown(
	db: Database,
	actor: Actor,
	organizationId: string,
	filters: DrillDownFilters,
	at: Date = new Date()
): Promise<BranchDrillDown> {
	const signedIn = requireActor(actor);
	const elapsedShare = shareOfYearElapsed(filters.year, at);

	const { figures, events, monthly } = await translateErrors(
		db.as(signedIn, async (tx) => {
			const all = await selectFigures(tx, filters.year, at);
			const figures = all.find((row) => row.organizationId === organizationId);
			if (!figures) {
				return { figures, events: [], monthly: [] };
			}
			return {
				figures,
				events: await selectCountedEvents(tx, filters.year, at, {
					organizationId,
					orbit: filters.orbit,
					isHeld: filters.state === undefined ? undefined : filters.state === 'held'
				}),
				monthly: await selectMonthlyCounts(tx, filters.year, at, organizationId)
			};
		})
	);
	if (!figures) {
		throw new DomainError('not_found');
	}
	return { year: filters.year, elapsedShare, branch: rate(figures, elapsedShare), events, monthly };
}
