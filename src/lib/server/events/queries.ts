import type { Tx } from '../db';

/** Escapes LIKE wildcards so a search word matches literally. */
export function escapeLike(word: string): string {
	return word.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Splits a search into at most five words. */
export function searchWords(query: string): string[] {
	return query
		.trim()
		.split(/\s+/)
		.filter((word) => word.length > 0)
		.slice(0, 5);
}

/**
 * A filter matching every word of a search inside the title, description or place. The
 * two-character pieces narrow the rows through the GIN index; ILIKE then keeps only real
 * substring matches (招宝山 must be one run, not 招宝 and 宝山 apart).
 */
export function matchesWords(tx: Tx, words: string[]) {
	return words.reduce(
		(filter, word) => tx`
			${filter}
			and o.search_pieces @> private.bigrams(${word})
			and (o.title || ' ' || o.description || ' ' || o.place) ilike ${'%' + escapeLike(word) + '%'}
		`,
		tx`true`
	);
}
