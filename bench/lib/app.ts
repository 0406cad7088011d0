import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findFreePort } from '../../src/lib/server/db/embedded';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Returns the benchmarks' own build folder, so that they never race a developer's `build/`. */
export function buildDir(): string {
	return path.resolve(ROOT, process.env.BUILD_DIR ?? 'build-bench');
}

/**
 * Builds the production site into {@link buildDir} when it is missing or older than the sources
 * (scripts/build-if-stale.js), and returns the folder. BENCH_NO_BUILD=1 uses the folder as it is,
 * for example while another build of the checkout holds Vite's build lock.
 */
export function ensureBuild(): string {
	const dir = buildDir();
	if (process.env.BENCH_NO_BUILD === '1') {
		return dir;
	}
	execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-if-stale.js')], {
		cwd: ROOT,
		stdio: 'inherit',
		env: {
			...process.env,
			BUILD_DIR: path.relative(ROOT, dir),
			SVELTEKIT_OUT_DIR: process.env.SVELTEKIT_OUT_DIR ?? '.svelte-kit-bench'
		}
	});
	return dir;
}

export type AppOptions = {
	databaseUrl: string;
	/** When set, the app runs with `node --cpu-prof` and writes its profile here on stop. */
	cpuProfileDir?: string;
	env?: Record<string, string>;
	/** The server entry; defaults to the production build's index.js. */
	entry?: string;
	/** Node options before the entry, for example `['--import', 'tsx']` for a TypeScript entry. */
	nodeArgs?: string[];
};

export type RunningApp = { origin: string; stop(): Promise<void> };

/**
 * Starts a production build (`node <build>/index.js`, adapter-node) on a free 127.0.0.1 port
 * with ORIGIN set, and resolves once it responds to HTTP.
 */
export async function startApp(options: AppOptions): Promise<RunningApp> {
	const port = await findFreePort();
	const origin = `http://127.0.0.1:${port}`;
	const entry = options.entry ?? path.join(buildDir(), 'index.js');
	const preload = pathToFileURL(path.join(import.meta.dirname, 'exit-on-signal.mjs')).href;
	const profile = options.cpuProfileDir
		? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
		: [];
	const child = spawn(
		process.execPath,
		[...profile, ...(options.nodeArgs ?? []), '--import', preload, entry],
		{
			cwd: ROOT,
			stdio: ['ignore', 'ignore', 'pipe'],
			env: {
				...process.env,
				DATABASE_URL: options.databaseUrl,
				HOST: '127.0.0.1',
				PORT: String(port),
				ORIGIN: origin,
				LOG_LEVEL: 'warn',
				...options.env
			}
		}
	);
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-4000);
	});
	const exited = once(child, 'exit');

	const deadline = Date.now() + 30_000;
	while (true) {
		if (child.exitCode !== null) {
			throw new Error(`The app exited with ${child.exitCode} before responding:\n${stderr}`);
		}
		try {
			await fetch(origin, { signal: AbortSignal.timeout(2000) });
			break;
		} catch {
			if (Date.now() > deadline) {
				child.kill('SIGKILL');
				throw new Error(`The app did not respond on ${origin} within 30 s:\n${stderr}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	return {
		origin,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) {
				return;
			}
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		}
	};
}
