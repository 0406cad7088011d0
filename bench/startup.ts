// Start-up as `npm start` does it, timed from launch until the site responds to HTTP: a cold start
// on an empty data folder (initdb, start, migrations, reference and demo data, server), then warm
// restarts that reuse the cluster and load nothing twice. The phases come from the start
// script's own log lines.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../src/lib/server/db/embedded';
import { buildDir, ensureBuild, ROOT } from './lib/app';
import { printTable, writeResult } from './lib/results';
import { round } from './lib/stats';

const WARM_RUNS = 3;
const GOAL_COLD_MS = 30_000;
const GOAL_WARM_MS = 5_000;

type StartRun = {
	kind: 'cold' | 'warm';
	/** Milliseconds from launch until the site responded to its first request. */
	totalMs: number;
	/** Milliseconds from launch until the start script printed each of its lines. */
	clusterMs: number | null;
	databaseReadyMs: number | null;
	serverMs: number | null;
	/** The lines the script printed about the cluster and the data. */
	clusterLine: string;
	dataLine: string;
};

/** Runs `tsx scripts/start.ts` until the site responds, then stops it and its cluster. */
async function timeStart(kind: StartRun['kind'], dataDir: string): Promise<StartRun> {
	const port = await findFreePort();
	const origin = `http://127.0.0.1:${port}`;
	const launched = performance.now();
	const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			...process.env,
			EMBEDDED_DB_DIR: dataDir,
			PORT: String(port),
			HOST: '127.0.0.1',
			BUILD_DIR: path.relative(ROOT, buildDir()),
			LOG_LEVEL: 'warn'
		}
	});
	const exited = once(child, 'exit');
	const seen: Record<string, number> = {};
	let clusterLine = '';
	let dataLine = '';
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => {
		const at = performance.now() - launched;
		for (const line of chunk.toString().split('\n')) {
			output = (output + line + '\n').slice(-4000);
			if (line.startsWith('PostgreSQL 17')) {
				seen.cluster ??= at;
				clusterLine = line.trim();
			} else if (line.startsWith('Migrations:')) {
				seen.database ??= at;
				dataLine = line.trim();
			} else if (line.startsWith('Site:')) {
				seen.server ??= at;
			}
		}
	});
	child.stderr.on('data', (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-4000);
	});

	try {
		while (true) {
			if (child.exitCode !== null) {
				throw new Error(`scripts/start.ts exited with ${child.exitCode}:\n${output}`);
			}
			try {
				const response = await fetch(origin, { signal: AbortSignal.timeout(2000) });
				await response.arrayBuffer();
				break;
			} catch {
				if (performance.now() - launched > 120_000) {
					throw new Error(`The site did not respond within 120 s:\n${output}`);
				}
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
		}
		const totalMs = performance.now() - launched;
		return {
			kind,
			totalMs: round(totalMs, 0),
			clusterMs: seen.cluster === undefined ? null : round(seen.cluster, 0),
			databaseReadyMs: seen.database === undefined ? null : round(seen.database, 0),
			serverMs: seen.server === undefined ? null : round(seen.server, 0),
			clusterLine,
			dataLine
		};
	} finally {
		// The start script stops its cluster on SIGTERM before it exits.
		if (child.exitCode === null) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		}
	}
}

ensureBuild();
const folder = path.join(os.tmpdir(), 'youth-bench-startup');
await rm(folder, { recursive: true, force: true });
await mkdir(folder, { recursive: true });
// When run as root, PostgreSQL runs as the OS user postgres, which must enter the folder.
await chmod(folder, 0o755);
const dataDir = path.join(folder, 'postgres');
try {
	const runs = [await timeStart('cold', dataDir)];
	for (let index = 0; index < WARM_RUNS; index++) {
		runs.push(await timeStart('warm', dataDir));
	}

	const cold = runs[0]!;
	const warm = runs.slice(1);
	const warmBest = Math.min(...warm.map((run) => run.totalMs));
	const warmWorst = Math.max(...warm.map((run) => run.totalMs));
	const isNothingLoadedTwice = warm.every(
		(run) => run.clusterLine.includes('reused') && run.dataLine.includes('0 applied')
	);
	const goals = [
		{
			goal: 'cold start until the site responds',
			target: `≤ ${GOAL_COLD_MS / 1000} s`,
			actual: `${round(cold.totalMs / 1000, 1)} s`,
			met: cold.totalMs <= GOAL_COLD_MS
		},
		{
			goal: 'warm restart until the site responds',
			target: `≤ ${GOAL_WARM_MS / 1000} s`,
			actual: `${round(warmWorst / 1000, 1)} s`,
			met: warmWorst <= GOAL_WARM_MS
		},
		{
			goal: 'warm restart reuses the cluster, loads nothing',
			target: 'yes',
			actual: isNothingLoadedTwice ? 'yes' : 'no',
			met: isNothingLoadedTwice
		}
	];
	printTable(
		'tsx scripts/start.ts, ms from launch',
		runs.map((run) => ({
			run: run.kind,
			'cluster up': run.clusterMs ?? '',
			'data ready': run.databaseReadyMs ?? '',
			'server loaded': run.serverMs ?? '',
			responds: run.totalMs
		}))
	);
	for (const run of runs) {
		console.log(`${run.kind}: ${run.clusterLine} | ${run.dataLine}`);
	}
	const file = await writeResult('startup', {
		runs,
		ratios: { coldOverWarm: round(cold.totalMs / warmBest) },
		goals,
		met: goals.every((goal) => goal.met)
	});
	console.log(`\nWrote ${file}`);
} finally {
	await rm(folder, { recursive: true, force: true });
}
