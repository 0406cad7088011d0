import type { Sql } from '../db';
import { DEMO_PASSWORD } from './generate';

export type ScaleOptions = {
	opportunities: number;
	people: number;
	applications: number;
	/** Host organizations the opportunities are spread over. */
	organizations: number;
	/** The instant the data is built around: years of past events and a year of upcoming ones. */
	now?: Date;
	/** Seed for PostgreSQL's random(), so the same options give the same data. */
	seed?: number;
};

/** The size the benchmarks measure browse and search at. */
export const SCALE_FULL: ScaleOptions = {
	opportunities: 100_000,
	people: 200_000,
	applications: 2_000_000,
	organizations: 400
};

export type ScaleReport = {
	people: number;
	organizations: number;
	opportunities: number;
	applications: number;
	milliseconds: number;
};

/** Sign-in of the n-th (1-based) invented person; every one has the demo password. */
export function scaleEmail(index: number): string {
	return `scale${index}@demo.local`;
}

/** Returns whether scale data is in the database already. */
export async function isScaleLoaded(sql: Sql): Promise<boolean> {
	const [row] = await sql`select 1 from auth.users where email = ${scaleEmail(1)}`;
	return Boolean(row);
}

const SURNAMES = [
	...'王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕'
];
const GIVEN = [...'子涵欣怡梓轩浩然思远雨桐一诺若曦宇航俊杰佳琪晨阳嘉怡明哲诗雨可馨天佑语嫣博文'];

/** Kinds of the invented host organizations, with the word their names end in. */
const ORGANIZATION_KINDS = [
	['community_branch', '社区团支部'],
	['village_branch', '村团支部'],
	['school_branch', '学校团委'],
	['company_branch', '企业团支部'],
	['social_organization', '青年志愿服务队']
];

/** Titles, themes and places of self-orbit events; public-orbit ones use the dates' themes. */
const SELF_THEMES = [
	['青年项目马拉松', '项目马拉松', '区青年之家'],
	['社区垃圾分类宣传', '环境保护', '社区广场'],
	['关爱独居老人上门服务', '敬老助老', '社区服务中心'],
	['公益有声书录制', '公益有声书', '青媒录音室'],
	['青年头脑风暴会', '头脑风暴', '团委会议室'],
	['郑氏十七房文化导览', '文化传承', '郑氏十七房'],
	['防溺水安全宣讲', '安全教育', '九龙湖畔'],
	['青年志愿者技能培训', '志愿培训', '区志愿服务中心'],
	['文明交通劝导', '文明出行', '城区主要路口'],
	['企业青年读书会', '青年读书', '企业职工书屋'],
	['海岸线净滩行动', '环境保护', '招宝山海滨'],
	['社区义诊志愿服务', '健康服务', '社区卫生服务站'],
	['图书馆周末志愿岗', '文化志愿', '区图书馆'],
	['留守儿童课业辅导', '关爱儿童', '村文化礼堂'],
	['反诈宣传进社区', '平安建设', '社区广场'],
	['无偿献血志愿引导', '健康服务', '献血屋']
];
const PUBLIC_THEMES = [
	['学雷锋纪念日志愿服务活动', '学雷锋', '辖区服务站点'],
	['五四青年节主题团日', '五四青年节', '团委会议室'],
	['六一关爱儿童志愿行', '关爱儿童', '社区服务中心'],
	['七一重温入党誓词', '建党纪念', '党群服务中心'],
	['国庆升旗与文明引导', '国庆', '城区广场'],
	['国际志愿者日集中服务', '国际志愿者日', '区志愿服务中心'],
	['一二·九运动纪念主题活动', '一二·九', '学校礼堂']
];
/** Every theme, public-orbit ones first. */
const THEMES = [...PUBLIC_THEMES, ...SELF_THEMES];

const DESCRIPTION_ENDINGS = [
	'欢迎青年朋友报名参加。',
	'请提前十分钟到场签到，活动提供饮用水。',
	'参加者可记录志愿服务时长。',
	'适合初次参加志愿服务的青年。',
	'需要一定体力，请穿着运动鞋。'
];

/**
 * Adds invented data at benchmark scale with set-based SQL in one transaction: people with
 * profiles, host organizations under the town committees, opportunities with events over four
 * past years and the coming one (published, draft and cancelled), and applications. Triggers
 * are off while it loads (replica mode), so the rules they keep are built in here: at most one
 * application per person and opportunity, accepted applications within capacity and equal to
 * the counter, waitlisted ones only on full upcoming events and queued in application order,
 * nobody on an event before its apply window opened. Every person is an adult, so no guardian
 * consent is needed.
 */
export async function loadScale(sql: Sql, options: ScaleOptions): Promise<ScaleReport> {
	const started = performance.now();
	const now = options.now ?? new Date();
	const seed = options.seed ?? 0.20261206;
	// The mean applications per published event (85 % are published), 3 % over so that the
	// running sum reaches the total.
	const meanApplications =
		(options.applications / Math.max(1, options.opportunities * 0.85)) * 1.03;
	await sql.begin(async (tx) => {
		await tx`set local session_replication_role = replica`;
		await tx`set local synchronous_commit = off`;
		await tx`set local work_mem = '64MB'`;
		await tx`set local maintenance_work_mem = '256MB'`;
		await tx`select setseed(${seed})`;
		// Fixed ids from a kind and an index, so applications can name people and opportunities
		// without joining: kind 1 people, 2 organizations, 3 opportunities.
		await tx.unsafe(`
			create function pg_temp.scale_id(kind int, i bigint) returns uuid
			language sql immutable
			as $$ select (lpad(to_hex(kind), 8, '0') || '-5ca1-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid $$
		`);
		const [hash] = await tx<{ hash: string }[]>`
			select extensions.crypt(${DEMO_PASSWORD}, extensions.gen_salt('bf', 10)) as hash
		`;

		await tx`
			create temporary table scale_people on commit drop as
			select i,
				pg_temp.scale_id(1, i) as id,
				(${SURNAMES}::text[])[1 + floor(random() * ${SURNAMES.length})::int]
					|| (${GIVEN}::text[])[1 + floor(random() * ${GIVEN.length})::int]
					|| case when random() < 0.5
						then (${GIVEN}::text[])[1 + floor(random() * ${GIVEN.length})::int] else '' end
					as display_name,
				date '1990-01-01' + floor(random() * 5400)::int as birth_date,
				${now}::timestamptz - make_interval(days => floor(random() * 1500)::int) as created_at
			from generate_series(1, ${options.people}::int) as i
		`;
		await tx`
			insert into auth.users (id, email, encrypted_password, email_confirmed_at,
				raw_user_meta_data, created_at, updated_at)
			select id, 'scale' || i || '@demo.local', ${hash!.hash}, created_at,
				jsonb_build_object('display_name', display_name), created_at, created_at
			from scale_people
		`;
		await tx`
			insert into public.profiles (id, display_name, birth_date, created_at, updated_at)
			select id, display_name, birth_date, created_at, created_at from scale_people
		`;

		// Host organizations in the Zhenhai towns, under each town's committee where there is one.
		await tx`
			insert into public.organizations (id, name, kind, parent_id, town_code, contact_name,
				contact_phone, status, verified_at, created_at)
			select pg_temp.scale_id(2, g),
				t.name_zh || '第' || g || (${ORGANIZATION_KINDS.map((kind) => kind[1]!)}::text[])[1 + g % ${ORGANIZATION_KINDS.length}],
				(${ORGANIZATION_KINDS.map((kind) => kind[0]!)}::text[])[1 + g % ${ORGANIZATION_KINDS.length}],
				case when g % ${ORGANIZATION_KINDS.length} <> ${ORGANIZATION_KINDS.length - 1} then (
					select o.id from public.organizations o
					where o.kind = 'town_committee' and o.town_code = t.code
					order by o.created_at, o.id limit 1
				) end,
				t.code,
				(${SURNAMES}::text[])[1 + g % ${SURNAMES.length}] || '老师',
				'138' || lpad((g * 7919 % 100000000)::text, 8, '0'),
				case when g % 40 = 0 then 'pending' else 'verified' end::public.organization_status,
				case when g % 40 = 0 then null else ${now}::timestamptz - interval '5 years' end,
				${now}::timestamptz - interval '5 years'
			from generate_series(1, ${options.organizations}::int) as g
			join lateral (
				select code, name_zh from public.towns where district = 'zhenhai'
				order by sort_order offset g % 7 limit 1
			) t on true
		`;

		// One row per opportunity with everything drawn at random, then derived columns. Applications
		// per published event follow an exponential spread around the mean the total requires, and
		// the running sum cuts them off at exactly the total.
		await tx`
			create temporary table scale_draw on commit drop as
			select g as seq, random() as r_status, random() as r_time, random() as r_orbit,
				random() as r_theme, random() as r_town, random() as r_size, random() as r_full,
				random() as r_capacity, random() as r_hours, random() as r_opened,
				floor(random() * ${options.people})::int as first_person,
				1 + floor(random() * ${options.organizations})::int as organization
			from generate_series(1, ${options.opportunities}::int) as g
		`;
		await tx`
			create temporary table scale_plan on commit drop as
			with shaped as (
				select d.*,
					case when d.r_status < 0.85 then 'published' when d.r_status < 0.93 then 'draft'
						else 'cancelled' end::public.opportunity_status as status,
					-- A quarter upcoming, mostly in the next months; the rest over four past years.
					date_trunc('hour', case when d.r_time < 0.25
						then ${now}::timestamptz + (d.r_time / 0.25) ^ 2 * interval '365 days' + interval '2 hours'
						else ${now}::timestamptz - ((d.r_time - 0.25) / 0.75) * interval '1460 days' - interval '1 day'
					end) as starts_at,
					case when d.r_hours < 0.01 then interval '2 days'
						else make_interval(hours => 2 + floor(d.r_hours * 3)::int) end as duration
				from scale_draw d
			),
			sized as (
				select s.*, s.starts_at > ${now}::timestamptz as is_upcoming,
					case when s.r_orbit < 0.25
						then 1 + floor(s.r_theme * ${PUBLIC_THEMES.length})::int
						else ${PUBLIC_THEMES.length + 1} + floor(s.r_theme * ${SELF_THEMES.length})::int
					end as theme,
					case when s.status = 'published'
						then round(-ln(1 - s.r_size) * ${meanApplications}::float8)::int else 0 end as wanted
				from shaped s
			),
			counted as (
				select z.*,
					greatest(0, least(z.wanted, ${options.applications}::bigint
						- coalesce(sum(z.wanted) over (order by z.seq rows between unbounded preceding
							and 1 preceding), 0)))::int as applications
				from sized z
			)
			select c.*,
				-- Every 13th application is withdrawn; the others queue for places in order.
				c.applications - c.applications / 13 as standing,
				case
					when c.applications = 0 then 10 + floor(c.r_capacity * 90)::int
					-- One in six upcoming events with applicants is full with a waitlist.
					when c.is_upcoming and c.r_full < 0.17
						then greatest(1, (c.applications - c.applications / 13)
							- 1 - floor(c.r_capacity * 0.3 * (c.applications - c.applications / 13))::int)
					when c.r_full < 0.1 then c.applications - c.applications / 13
					else (c.applications - c.applications / 13) + 5
						+ floor(c.r_capacity * (c.applications - c.applications / 13))::int
				end as capacity,
				case when c.is_upcoming
					then least(c.starts_at - interval '21 days',
						${now}::timestamptz - make_interval(days => 1 + floor(c.r_opened * 30)::int))
					else c.starts_at - interval '21 days' end as apply_opens_at
			from counted c
		`;
		await tx`
			insert into public.opportunities (id, organization_id, kind, title, description, town_code,
				place, starts_at, ends_at, apply_opens_at, apply_closes_at, capacity, accepted_count,
				status, created_at, updated_at, published_at, cancelled_at)
			select pg_temp.scale_id(3, p.seq), pg_temp.scale_id(2, p.organization), 'event',
				case when p.r_town < 0.6 then t.name_zh else '' end
					|| (${THEMES.map((theme) => theme[0]!)}::text[])[p.theme]
					|| '（第' || (1 + p.seq % 40) || '期）',
				org.name || '组织开展' || (${THEMES.map((theme) => theme[1]!)}::text[])[p.theme] || '主题活动，'
					|| (${DESCRIPTION_ENDINGS}::text[])[1 + p.seq % ${DESCRIPTION_ENDINGS.length}],
				org.town_code, (${THEMES.map((theme) => theme[2]!)}::text[])[p.theme],
				p.starts_at, p.starts_at + p.duration,
				p.apply_opens_at, p.starts_at - interval '1 hour', p.capacity,
				least(p.capacity, p.standing), p.status,
				p.apply_opens_at - interval '2 days', p.apply_opens_at - interval '1 day',
				case when p.status = 'draft' then null else p.apply_opens_at - interval '1 day' end,
				case when p.status = 'cancelled' then p.apply_opens_at end
			from scale_plan p
			join public.organizations org on org.id = pg_temp.scale_id(2, p.organization)
			join public.towns t on t.code = org.town_code
		`;
		await tx`
			insert into public.events (opportunity_id, orbit, theme)
			select pg_temp.scale_id(3, p.seq),
				case when p.theme <= ${PUBLIC_THEMES.length} then 'public' else 'self' end::public.orbit,
				(${THEMES.map((theme) => theme[1]!)}::text[])[p.theme]
			from scale_plan p
		`;
		// Applicants of one event are first_person + j·7919 (mod people): distinct for j below the
		// number of people, since 7919 is prime and does not divide it.
		await tx`
			insert into public.applications (opportunity_id, applicant_id, status, created_at,
				updated_at, queued_at)
			select pg_temp.scale_id(3, p.seq),
				pg_temp.scale_id(1, 1 + (p.first_person + j::bigint * 7919) % ${options.people}),
				a.status, a.created_at, a.created_at,
				case when a.status = 'waitlisted' then a.created_at end
			from scale_plan p
			cross join lateral generate_series(1, p.applications) as j
			cross join lateral (
				select case
						when j % 13 = 0 then 'withdrawn'
						when j - j / 13 <= p.capacity then 'accepted'
						when p.is_upcoming then 'waitlisted'
						else 'declined'
					end::public.application_status as status,
					p.apply_opens_at + (least(p.starts_at - interval '1 hour', ${now}::timestamptz)
						- p.apply_opens_at) * j / (p.applications + 1) as created_at
			) a
			where p.applications > 0
		`;
	});
	// Vacuumed as autovacuum would leave them, so that the first reads do not set hint bits.
	await sql`vacuum (analyze) public.organizations, public.opportunities, public.events`;
	await sql`analyze auth.users, public.profiles, public.applications`;

	const [counts] = await sql<Omit<ScaleReport, 'milliseconds'>[]>`
		select
			(select count(*)::int from auth.users where email like 'scale%@demo.local') as people,
			(select count(*)::int from public.organizations
				where id::text like '00000002-5ca1-%') as organizations,
			(select count(*)::int from public.opportunities
				where id::text like '00000003-5ca1-%') as opportunities,
			(select count(*)::int from public.applications
				where opportunity_id::text like '00000003-5ca1-%') as applications
	`;
	return { ...counts!, milliseconds: Math.round(performance.now() - started) };
}
