/** A league branch as the tree shows it. */
export type Branch = {
	id: string;
	name: string;
	kind: string;
	parentId: string | null;
	townCode: string | null;
	isActive: boolean;
	hasAdmin: boolean;
};

export type BranchNode = Branch & { children: BranchNode[] };

/**
 * Nests branches under their parents, keeping the order they came in. A branch whose parent is
 * not among them (no parent, or a parent that is not a verified league branch) becomes a root.
 */
export function nestBranches(branches: Branch[]): BranchNode[] {
	const nodes = new Map<string, BranchNode>();
	for (const branch of branches) {
		nodes.set(branch.id, { ...branch, children: [] });
	}

	const roots: BranchNode[] = [];
	for (const node of nodes.values()) {
		const parent = node.parentId ? nodes.get(node.parentId) : undefined;
		if (parent) {
			parent.children.push(node);
		} else {
			roots.push(node);
		}
	}
	return roots;
}

/** Finds the node with this id anywhere in the tree, or returns undefined. */
export function findBranch(roots: BranchNode[], id: string): BranchNode | undefined {
	for (const root of roots) {
		if (root.id === id) {
			return root;
		}
		const found = findBranch(root.children, id);
		if (found) {
			return found;
		}
	}
	return undefined;
}

/** Collects the ids of a node and of every branch below it, none of which can become its parent. */
export function subtreeIds(node: BranchNode): Set<string> {
	const ids = new Set<string>([node.id]);
	const pending = [...node.children];
	while (pending.length > 0) {
		const next = pending.pop()!;
		ids.add(next.id);
		pending.push(...next.children);
	}
	return ids;
}
