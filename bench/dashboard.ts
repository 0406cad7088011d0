// The coordinator's compliance dashboard at district scale: 1,000 league branches with ten years
// of events (about 160,000). Times the dashboard's data function as the /coordinator page calls
// it, the same SQL statement sent alone, and the rendered page over HTTP, and saves the query
// plan to results/explain-dashboard.txt.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { yearOf } from '../src/lib/time';
import { createDatabase, type Actor } from '../src/lib/server/db/client';
import { createBranchTree } from '../src/lib/server/demo/branches';
import { loadDashboard } from '../src/lib/server/quotas/dashboard';
import { createSignedInCoordinator } from './lib/accounts';
import { runScenario } from './lib/scenario';
import { printTable, RESULTS_DIR, writeResult } from './lib/results';
import { round, summarize } from './lib/stats';
import { timeInTurns, timeRuns } from './lib/timing';

const BRANCHES = 1000;
const YEARS = 10;
const RUNS = 40;
const PAGE_RUNS = 20;
const GOAL_MS = 100;
const GOAL_RATIO = 1.5;

await runScenario('dashboard', async ({ sql, launchApp, url }) => {
	const at = new Date();
	const year = yearOf(at);
	const generated = performance.now();
	const tree = await createBranchTree(sql, {
		branchCount: BRANCHES,
		firstYear: year - YEARS + 1,
		lastYear: year
	});
	// Vacuumed as autovacuum would, so the visibility map allows index-only scans.
	await sql`vacuum analyze`;
	const generateMs = performance.now() - generated;
	const coordinator = await createSignedInCoordinator(sql, 'dashboard-coordinator');
	const actor: Actor = { id: coordinator.id };
	const filters = { year, sort: 'name', dir: 'asc' } as const;

	// The function the /coordinator page calls, through a pooled client like the app's.
	const pool = createDatabase(url, { max: 2 });
	// The same statement with nothing of ours around it: one transaction that sets the
	// coordinator's role and claims, then the one query the function sends.
	const claims = JSON.stringify({ sub: coordinator.id, role: 'authenticated' });
	const rawSql = async () => {
		await pool.sql.begin(async (tx) => {
			await tx`
				select set_config('role', 'authenticated', true),
					set_config('request.jwt.claims', ${claims}, true),
					set_config('lock_timeout', '5s', true)
			`;
			await tx`select * from public.compliance_dashboard(${year}, ${at})`;
		});
	};
	const [functionRuns, rawRuns] = await timeInTurns(RUNS, [
		() => loadDashboard(pool, actor, filters, at),
		rawSql
	]);

	await writeFile(
		path.join(RESULTS_DIR, 'explain-dashboard.txt'),
		await explainDashboard(sql, claims, year, at)
	);
	await pool.end();

	// The rendered page, signed in as the coordinator.
	const running = await launchApp();
	const page = async () => {
		const response = await fetch(`${running.origin}/coordinator`, {
			headers: { cookie: coordinator.cookie }
		});
		if (response.status !== 200) {
			throw new Error(`/coordinator responded with status ${response.status}`);
		}
		await response.text();
	};
	const pageRuns = await timeRuns(PAGE_RUNS, page);

	const fn = summarize(functionRuns!);
	const raw = summarize(rawRuns!);
	const html = summarize(pageRuns);
	const ratio = round(fn.p50 / raw.p50);
	const goals = [
		{
			goal: 'dashboard data function p95',
			target: `≤ ${GOAL_MS} ms`,
			actual: `${fn.p95} ms`,
			met: fn.p95 <= GOAL_MS
		},
		{
			goal: 'function p50 ÷ raw SQL p50',
			target: `≤ ${GOAL_RATIO}`,
			actual: `${ratio}`,
			met: ratio <= GOAL_RATIO
		}
	];
	printTable(`Compliance dashboard, ${tree.branchCount} branches, ${tree.eventCount} events`, [
		{ what: 'loadDashboard (data function)', ...pick(fn) },
		{ what: 'raw SQL, same statement', ...pick(raw) },
		{ what: 'GET /coordinator (HTML)', ...pick(html) }
	]);
	const file = await writeResult('dashboard', {
		branches: tree.branchCount,
		events: tree.eventCount,
		years: YEARS,
		generateSeconds: round(generateMs / 1000, 1),
		dataFunctionMs: fn,
		rawSqlMs: raw,
		pageMs: html,
		ratios: { functionOverRawSql: ratio, pageOverFunction: round(html.p50 / fn.p50) },
		goals,
		met: goals.every((goal) => goal.met)
	});
	console.log(`\nWrote ${file}`);
});

function pick(summary: ReturnType<typeof summarize>) {
	return { runs: summary.count, p50: summary.p50, p95: summary.p95, max: summary.max };
}

/**
 * Runs EXPLAIN (analyze, buffers) on the branch figures and the monthly counts of
 * compliance_dashboard as the coordinator, so the row level security policies are in the plan.
 * The functions are PL/pgSQL, whose plans EXPLAIN does not show, so their queries are written
 * out here.
 */
async function explainDashboard(
	sql: ReturnType<typeof createDatabase>['sql'],
	claims: string,
	year: number,
	at: Date
): Promise<string> {
	return sql.begin(async (tx) => {
		await tx`
			select set_config('role', 'authenticated', true),
				set_config('request.jwt.claims', ${claims}, true)
		`;
		const counted = tx`
			select p.organization_id, p.id as opportunity_id, e.orbit, p.ends_at <= ${at} as is_held,
				p.starts_at
			from public.opportunities p
			join public.events e on e.opportunity_id = p.id
			join public.organizations o on o.id = p.organization_id and o.is_active
				and o.status = 'verified'
			join public.org_kinds k on k.code = o.kind and k.is_league_branch
			where p.status = 'published'
				and p.starts_at >= make_timestamptz(${year}, 1, 1, 0, 0, 0, 'Asia/Shanghai')
				and p.starts_at < make_timestamptz(${year} + 1, 1, 1, 0, 0, 0, 'Asia/Shanghai')
		`;
		const figures = await tx<{ 'QUERY PLAN': string }[]>`
			explain (analyze, buffers, costs off)
			with counted as (${counted})
			select o.id, o.name,
				count(c.opportunity_id) filter (where c.orbit = 'public' and c.is_held),
				count(c.opportunity_id) filter (where c.orbit = 'public' and not c.is_held),
				count(c.opportunity_id) filter (where c.orbit = 'self' and c.is_held),
				count(c.opportunity_id) filter (where c.orbit = 'self' and not c.is_held),
				coalesce(q.public_min, 4), coalesce(q.self_min, 12)
			from public.organizations o
			join public.org_kinds k on k.code = o.kind and k.is_league_branch
			left join counted c on c.organization_id = o.id
			left join public.quotas q on q.year = ${year} and q.org_kind = o.kind
			where o.is_active and o.status = 'verified'
			group by o.id, q.public_min, q.self_min
			order by o.name, o.id
		`;
		const monthly = await tx<{ 'QUERY PLAN': string }[]>`
			explain (analyze, buffers, costs off)
			select orbit, extract(month from starts_at at time zone 'Asia/Shanghai')::int,
				count(*) filter (where is_held), count(*) filter (where not is_held)
			from (${counted}) c
			group by 1, 2
		`;
		const functionCall = await tx<{ 'QUERY PLAN': string }[]>`
			explain (analyze, buffers, costs off)
			select * from public.compliance_dashboard(${year}, ${at})
		`;
		const lines = (plan: { 'QUERY PLAN': string }[]) =>
			plan.map((row) => row['QUERY PLAN']).join('\n');
		return [
			`-- branch figures of compliance_dashboard(${year}), written out, as the coordinator (RLS applies)`,
			lines(figures),
			'',
			'-- monthly counts of compliance_dashboard, written out, as the coordinator',
			lines(monthly),
			'',
			'-- the function call as the page makes it',
			lines(functionCall),
			''
		].join('\n');
	});
}
