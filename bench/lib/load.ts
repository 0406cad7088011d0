import autocannon from 'autocannon';
import { round, summarize } from './stats';

export type LoadOptions = {
	url: string;
	headers?: Record<string, string>;
	/** Paths (with query) the connections cycle through instead of the URL's own path. */
	paths?: string[];
	method?: 'GET' | 'POST';
	body?: string;
	durationSeconds: number;
	connections: number;
};

export type LoadResult = {
	requests: number;
	requestsPerSecond: number;
	p50: number;
	p95: number;
	p99: number;
	mean: number;
	max: number;
	errors: number;
	timeouts: number;
	non2xx: number;
	bytesPerResponse: number;
	durationSeconds: number;
	connections: number;
};

/**
 * Runs autocannon against a URL for a fixed time and returns throughput and latency
 * percentiles. The percentiles come from every response's own time, since autocannon's summary
 * has no p95.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
	const latencies: number[] = [];
	const result = await new Promise<autocannon.Result>((resolve, reject) => {
		const instance = autocannon(
			{
				url: options.url,
				headers: options.headers,
				method: options.method ?? 'GET',
				body: options.body,
				duration: options.durationSeconds,
				connections: options.connections,
				requests: options.paths?.map((path) => ({ path, method: options.method ?? 'GET' })),
				timeout: 10
			},
			(error, done) => (error ? reject(error) : resolve(done))
		);
		instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
			latencies.push(responseTime);
		});
	});
	const latency = summarize(latencies);
	const seconds = result.duration || options.durationSeconds;
	return {
		requests: result.requests.total,
		requestsPerSecond: round(result.requests.total / seconds, 1),
		p50: latency.p50,
		p95: latency.p95,
		p99: latency.p99,
		mean: latency.mean,
		max: latency.max,
		errors: result.errors,
		timeouts: result.timeouts,
		non2xx: result.non2xx,
		bytesPerResponse: result.requests.total
			? Math.round(result.throughput.total / result.requests.total)
			: 0,
		durationSeconds: round(seconds, 1),
		connections: options.connections
	};
}
