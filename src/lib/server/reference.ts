import type { Actor, Database, Tx } from './db';

export type Town = { code: string; nameZh: string; nameEn: string };
export type OrgKind = { code: string; isLeagueBranch: boolean; nameZh: string; nameEn: string };

export async function listTowns(db: Database, actor: Actor): Promise<Town[]> {
	return db.as(actor, selectTowns);
}

/** Selects the towns inside a transaction that the caller also runs other queries in. */
export function selectTowns(tx: Tx): Promise<Town[]> {
	return tx<Town[]>`
		select code, name_zh as "nameZh", name_en as "nameEn" from public.towns order by sort_order
	`;
}

export async function listOrgKinds(db: Database, actor: Actor): Promise<OrgKind[]> {
	return db.as(
		actor,
		(tx) => tx<OrgKind[]>`
			select code, is_league_branch as "isLeagueBranch", name_zh as "nameZh", name_en as "nameEn"
			from public.org_kinds order by sort_order
		`
	);
}
