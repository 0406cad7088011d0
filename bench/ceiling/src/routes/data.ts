import { readFileSync } from 'node:fs';

/** The data the app's browse load returned for one query string, saved by bench/browse.ts. */
export type SavedPage = {
	query: Record<string, string | number>;
	towns: { code: string; nameZh: string; nameEn: string }[];
	cards: Record<string, unknown>[];
	hasMore: boolean;
};

let pages: Map<string, SavedPage> | undefined;

/** Returns the saved page for a query string, read once from the file in BENCH_CEILING_DATA. */
export function savedPage(search: string): SavedPage | undefined {
	if (!pages) {
		const file = process.env.BENCH_CEILING_DATA;
		if (!file) {
			throw new Error('BENCH_CEILING_DATA must name the saved pages file');
		}
		const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, SavedPage>;
		pages = new Map(
			Object.entries(saved).map(([key, page]) => [
				key,
				{
					...page,
					cards: page.cards.map((card) => ({
						...card,
						startsAt: new Date(card.startsAt as string),
						endsAt: new Date(card.endsAt as string)
					}))
				}
			])
		);
	}
	return pages.get(search);
}
