import { combineChunks, createServerClient, isChunkLike, stringFromBase64URL } from '@supabase/ssr';
import {
	isAuthApiError,
	type AuthError,
	type Session,
	type WebSocketLikeConstructor
} from '@supabase/supabase-js';
import type { Cookies } from '@sveltejs/kit';
import {
	createRemoteJWKSet,
	customFetch,
	errors,
	jwtVerify,
	type FetchImplementation,
	type JWTPayload
} from 'jose';
import { DomainError } from '../errors';
import { log } from '../log';
import type { SessionUser } from './local';
import { sessionCookieOptions, type AuthProvider } from './provider';

/** Verifies an access token's signature and expiry and returns its claims, or throws a jose error. */
export type VerifyAccessToken = (token: string) => Promise<JWTPayload>;

export type SupabaseAuthOptions = {
	/** The project's URL, PUBLIC_SUPABASE_URL. */
	url: string;
	/** The project's anon (publishable) key, PUBLIC_SUPABASE_ANON_KEY. */
	anonKey: string;
	verify: VerifyAccessToken;
	/** Fetch implementation that supabase-js uses to reach Supabase Auth. Defaults to the global one. */
	fetch?: typeof fetch;
};

/** Supabase Auth issues user tokens with this audience, and the same value as their role. */
const USER_AUDIENCE = 'authenticated';
/** @supabase/ssr writes the session JSON base64url-encoded behind this prefix (0.10.x). */
const BASE64_PREFIX = 'base64-';
/** The lifetime @supabase/ssr 0.10.x gives its cookies: 400 days, the most browsers keep. */
const SSR_COOKIE_MAX_AGE = 400 * 24 * 60 * 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * jose error codes that mean the token itself is invalid. Any other error (an unreachable or
 * malformed key set) is a fault of ours and is thrown, so an outage does not sign everyone out.
 */
const REJECTED_TOKEN_CODES = new Set([
	'ERR_JWT_EXPIRED',
	'ERR_JWT_CLAIM_VALIDATION_FAILED',
	'ERR_JWT_INVALID',
	'ERR_JWS_INVALID',
	'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
	'ERR_JOSE_ALG_NOT_ALLOWED',
	'ERR_JOSE_NOT_SUPPORTED',
	'ERR_JWKS_NO_MATCHING_KEY',
	'ERR_JWKS_MULTIPLE_MATCHING_KEYS'
]);

/**
 * supabase-js 2.109 builds a Realtime client inside every client, and on Node 20, which has no
 * global WebSocket, that throws unless a WebSocket class is given. No server code opens a
 * Realtime channel, and if some code tries, this class throws with the reason.
 */
class ServerHasNoRealtime {
	constructor() {
		throw new Error('Realtime is not used on the server: open channels from the browser');
	}
}

/** Verifies tokens signed with the project's legacy shared secret (HS256). */
export function verifyWithSecret(secret: string): VerifyAccessToken {
	const key = new TextEncoder().encode(secret);
	return async (token) => {
		const { payload } = await jwtVerify(token, key, {
			algorithms: ['HS256'],
			audience: USER_AUDIENCE
		});
		return payload;
	};
}

/**
 * Verifies tokens against the project's published signing keys (asymmetric JWTs). jose 6 caches
 * the key set for 10 minutes and fetches it again for an unknown key id at most every 30 s.
 */
export function verifyWithJwks(
	projectUrl: string,
	options: { fetch?: FetchImplementation } = {}
): VerifyAccessToken {
	const keys = createRemoteJWKSet(
		new URL(`${projectUrl.replace(/\/+$/, '')}/auth/v1/.well-known/jwks.json`),
		options.fetch ? { [customFetch]: options.fetch } : {}
	);
	return async (token) => {
		const { payload } = await jwtVerify(token, keys, {
			algorithms: ['ES256', 'RS256'],
			audience: USER_AUDIENCE
		});
		return payload;
	};
}

/**
 * Returns the session cookie's name, derived as supabase-js 2.109 derives its storage key from
 * the first label of the project's host name. The client gets this name explicitly, so the
 * reader below and the library's writer always use the same cookie.
 */
export function sessionCookieName(projectUrl: string): string {
	return `sb-${new URL(projectUrl).hostname.split('.')[0]}-auth-token`;
}

/**
 * Creates the Supabase provider from PUBLIC_SUPABASE_URL and PUBLIC_SUPABASE_ANON_KEY. Tokens are
 * verified with SUPABASE_JWT_SECRET (HS256) when it is set, else against the project's JWKS.
 */
export function createSupabaseAuthFromEnv(env: NodeJS.ProcessEnv): AuthProvider {
	const url = env.PUBLIC_SUPABASE_URL;
	const anonKey = env.PUBLIC_SUPABASE_ANON_KEY;
	if (!url) {
		throw new Error('PUBLIC_SUPABASE_URL is missing: set it to the Supabase project URL');
	}
	if (!anonKey) {
		throw new Error(
			'PUBLIC_SUPABASE_URL is set but PUBLIC_SUPABASE_ANON_KEY is missing: set both to use ' +
				'Supabase Auth, or neither to use local accounts'
		);
	}
	const secret = env.SUPABASE_JWT_SECRET;
	return createSupabaseAuth({
		url,
		anonKey,
		verify: secret ? verifyWithSecret(secret) : verifyWithJwks(url)
	});
}

/**
 * Creates the provider for accounts in Supabase Auth, through @supabase/ssr with the session in
 * cookies. Every request's access token is verified here (signature, expiry, audience, role)
 * before its subject is trusted, and nothing else in the cookie is read.
 *
 * NOTE: supabase-provider.test.ts covers this path with locally signed tokens and a fetch that
 * never leaves the process. It has not been run against a live Supabase project, in CI or
 * elsewhere.
 */
export function createSupabaseAuth(options: SupabaseAuthOptions): AuthProvider {
	const cookieName = sessionCookieName(options.url);

	function client(cookies: Cookies, url: URL) {
		return createServerClient(options.url, options.anonKey, {
			cookieOptions: { name: cookieName },
			cookies: {
				getAll: () => cookies.getAll(),
				setAll: (changes) => {
					for (const { name, value, options: set } of changes) {
						const maxAge = value ? (set.maxAge ?? SSR_COOKIE_MAX_AGE) : 0;
						cookies.set(name, value, sessionCookieOptions(url, maxAge));
					}
				}
			},
			global: options.fetch ? { fetch: options.fetch } : undefined,
			realtime: { transport: ServerHasNoRealtime as unknown as WebSocketLikeConstructor }
		});
	}

	async function userFromToken(token: string): Promise<SessionUser | null> {
		let claims: JWTPayload;
		try {
			claims = await options.verify(token);
		} catch (error) {
			if (error instanceof errors.JOSEError && REJECTED_TOKEN_CODES.has(error.code)) {
				log.debug({ reason: error.code }, 'session token rejected');
				return null;
			}
			throw error;
		}
		return userFromClaims(claims);
	}

	async function userFromSession(session: Session | null): Promise<SessionUser> {
		const user = session ? await userFromToken(session.access_token) : null;
		if (!user) {
			throw new Error(
				'Supabase Auth issued an access token that does not verify here: check ' +
					'SUPABASE_JWT_SECRET, or the signing keys published at /auth/v1/.well-known/jwks.json'
			);
		}
		return user;
	}

	return {
		kind: 'supabase',

		async currentUser(cookies) {
			// The token is read and verified before any Supabase client exists. A client would load
			// the stored session on creation and refresh it over the network when it looks expired.
			// NOTE: so the server never refreshes a session. Once the access token expires
			// (jwt_expiry, 3600 s in supabase/config.toml), the person is signed out and must sign in
			// again. Refreshing only tokens whose signature verifies would lift this.
			const token = await readAccessToken(cookies, cookieName);
			return token ? userFromToken(token) : null;
		},

		async signUp(cookies, url, input) {
			const { data, error } = await client(cookies, url).auth.signUp({
				email: input.email,
				password: input.password,
				// The trigger on auth.users turns display_name into the person's profile.
				options: { data: { display_name: input.displayName } }
			});
			if (error) {
				throw toDomainError(error);
			}
			// With email confirmations on, Supabase Auth returns a user without identities for a
			// taken address instead of an error, so that addresses cannot be probed.
			if (data.user && data.user.identities?.length === 0) {
				throw new DomainError('email_taken');
			}
			if (!data.session) {
				throw new Error(
					'Supabase Auth returned no session after sign-up: turn off email confirmations ' +
						'(auth.email.enable_confirmations) or add a confirmation step'
				);
			}
			return userFromSession(data.session);
		},

		async signIn(cookies, url, input) {
			// NOTE: input.address is not passed on. Failed sign-ins are limited by Supabase Auth's
			// own rate limits, not by the per-account and per-address counters of local accounts.
			const { data, error } = await client(cookies, url).auth.signInWithPassword({
				email: input.email,
				password: input.password
			});
			if (error) {
				throw toDomainError(error);
			}
			return userFromSession(data.session);
		},

		async signOut(cookies, url) {
			const { error } = await client(cookies, url).auth.signOut({ scope: 'local' });
			if (error) {
				// Sign-out still completes, because the cookies are deleted below. Supabase keeps
				// accepting the session's refresh token, but this browser no longer has it.
				log.warn(
					{ err: error },
					'Supabase Auth sign-out failed, clearing the session cookies anyway'
				);
			}
			for (const { name } of cookies.getAll()) {
				if (isChunkLike(name, cookieName) || name === `${cookieName}-code-verifier`) {
					cookies.delete(name, sessionCookieOptions(url, 0));
				}
			}
		},

		async changePassword(cookies, url, input) {
			const session = client(cookies, url).auth;
			// A fresh sign-in checks the current password under Supabase Auth's rate limits, and
			// gives this browser a new session, which the password update then uses.
			const { data, error: signInError } = await session.signInWithPassword({
				email: input.user.email,
				password: input.currentPassword
			});
			if (signInError) {
				const mapped = toDomainError(signInError);
				throw mapped instanceof DomainError && mapped.code === 'invalid_credentials'
					? new DomainError('current_password_invalid')
					: mapped;
			}
			const user = await userFromSession(data.session);
			if (user.id !== input.user.id) {
				throw new Error('Supabase Auth signed in another user than the one changing the password');
			}
			const { error: updateError } = await session.updateUser({ password: input.newPassword });
			if (updateError) {
				throw toDomainError(updateError);
			}
			// NOTE: this revokes the other sessions' refresh tokens. Their access tokens stay valid
			// until they expire (jwt_expiry, 3600 s), because currentUser verifies tokens locally
			// without asking Supabase Auth whether the session still exists.
			const { error: signOutError } = await session.signOut({ scope: 'others' });
			if (signOutError) {
				throw signOutError;
			}
		}
	};
}

/** Returns the person named by verified claims, or null unless the claims are a signed-in user's. */
function userFromClaims(claims: JWTPayload): SessionUser | null {
	const { sub, email, role, is_anonymous: isAnonymous } = claims;
	if (role !== USER_AUDIENCE || isAnonymous === true) {
		return null;
	}
	// auth.uid() casts the subject to uuid, so anything else would fail every query.
	if (typeof sub !== 'string' || !UUID.test(sub) || typeof email !== 'string') {
		return null;
	}
	return { id: sub, email };
}

/**
 * Reads the access token from the session cookie, decoded as @supabase/ssr 0.10.x stores it:
 * chunks `<name>`, or `<name>.0`, `<name>.1`, … joined in order, then `base64-` and base64url
 * JSON.
 */
async function readAccessToken(cookies: Cookies, cookieName: string): Promise<string | null> {
	const values = new Map(cookies.getAll().map(({ name, value }) => [name, value]));
	const stored = await combineChunks(cookieName, (name) => values.get(name) ?? null);
	if (!stored) {
		return null;
	}
	try {
		const json = stored.startsWith(BASE64_PREFIX)
			? stringFromBase64URL(stored.slice(BASE64_PREFIX.length))
			: stored;
		const session: unknown = JSON.parse(json);
		const token = (session as { access_token?: unknown } | null)?.access_token;
		return typeof token === 'string' ? token : null;
	} catch {
		// A cookie that does not decode is treated as no session, as @supabase/ssr treats it.
		return null;
	}
}

/** Maps Supabase Auth's rejections to domain errors. Other errors are faults and return unchanged. */
export function toDomainError(error: AuthError): Error {
	if (!isAuthApiError(error)) {
		return error;
	}
	switch (error.code) {
		case 'invalid_credentials':
			return new DomainError('invalid_credentials');
		case 'user_already_exists':
		case 'email_exists':
			return new DomainError('email_taken');
		case 'over_request_rate_limit':
		case 'over_email_send_rate_limit':
			return new DomainError('too_many_attempts');
		case 'same_password':
			return new DomainError('password_unchanged');
		case 'weak_password':
			return new DomainError('invalid_input');
	}
	return error.status === 429 ? new DomainError('too_many_attempts') : error;
}
