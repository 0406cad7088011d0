import type { Sql } from '../../src/lib/server/db';

export type HostedEvents = { organizationId: string; opportunityIds: string[] };

export type HostedEventsOptions = {
	/** The organization's name, unique in the database. */
	name: string;
	count: number;
	capacity: number;
	/** Start of the first event; each next one starts `spacingHours` later. */
	firstStartsAt: Date;
	spacingHours: number;
	/** The apply window of every event opens this long before now. */
	applyOpenedHoursAgo?: number;
};

/**
 * Creates a verified town committee with `count` published events in one set-based statement,
 * as the owner with triggers off (so events in the past can be written). Each event takes
 * applications from `applyOpenedHoursAgo` hours ago until an hour before it starts.
 */
export async function createHostedEvents(
	sql: Sql,
	options: HostedEventsOptions
): Promise<HostedEvents> {
	return sql.begin(async (tx) => {
		await tx`set local session_replication_role = replica`;
		const [organization] = await tx<{ id: string }[]>`
			insert into public.organizations (name, kind, town_code, contact_name, contact_phone,
				status, verified_at)
			values (${options.name}, 'town_committee', 'zhaobaoshan', '基准联系人', '13800000000',
				'verified', now())
			returning id
		`;
		const organizationId = organization!.id;
		const opportunities = await tx<{ id: string }[]>`
			insert into public.opportunities (organization_id, kind, title, description, town_code,
				place, starts_at, ends_at, apply_opens_at, apply_closes_at, capacity, status,
				published_at)
			select ${organizationId}, 'event', '基准活动第' || n || '场',
				'基准活动的说明：集合地点、着装与注意事项。', 'zhaobaoshan', '招宝山街道新时代文明实践站',
				s.starts_at, s.starts_at + interval '3 hours',
				least(now() - make_interval(hours => ${options.applyOpenedHoursAgo ?? 24}),
					s.starts_at - interval '2 hours'),
				s.starts_at - interval '1 hour', ${options.capacity}, 'published', now()
			from generate_series(0, ${options.count - 1}::int) as n
			cross join lateral (
				select ${options.firstStartsAt}::timestamptz
					+ make_interval(hours => n * ${options.spacingHours}::int) as starts_at
			) as s
			returning id
		`;
		const opportunityIds = opportunities.map((row) => row.id);
		await tx`
			insert into public.events (opportunity_id, orbit, theme)
			select id, 'self', '志愿服务' from unnest(${opportunityIds}::uuid[]) as id
		`;
		return { organizationId, opportunityIds };
	});
}
