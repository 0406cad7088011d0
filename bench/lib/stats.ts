export type Summary = {
	count: number;
	p50: number;
	p95: number;
	p99: number;
	mean: number;
	max: number;
};

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], fraction: number): number {
	if (sorted.length === 0) {
		return 0;
	}
	const rank = Math.ceil(fraction * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Count, percentiles (nearest rank), mean and maximum of samples in milliseconds. */
export function summarize(samplesMs: number[]): Summary {
	const sorted = Float64Array.from(samplesMs).sort();
	const values = Array.from(sorted);
	const total = values.reduce((sum, value) => sum + value, 0);
	return {
		count: values.length,
		p50: round(percentile(values, 0.5)),
		p95: round(percentile(values, 0.95)),
		p99: round(percentile(values, 0.99)),
		mean: round(values.length > 0 ? total / values.length : 0),
		max: round(values.at(-1) ?? 0)
	};
}

/** Rounds to two decimals, enough for milliseconds and ratios in a table. */
export function round(value: number, decimals = 2): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}
