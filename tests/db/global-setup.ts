import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../../src/lib/server/db/client';
import { startEmbedded, type EmbeddedCluster } from '../../src/lib/server/db/embedded';
import { applyMigrations, applySeed } from '../../src/lib/server/db/migrate';

const SUPABASE_DIR = path.resolve(import.meta.dirname, '..', '..', 'supabase');

declare module 'vitest' {
	export interface ProvidedContext {
		databaseUrl: string;
		supabaseDir: string;
	}
}

let cluster: EmbeddedCluster | undefined;
let folder: string | undefined;

/** Starts a throw-away embedded cluster on a free port with the migrations and reference data. */
export async function setup(project: TestProject) {
	// The OS user postgres must be able to enter the folder when the tests run as root.
	folder = await mkdtemp(path.join(os.tmpdir(), 'youth-db-test-'));
	await chmod(folder, 0o755);
	cluster = await startEmbedded({ dataDir: path.join(folder, 'pg'), port: 0, isThrowaway: true });
	const database = createDatabase(cluster.url, { max: 2 });
	await applyMigrations(database.sql, SUPABASE_DIR);
	await applySeed(database.sql, SUPABASE_DIR);
	await database.end();
	project.provide('databaseUrl', cluster.url);
	project.provide('supabaseDir', SUPABASE_DIR);
}

export async function teardown() {
	await cluster?.stop();
	if (folder) {
		await rm(folder, { recursive: true, force: true });
	}
}
