import postgres from 'postgres';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

/** The person a request acts for; null for a visitor who is not signed in. */
export type Actor = { id: string } | null;

export type Database = {
	/** The pool, as the owner. Only migrations, seeding and the service calls below use it. */
	sql: Sql;
	/**
	 * Runs `work` in one transaction as the actor: role `authenticated` (or `anon`) and the JWT
	 * claims set first, so every row level security policy applies as it does behind Supabase.
	 */
	as<T>(actor: Actor, work: (tx: Tx) => Promise<T>): Promise<T>;
	/** Runs `work` in one transaction as the owner, bypassing RLS. Each caller says why. */
	service<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
	end(): Promise<void>;
};

export type DatabaseOptions = {
	/** Pool size. */
	max?: number;
	/** Prepared statements; Supabase's transaction pooler needs them off. */
	prepare?: boolean;
};

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
	const sql = postgres(url, {
		max: options.max ?? 10,
		prepare: options.prepare ?? true,
		onnotice: () => {},
		connection: { application_name: 'youth-opportunities' }
	});

	async function as<T>(actor: Actor, work: (tx: Tx) => Promise<T>): Promise<T> {
		const role = actor ? 'authenticated' : 'anon';
		const claims = JSON.stringify(actor ? { sub: actor.id, role } : { role });
		const result = await sql.begin(async (tx) => {
			// One statement sets the role, the claims and a lock timeout. It is sent without
			// waiting for its reply, so postgres.js can write it together with the work's first
			// query when that query is sent in the same tick: usually one round trip less per
			// request. The connection runs them in order. If it fails, the work's queries fail with
			// "transaction aborted" and postgres.js rethrows this statement's error instead, which
			// the catch here leaves to it.
			tx`
				select set_config('role', ${role}, true),
					set_config('request.jwt.claims', ${claims}, true),
					set_config('lock_timeout', '5s', true)
			`.catch(() => {});
			return work(tx);
		});
		return result as T;
	}

	async function service<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
		const result = await sql.begin((tx) => work(tx));
		return result as T;
	}

	return { sql, as, service, end: () => sql.end({ timeout: 5 }) };
}
