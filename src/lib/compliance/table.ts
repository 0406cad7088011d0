import type { SortKey } from '$lib/compliance/params';
import { statusRank, type ComplianceStatus } from './status';

/** The parts of a dashboard row that filters and sorting read. */
export type RatedBranch = {
	organizationId: string;
	organizationName: string;
	orgKind: string;
	townCode: string | null;
	publicHeld: number;
	publicPlanned: number;
	selfHeld: number;
	selfPlanned: number;
	status: ComplianceStatus;
};

export type BranchFilter = { town?: string; kind?: string; status?: ComplianceStatus };

const names = new Intl.Collator('zh-CN');

/** Keeps the rows that match every filter given. */
export function filterBranches<T extends RatedBranch>(rows: T[], filter: BranchFilter): T[] {
	return rows.filter(
		(row) =>
			(!filter.town || row.townCode === filter.town) &&
			(!filter.kind || row.orgKind === filter.kind) &&
			(!filter.status || row.status === filter.status)
	);
}

function sortValue(row: RatedBranch, key: Exclude<SortKey, 'name'>): number {
	switch (key) {
		case 'public_held':
			return row.publicHeld;
		case 'public_planned':
			return row.publicPlanned;
		case 'self_held':
			return row.selfHeld;
		case 'self_planned':
			return row.selfPlanned;
		case 'status':
			return statusRank(row.status);
	}
}

/**
 * Sorts rows by one key. Ties fall back to the name in Chinese collation order, ascending, and
 * then to the id, so the order is the same on every load and in every export.
 */
export function sortBranches<T extends RatedBranch>(
	rows: T[],
	key: SortKey,
	direction: 'asc' | 'desc'
): T[] {
	const sign = direction === 'asc' ? 1 : -1;
	const byName = (a: T, b: T) =>
		names.compare(a.organizationName, b.organizationName) ||
		a.organizationId.localeCompare(b.organizationId);
	return [...rows].sort((a, b) => {
		if (key === 'name') {
			return sign * byName(a, b);
		}
		return sign * (sortValue(a, key) - sortValue(b, key)) || byName(a, b);
	});
}
