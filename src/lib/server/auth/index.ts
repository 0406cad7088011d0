import { db } from '../db';
import { createLocalAuth } from './local-provider';
import type { AuthProvider } from './provider';

let provider: AuthProvider | undefined;

/** The auth provider in use: Supabase Auth when PUBLIC_SUPABASE_URL is set, else local accounts. */
export function auth(): AuthProvider {
	provider ??= createLocalAuth(db());
	return provider;
}
