// resetDatabase drops schemas, so it runs on a cluster of its own: the shared test cluster that
// the other files use is never touched.
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createAccount,
	findSessionUser,
	signInWithPassword
} from '../../src/lib/server/auth/local';
import { createDatabase, type Database } from '../../src/lib/server/db/client';
import { startEmbedded, type EmbeddedCluster } from '../../src/lib/server/db/embedded';
import { applyMigrations, applySeed, resetDatabase } from '../../src/lib/server/db/migrate';

const SUPABASE_DIR = path.resolve(import.meta.dirname, '..', '..', 'supabase');

let folder: string;
let cluster: EmbeddedCluster;
let db: Database;
/** Privilege counts right after the first migration of a new cluster. */
let firstPrivileges: Awaited<ReturnType<typeof privileges>>;

beforeAll(async () => {
	folder = await mkdtemp(path.join(os.tmpdir(), 'youth-reset-test-'));
	// The OS user postgres must be able to enter the folder when the tests run as root.
	await chmod(folder, 0o755);
	cluster = await startEmbedded({ dataDir: path.join(folder, 'pg'), port: 0, isThrowaway: true });
	db = createDatabase(cluster.url, { max: 4 });
	await applyMigrations(db.sql, SUPABASE_DIR);
	await applySeed(db.sql, SUPABASE_DIR);
	firstPrivileges = await privileges();
	expect(firstPrivileges.grants).toBeGreaterThan(0);
});

afterAll(async () => {
	await db?.end();
	await cluster?.stop();
	if (folder) {
		await rm(folder, { recursive: true, force: true });
	}
});

/** Counts of default privileges, table grants and memberships of the API roles. */
async function privileges() {
	const [row] = await db.sql<{ defaults: number; grants: number; memberships: number }[]>`
		select
			(select count(*)::int from pg_default_acl) as defaults,
			(select count(*)::int from information_schema.role_table_grants
				where grantee in ('anon', 'authenticated', 'service_role')) as grants,
			(select count(*)::int from pg_auth_members m join pg_roles r on r.oid = m.roleid
				where r.rolname in ('anon', 'authenticated', 'service_role')) as memberships
	`;
	return row!;
}

async function migrationFiles(): Promise<string[]> {
	const files = await readdir(path.join(SUPABASE_DIR, 'migrations'));
	return files.filter((file) => /^\d{14}_[\w-]+\.sql$/.test(file)).sort();
}

/** Resets, then migrates and seeds, as `npm run db:reset` does. */
async function resetAndMigrate() {
	await resetDatabase(db.sql);
	const report = await applyMigrations(db.sql, SUPABASE_DIR);
	await applySeed(db.sql, SUPABASE_DIR);
	return report;
}

async function schemas(): Promise<string[]> {
	const rows = await db.sql<{ name: string }[]>`
		select nspname as name from pg_namespace
		where nspname in ('auth', 'public', 'private', 'supabase_migrations')
		order by nspname
	`;
	return rows.map((row) => row.name);
}

describe('resetDatabase on the embedded cluster', () => {
	it('drops the app schemas and the local auth', async () => {
		await resetAndMigrate();
		await createAccount(db, {
			email: 'before-reset@test.local',
			password: 'a long password',
			displayName: 'Before'
		});

		const report = await resetDatabase(db.sql);

		expect(report.dropped).toEqual(['private', 'public', 'supabase_migrations', 'auth']);
		expect(await schemas()).toEqual(['public']);
		const [tables] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from pg_tables where schemaname = 'public'
		`;
		expect(tables!.count).toBe(0);
	});

	it('keeps the roles, which belong to the cluster', async () => {
		await resetDatabase(db.sql);
		const roles = await db.sql<{ name: string; canLogin: boolean; bypassesRls: boolean }[]>`
			select rolname as name, rolcanlogin as "canLogin", rolbypassrls as "bypassesRls"
			from pg_roles where rolname in ('anon', 'authenticated', 'service_role')
			order by rolname
		`;
		expect(roles).toEqual([
			{ name: 'anon', canLogin: false, bypassesRls: false },
			{ name: 'authenticated', canLogin: false, bypassesRls: false },
			{ name: 'service_role', canLogin: false, bypassesRls: true }
		]);
	});

	it('lets every migration run again', async () => {
		const report = await resetAndMigrate();
		expect(report.applied).toEqual(['00000000000000_local_auth', ...(await migrationFiles())]);
		expect(report.skipped).toBe(0);
		expect(await schemas()).toEqual(['auth', 'private', 'public', 'supabase_migrations']);
	});

	it('leaves local sign-in working', async () => {
		await resetAndMigrate();
		const id = await createAccount(db, {
			email: 'after-reset@test.local',
			password: 'a long password',
			displayName: '重置之后'
		});

		const { token, user } = await signInWithPassword(db, {
			email: 'after-reset@test.local',
			password: 'a long password',
			address: '127.0.0.1'
		});

		expect(user.id).toBe(id);
		expect(await findSessionUser(db, token)).toEqual({ id, email: 'after-reset@test.local' });
	});

	it('leaves row level security working', async () => {
		await resetAndMigrate();
		const id = await createAccount(db, {
			email: 'policies@test.local',
			password: 'a long password',
			displayName: '策略'
		});
		const other = await createAccount(db, {
			email: 'someone-else@test.local',
			password: 'a long password',
			displayName: 'Other'
		});

		const [claims] = await db.as({ id }, (tx) => tx`select auth.uid() as uid, current_user`);
		expect(claims).toEqual({ uid: id, current_user: 'authenticated' });

		const profiles = await db.as(
			{ id },
			(tx) => tx`update public.profiles set display_name = 'Renamed' returning id`
		);
		expect(profiles.map((row) => row.id)).toEqual([id]);
		const [untouched] = await db.sql`select display_name from public.profiles where id = ${other}`;
		expect(untouched?.display_name).toBe('Other');

		const kinds = await db.as(null, (tx) => tx`select code from public.org_kinds`);
		expect(kinds.length).toBeGreaterThan(0);
	});

	it('leaves the privileges as a first migration does', async () => {
		await resetAndMigrate();
		expect(await privileges()).toEqual(firstPrivileges);

		await resetAndMigrate();
		expect(await privileges()).toEqual(firstPrivileges);
	});
});
