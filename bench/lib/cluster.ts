import { chmod, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDatabase } from '../../src/lib/server/db/client';
import { startEmbedded } from '../../src/lib/server/db/embedded';
import { applyMigrations, applySeed } from '../../src/lib/server/db/migrate';

const SUPABASE_DIR = path.resolve(import.meta.dirname, '..', '..', 'supabase');

export type BenchDatabase = { url: string; stop(): Promise<void> };

/**
 * Starts a fresh embedded cluster under os.tmpdir()/youth-bench-<name> on a free 127.0.0.1
 * port, with the migrations and reference data applied. A folder left by an earlier run that
 * was killed is removed first. `stop()` stops the server and removes the folder.
 */
export async function startBenchDatabase(name: string): Promise<BenchDatabase> {
	const folder = path.join(os.tmpdir(), `youth-bench-${name}`);
	await rm(folder, { recursive: true, force: true });
	await mkdir(folder, { recursive: true });
	// When run as root, PostgreSQL runs as the OS user postgres, which must enter the folder.
	await chmod(folder, 0o755);
	const cluster = await startEmbedded({
		dataDir: path.join(folder, 'pg'),
		port: 0,
		isThrowaway: true
	});
	try {
		const database = createDatabase(cluster.url, { max: 1 });
		try {
			await applyMigrations(database.sql, SUPABASE_DIR);
			await applySeed(database.sql, SUPABASE_DIR);
		} finally {
			await database.end();
		}
	} catch (error) {
		await cluster.stop();
		await rm(folder, { recursive: true, force: true });
		throw error;
	}
	return {
		url: cluster.url,
		async stop() {
			await cluster.stop();
			await rm(folder, { recursive: true, force: true });
		}
	};
}
