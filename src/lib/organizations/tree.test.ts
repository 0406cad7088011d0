import { describe, expect, it } from 'vitest';
import { findBranch, nestBranches, subtreeIds, type Branch } from './tree';

function branch(id: string, parentId: string | null): Branch {
	return {
		id,
		name: id,
		kind: 'town_committee',
		parentId,
		townCode: null,
		isActive: true,
		hasAdmin: true
	};
}

describe('nestBranches', () => {
	const rows = [
		branch('district', null),
		branch('town-a', 'district'),
		branch('town-b', 'district'),
		branch('village', 'town-a'),
		branch('orphan', 'not-a-branch')
	];

	it('puts children under their parents in order', () => {
		const roots = nestBranches(rows);
		expect(roots.map((root) => root.id)).toEqual(['district', 'orphan']);
		expect(roots[0]!.children.map((child) => child.id)).toEqual(['town-a', 'town-b']);
		expect(roots[0]!.children[0]!.children.map((child) => child.id)).toEqual(['village']);
	});

	it('finds a node at any depth', () => {
		const roots = nestBranches(rows);
		expect(findBranch(roots, 'village')?.parentId).toBe('town-a');
		expect(findBranch(roots, 'missing')).toBeUndefined();
	});

	it('collects a node and everything below it', () => {
		const roots = nestBranches(rows);
		expect(subtreeIds(findBranch(roots, 'district')!)).toEqual(
			new Set(['district', 'town-a', 'town-b', 'village'])
		);
		expect(subtreeIds(findBranch(roots, 'town-b')!)).toEqual(new Set(['town-b']));
	});
});
