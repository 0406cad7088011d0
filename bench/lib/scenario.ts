import { createDatabase, type Sql } from '../../src/lib/server/db/client';
import { ensureBuild, startApp, type RunningApp } from './app';
import { startBenchDatabase } from './cluster';

export type Scenario = {
	/** The fresh database's URL. */
	url: string;
	/** A small pool on it, as the owner, for writing fixtures and checking results. */
	sql: Sql;
	/** Starts the production build on the fresh database. It stops when the scenario ends. */
	launchApp(): Promise<RunningApp>;
};

/**
 * Runs one benchmark's scenario on a fresh migrated database: builds the site if it is stale,
 * starts the database, and stops every app the scenario launched and the database afterwards,
 * whether the scenario succeeded or failed.
 */
export async function runScenario(
	name: string,
	scenario: (context: Scenario) => Promise<void>
): Promise<void> {
	ensureBuild();
	const database = await startBenchDatabase(name);
	const service = createDatabase(database.url, { max: 2 });
	const apps: RunningApp[] = [];
	try {
		await scenario({
			url: database.url,
			sql: service.sql,
			async launchApp() {
				const app = await startApp({ databaseUrl: database.url });
				apps.push(app);
				return app;
			}
		});
	} finally {
		for (const app of apps) {
			await app.stop();
		}
		await service.end();
		await database.stop();
	}
}
