import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../src/lib/server/db/embedded';

/** A site and embedded database that one spec file starts for itself, on free ports. */
export type OwnSite = {
	origin: string;
	dataDir: string;
	databasePort: number;
	/** The last 20 kB the site wrote: its warnings and errors at LOG_LEVEL=warn. */
	output: () => string;
	stop: () => Promise<void>;
};

const root = path.resolve(import.meta.dirname, '../..');

function exited(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) resolve();
		else child.once('exit', () => resolve());
	});
}

/**
 * Starts scripts/start.ts with the same build as playwright.config.ts's web server, on its own
 * ports and a fresh cluster under the system's temporary folder, and waits until it responds.
 * Use it when a spec must see every write to the database, which the shared site cannot offer.
 */
export async function startOwnSite(name: string): Promise<OwnSite> {
	const port = await findFreePort();
	const databasePort = await findFreePort();
	const origin = `http://127.0.0.1:${port}`;
	const folder = path.join(os.tmpdir(), `youth-${name}-${port}`);
	const dataDir = path.join(folder, 'pg');
	await rm(folder, { recursive: true, force: true });
	// One node process (tsx as a loader), so that SIGTERM reaches start.ts and stops the cluster.
	const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			EMBEDDED_DB_DIR: dataDir,
			EMBEDDED_DB_PORT: String(databasePort),
			LOG_LEVEL: 'warn'
		}
	});
	let output = '';
	const keep = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-20_000);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			await exited(child);
		}
		await rm(folder, { recursive: true, force: true });
	};
	const deadline = Date.now() + 200_000;
	for (;;) {
		if (child.exitCode !== null) {
			await stop();
			throw new Error(`the ${name} site exited with ${child.exitCode}:\n${output}`);
		}
		try {
			const response = await fetch(origin, { redirect: 'manual' });
			if (response.status < 500) break;
		} catch {
			// Not listening yet.
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`the ${name} site did not respond within 200 s:\n${output}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return { origin, dataDir, databasePort, output: () => output, stop };
}
