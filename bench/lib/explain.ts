import type { Database, Tx } from '../../src/lib/server/db/client';

/**
 * Runs `call` against a database whose transactions record every query they run, then explains
 * each of them (EXPLAIN (analyze, buffers)) in the same transaction, as the same role with the
 * same claims, so the policies' filters are in the plans.
 */
export async function explainCalls(
	db: Database,
	call: (recording: Database) => Promise<unknown>
): Promise<string[]> {
	const plans: string[] = [];
	const explainInside = async <T>(tx: Tx, work: (tx: Tx) => Promise<T>, role: string) => {
		const issued: { text: string; parameters: unknown[]; executed: boolean }[] = [];
		const recording = new Proxy(tx, {
			apply(target, self, args) {
				const query = Reflect.apply(target, self, args);
				issued.push(query);
				return query;
			}
		});
		const result = await work(recording);
		for (const query of issued.filter((candidate) => candidate.executed)) {
			if (!/^\s*(select|with)\b/i.test(query.text)) continue;
			const rows = await tx.unsafe<{ 'QUERY PLAN': string }[]>(
				`explain (analyze, buffers) ${query.text}`,
				query.parameters as never[]
			);
			plans.push(
				`-- as ${role}\n${query.text.replace(/\n\t+/g, '\n  ').trim()}\n-- parameters: ` +
					`${JSON.stringify(query.parameters)}\n${rows.map((row) => row['QUERY PLAN']).join('\n')}\n`
			);
		}
		return result;
	};
	const recording: Database = {
		...db,
		as: (actor, work) =>
			db.as(actor, (tx) => explainInside(tx, work, actor ? `authenticated ${actor.id}` : 'anon')),
		service: (work) => db.service((tx) => explainInside(tx, work, 'owner (service)'))
	};
	await call(recording);
	return plans;
}

/** Scans of whole big tables in a set of plans: each is a missing index or a query to reshape. */
export function findSeqScans(plans: string[]): string[] {
	const big = ['opportunities', 'applications', 'events', 'users', 'profiles'];
	return plans.flatMap((plan) =>
		[...plan.matchAll(/Seq Scan on (\w+)/g)]
			.map((match) => match[1]!)
			.filter((table) => big.includes(table))
	);
}
