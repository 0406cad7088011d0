import type { Sql } from '../db';

export type BranchTreeOptions = {
	/** League branches in all, the district committee and its town committees included. */
	branchCount: number;
	/** The first and last Asia/Shanghai year that get events. */
	firstYear: number;
	lastYear: number;
	/** Prefix of every generated name, so a second tree in the same database cannot clash. */
	namePrefix?: string;
};

export type BranchTree = {
	districtId: string;
	branchCount: number;
	eventCount: number;
};

const TOWN_CODES = [
	'zhaobaoshan',
	'jiaochuan',
	'luotuo',
	'zhuangshi',
	'guisi',
	'xiepu',
	'jiulonghu'
];
const BRANCH_KINDS = ['village_branch', 'community_branch', 'school_branch', 'company_branch'];

/**
 * Writes a league branch tree at district scale in set-based SQL, in one transaction as the
 * owner with triggers off: a district committee, its seven town committees, and branches of four
 * kinds under them, all verified. Each branch gets 2 to 6 public-orbit events (on the fixed
 * public dates) and 6 to 18 self-orbit events per year, 16 on average. Most are published. One
 * in twenty is cancelled and one in fifty is a draft, which the compliance figures leave out.
 */
export async function createBranchTree(sql: Sql, options: BranchTreeOptions): Promise<BranchTree> {
	const prefix = options.namePrefix ?? '基准';
	const townCount = TOWN_CODES.length;
	const leafCount = options.branchCount - 1 - townCount;
	if (leafCount < 0) {
		throw new Error(`a branch tree needs at least ${1 + townCount} branches`);
	}

	return sql.begin(async (tx) => {
		await tx`set local session_replication_role = replica`;

		const [district] = await tx<{ id: string }[]>`
			insert into public.organizations (name, kind, town_code, contact_name, contact_phone,
				status, verified_at)
			values (${prefix + '团区委'}, 'district_committee', 'zhaobaoshan', '基准联系人',
				'13800000000', 'verified', now())
			returning id
		`;
		const districtId = district!.id;

		await tx`
			insert into public.organizations (name, kind, parent_id, town_code, contact_name,
				contact_phone, status, verified_at)
			select ${prefix} || t.name_zh || '团委', 'town_committee', ${districtId}, t.code,
				'基准联系人', '13800000000', 'verified', now()
			from public.towns t
			where t.code = any(${TOWN_CODES})
		`;

		await tx`
			insert into public.organizations (name, kind, parent_id, town_code, contact_name,
				contact_phone, status, verified_at)
			select ${prefix} || t.name_zh || '第' || n || '团支部',
				(${BRANCH_KINDS}::text[])[1 + n % ${BRANCH_KINDS.length}::int],
				t.id, t.town_code, '基准联系人', '13800000000', 'verified', now()
			from generate_series(1, ${leafCount}::int) as n
			join lateral (
				select o.id, o.town_code, tw.name_zh
				from public.organizations o
				join public.towns tw on tw.code = o.town_code
				where o.parent_id = ${districtId}
				order by o.town_code
				offset (n % ${townCount}::int) limit 1
			) as t on true
		`;

		// One planned event per row: the branch, the year, the orbit and its ordinal in that year.
		await tx`
			create temporary table bench_planned_events (
				id uuid, organization_id uuid, town_code text, name text, year int,
				orbit public.orbit, k int, noise int
			) on commit drop
		`;
		await tx`
			insert into bench_planned_events
			select gen_random_uuid() as id, b.id as organization_id, b.town_code, b.name, y as year,
				orbit::public.orbit as orbit, k,
				(hashtext(b.id::text || y || orbit || k) & 2147483647) as noise
			from public.organizations b
			cross join generate_series(${options.firstYear}::int, ${options.lastYear}::int) as y
			cross join lateral (
				select 'public' as orbit, k
				from generate_series(1, 2 + (hashtext(b.id::text || y) & 2147483647) % 5) as k
				union all
				select 'self', k
				from generate_series(1, 6 + (hashtext(y || b.id::text) & 2147483647) % 13) as k
			) as planned
			where b.id = ${districtId} or b.parent_id = ${districtId}
				or b.parent_id in (select id from public.organizations where parent_id = ${districtId})
		`;

		// Public-orbit events fall on the fixed dates (March 5th, May 4th, June 1st, July 1st,
		// October 1st, December 5th); self-orbit ones spread over the months.
		await tx`
			insert into public.opportunities (id, organization_id, kind, title, description,
				town_code, place, starts_at, ends_at, apply_opens_at, apply_closes_at, capacity,
				status, published_at, cancelled_at)
			select p.id, p.organization_id, 'event',
				p.name || case when p.orbit = 'public' then '主题日活动' else '志愿服务' end || p.k,
				'基准数据', p.town_code, '服务站点', s.starts_at, s.starts_at + interval '3 hours',
				s.starts_at - interval '21 days', s.starts_at - interval '1 hour', 30,
				(case when p.noise % 50 = 0 then 'draft' when p.noise % 20 = 0 then 'cancelled'
					else 'published' end)::public.opportunity_status,
				s.starts_at - interval '21 days',
				case when p.noise % 50 <> 0 and p.noise % 20 = 0 then s.starts_at - interval '7 days' end
			from bench_planned_events p
			cross join lateral (
				select case when p.orbit = 'public' then
					make_timestamptz(p.year, (array[3, 5, 6, 7, 10, 12])[p.k],
						(array[5, 4, 1, 1, 1, 5])[p.k], 9, 0, 0, 'Asia/Shanghai')
				else
					make_timestamptz(p.year, 1 + (p.k - 1) % 12, 1 + p.noise % 28, 14, 0, 0,
						'Asia/Shanghai')
				end as starts_at
			) as s
		`;
		await tx`
			insert into public.events (opportunity_id, orbit, theme)
			select id, orbit, case when orbit = 'public' then '主题日' else '志愿服务' end
			from bench_planned_events
		`;

		const [counts] = await tx<{ branches: number; events: number }[]>`
			select (select count(distinct organization_id) from bench_planned_events)::int as branches,
				(select count(*) from bench_planned_events)::int as events
		`;
		return { districtId, branchCount: counts!.branches, eventCount: counts!.events };
	});
}
