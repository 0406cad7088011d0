import type { Database } from '../db';
import {
	changePassword,
	createAccount,
	findSessionUser,
	openSession,
	revokeSession,
	SESSION_DAYS,
	signInWithPassword
} from './local';
import { sessionCookieOptions, type AuthProvider } from './provider';

export const SESSION_COOKIE = 'session';

/** Accounts in this database's auth.users, sessions as opaque tokens in an httpOnly cookie. */
export function createLocalAuth(db: Database): AuthProvider {
	const maxAge = SESSION_DAYS * 24 * 60 * 60;

	async function endCurrentSession(cookies: Parameters<AuthProvider['signOut']>[0], url: URL) {
		const token = cookies.get(SESSION_COOKIE);
		if (token) {
			await revokeSession(db, token);
		}
		cookies.delete(SESSION_COOKIE, sessionCookieOptions(url, 0));
	}

	return {
		kind: 'local',

		async currentUser(cookies) {
			const token = cookies.get(SESSION_COOKIE);
			return token ? findSessionUser(db, token) : null;
		},

		async signUp(cookies, url, input) {
			await endCurrentSession(cookies, url);
			const id = await createAccount(db, input);
			const token = await openSession(db, id);
			cookies.set(SESSION_COOKIE, token, sessionCookieOptions(url, maxAge));
			return { id, email: input.email.toLowerCase() };
		},

		async signIn(cookies, url, input) {
			const { token, user } = await signInWithPassword(db, input);
			// A new token on every sign-in, and the old one dead, so a planted cookie is useless.
			await endCurrentSession(cookies, url);
			cookies.set(SESSION_COOKIE, token, sessionCookieOptions(url, maxAge));
			return user;
		},

		async signOut(cookies, url) {
			await endCurrentSession(cookies, url);
		},
		async changePassword(cookies, url, input) {
			// The old token in this browser's cookie is revoked with all the others.
			const token = await changePassword(db, {
				userId: input.user.id,
				email: input.user.email,
				currentPassword: input.currentPassword,
				newPassword: input.newPassword,
				address: input.address
			});
			cookies.set(SESSION_COOKIE, token, sessionCookieOptions(url, maxAge));
		}
	};
}
