import type { Actor, Database } from '../db';
import { DomainError, translateErrors } from '../errors';

export type BranchCompliance = {
	organizationId: string;
	organizationName: string;
	orgKind: string;
	parentId: string | null;
	townCode: string | null;
	publicCount: number;
	selfCount: number;
	publicMin: number;
	selfMin: number;
};

/**
 * Themed events of every active league branch in one Asia/Shanghai calendar year against its
 * quota. The database function refuses anyone but a coordinator.
 */
export async function complianceOverview(
	db: Database,
	actor: Actor,
	year: number
): Promise<BranchCompliance[]> {
	if (!actor) {
		throw new DomainError('not_signed_in');
	}
	return translateErrors(
		db.as(
			actor,
			(tx) => tx<BranchCompliance[]>`
				select organization_id as "organizationId", organization_name as "organizationName",
					org_kind as "orgKind", parent_id as "parentId", town_code as "townCode",
					public_count::int as "publicCount", self_count::int as "selfCount",
					public_min as "publicMin", self_min as "selfMin"
				from public.compliance_overview(${year})
			`
		)
	);
}

/** Whether a branch has met both minimums. */
export function hasMetQuota(row: BranchCompliance): boolean {
	return row.publicCount >= row.publicMin && row.selfCount >= row.selfMin;
}

export { loadBranchDrillDown, loadDashboard } from './dashboard';
export type { BranchDrillDown, Dashboard, DashboardRow } from './dashboard';
export type { BranchFigures, CountedEvent, MonthlyCount } from './figures';
export { listQuotas, setQuota } from './settings';
export type { QuotaSetting } from './settings';
