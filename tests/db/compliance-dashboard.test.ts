import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardFiltersSchema } from '../../src/lib/forms/compliance';
import type { Database } from '../../src/lib/server/db/client';
import { createBranchTree, type BranchTree } from '../../src/lib/server/demo/branches';
import { loadDashboard } from '../../src/lib/server/quotas';
import { selectFigures, selectMonthlyCounts } from '../../src/lib/server/quotas/figures';
import { createPerson, makeCoordinator, rejectionCode, testDatabase } from './fixtures';

// A year no other test writes events in, so the tree's counts are its own.
const YEAR = 2091;
const AT = new Date(Date.UTC(YEAR, 6, 1));

let db: Database;
let coordinator: { id: string };
let youth: { id: string };
let tree: BranchTree;

beforeAll(async () => {
	db = testDatabase();
	coordinator = { id: await createPerson(db, 'Coordinator') };
	await makeCoordinator(db, coordinator.id);
	youth = { id: await createPerson(db, 'Youth') };
	tree = await createBranchTree(db.sql, {
		branchCount: 12,
		firstYear: YEAR,
		lastYear: YEAR,
		namePrefix: `测试${randomUUID().slice(0, 8)}`
	});
});

afterAll(async () => {
	await db.end();
});

function dashboard() {
	return loadDashboard(db, coordinator, dashboardFiltersSchema(YEAR).parse({}), AT);
}

describe('compliance dashboard', () => {
	it('counts the monthly chart as the monthly query does', async () => {
		const expected = await db.as(coordinator, (tx) => selectMonthlyCounts(tx, YEAR, AT));
		const { district } = await dashboard();
		expect(district.monthly).toEqual(expected);
		const total = district.monthly.reduce((sum, count) => sum + count.held + count.planned, 0);
		expect(total).toBeGreaterThan(0);
	});

	it('gives the branch figures of compliance_figures', async () => {
		const expected = await db.as(coordinator, (tx) => selectFigures(tx, YEAR, AT));
		const { rows } = await dashboard();
		const byId = (a: { organizationId: string }, b: { organizationId: string }) =>
			a.organizationId.localeCompare(b.organizationId);
		const figures = rows.map(({ status: _status, ...figures }) => figures).sort(byId);
		expect(figures).toEqual([...expected].sort(byId));
	});

	it('counts every published event of the tree', async () => {
		// Other test files write events in the same year, so only this tree's rows are compared.
		const branches = await db.sql<{ id: string }[]>`
			select id from public.organizations
			where id = ${tree.districtId} or parent_id = ${tree.districtId}
				or parent_id in (select id from public.organizations where parent_id = ${tree.districtId})
		`;
		const treeIds = new Set(branches.map((branch) => branch.id));
		expect(treeIds.size).toBe(tree.branchCount);
		const [published] = await db.sql<{ count: number }[]>`
			select count(*)::int as count
			from public.opportunities o
			join public.events e on e.opportunity_id = o.id
			where o.status = 'published'
				and o.organization_id in ${db.sql([...treeIds])}
				and o.starts_at >= make_timestamptz(${YEAR}, 1, 1, 0, 0, 0, 'Asia/Shanghai')
				and o.starts_at < make_timestamptz(${YEAR + 1}, 1, 1, 0, 0, 0, 'Asia/Shanghai')
		`;
		const { rows } = await dashboard();
		const counted = rows
			.filter((row) => treeIds.has(row.organizationId))
			.reduce(
				(sum, row) => sum + row.publicHeld + row.publicPlanned + row.selfHeld + row.selfPlanned,
				0
			);
		expect(published!.count).toBeGreaterThan(0);
		expect(counted).toBe(published!.count);
	});

	it('rejects everyone but coordinators', async () => {
		for (const actor of [youth, null]) {
			const query = db.as(actor, (tx) => tx`select * from public.compliance_dashboard(${YEAR})`);
			expect(await rejectionCode(query)).toBe('not_allowed');
		}
	});
});
