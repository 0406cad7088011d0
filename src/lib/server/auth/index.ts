import type { Cookies } from '@sveltejs/kit';
import { db } from '../db';
import { createLocalAuth } from './local-provider';
import type { AuthProvider, PasswordChangeInput } from './provider';
import { createSupabaseAuthFromEnv } from './supabase-provider';

let provider: AuthProvider | undefined;

/** Returns the auth provider: Supabase Auth when PUBLIC_SUPABASE_URL is set, else local accounts. */
export function auth(): AuthProvider {
	provider ??= process.env.PUBLIC_SUPABASE_URL
		? createSupabaseAuthFromEnv(process.env)
		: createLocalAuth(db());
	return provider;
}

/**
 * Changes the signed-in person's password and records the change in the audit log. Local
 * accounts record it in the transaction that changes the hash; for Supabase Auth the entry is
 * written here, after Supabase Auth has accepted the change.
 */
export async function changePassword(
	cookies: Cookies,
	url: URL,
	input: PasswordChangeInput
): Promise<void> {
	const current = auth();
	await current.changePassword(cookies, url, input);
	if (current.kind === 'supabase') {
		await db().as({ id: input.user.id }, (tx) => tx`select private.record_password_change()`);
	}
}
