import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	changePassword,
	createAccount,
	findSessionUser,
	MAX_FAILURES_PER_ACCOUNT,
	signInWithPassword
} from '../../src/lib/server/auth/local';
import type { Database } from '../../src/lib/server/db/client';
import { rejectionCode, testDatabase, uniqueEmail } from './fixtures';

const OLD_PASSWORD = 'old password 2026';
const NEW_PASSWORD = 'new password 2026';

let db: Database;

beforeAll(() => {
	db = testDatabase();
});

afterAll(async () => {
	await db.end();
});

type Account = { id: string; email: string };

async function newAccount(): Promise<Account> {
	const email = uniqueEmail();
	const id = await createAccount(db, { email, password: OLD_PASSWORD, displayName: '改密青年' });
	return { id, email };
}

async function signIn(account: Account, password = OLD_PASSWORD): Promise<string> {
	const { token } = await signInWithPassword(db, {
		email: account.email,
		password,
		address: `test-address-${randomUUID()}`
	});
	return token;
}

function change(account: Account, currentPassword: string, newPassword = NEW_PASSWORD) {
	return changePassword(db, {
		userId: account.id,
		email: account.email,
		currentPassword,
		newPassword,
		address: `test-address-${randomUUID()}`
	});
}

async function passwordEntries(account: Account) {
	return db.service(
		(tx) => tx<{ actor_id: string; action: string; before: unknown; after: unknown }[]>`
			select actor_id, action, before, after from public.audit_log
			where table_name = 'users' and row_id = ${account.id}
			order by id
		`
	);
}

describe('changePassword', () => {
	it('revokes every session, opens one', async () => {
		const account = await newAccount();
		const here = await signIn(account);
		const elsewhere = await signIn(account);
		const fresh = await change(account, OLD_PASSWORD);
		expect(fresh).not.toBe(here);
		expect(await findSessionUser(db, here)).toBeNull();
		expect(await findSessionUser(db, elsewhere)).toBeNull();
		expect(await findSessionUser(db, fresh)).toEqual(account);
	});

	it('swaps which password signs in', async () => {
		const account = await newAccount();
		await change(account, OLD_PASSWORD);
		expect(await rejectionCode(signIn(account, OLD_PASSWORD))).toBe('invalid_credentials');
		expect(await findSessionUser(db, await signIn(account, NEW_PASSWORD))).toEqual(account);
	});

	it('stores a new bcrypt hash only', async () => {
		const account = await newAccount();
		await change(account, OLD_PASSWORD);
		const [user] = await db.sql<{ hash: string; text: string; verifies: boolean }[]>`
			select encrypted_password as hash, row_to_json(u)::text as text,
				encrypted_password = extensions.crypt(${NEW_PASSWORD}, encrypted_password) as verifies
			from auth.users u where id = ${account.id}
		`;
		expect(user!.hash).toMatch(/^\$2[abx]\$10\$/);
		expect(user!.verifies).toBe(true);
		expect(user!.text).not.toContain(NEW_PASSWORD);
	});

	it('rejects a wrong current password', async () => {
		const account = await newAccount();
		const session = await signIn(account);
		expect(await rejectionCode(change(account, 'not the password'))).toBe(
			'current_password_invalid'
		);
		expect(await findSessionUser(db, session)).toEqual(account);
		expect(await findSessionUser(db, await signIn(account, OLD_PASSWORD))).toEqual(account);
		expect(await passwordEntries(account)).toEqual([]);
	});

	it('rejects a short new password', async () => {
		const account = await newAccount();
		expect(await rejectionCode(change(account, OLD_PASSWORD, 'short'))).toBe('invalid_input');
		expect(await findSessionUser(db, await signIn(account, OLD_PASSWORD))).toEqual(account);
	});

	it('counts failures with sign-in', async () => {
		const account = await newAccount();
		for (let attempt = 1; attempt < MAX_FAILURES_PER_ACCOUNT; attempt++) {
			expect(await rejectionCode(change(account, `wrong ${attempt}`))).toBe(
				'current_password_invalid'
			);
		}
		// The fifth failure is a sign-in, so both count toward one limit.
		const wrongSignIn = signInWithPassword(db, {
			email: account.email,
			password: 'wrong again',
			address: `test-address-${randomUUID()}`
		});
		expect(await rejectionCode(wrongSignIn)).toBe('invalid_credentials');
		expect(await rejectionCode(change(account, OLD_PASSWORD))).toBe('too_many_attempts');
		expect(await rejectionCode(signIn(account, OLD_PASSWORD))).toBe('too_many_attempts');
	});

	it('records the change without secrets', async () => {
		const account = await newAccount();
		await signIn(account);
		await signIn(account);
		await change(account, OLD_PASSWORD);
		const entries = await passwordEntries(account);
		expect(entries).toEqual([
			{
				actor_id: account.id,
				action: 'update',
				before: null,
				after: { password_changed: true, sessions_revoked: 2 }
			}
		]);
		expect(JSON.stringify(entries)).not.toContain('password 2026');
		expect(JSON.stringify(entries)).not.toContain('$2');
	});

	it('records a Supabase change for caller', async () => {
		const account = await newAccount();
		await db.as({ id: account.id }, (tx) => tx`select private.record_password_change()`);
		expect(await passwordEntries(account)).toEqual([
			{ actor_id: account.id, action: 'update', before: null, after: { password_changed: true } }
		]);
		const anonymous = db.as(null, (tx) => tx`select private.record_password_change()`);
		expect(await rejectionCode(anonymous)).toBe('not_allowed');
	});

	it('is not callable by app roles', async () => {
		const account = await newAccount();
		const direct = db.as(
			{ id: account.id },
			(tx) => tx`select private.change_password(${account.id}, ${OLD_PASSWORD}, 'whatever 2026')`
		);
		await expect(direct).rejects.toMatchObject({ code: '42501' });
	});
});
