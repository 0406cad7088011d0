import type { Actor, Database, Tx } from '../db';
import { selectTowns, type Town } from '../reference';
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

export type BrowseResult = { cards: OpportunityCard[]; hasMore: boolean };

/** How many events, in start order, a page is first looked for among. */
const WINDOW = 1000;

/**
 * Published events that have not ended, soonest first, filtered and searched. Runs as the
 * actor, so the policies decide what is visible.
 *
 * An event that has not ended by `from` either starts at most a day before it, read in start
 * order from the published events' index opportunities_published_starts_at_idx, or runs longer
 * than a day, read from the small partial index opportunities_long_running_idx. One `ends_at > from` filter over the starts_at
 * index would walk every past event first. The page is looked for among the first WINDOW events
 * in start order, which also serves a common search word by reading only the rows it shows.
 * When the window contains too few matches, the query runs again without it. Both answers are
 * exact: any match beyond the window starts later than every event in it.
 */
export async function browseOpportunities(
	db: Database,
	actor: Actor,
	filters: BrowseFilters
): Promise<BrowseResult> {
	return db.as(actor, (tx) => findOpportunities(tx, filters));
}

/**
 * Loads the browse page's data in one transaction: a page of events and the towns for the
 * filter. Each transaction costs round trips for BEGIN, the role and claims, and COMMIT.
 */
export async function loadBrowsePage(
	db: Database,
	actor: Actor,
	filters: BrowseFilters
): Promise<BrowseResult & { towns: Town[] }> {
	return db.as(actor, async (tx) => {
		const result = await findOpportunities(tx, filters);
		return { ...result, towns: await selectTowns(tx) };
	});
}

/** {@link browseOpportunities} inside a transaction the caller runs. */
async function findOpportunities(tx: Tx, filters: BrowseFilters): Promise<BrowseResult> {
	const words = searchWords(filters.query);
	const from = filters.from ?? new Date();
	const wanted = PAGE_SIZE + 1;
	const findPage = (window: number | null) => tx<OpportunityCard[]>`
		select o.id, o.title, o.place, o.town_code as "townCode", o.starts_at as "startsAt",
			o.ends_at as "endsAt", o.capacity, o.capacity - o.accepted_count as "placesLeft",
			e.orbit, e.theme, org.name as "organizationName"
		from (
			(
				select * from public.opportunities
				where status = 'published' and starts_at >= ${from}::timestamptz - interval '1 day'
				order by starts_at, id
				${window ? tx`limit ${window}` : tx``}
			)
			union all
			(
				select * from public.opportunities
				where status = 'published' and starts_at < ${from}::timestamptz - interval '1 day'
					and ends_at - starts_at > interval '1 day' and ends_at > ${from}
			)
		) as o
		join public.events e on e.opportunity_id = o.id
		join public.organizations org on org.id = o.organization_id
		where o.ends_at > ${from}
			${filters.to ? tx`and o.starts_at < ${filters.to}` : tx``}
			${filters.orbit ? tx`and e.orbit = ${filters.orbit}` : tx``}
			${filters.townCode ? tx`and o.town_code = ${filters.townCode}` : tx``}
			and ${matchesWords(tx, words)}
		order by o.starts_at, o.id
		limit ${wanted} offset ${(filters.page - 1) * PAGE_SIZE}
	`;
	const windowed = await findPage(WINDOW);
	// NOTE: without the window the query reads every published event that has not ended, because
	// row level security keeps the GIN index on search_pieces out of the plan (the array `@>`
	// operator is not leakproof). So a word that matches fewer than a page of the next WINDOW
	// events costs a scan of all upcoming ones.

	const rows = windowed.length === wanted ? windowed : await findPage(null);
	return { cards: rows.slice(0, PAGE_SIZE), hasMore: rows.length > PAGE_SIZE };
}
