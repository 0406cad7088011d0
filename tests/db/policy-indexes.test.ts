import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/client';
import { testDatabase } from './fixtures';

let db: Database;

beforeAll(() => {
	db = testDatabase();
});

afterAll(async () => {
	await db.end();
});

// PostgreSQL records a dependency of each policy on every column of its table that its USING or
// WITH CHECK expression names, function arguments included. Columns that functions called by
// a policy read inside their own bodies are not listed here.
const POLICY_COLUMNS = `
	select distinct n.nspname || '.' || c.relname || '.' || a.attname as name, c.oid as table_id,
		a.attnum
	from pg_policy p
	join pg_class c on c.oid = p.polrelid
	join pg_namespace n on n.oid = c.relnamespace
	join pg_depend d on d.classid = 'pg_policy'::regclass and d.objid = p.oid
		and d.refclassid = 'pg_class'::regclass and d.refobjid = c.oid and d.refobjsubid > 0
	join pg_attribute a on a.attrelid = c.oid and a.attnum = d.refobjsubid
	where n.nspname in ('public', 'private')
`;

describe('row level security policies', () => {
	it('name columns through pg_depend', async () => {
		const columns = await db.sql.unsafe<{ name: string }[]>(POLICY_COLUMNS);
		const names = columns.map((column) => column.name);
		expect(names).toContain('public.opportunities.status');
		expect(names).toContain('public.applications.applicant_id');
	});

	it('read only indexed columns', async () => {
		// A key column of any index on the table counts; INCLUDE columns do not.
		const unindexed = await db.sql.unsafe<{ name: string }[]>(`
			select policy_columns.name from (${POLICY_COLUMNS}) as policy_columns
			where not exists (
				select 1 from pg_index i
				where i.indrelid = policy_columns.table_id
					and policy_columns.attnum = any ((i.indkey::int2[])[0:i.indnkeyatts - 1])
			)
			order by 1
		`);
		expect(unindexed.map((column) => column.name)).toEqual([]);
	});
});
