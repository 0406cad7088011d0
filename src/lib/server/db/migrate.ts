import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Sql } from './client';

const LOCAL_AUTH_VERSION = '00000000000000';

export type MigrationReport = { applied: string[]; skipped: number };

/**
 * Applies every migration in supabase/migrations not yet recorded in
 * supabase_migrations.schema_migrations (the table the Supabase CLI keeps), each in its own
 * transaction. Where the auth schema is missing (the embedded cluster), a local stand-in for
 * Supabase Auth's tables and functions goes first.
 */
export async function applyMigrations(sql: Sql, supabaseDir: string): Promise<MigrationReport> {
	await sql`create schema if not exists supabase_migrations`;
	await sql`
		create table if not exists supabase_migrations.schema_migrations (
			version text primary key,
			statements text[],
			name text
		)
	`;

	const done = new Set(
		(
			await sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations`
		).map((row) => row.version)
	);
	const applied: string[] = [];

	const [authSchema] = await sql`select 1 from pg_namespace where nspname = 'auth'`;
	if (!authSchema && !done.has(LOCAL_AUTH_VERSION)) {
		await runFile(
			sql,
			path.join(supabaseDir, 'local', 'auth.sql'),
			LOCAL_AUTH_VERSION,
			'local_auth'
		);
		applied.push(`${LOCAL_AUTH_VERSION}_local_auth`);
	}

	const files = (await readdir(path.join(supabaseDir, 'migrations')))
		.filter((file) => /^\d{14}_[\w-]+\.sql$/.test(file))
		.sort();
	let skipped = 0;
	for (const file of files) {
		const version = file.slice(0, 14);
		if (done.has(version)) {
			skipped++;
			continue;
		}
		const name = file.slice(15, -4);
		await runFile(sql, path.join(supabaseDir, 'migrations', file), version, name);
		applied.push(file);
	}
	return { applied, skipped };
}

/** Loads supabase/seed.sql: fixed reference data, written to be safe to run again. */
export async function applySeed(sql: Sql, supabaseDir: string): Promise<void> {
	const text = await readFile(path.join(supabaseDir, 'seed.sql'), 'utf8');
	await sql.begin((tx) => tx.unsafe(text));
}

async function runFile(sql: Sql, file: string, version: string, name: string): Promise<void> {
	const text = await readFile(file, 'utf8');
	await sql.begin(async (tx) => {
		// A migration file is trusted text from the repository, run whole in the simple protocol.
		await tx.unsafe(text);
		await tx`
			insert into supabase_migrations.schema_migrations (version, statements, name)
			values (${version}, ${[text]}, ${name})
		`;
	});
}

/** Drops everything the migrations made, so that they can run again from nothing. */
export async function resetDatabase(sql: Sql): Promise<void> {
	await sql`drop schema if exists public cascade`;
	await sql`drop schema if exists private cascade`;
	await sql`drop schema if exists supabase_migrations cascade`;
	const [localAuth] = await sql`
		select 1 from pg_namespace where nspname = 'auth' and not exists (
			select 1 from pg_roles where rolname = 'supabase_auth_admin'
		)
	`;
	if (localAuth) {
		await sql`drop schema auth cascade`;
	}
	await sql`create schema public`;
	await sql`grant usage on schema public to public`;
}
