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
	// The local auth stand-in counts as already there once recorded, like any migration.
	let skipped = done.has(LOCAL_AUTH_VERSION) ? 1 : 0;
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

export type ResetReport = { dropped: string[] };

/**
 * Drops everything the migrations made, so that they can run again from nothing. The local
 * stand-in for Supabase Auth goes too, but Supabase's own auth schema (recognised by its
 * supabase_auth_admin role) stays, and so do its accounts. Roles are cluster-wide and kept:
 * the local auth migration creates them only when missing.
 */
export async function resetDatabase(sql: Sql): Promise<ResetReport> {
	// One transaction, so a failure part-way leaves the database as it was.
	return sql.begin(async (tx) => {
		const [localAuth] = await tx`
			select 1 from pg_namespace where nspname = 'auth' and not exists (
				select 1 from pg_roles where rolname = 'supabase_auth_admin'
			)
		`;
		const present = await tx<{ name: string }[]>`
			select nspname as name from pg_namespace
			where nspname in ('public', 'private', 'supabase_migrations')
			order by nspname
		`;

		await tx`drop schema if exists public cascade`;
		await tx`drop schema if exists private cascade`;
		await tx`drop schema if exists supabase_migrations cascade`;
		if (localAuth) {
			await tx`drop schema auth cascade`;
		}
		await tx`create schema public`;
		await tx`grant usage on schema public to public`;

		const dropped = present.map((row) => row.name);
		return { dropped: localAuth ? [...dropped, 'auth'] : dropped };
	});
}
