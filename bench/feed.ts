// Calendar feeds of 500 events: an organization's public feed with 500 events, and a young
// person's private feed with 500 accepted applications. Measures requests per second and latency
// under load, and checks that each response parses with ical.js into 500 VEVENTs.
import ICAL from 'ical.js';
import { hashToken, newToken } from '../src/lib/server/auth/tokens';
import { createSignedInPeople } from './lib/accounts';
import { runScenario } from './lib/scenario';
import { createHostedEvents } from './lib/events';
import { runLoad, type LoadResult } from './lib/load';
import { printTable, writeResult } from './lib/results';

const EVENTS = 500;
const SECONDS = 8;
const CONNECTIONS = 2;
const GOAL_P95_MS = 500;

await runScenario('feed', async ({ sql, launchApp }) => {
	// Half of the events ended in the past 250 days, half are still to come, so both feeds,
	// which leave out events that ended more than a year ago, list all 500.
	const { organizationId, opportunityIds } = await createHostedEvents(sql, {
		name: '基准日历街道团委',
		count: EVENTS,
		capacity: 30,
		firstStartsAt: new Date(Date.now() - 250 * 86_400_000),
		spacingHours: 24
	});
	const [person] = await createSignedInPeople(sql, 1, 'feed-owner');
	const token = newToken();
	await sql.begin(async (tx) => {
		// Past events could not take applications any more, so the triggers are off here.
		await tx`set local session_replication_role = replica`;
		await tx`
			insert into public.applications (opportunity_id, applicant_id, status)
			select id, ${person!.id}, 'accepted' from unnest(${opportunityIds}::uuid[]) as id
		`;
		await tx`
			insert into public.calendar_feeds (user_id, token_hash)
			values (${person!.id}, decode(${hashToken(token).toString('hex')}, 'hex'))
		`;
	});

	const app = await launchApp();
	const feeds = [
		{ name: 'organization feed', path: `/org/${organizationId}/calendar.ics` },
		{ name: 'private token feed', path: `/calendar/${token}.ics` }
	];

	const rows: Record<string, string | number>[] = [];
	const results: Record<
		string,
		LoadResult & { vevents: number; bytes: number; firstResponseMs: number }
	> = {};
	for (const feed of feeds) {
		// The first request builds the document; later ones with unchanged rows reuse it.
		const firstStarted = performance.now();
		const response = await fetch(app.origin + feed.path);
		const text = await response.text();
		const firstResponseMs = Math.round((performance.now() - firstStarted) * 10) / 10;
		if (response.status !== 200) {
			throw new Error(`${feed.path} responded with status ${response.status}`);
		}
		const calendar = new ICAL.Component(ICAL.parse(text));
		const vevents = calendar.getAllSubcomponents('vevent').length;

		const load = await runLoad({
			url: app.origin + feed.path,
			durationSeconds: SECONDS,
			connections: CONNECTIONS
		});
		results[feed.name] = { ...load, vevents, bytes: Buffer.byteLength(text), firstResponseMs };
		rows.push({
			feed: feed.name,
			vevents,
			KB: Math.round(Buffer.byteLength(text) / 1024),
			'first ms': firstResponseMs,
			'req/s': load.requestsPerSecond,
			p50: load.p50,
			p95: load.p95,
			p99: load.p99,
			errors: load.errors + load.non2xx
		});
	}

	const goals = feeds.flatMap((feed) => {
		const result = results[feed.name]!;
		return [
			{
				goal: `${feed.name}: parses with ${EVENTS} VEVENTs`,
				target: String(EVENTS),
				actual: String(result.vevents),
				met: result.vevents === EVENTS
			},
			{
				goal: `${feed.name}: p95 under ${CONNECTIONS} connections`,
				target: `≤ ${GOAL_P95_MS} ms`,
				actual: `${result.p95} ms`,
				met: result.p95 <= GOAL_P95_MS && result.errors + result.non2xx === 0
			}
		];
	});
	printTable(
		`Calendar feeds of ${EVENTS} events, ${CONNECTIONS} connections, ${SECONDS} s each`,
		rows
	);
	const [organization, personal] = feeds.map((feed) => results[feed.name]!);
	const file = await writeResult('feed', {
		events: EVENTS,
		connections: CONNECTIONS,
		seconds: SECONDS,
		feeds: results,
		ratios: {
			privateOverOrganizationP50: Math.round((personal!.p50 / organization!.p50) * 100) / 100,
			p99OverP50Organization: Math.round((organization!.p99 / organization!.p50) * 100) / 100
		},
		goals,
		met: goals.every((goal) => goal.met)
	});
	console.log(`\nWrote ${file}`);
});
