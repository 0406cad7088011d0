import type { Cookies } from '@sveltejs/kit';
import type { SessionUser } from './local';

export type SignUpInput = { email: string; password: string; displayName: string };
export type SignInInput = { email: string; password: string; address: string };
/** A signed-in person's password change; `address` is the client's, for the failure limits. */
export type PasswordChangeInput = {
	user: SessionUser;
	currentPassword: string;
	newPassword: string;
	address: string;
};

/**
 * Who is signed in, and the ways to change that. The local provider keeps accounts in this
 * database; the Supabase provider hands them to Supabase Auth. Both leave the user's id where
 * `auth.uid()` reads it, so the same policies apply.
 */
export type AuthProvider = {
	kind: 'local' | 'supabase';
	currentUser(cookies: Cookies): Promise<SessionUser | null>;
	signUp(cookies: Cookies, url: URL, input: SignUpInput): Promise<SessionUser>;
	signIn(cookies: Cookies, url: URL, input: SignInInput): Promise<SessionUser>;
	signOut(cookies: Cookies, url: URL): Promise<void>;
	/**
	 * Checks the current password, stores the new one, ends every other session of the person and
	 * leaves this browser signed in with a new session. Throws `current_password_invalid` for a
	 * wrong current password.
	 */
	changePassword(cookies: Cookies, url: URL, input: PasswordChangeInput): Promise<void>;
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Cookie options for session cookies: httpOnly, SameSite=Lax, Secure outside loopback. */
export function sessionCookieOptions(url: URL, maxAgeSeconds: number) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: !LOOPBACK_HOSTS.has(url.hostname),
		maxAge: maxAgeSeconds
	};
}
