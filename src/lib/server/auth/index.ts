import { db } from '../db';
import { createLocalAuth } from './local-provider';
import type { AuthProvider } from './provider';
import { createSupabaseAuthFromEnv } from './supabase-provider';

let provider: AuthProvider | undefined;

/** Returns the auth provider: Supabase Auth when PUBLIC_SUPABASE_URL is set, else local accounts. */
export function auth(): AuthProvider {
	provider ??= process.env.PUBLIC_SUPABASE_URL
		? createSupabaseAuthFromEnv(process.env)
		: createLocalAuth(db());
	return provider;
}
