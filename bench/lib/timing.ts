/**
 * Runs `work` a few times to warm caches and plans, then `runs` times one after another, and
 * returns each timed run's milliseconds.
 */
export async function timeRuns(
	runs: number,
	work: () => Promise<unknown>,
	warmUps = 3
): Promise<number[]> {
	return (await timeInTurns(runs, [work], warmUps))[0]!;
}

/**
 * Times several pieces of work in turns (a, b, a, b, …) after warming each up, so that load from
 * other processes on a shared machine falls on all of them alike and their ratio stays fair.
 * Returns the milliseconds of each piece's runs, in the order the pieces were given.
 */
export async function timeInTurns(
	runs: number,
	works: (() => Promise<unknown>)[],
	warmUps = 3
): Promise<number[][]> {
	for (const work of works) {
		for (let index = 0; index < warmUps; index++) {
			await work();
		}
	}
	const samples = works.map(() => [] as number[]);
	for (let index = 0; index < runs; index++) {
		for (const [position, work] of works.entries()) {
			const started = performance.now();
			await work();
			samples[position]!.push(performance.now() - started);
		}
	}
	return samples;
}
