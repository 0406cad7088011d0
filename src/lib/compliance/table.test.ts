import { describe, expect, it } from 'vitest';
import { filterBranches, sortBranches, type RatedBranch } from './table';

function branch(overrides: Partial<RatedBranch> & { organizationName: string }): RatedBranch {
	return {
		organizationId: overrides.organizationName,
		orgKind: 'town_committee',
		townCode: 'zhaobaoshan',
		publicHeld: 0,
		publicPlanned: 0,
		selfHeld: 0,
		selfPlanned: 0,
		status: 'on_track',
		...overrides
	};
}

const rows = [
	branch({
		organizationName: '蛟川街道团工委',
		townCode: 'jiaochuan',
		selfHeld: 5,
		status: 'behind'
	}),
	branch({ organizationName: '澥浦镇团委', townCode: 'xiepu', selfHeld: 9, status: 'met' }),
	branch({
		organizationName: '招宝山街道城河社区团支部',
		orgKind: 'community_branch',
		selfHeld: 5,
		publicPlanned: 2,
		status: 'at_risk'
	})
];

describe('filterBranches', () => {
	it('keeps rows matching every filter', () => {
		expect(
			filterBranches(rows, { town: 'zhaobaoshan' }).map((row) => row.organizationName)
		).toEqual(['招宝山街道城河社区团支部']);
		expect(filterBranches(rows, { kind: 'town_committee', status: 'met' })).toHaveLength(1);
		expect(filterBranches(rows, { town: 'xiepu', status: 'behind' })).toHaveLength(0);
		expect(filterBranches(rows, {})).toHaveLength(3);
	});
});

describe('sortBranches', () => {
	it('sorts names in pinyin order', () => {
		const names = sortBranches(rows, 'name', 'asc').map((row) => row.organizationName);
		expect(names).toEqual(['蛟川街道团工委', '澥浦镇团委', '招宝山街道城河社区团支部']);
		expect(sortBranches(rows, 'name', 'desc').map((row) => row.organizationName)).toEqual(
			[...names].reverse()
		);
	});

	it('breaks count ties by name', () => {
		const names = sortBranches(rows, 'self_held', 'desc').map((row) => row.organizationName);
		expect(names).toEqual(['澥浦镇团委', '蛟川街道团工委', '招宝山街道城河社区团支部']);
	});

	it('sorts status from met to behind', () => {
		const statuses = sortBranches(rows, 'status', 'asc').map((row) => row.status);
		expect(statuses).toEqual(['met', 'at_risk', 'behind']);
	});

	it('leaves the input order alone', () => {
		const before = rows.map((row) => row.organizationName);
		sortBranches(rows, 'public_planned', 'desc');
		expect(rows.map((row) => row.organizationName)).toEqual(before);
	});
});
