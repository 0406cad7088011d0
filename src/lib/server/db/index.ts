import { createDatabase, type Database } from './client';

let shared: Database | undefined;

/** Returns the process's one pool, created on first use from DATABASE_URL. */
export function db(): Database {
	if (!shared) {
		const url = process.env.DATABASE_URL;
		if (!url) {
			throw new Error('DATABASE_URL is missing: start the site with `npm start`, which sets it');
		}
		shared = createDatabase(url, {
			max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
			prepare: process.env.DATABASE_PREPARE !== 'false'
		});
	}
	return shared;
}

export type { Actor, Database, Sql, Tx } from './client';
