import type { Database, Tx } from '../db';
import { DomainError, translateErrors } from '../errors';
import { hashToken, newToken } from './tokens';

export const SESSION_DAYS = 30;
/** Failed sign-ins allowed per account, and per client address, in the window below. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 40;
export const FAILURE_WINDOW_MINUTES = 15;
/** A bcrypt hash (cost 10) of a random string that was thrown away. */
const STAND_IN_HASH = '$2a$10$0qyILxbLzNP6ZSnbkcyq8OXJCQSRu4P1nPAaL4Ip04yoAQ3VXYPvq';
/** bcrypt cost, as GoTrue uses. */
const BCRYPT_COST = 10;

export type SessionUser = { id: string; email: string };

/** Creates a local account. The profile comes from a trigger on auth.users. */
export async function createAccount(
	db: Database,
	input: { email: string; password: string; displayName: string }
): Promise<string> {
	const email = input.email.toLowerCase();
	const meta = { display_name: input.displayName };
	const [user] = await translateErrors(
		db.service(
			(tx) => tx<{ id: string }[]>`
				insert into auth.users (email, encrypted_password, raw_user_meta_data, email_confirmed_at)
				values (
					${email},
					extensions.crypt(${input.password}, extensions.gen_salt('bf', ${BCRYPT_COST})),
					${tx.json(meta)},
					now()
				)
				returning id
			`
		)
	);
	if (!user) {
		throw new Error('insert into auth.users returned no row');
	}
	return user.id;
}

/** Failure records reserved for one attempt, deleted again if the password turns out right. */
type Reservation = { accountKey: string; ids: string[] };

/**
 * Records an attempt as a failure of the account and of the client address before any password
 * is checked, or throws `too_many_attempts` when either is at its limit. The count and the record
 * are written under advisory locks on the account and the address, so parallel requests cannot
 * all read a count below the limit.
 */
async function reserveAttempt(db: Database, email: string, address: string): Promise<Reservation> {
	const accountKey = `account:${email}`;
	const addressKey = `address:${address}`;
	const reservedIds = await db.service(async (tx) => {
		// Taking the locks in key order keeps two attempts that share a subject from deadlocking.
		// They are released when this short transaction commits, before the password check.
		await tx`
			select pg_advisory_xact_lock(key)
			from (
				select hashtextextended(subject, 0) as key
				from unnest(${[accountKey, addressKey]}::text[]) as subject
				order by key
			) as keys
		`;
		const [counts] = await tx<{ account: number; address: number }[]>`
			select
				count(*) filter (where subject = ${accountKey})::int as account,
				count(*) filter (where subject = ${addressKey})::int as address
			from private.sign_in_failures
			where subject in (${accountKey}, ${addressKey})
				and failed_at > now() - make_interval(mins => ${FAILURE_WINDOW_MINUTES})
		`;
		if (
			(counts?.account ?? 0) >= MAX_FAILURES_PER_ACCOUNT ||
			(counts?.address ?? 0) >= MAX_FAILURES_PER_ADDRESS
		) {
			return null;
		}
		const reserved = await tx<{ id: string }[]>`
			insert into private.sign_in_failures (subject)
			values (${accountKey}), (${addressKey})
			returning id
		`;
		return reserved.map((row) => row.id);
	});
	if (!reservedIds) {
		throw new DomainError('too_many_attempts');
	}
	return { accountKey, ids: reservedIds };
}

/** Deletes the account's failures and this attempt's reserved records, after a right password. */
async function clearFailures(tx: Tx, reservation: Reservation): Promise<void> {
	await tx`
		delete from private.sign_in_failures
		where subject = ${reservation.accountKey} or id in ${tx(reservation.ids)}
	`;
}

/**
 * Checks an email and password and opens a session. Failures are counted in Postgres per
 * account and per client address (see reserveAttempt), so the limits hold across restarts and
 * replicas.
 */
export async function signInWithPassword(
	db: Database,
	input: { email: string; password: string; address: string }
): Promise<{ token: string; user: SessionUser }> {
	const email = input.email.toLowerCase();
	const reservation = await reserveAttempt(db, email, input.address);
	// An unknown email still costs one bcrypt round, against a stand-in hash, so the answer's
	// timing does not tell which emails have accounts.
	const [candidate] = await db.service(
		(tx) => tx<(SessionUser & { matches: boolean | null })[]>`
			select u.id, u.email,
				u.encrypted_password = extensions.crypt(
					${input.password}, coalesce(u.encrypted_password, ${STAND_IN_HASH})
				) as matches
			from (values (1)) as one
			left join auth.users u on u.email = ${email}
		`
	);
	const user = candidate?.matches ? { id: candidate.id, email: candidate.email } : null;
	if (!user) {
		throw new DomainError('invalid_credentials');
	}
	const token = await db.service(async (tx) => {
		await clearFailures(tx, reservation);
		return insertSession(tx, user.id);
	});
	return { token, user };
}

/**
 * Changes a local account's password after checking the current one, and returns a new session
 * token. A wrong current password counts toward the same failure limits as a sign-in, so this
 * form cannot be used to guess passwords faster. The change revokes every session of the account,
 * on every browser, in the same transaction that opens the new one (private.change_password).
 */
export async function changePassword(
	db: Database,
	input: {
		userId: string;
		email: string;
		currentPassword: string;
		newPassword: string;
		address: string;
	}
): Promise<string> {
	const reservation = await reserveAttempt(db, input.email.toLowerCase(), input.address);
	const token = await translateErrors(
		db.service(async (tx) => {
			const [result] = await tx<{ changed: boolean }[]>`
				select private.change_password(
					${input.userId}, ${input.currentPassword}, ${input.newPassword}
				) as changed
			`;
			if (!result?.changed) {
				return null;
			}
			await clearFailures(tx, reservation);
			return insertSession(tx, input.userId);
		})
	);
	if (!token) {
		throw new DomainError('current_password_invalid');
	}
	return token;
}

export async function openSession(db: Database, userId: string): Promise<string> {
	return db.service((tx) => insertSession(tx, userId));
}

async function insertSession(tx: Tx, userId: string): Promise<string> {
	const token = newToken();
	await tx`
		insert into private.sessions (token_hash, user_id, expires_at)
		values (${hashToken(token)}, ${userId}, now() + make_interval(days => ${SESSION_DAYS}))
	`;
	return token;
}

/** Finds the user behind a session token, or null when it is unknown, expired or revoked. */
export async function findSessionUser(db: Database, token: string): Promise<SessionUser | null> {
	const [user] = await db.sql<SessionUser[]>`
		select u.id, u.email from private.sessions s
		join auth.users u on u.id = s.user_id
		where s.token_hash = ${hashToken(token)} and s.revoked_at is null and s.expires_at > now()
	`;
	return user ?? null;
}

export async function revokeSession(db: Database, token: string): Promise<void> {
	await db.sql`
		update private.sessions set revoked_at = now()
		where token_hash = ${hashToken(token)} and revoked_at is null
	`;
}
