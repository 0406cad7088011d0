// Applying under a rush: 500 signed-in young people submit the apply form of one event with 50
// places at the same moment, through the production build over HTTP. Then the database must
// hold exactly 50 accepted and 450 waitlisted at positions 1 to 450, one row per person.
import { createSignedInPeople } from './lib/accounts';
import { runScenario } from './lib/scenario';
import { createHostedEvents } from './lib/events';
import { printTable, writeResult } from './lib/results';
import { round, summarize } from './lib/stats';

const APPLICANTS = 500;
const CAPACITY = 50;

await runScenario('apply', async ({ sql, launchApp }) => {
	const { opportunityIds } = await createHostedEvents(sql, {
		name: '基准报名街道团委',
		count: 1,
		capacity: CAPACITY,
		firstStartsAt: new Date(Date.now() + 7 * 86_400_000),
		spacingHours: 0
	});
	const opportunityId = opportunityIds[0]!;
	const people = await createSignedInPeople(sql, APPLICANTS, 'applicant');

	const app = await launchApp();
	// Sent as the page's enhanced form sends it: a form post that requests the action's JSON result.
	const apply = async (target: string, cookie: string) => {
		const started = performance.now();
		const response = await fetch(`${app.origin}/opportunities/${target}?/apply`, {
			method: 'POST',
			headers: {
				origin: app.origin,
				cookie,
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ birthDate: '', guardianName: '', guardianPhone: '' })
		});
		const result = (await response.json()) as { type?: string };
		return { ms: performance.now() - started, status: response.status, type: result.type };
	};

	// One request first, so the server's code and the pool's connections are warm.
	const warm = await createSignedInPeople(sql, 1, 'warm-applicant');
	const [warmOpportunity] = (
		await createHostedEvents(sql, {
			name: '基准预热街道团委',
			count: 1,
			capacity: 1,
			firstStartsAt: new Date(Date.now() + 7 * 86_400_000),
			spacingHours: 0
		})
	).opportunityIds;
	await apply(warmOpportunity!, warm[0]!.cookie);

	const started = performance.now();
	const outcomes = await Promise.all(people.map((person) => apply(opportunityId, person.cookie)));
	const wallMs = performance.now() - started;

	const [counts] = await sql<
		{
			accepted: number;
			waitlisted: number;
			other: number;
			rows: number;
			people: number;
			acceptedCount: number;
			capacity: number;
		}[]
	>`
		select
			(count(*) filter (where a.status = 'accepted'))::int as accepted,
			(count(*) filter (where a.status = 'waitlisted'))::int as waitlisted,
			(count(*) filter (where a.status not in ('accepted', 'waitlisted')))::int as other,
			count(*)::int as rows,
			count(distinct a.applicant_id)::int as people,
			max(o.accepted_count)::int as "acceptedCount",
			max(o.capacity)::int as capacity
		from public.applications a
		join public.opportunities o on o.id = a.opportunity_id
		where a.opportunity_id = ${opportunityId}
	`;
	const waitlistedAt = await sql<{ position: number }[]>`
		select (
			select count(*)::int from public.applications w
			where w.opportunity_id = a.opportunity_id and w.status = 'waitlisted'
				and (w.queued_at, w.id) <= (a.queued_at, a.id)
		) as position
		from public.applications a
		where a.opportunity_id = ${opportunityId} and a.status = 'waitlisted'
		order by position
	`;
	const positions = waitlistedAt.map((row) => row.position);
	const isQueueComplete = positions.every((position, index) => position === index + 1);

	const latency = summarize(outcomes.map((outcome) => outcome.ms));
	const succeeded = outcomes.filter(
		(outcome) => outcome.status === 200 && outcome.type === 'success'
	);
	const overbooked = Math.max(0, counts!.accepted - CAPACITY);
	const duplicates = counts!.rows - counts!.people;
	const isExact =
		counts!.accepted === CAPACITY &&
		counts!.waitlisted === APPLICANTS - CAPACITY &&
		counts!.other === 0 &&
		counts!.acceptedCount === counts!.accepted &&
		isQueueComplete &&
		positions.length === APPLICANTS - CAPACITY &&
		duplicates === 0 &&
		succeeded.length === APPLICANTS;
	const goals = [
		{ goal: 'overbooked places', target: '0', actual: String(overbooked), met: overbooked === 0 },
		{
			goal: '50 accepted, 450 waitlisted at 1..450, no duplicates, all succeeded',
			target: 'exact',
			actual: isExact ? 'exact' : 'differs',
			met: isExact
		}
	];

	printTable(`${APPLICANTS} concurrent applications to one event of ${CAPACITY} places`, [
		{
			succeeded: `${succeeded.length}/${APPLICANTS}`,
			'wall ms': round(wallMs, 0),
			'per s': round((APPLICANTS * 1000) / wallMs, 0),
			p50: latency.p50,
			p95: latency.p95,
			p99: latency.p99,
			max: latency.max
		}
	]);
	printTable('In the database', [
		{
			accepted: counts!.accepted,
			waitlisted: counts!.waitlisted,
			'queue 1..n': isQueueComplete ? 'yes' : 'no',
			accepted_count: counts!.acceptedCount,
			overbooked,
			duplicates
		}
	]);
	const file = await writeResult('apply', {
		applicants: APPLICANTS,
		capacity: CAPACITY,
		wallMs: round(wallMs),
		applicationsPerSecond: round((APPLICANTS * 1000) / wallMs, 1),
		latencyMs: latency,
		outcomes: {
			success: succeeded.length,
			other: outcomes
				.filter((outcome) => !(outcome.status === 200 && outcome.type === 'success'))
				.slice(0, 5)
		},
		database: { ...counts!, overbooked, duplicates, isQueueComplete },
		ratios: {
			p99OverP50: round(latency.p99 / latency.p50),
			wallOverP50: round(wallMs / latency.p50)
		},
		goals,
		met: goals.every((goal) => goal.met)
	});
	console.log(`\nWrote ${file}`);
});
