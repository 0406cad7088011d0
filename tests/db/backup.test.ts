// Dump and restore run on a cluster of their own, since restore empties every data table: the
// shared test cluster that the other files use is never touched.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	BackupError,
	dataTables,
	dumpDatabase,
	emptyTables,
	restoreDatabase
} from '../../src/lib/server/db/backup';
import { createDatabase, type Database } from '../../src/lib/server/db/client';
import { startEmbedded, type EmbeddedCluster } from '../../src/lib/server/db/embedded';
import { applyMigrations, applySeed } from '../../src/lib/server/db/migrate';
import { ensureDemo } from '../../src/lib/server/demo/load';

let folder: string;
let cluster: EmbeddedCluster;
let db: Database;

beforeAll(async () => {
	folder = await mkdtemp(path.join(os.tmpdir(), 'youth-backup-test-'));
	// The OS user postgres must be able to enter the folder when the tests run as root.
	await chmod(folder, 0o755);
	cluster = await startEmbedded({ dataDir: path.join(folder, 'pg'), port: 0, isThrowaway: true });
	db = createDatabase(cluster.url, { max: 4 });
	await applyMigrations(db.sql, inject('supabaseDir'));
	await applySeed(db.sql, inject('supabaseDir'));
	expect(await ensureDemo(db.sql)).toBe(true);
}, 120_000);

afterAll(async () => {
	await db?.end();
	await cluster?.stop();
	if (folder) {
		await rm(folder, { recursive: true, force: true });
	}
});

/** Computes an md5 of each data table's rows, as text in a fixed order. */
async function digest(): Promise<Record<string, { rows: number; md5: string }>> {
	const result: Record<string, { rows: number; md5: string }> = {};
	for (const table of await dataTables(db.sql)) {
		const [row] = await db.sql<{ rows: number; md5: string }[]>`
			select count(*)::int as rows,
				md5(coalesce(string_agg(t::text, e'\n' order by t::text), '')) as md5
			from ${db.sql(table.schema)}.${db.sql(table.name)} t
		`;
		result[`${table.schema}.${table.name}`] = row!;
	}
	return result;
}

/** Empties every data table as a restore does, with the audit log's guards disabled meanwhile. */
async function wipe(): Promise<void> {
	const tables = await dataTables(db.sql);
	await db.sql.begin(async (tx) => {
		await tx`set local session_replication_role = replica`;
		await emptyTables(tx, tables);
	});
}

describe('backup', () => {
	it('restores every table as dumped', async () => {
		const file = path.join(folder, 'all.dump');
		// Text COPY must escape these: the end-of-table line, a backslash, a tab, a newline.
		const awkward = '\\.\n\\.\tback\\slash 团区委 \r end';
		await db.sql`insert into private.sign_in_failures (subject) values (${awkward})`;
		const before = await digest();
		expect(Object.keys(before)).toEqual(
			expect.arrayContaining(['auth.users', 'public.events', 'private.sessions'])
		);
		expect(before['public.events']!.rows).toBeGreaterThan(0);
		expect(before['auth.users']!.rows).toBeGreaterThan(0);

		const dumped = await dumpDatabase(db.sql, file);
		expect(dumped.migrations.length).toBeGreaterThan(0);
		expect(dumped.tables.find((t) => t.table === 'public.events')!.rows).toBe(
			before['public.events']!.rows
		);

		await wipe();
		const empty = await digest();
		expect(empty['public.events']!.rows).toBe(0);
		expect(empty['auth.users']!.rows).toBe(0);

		await restoreDatabase(db.sql, file);
		expect(await digest()).toEqual(before);
		const [kept] = await db.sql<{ subject: string }[]>`
			select subject from private.sign_in_failures where subject like '%团区委%'
		`;
		expect(kept?.subject).toBe(awkward);
		await db.sql`delete from private.sign_in_failures`;
	});

	it('moves identity sequences past ids', async () => {
		const file = path.join(folder, 'sequences.dump');
		await db.sql`insert into private.sign_in_failures (subject) values ('a'), ('b'), ('c')`;
		const [before] = await db.sql<{ top: string }[]>`
			select max(id)::text as top from private.sign_in_failures
		`;
		await dumpDatabase(db.sql, file);
		await wipe();
		// The wipe does not move the sequence back, so reset it the way a new database has it.
		await db.sql`alter table private.sign_in_failures alter column id restart with 1`;
		await restoreDatabase(db.sql, file);
		const [added] = await db.sql<{ id: string }[]>`
			insert into private.sign_in_failures (subject) values ('d') returning id::text
		`;
		expect(BigInt(added!.id)).toBe(BigInt(before!.top) + 1n);
		await db.sql`delete from private.sign_in_failures`;
	});

	it('rejects other migrations, changes nothing', async () => {
		const file = path.join(folder, 'other.dump');
		await dumpDatabase(db.sql, file);
		const before = await digest();
		const [last] = await db.sql<{ version: string }[]>`
			delete from supabase_migrations.schema_migrations
			where version = (select max(version) from supabase_migrations.schema_migrations)
			returning version
		`;
		try {
			await wipe();
			const promise = restoreDatabase(db.sql, file);
			await expect(promise).rejects.toBeInstanceOf(BackupError);
			await expect(promise).rejects.toThrow(/same\s+migrations/);
			expect((await digest())['public.events']!.rows).toBe(0);
		} finally {
			await db.sql`
				insert into supabase_migrations.schema_migrations (version, name)
				values (${last!.version}, 'restored by test')
			`;
		}
		await restoreDatabase(db.sql, file);
		expect(await digest()).toEqual(before);
	});
});
