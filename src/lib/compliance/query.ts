/** Writes GET parameters as a query string, leaving out empty ones. */
export function toQuery(params: Record<string, string | number | undefined>): string {
	return Object.entries(params)
		.filter(
			(entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== ''
		)
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
		.join('&');
}
