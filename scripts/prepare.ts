import path from 'node:path';
import { createDatabase } from '../src/lib/server/db/client';
import { applyMigrations, applySeed, type MigrationReport } from '../src/lib/server/db/migrate';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/lib/server/demo/generate';
import { ensureDemo } from '../src/lib/server/demo/load';

export const SUPABASE_DIR = path.resolve(import.meta.dirname, '..', 'supabase');

/** Applies migrations and reference data, then the demo data unless it is there already. */
export async function prepareDatabase(
	url: string,
	options: { loadDemo: boolean }
): Promise<
	MigrationReport & {
		demoLoaded: boolean;
		demoPassword: string;
		demoAccounts: typeof DEMO_ACCOUNTS;
	}
> {
	const database = createDatabase(url, { max: 2 });
	try {
		const report = await applyMigrations(database.sql, SUPABASE_DIR);
		await applySeed(database.sql, SUPABASE_DIR);
		const demoLoaded = options.loadDemo ? await ensureDemo(database.sql) : false;
		return { ...report, demoLoaded, demoPassword: DEMO_PASSWORD, demoAccounts: DEMO_ACCOUNTS };
	} finally {
		await database.end();
	}
}
