import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createAccount,
	findSessionUser,
	MAX_FAILURES_PER_ACCOUNT,
	MAX_FAILURES_PER_ADDRESS,
	revokeSession,
	signInWithPassword
} from '../../src/lib/server/auth/local';
import type { Database } from '../../src/lib/server/db/client';
import { rejectionCode, testDatabase, uniqueEmail } from './fixtures';

const PASSWORD = 'correct horse 2026';
const WRONG_PASSWORD = 'wrong horse 2026';

let db: Database;

beforeAll(() => {
	db = testDatabase();
});

afterAll(async () => {
	await db.end();
});

/** Makes a client address that no other test uses, so each test has its own per-address counter. */
function uniqueAddress(): string {
	return `test-address-${randomUUID()}`;
}

async function newAccount(displayName = '测试青年'): Promise<{ id: string; email: string }> {
	const email = uniqueEmail();
	const id = await createAccount(db, { email, password: PASSWORD, displayName });
	return { id, email };
}

async function failSignIn(email: string, address: string): Promise<string> {
	return rejectionCode(signInWithPassword(db, { email, password: WRONG_PASSWORD, address }));
}

describe('createAccount', () => {
	it('stores a bcrypt hash', async () => {
		const { id } = await newAccount();
		const [user] = await db.sql<{ encrypted_password: string; verifies: boolean }[]>`
			select encrypted_password,
				encrypted_password = extensions.crypt(${PASSWORD}, encrypted_password) as verifies
			from auth.users where id = ${id}
		`;
		expect(user!.encrypted_password).toMatch(/^\$2[abx]\$/);
		expect(user!.verifies).toBe(true);
	});

	it('never stores the password', async () => {
		const { id } = await newAccount();
		const [row] = await db.sql<{ text: string }[]>`
			select row_to_json(u)::text as text from auth.users u where id = ${id}
		`;
		expect(row!.text).not.toContain(PASSWORD);
	});

	it('creates a profile with the display name', async () => {
		const { id } = await newAccount('林晓雨');
		const [profile] = await db.sql<{ display_name: string }[]>`
			select display_name from public.profiles where id = ${id}
		`;
		expect(profile!.display_name).toBe('林晓雨');
	});

	it('stores the email lower-cased', async () => {
		const email = `Mixed.${randomUUID()}@Test.Local`;
		const id = await createAccount(db, { email, password: PASSWORD, displayName: 'Mixed' });
		const [user] = await db.sql<{ email: string }[]>`select email from auth.users where id = ${id}`;
		expect(user!.email).toBe(email.toLowerCase());
	});

	it('rejects a taken email', async () => {
		const { email } = await newAccount();
		const again = createAccount(db, { email, password: PASSWORD, displayName: 'Again' });
		expect(await rejectionCode(again)).toBe('email_taken');
		const upper = createAccount(db, {
			email: email.toUpperCase(),
			password: PASSWORD,
			displayName: 'Again'
		});
		expect(await rejectionCode(upper)).toBe('email_taken');
		const [row] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from auth.users where email = ${email}
		`;
		expect(row!.count).toBe(1);
	});
});

describe('signInWithPassword', () => {
	it('rejects a wrong password', async () => {
		const { email } = await newAccount();
		expect(await failSignIn(email, uniqueAddress())).toBe('invalid_credentials');
	});

	it('rejects an unknown email', async () => {
		expect(await failSignIn(uniqueEmail(), uniqueAddress())).toBe('invalid_credentials');
	});

	it('accepts the email in any case', async () => {
		const { id, email } = await newAccount();
		const { user } = await signInWithPassword(db, {
			email: email.toUpperCase(),
			password: PASSWORD,
			address: uniqueAddress()
		});
		expect(user.id).toBe(id);
	});

	it('stores the session token only as SHA-256', async () => {
		const { id, email } = await newAccount();
		const { token } = await signInWithPassword(db, {
			email,
			password: PASSWORD,
			address: uniqueAddress()
		});
		const sessions = await db.sql<{ token_hash: Buffer; text: string }[]>`
			select token_hash, row_to_json(s)::text as text from private.sessions s where user_id = ${id}
		`;
		expect(sessions).toHaveLength(1);
		expect(sessions[0]!.token_hash.toString('hex')).toBe(
			createHash('sha256').update(token).digest('hex')
		);
		expect(sessions[0]!.text).not.toContain(token);
		const [anywhere] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from private.sessions s
			where strpos(row_to_json(s)::text, ${token}) > 0
		`;
		expect(anywhere!.count).toBe(0);
	});

	it('opens a session that resolves to the user', async () => {
		const { id, email } = await newAccount();
		const { token } = await signInWithPassword(db, {
			email,
			password: PASSWORD,
			address: uniqueAddress()
		});
		expect(await findSessionUser(db, token)).toEqual({ id, email });
	});
});

describe('sessions', () => {
	async function signedInToken(): Promise<string> {
		const { email } = await newAccount();
		const { token } = await signInWithPassword(db, {
			email,
			password: PASSWORD,
			address: uniqueAddress()
		});
		return token;
	}

	it('resolves an unknown token to null', async () => {
		expect(await findSessionUser(db, 'not-a-real-token')).toBeNull();
	});

	it('resolves a revoked token to null', async () => {
		const token = await signedInToken();
		await revokeSession(db, token);
		expect(await findSessionUser(db, token)).toBeNull();
	});

	it('resolves an expired token to null', async () => {
		const token = await signedInToken();
		const tokenHash = createHash('sha256').update(token).digest();
		await db.sql`
			update private.sessions set expires_at = now() - interval '1 minute'
			where token_hash = ${tokenHash}
		`;
		expect(await findSessionUser(db, token)).toBeNull();
	});

	it('leaves other sessions open on revoke', async () => {
		const { id, email } = await newAccount();
		const first = await signInWithPassword(db, { email, password: PASSWORD, address: 'a' });
		const second = await signInWithPassword(db, { email, password: PASSWORD, address: 'a' });
		await revokeSession(db, first.token);
		expect(await findSessionUser(db, first.token)).toBeNull();
		expect(await findSessionUser(db, second.token)).toEqual({ id, email });
	});
});

describe('sign-in rate limit', () => {
	it('locks an account after five failures', async () => {
		const { email } = await newAccount();
		const address = uniqueAddress();
		for (let attempt = 1; attempt <= MAX_FAILURES_PER_ACCOUNT; attempt++) {
			expect(await failSignIn(email, address)).toBe('invalid_credentials');
		}
		const right = signInWithPassword(db, { email, password: PASSWORD, address });
		expect(await rejectionCode(right)).toBe('too_many_attempts');
		const elsewhere = signInWithPassword(db, {
			email,
			password: PASSWORD,
			address: uniqueAddress()
		});
		expect(await rejectionCode(elsewhere)).toBe('too_many_attempts');
	});

	it('locks an address at its limit', async () => {
		const address = uniqueAddress();
		const accounts = await Promise.all(
			Array.from({ length: MAX_FAILURES_PER_ADDRESS / 4 }, () => newAccount())
		);
		// Four failures each, so no single account reaches its own limit.
		for (const account of accounts) {
			for (let attempt = 0; attempt < 4; attempt++) {
				expect(await failSignIn(account.email, address)).toBe('invalid_credentials');
			}
		}
		const fresh = await newAccount();
		const here = signInWithPassword(db, { email: fresh.email, password: PASSWORD, address });
		expect(await rejectionCode(here)).toBe('too_many_attempts');
		const { user } = await signInWithPassword(db, {
			email: fresh.email,
			password: PASSWORD,
			address: uniqueAddress()
		});
		expect(user.id).toBe(fresh.id);
	});

	it('forgets failures outside the window', async () => {
		const { id, email } = await newAccount();
		const address = uniqueAddress();
		for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT; attempt++) {
			await failSignIn(email, address);
		}
		await db.sql`
			update private.sign_in_failures set failed_at = now() - interval '16 minutes'
			where subject in (${`account:${email}`}, ${`address:${address}`})
		`;
		const { user } = await signInWithPassword(db, { email, password: PASSWORD, address });
		expect(user.id).toBe(id);
	});

	it('resets the account count on success', async () => {
		const { id, email } = await newAccount();
		const address = uniqueAddress();
		for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT - 1; attempt++) {
			await failSignIn(email, address);
		}
		await signInWithPassword(db, { email, password: PASSWORD, address });
		for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT - 1; attempt++) {
			expect(await failSignIn(email, address)).toBe('invalid_credentials');
		}
		const { user } = await signInWithPassword(db, { email, password: PASSWORD, address });
		expect(user.id).toBe(id);
	});

	it('records no failure on success', async () => {
		const { email } = await newAccount();
		const address = uniqueAddress();
		await signInWithPassword(db, { email, password: PASSWORD, address });
		const [row] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from private.sign_in_failures
			where subject in (${`account:${email}`}, ${`address:${address}`})
		`;
		expect(row!.count).toBe(0);
	});

	it('counts concurrent failures exactly', async () => {
		const { email } = await newAccount();
		const address = uniqueAddress();
		const outcomes = await Promise.all(
			Array.from({ length: 16 }, () => failSignIn(email, address))
		);
		const checked = outcomes.filter((code) => code === 'invalid_credentials').length;
		const limited = outcomes.filter((code) => code === 'too_many_attempts').length;
		expect(checked).toBe(MAX_FAILURES_PER_ACCOUNT);
		expect(limited).toBe(16 - MAX_FAILURES_PER_ACCOUNT);
	});

	it('keeps the limit across a restart', async () => {
		const { email } = await newAccount();
		const address = uniqueAddress();
		for (let attempt = 0; attempt < MAX_FAILURES_PER_ACCOUNT; attempt++) {
			await failSignIn(email, address);
		}
		await db.end();
		db = testDatabase();
		const right = signInWithPassword(db, { email, password: PASSWORD, address });
		expect(await rejectionCode(right)).toBe('too_many_attempts');
	});
});
