// The entry point of `npm run bench`: runs every benchmark below in order, each in its own
// process, then prints a summary of the goals each one met or missed. `npm run bench -- browse` runs only the named ones.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureBuild, ROOT } from './lib/app';
import { printTable, RESULTS_DIR, writeResult, type Goal } from './lib/results';

/** The benchmarks, in the order they run: each is bench/<name>.ts and writes results/<name>.json. */
const BENCHMARKS = ['browse', 'apply', 'dashboard', 'feed', 'startup', 'page-weight'];

function runOne(name: string): Promise<number> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', `${name}.ts`)], {
			cwd: ROOT,
			stdio: 'inherit'
		});
		child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
	});
}

async function readGoals(name: string): Promise<Goal[] | null> {
	try {
		const result = JSON.parse(await readFile(path.join(RESULTS_DIR, `${name}.json`), 'utf8'));
		return Array.isArray(result.goals) ? (result.goals as Goal[]) : [];
	} catch {
		return null;
	}
}

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !BENCHMARKS.includes(name));
if (unknown.length > 0) {
	console.error(`Unknown benchmark ${unknown.join(', ')}. Known: ${BENCHMARKS.join(', ')}.`);
	process.exit(2);
}
const selected = requested.length > 0 ? requested : BENCHMARKS;

const started = performance.now();
// One build for every benchmark; the child processes find it fresh.
process.env.BUILD_DIR ??= 'build-bench';
process.env.SVELTEKIT_OUT_DIR ??= '.svelte-kit-bench';
ensureBuild();
// Each benchmark would check the build again when it starts. The build is fresh at this point,
// so the check is turned off: a source edited during the run must not cause a rebuild mid-run.
process.env.BENCH_NO_BUILD = '1';

const failed: string[] = [];
const timings: Record<string, number> = {};
for (const name of selected) {
	console.log(`\n=== ${name} ===`);
	const begun = performance.now();
	const code = await runOne(name);
	timings[name] = Math.round((performance.now() - begun) / 1000);
	if (code !== 0) {
		console.error(`${name} failed with exit code ${code}`);
		failed.push(name);
	}
}

const rows: Record<string, string | number>[] = [];
for (const name of selected) {
	const goals = failed.includes(name) ? null : await readGoals(name);
	if (!goals) {
		rows.push({ benchmark: name, goal: '(failed, no result)', target: '', actual: '', met: 'no' });
		continue;
	}
	for (const goal of goals) {
		rows.push({
			benchmark: name,
			goal: goal.goal,
			target: goal.target,
			actual: goal.actual,
			met: goal.met ? 'yes' : 'NO'
		});
	}
	rows.push({
		benchmark: name,
		goal: 'wall time',
		target: '',
		actual: `${timings[name]} s`,
		met: ''
	});
}
printTable('Goals', rows);
const totalSeconds = Math.round((performance.now() - started) / 1000);
if (requested.length === 0) {
	await writeResult('summary', { totalSeconds, secondsByBenchmark: timings, failed, goals: rows });
}
console.log(
	`\n${selected.length} benchmarks in ${totalSeconds} s` +
		(failed.length > 0 ? `; failed: ${failed.join(', ')}` : '')
);
process.exit(failed.length > 0 ? 1 : 0);
