// Backups for the embedded cluster, which ships no pg_dump: every data table is written with
// COPY in text format to one file, and read back with COPY after the tables are emptied.
//
// File layout, one item a line:
//   {"format":"youth-backup","version":1,"migrations":[...]}      header
//   {"table":["public","towns"],"columns":["id","name"]}           one per table
//   ...COPY text rows...
//   \.                                                             end of that table's rows
// A row line can never be `\.` alone, since COPY writes a backslash in data as `\\`.
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Sql, Tx } from './client';

/** A pool or a transaction: the queries below run on either. */
type Query = Sql | Tx;

const FORMAT = 'youth-backup';
const FORMAT_VERSION = 1;
const END_OF_TABLE = '\\.';

export type TableName = { schema: string; name: string };
export type BackupReport = { tables: { table: string; rows: number }[]; migrations: string[] };

type Header = { format: string; version: number; migrations: string[] };
type TableHeader = { table: [string, string]; columns: string[] };

/** Thrown when a backup file cannot be restored into the database: the message gives the reason. */
export class BackupError extends Error {}

/** Migration versions recorded in supabase_migrations.schema_migrations, in order. */
export async function migrationVersions(sql: Query): Promise<string[]> {
	const [table] = await sql`select to_regclass('supabase_migrations.schema_migrations') as name`;
	if (!table?.name) {
		return [];
	}
	const rows = await sql<{ version: string }[]>`
		select version from supabase_migrations.schema_migrations order by version
	`;
	return rows.map((row) => row.version);
}

/**
 * Lists the tables that hold data: every ordinary table in public and private, plus auth.users, in an
 * order where a table comes after the tables its foreign keys point at.
 */
export async function dataTables(sql: Query): Promise<TableName[]> {
	const tables = await sql<{ oid: number; schema: string; name: string }[]>`
		select c.oid::int as oid, n.nspname as schema, c.relname as name
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where c.relkind in ('r', 'p') and not c.relispartition
			and (n.nspname in ('public', 'private') or (n.nspname = 'auth' and c.relname = 'users'))
		order by n.nspname, c.relname
	`;
	const links = await sql<{ child: number; parent: number }[]>`
		select conrelid::int as child, confrelid::int as parent
		from pg_constraint where contype = 'f' and conrelid <> confrelid
	`;
	const parents = new Map<number, Set<number>>(tables.map((table) => [table.oid, new Set()]));
	for (const link of links) {
		if (parents.has(link.child) && parents.has(link.parent)) {
			parents.get(link.child)!.add(link.parent);
		}
	}
	const ordered: TableName[] = [];
	const placed = new Set<number>();
	const visiting = new Set<number>();
	const visit = (table: (typeof tables)[number]) => {
		if (placed.has(table.oid) || visiting.has(table.oid)) {
			return; // Part of a cycle. Triggers are off during restore, so any order loads.
		}
		visiting.add(table.oid);
		for (const parent of parents.get(table.oid)!) {
			visit(tables.find((candidate) => candidate.oid === parent)!);
		}
		visiting.delete(table.oid);
		placed.add(table.oid);
		ordered.push({ schema: table.schema, name: table.name });
	};
	tables.forEach(visit);
	return ordered;
}

/** Lists the columns COPY can write and read back. Generated columns are computed on restore. */
async function copyColumns(sql: Query, table: TableName): Promise<string[]> {
	const rows = await sql<{ name: string }[]>`
		select a.attname as name
		from pg_attribute a
		join pg_class c on c.oid = a.attrelid
		join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = ${table.schema} and c.relname = ${table.name}
			and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
		order by a.attnum
	`;
	return rows.map((row) => row.name);
}

async function write(stream: Writable, data: string | Buffer): Promise<void> {
	if (!stream.write(data)) {
		await once(stream, 'drain');
	}
}

/** Writes every data table to `file`, from one consistent snapshot. */
export async function dumpDatabase(sql: Sql, file: string): Promise<BackupReport> {
	// Opened first, so that a missing folder or a denied write fails before any query.
	const handle = await open(file, 'w', 0o600);
	const out = handle.createWriteStream();
	// A write error also rejects the pending `drain` wait in write(), and finished() below.
	out.on('error', () => {});
	try {
		const report = await sql.begin('isolation level repeatable read read only', async (tx) => {
			const migrations = await migrationVersions(tx);
			const header: Header = { format: FORMAT, version: FORMAT_VERSION, migrations };
			await write(out, JSON.stringify(header) + '\n');
			const tables: BackupReport['tables'] = [];
			for (const table of await dataTables(tx)) {
				const columns = await copyColumns(tx, table);
				const tableHeader: TableHeader = { table: [table.schema, table.name], columns };
				await write(out, JSON.stringify(tableHeader) + '\n');
				const rows = await tx`
					copy ${tx(table.schema)}.${tx(table.name)} (${tx(columns)}) to stdout
				`.readable();
				let count = 0;
				for await (const chunk of rows) {
					const buffer = chunk as Buffer;
					for (const byte of buffer) {
						if (byte === 10) count++;
					}
					// Raw bytes, since a chunk may end in the middle of a multi-byte character.
					await write(out, buffer);
				}
				await write(out, END_OF_TABLE + '\n');
				tables.push({ table: `${table.schema}.${table.name}`, rows: count });
			}
			return { tables, migrations };
		});
		out.end();
		await finished(out);
		return report;
	} catch (error) {
		out.destroy();
		throw error;
	}
}

/**
 * Replaces the data in every dumped table with the file's rows, in one transaction. Rejected
 * unless the database has exactly the migrations the backup was taken with.
 */
export async function restoreDatabase(sql: Sql, file: string): Promise<BackupReport> {
	const input = createReadStream(file, { encoding: 'utf8' });
	const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
	try {
		const first = await lines.next();
		const header = parseJson<Header>(first.done ? '' : first.value);
		if (header?.format !== FORMAT || header.version !== FORMAT_VERSION) {
			throw new BackupError(`${file} is not a backup written by \`npm run db:dump\`.`);
		}
		const present = await migrationVersions(sql);
		if (present.join(',') !== header.migrations.join(',')) {
			throw new BackupError(
				`The backup was taken with migrations ${describe(header.migrations)}, but the ` +
					`database has ${describe(present)}. Restore it into a database with the same ` +
					'migrations applied.'
			);
		}

		return await sql.begin(async (tx) => {
			// Triggers, foreign keys included, stay off while rows go back in any order.
			// NOTE: this needs a superuser (true on the embedded cluster). It also replaces
			// public.audit_log, whose guards fire even in replica mode: see emptyTables.
			await tx`set local session_replication_role = replica`;
			const known = await dataTables(tx);
			const tables: BackupReport['tables'] = [];
			let truncated = false;
			for (;;) {
				const next = await lines.next();
				if (next.done) break;
				if (next.value === '') continue;
				const tableHeader = parseJson<TableHeader>(next.value);
				const [schema, name] = tableHeader?.table ?? [];
				const table = known.find((item) => item.schema === schema && item.name === name);
				if (!table || !Array.isArray(tableHeader?.columns)) {
					throw new BackupError(
						`Table not found in this database, so the backup cannot be restored: ${next.value}`
					);
				}
				const columns = await copyColumns(tx, table);
				if (tableHeader.columns.some((column) => !columns.includes(column))) {
					throw new BackupError(
						`The backup has columns of ${schema}.${name} that this database is missing.`
					);
				}
				if (!truncated) {
					await emptyTables(tx, known);
					truncated = true;
				}
				// Names are checked against the catalog above, then quoted as identifiers.
				const target = await tx`
					copy ${tx(table.schema)}.${tx(table.name)} (${tx(tableHeader.columns)}) from stdin
				`.writable();
				const done = finished(target);
				let count = 0;
				for (;;) {
					const line = await lines.next();
					if (line.done) {
						throw new BackupError(
							`The backup is truncated: it ends inside the rows of ${schema}.${name}.`
						);
					}
					if (line.value === END_OF_TABLE) break;
					count++;
					await write(target, line.value + '\n');
				}
				target.end();
				await done;
				tables.push({ table: `${schema}.${name}`, rows: count });
			}
			await resetSequences(tx, known);
			return { tables, migrations: header.migrations };
		});
	} finally {
		input.destroy();
	}
}

/**
 * Truncates every table in `tables`. Triggers enabled with `enable always` (the audit log's guards
 * against update, delete and truncate) fire even in replica mode, so they are disabled for the
 * truncate and enabled again right after it. ALTER TABLE is transactional, so a failure anywhere
 * in the caller's transaction leaves them enabled.
 */
export async function emptyTables(tx: Tx, tables: TableName[]): Promise<void> {
	const guards = await tx<{ schema: string; table: string; name: string }[]>`
		select n.nspname as schema, c.relname as table, t.tgname as name
		from pg_trigger t
		join pg_class c on c.oid = t.tgrelid
		join pg_namespace n on n.oid = c.relnamespace
		where t.tgenabled = 'A' and not t.tgisinternal
			and (n.nspname, c.relname) in (
				select * from unnest(
					${tables.map((table) => table.schema)}::text[],
					${tables.map((table) => table.name)}::text[]
				)
			)
	`;
	for (const guard of guards) {
		await tx`alter table ${tx(guard.schema)}.${tx(guard.table)} disable trigger ${tx(guard.name)}`;
	}
	for (const table of tables) {
		await tx`truncate ${tx(table.schema)}.${tx(table.name)} cascade`;
	}
	for (const guard of guards) {
		await tx`
			alter table ${tx(guard.schema)}.${tx(guard.table)} enable always trigger ${tx(guard.name)}
		`;
	}
}

/** Moves every sequence owned by a restored column to that column's highest value. */
async function resetSequences(sql: Query, tables: TableName[]): Promise<void> {
	const owned = await sql<{ sequence: number; schema: string; name: string; column: string }[]>`
		select s.oid::int as sequence, tn.nspname as schema, t.relname as name, a.attname as column
		from pg_depend d
		join pg_class s on s.oid = d.objid and s.relkind = 'S'
		join pg_class t on t.oid = d.refobjid
		join pg_namespace tn on tn.oid = t.relnamespace
		join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
		where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
			and d.deptype in ('a', 'i')
	`;
	for (const item of owned) {
		if (!tables.some((table) => table.schema === item.schema && table.name === item.name)) {
			continue;
		}
		const [row] = await sql<{ top: string | null }[]>`
			select max(${sql(item.column)})::text as top from ${sql(item.schema)}.${sql(item.name)}
		`;
		if (row?.top == null) {
			await sql`
				select setval(${item.sequence}::oid::regclass, seqstart, false)
				from pg_sequence where seqrelid = ${item.sequence}::oid
			`;
		} else {
			await sql`select setval(${item.sequence}::oid::regclass, ${row.top}::bigint)`;
		}
	}
}

function parseJson<T>(text: string): T | null {
	try {
		return JSON.parse(text) as T;
	} catch {
		return null;
	}
}

function describe(versions: string[]): string {
	return versions.length > 0 ? versions.join(', ') : '(none)';
}
