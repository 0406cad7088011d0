import type { Actor, Database } from '../db';
import { matchesWords, searchWords } from './queries';

export type BrowseFilters = {
	query: string;
	orbit: 'public' | 'self' | '';
	townCode: string;
	from: Date | null;
	to: Date | null;
	page: number;
};

export type OpportunityCard = {
	id: string;
	title: string;
	place: string;
	townCode: string | null;
	startsAt: Date;
	endsAt: Date;
	capacity: number;
	placesLeft: number;
	orbit: 'public' | 'self';
	theme: string;
	organizationName: string;
};

export const PAGE_SIZE = 20;

/**
 * Published events that have not ended, soonest first, filtered and searched. Runs as the
 * actor, so the policies decide what is visible.
 */
export async function browseOpportunities(
	db: Database,
	actor: Actor,
	filters: BrowseFilters
): Promise<{ cards: OpportunityCard[]; hasMore: boolean }> {
	const words = searchWords(filters.query);
	const rows = await db.as(
		actor,
		(tx) => tx<OpportunityCard[]>`
			select o.id, o.title, o.place, o.town_code as "townCode", o.starts_at as "startsAt",
				o.ends_at as "endsAt", o.capacity, o.capacity - o.accepted_count as "placesLeft",
				e.orbit, e.theme, org.name as "organizationName"
			from public.opportunities o
			join public.events e on e.opportunity_id = o.id
			join public.organizations org on org.id = o.organization_id
			where o.status = 'published'
				and o.ends_at > ${filters.from ?? new Date()}
				${filters.to ? tx`and o.starts_at < ${filters.to}` : tx``}
				${filters.orbit ? tx`and e.orbit = ${filters.orbit}` : tx``}
				${filters.townCode ? tx`and o.town_code = ${filters.townCode}` : tx``}
				and ${matchesWords(tx, words)}
			order by o.starts_at, o.id
			limit ${PAGE_SIZE + 1} offset ${(filters.page - 1) * PAGE_SIZE}
		`
	);
	return { cards: rows.slice(0, PAGE_SIZE), hasMore: rows.length > PAGE_SIZE };
}
