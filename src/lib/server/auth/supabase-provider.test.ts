// Contract tests for the Supabase Auth provider. Tokens are signed here with a test secret, the
// session cookie is written by hand in @supabase/ssr 0.10.x's format, and supabase-js is given a
// fetch that records every request and responds in-process. The project URL is a closed port
// on 127.0.0.1, so even a request that slipped past the fetch would reach nothing.
// NOTE: nothing here runs against a live Supabase project, in CI or elsewhere.
import type { Cookies } from '@sveltejs/kit';
import {
	exportJWK,
	generateKeyPair,
	SignJWT,
	UnsecuredJWT,
	type CryptoKey,
	type JWTPayload
} from 'jose';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import type { AuthProvider } from './provider';
import {
	createSupabaseAuth,
	sessionCookieName,
	verifyWithJwks,
	verifyWithSecret
} from './supabase-provider';

const PROJECT_URL = 'http://127.0.0.1:1';
const ANON_KEY = 'anon-key-for-tests';
const SECRET = 'test-secret-for-hs256-at-least-32-bytes-long';
const OTHER_SECRET = 'another-secret-that-did-not-sign-these-tokens';
const SITE = new URL('http://127.0.0.1:5173/');

// supabase-js 2.109 names the storage key after the first label of the host: "127" here.
const COOKIE = 'sb-127-auth-token';
// @supabase/ssr 0.10.x splits a cookie whose URI-encoded value is longer than this.
const MAX_CHUNK_SIZE = 3180;

/** SvelteKit's cookie jar, in memory: what the request brought plus what the response sets. */
class MemoryCookies implements Cookies {
	readonly jar = new Map<string, string>();
	readonly written = new Map<string, { value: string; httpOnly?: boolean; maxAge?: number }>();

	constructor(initial: { name: string; value: string }[] = []) {
		for (const { name, value } of initial) {
			this.jar.set(name, value);
		}
	}

	get(name: string) {
		return this.jar.get(name);
	}

	getAll() {
		return [...this.jar].map(([name, value]) => ({ name, value }));
	}

	set(name: string, value: string, opts: Parameters<Cookies['set']>[2]) {
		this.written.set(name, { value, httpOnly: opts.httpOnly, maxAge: opts.maxAge });
		if (opts.maxAge === 0) {
			this.jar.delete(name);
		} else {
			this.jar.set(name, value);
		}
	}

	delete(name: string, opts: Parameters<Cookies['delete']>[1]) {
		this.set(name, '', { ...opts, maxAge: 0 });
	}

	serialize(name: string, value: string) {
		return `${name}=${value}`;
	}
}

type RecordedRequest = { url: string; method: string; body: unknown; authorization: string | null };
type Answer = (request: RecordedRequest) => Response;

/** Creates a fetch that records each request and responds with `answer`, or throws without one. */
function recordingFetch(answer?: Answer) {
	const requests: RecordedRequest[] = [];
	const fetch: typeof globalThis.fetch = async (input, init) => {
		const url = input instanceof Request ? input.url : String(input);
		const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
		const authorization = new Headers(init?.headers).get('authorization');
		const request = { url, method: init?.method ?? 'GET', body, authorization };
		requests.push(request);
		if (!answer) {
			throw new Error(`no request was expected, got ${request.method} ${url}`);
		}
		return answer(request);
	};
	return { fetch, requests };
}

function goTrueError(status: number, code: string): Response {
	return Response.json(
		{ code, msg: `test refusal: ${code}` },
		{ status, headers: { 'x-supabase-api-version': '2024-01-01' } }
	);
}

const now = () => Math.floor(Date.now() / 1000);

function userClaims(overrides: JWTPayload = {}): JWTPayload {
	return {
		sub: randomUUID(),
		email: 'youth@example.test',
		role: 'authenticated',
		aud: 'authenticated',
		iss: `${PROJECT_URL}/auth/v1`,
		session_id: randomUUID(),
		is_anonymous: false,
		iat: now(),
		exp: now() + 3600,
		...overrides
	};
}

async function sign(claims: JWTPayload, secret = SECRET): Promise<string> {
	return new SignJWT(claims)
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.sign(new TextEncoder().encode(secret));
}

/** The session as GoTrue returns it and auth-js stores it. */
function sessionFor(accessToken: string, claims: JWTPayload, metadata: object = {}) {
	return {
		access_token: accessToken,
		token_type: 'bearer',
		expires_in: 3600,
		expires_at: claims.exp,
		refresh_token: 'refresh-token-from-test',
		user: {
			id: claims.sub,
			aud: 'authenticated',
			role: 'authenticated',
			email: claims.email,
			app_metadata: { provider: 'email', providers: ['email'] },
			user_metadata: metadata,
			identities: [{ provider: 'email' }],
			created_at: new Date().toISOString()
		}
	};
}

/**
 * Builds the session cookie(s) exactly as @supabase/ssr 0.10.x writes them from a server client:
 * `base64-` then the base64url of the session JSON (no padding), in one cookie, or split into
 * `<name>.0`, `<name>.1`, … when longer than 3180 characters. base64url needs no URI escapes,
 * so its encoded length is its length.
 */
function sessionCookies(session: object): { name: string; value: string }[] {
	const value = 'base64-' + Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
	if (value.length <= MAX_CHUNK_SIZE) {
		return [{ name: COOKIE, value }];
	}
	const chunks: { name: string; value: string }[] = [];
	for (let start = 0; start < value.length; start += MAX_CHUNK_SIZE) {
		chunks.push({
			name: `${COOKIE}.${chunks.length}`,
			value: value.slice(start, start + MAX_CHUNK_SIZE)
		});
	}
	return chunks;
}

async function cookiesWithToken(claims: JWTPayload, secret = SECRET): Promise<MemoryCookies> {
	const token = await sign(claims, secret);
	return new MemoryCookies(sessionCookies(sessionFor(token, claims)));
}

let network: ReturnType<typeof recordingFetch>;
let provider: AuthProvider;

function providerAnswering(answer: Answer): AuthProvider {
	network = recordingFetch(answer);
	return createSupabaseAuth({
		url: PROJECT_URL,
		anonKey: ANON_KEY,
		verify: verifyWithSecret(SECRET),
		fetch: network.fetch
	});
}

beforeEach(() => {
	network = recordingFetch();
	provider = createSupabaseAuth({
		url: PROJECT_URL,
		anonKey: ANON_KEY,
		verify: verifyWithSecret(SECRET),
		fetch: network.fetch
	});
});

describe('Supabase session cookie name', () => {
	it('follows the project host', () => {
		expect(sessionCookieName(PROJECT_URL)).toBe(COOKIE);
		expect(sessionCookieName('https://abcdefghijkl.supabase.co')).toBe(
			'sb-abcdefghijkl-auth-token'
		);
	});
});

describe('Supabase currentUser', () => {
	it('returns the subject of a valid token', async () => {
		const claims = userClaims();
		const user = await provider.currentUser(await cookiesWithToken(claims));
		expect(user).toEqual({ id: claims.sub, email: 'youth@example.test' });
		expect(network.requests).toEqual([]);
	});

	it('reads a session split into chunks', async () => {
		const claims = userClaims();
		const token = await sign(claims);
		const bulky = { display_name: '志愿者'.repeat(10), note: 'x'.repeat(5000) };
		const cookies = sessionCookies(sessionFor(token, claims, bulky));
		expect(cookies.length).toBeGreaterThan(1);
		expect(cookies.map((cookie) => cookie.name)).toEqual(cookies.map((_, i) => `${COOKIE}.${i}`));

		const user = await provider.currentUser(new MemoryCookies(cookies));
		expect(user?.id).toBe(claims.sub);
		expect(network.requests).toEqual([]);
	});

	it('rejects a token signed with another secret', async () => {
		const user = await provider.currentUser(await cookiesWithToken(userClaims(), OTHER_SECRET));
		expect(user).toBeNull();
		expect(network.requests).toEqual([]);
	});

	it('rejects an expired token without refreshing', async () => {
		const claims = userClaims({ iat: now() - 7200, exp: now() - 60 });
		const user = await provider.currentUser(await cookiesWithToken(claims));
		expect(user).toBeNull();
		expect(network.requests).toEqual([]);
	});

	it('rejects an expired token whose cookie claims a later expiry', async () => {
		const claims = userClaims({ iat: now() - 7200, exp: now() - 60 });
		const token = await sign(claims);
		const session = { ...sessionFor(token, claims), expires_at: now() + 3600 };
		const user = await provider.currentUser(new MemoryCookies(sessionCookies(session)));
		expect(user).toBeNull();
		expect(network.requests).toEqual([]);
	});

	it('rejects a token with role anon', async () => {
		const user = await provider.currentUser(await cookiesWithToken(userClaims({ role: 'anon' })));
		expect(user).toBeNull();
		expect(network.requests).toEqual([]);
	});

	it('rejects a token for another audience', async () => {
		const user = await provider.currentUser(await cookiesWithToken(userClaims({ aud: 'anon' })));
		expect(user).toBeNull();
	});

	it('rejects an anonymous sign-in', async () => {
		const claims = userClaims({ is_anonymous: true });
		expect(await provider.currentUser(await cookiesWithToken(claims))).toBeNull();
	});

	it('rejects a subject that is not a uuid', async () => {
		const claims = userClaims({ sub: 'not-a-uuid' });
		expect(await provider.currentUser(await cookiesWithToken(claims))).toBeNull();
	});

	it('rejects a tampered payload', async () => {
		const claims = userClaims();
		const [header, , signature] = (await sign(claims)).split('.');
		const forged = { ...claims, sub: randomUUID() };
		const payload = Buffer.from(JSON.stringify(forged)).toString('base64url');
		const tampered = `${header}.${payload}.${signature}`;
		const cookies = new MemoryCookies(sessionCookies(sessionFor(tampered, forged)));

		expect(await provider.currentUser(cookies)).toBeNull();
		expect(network.requests).toEqual([]);
	});

	it('rejects an unsigned token', async () => {
		const claims = userClaims();
		const unsigned = new UnsecuredJWT(claims).encode();
		const cookies = new MemoryCookies(sessionCookies(sessionFor(unsigned, claims)));
		expect(await provider.currentUser(cookies)).toBeNull();
	});

	it('ignores a cookie that does not decode', async () => {
		const cookies = new MemoryCookies([{ name: COOKIE, value: 'base64-%%%not-base64' }]);
		expect(await provider.currentUser(cookies)).toBeNull();
		expect(network.requests).toEqual([]);
	});

	it('returns null without a cookie', async () => {
		expect(await provider.currentUser(new MemoryCookies())).toBeNull();
		expect(network.requests).toEqual([]);
	});
});

describe('Supabase sign-in, sign-up and sign-out', () => {
	it('signs in and stores a session that verifies', async () => {
		const claims = userClaims();
		const token = await sign(claims);
		provider = providerAnswering(() => Response.json(sessionFor(token, claims)));
		const cookies = new MemoryCookies();

		const user = await provider.signIn(cookies, SITE, {
			email: 'youth@example.test',
			password: 'correct horse',
			address: '127.0.0.1'
		});

		expect(user).toEqual({ id: claims.sub, email: 'youth@example.test' });
		expect(network.requests).toHaveLength(1);
		expect(network.requests[0]?.url).toBe(`${PROJECT_URL}/auth/v1/token?grant_type=password`);
		expect(network.requests[0]?.body).toMatchObject({
			email: 'youth@example.test',
			password: 'correct horse'
		});
		expect(cookies.written.get(COOKIE)?.httpOnly).toBe(true);
		expect(cookies.get(COOKIE)).toMatch(/^base64-/);
		expect(await provider.currentUser(cookies)).toEqual(user);
	});

	it('stores a large session in chunks that verify', async () => {
		const claims = userClaims();
		const token = await sign(claims);
		const bulky = { note: 'x'.repeat(5000) };
		provider = providerAnswering(() => Response.json(sessionFor(token, claims, bulky)));
		const cookies = new MemoryCookies();

		await provider.signIn(cookies, SITE, {
			email: 'youth@example.test',
			password: 'correct horse',
			address: '127.0.0.1'
		});

		expect(cookies.get(COOKIE)).toBeUndefined();
		expect(cookies.get(`${COOKIE}.0`)).toMatch(/^base64-/);
		expect(cookies.get(`${COOKIE}.1`)).toBeDefined();
		expect((await provider.currentUser(cookies))?.id).toBe(claims.sub);
	});

	it('passes the display name at sign-up', async () => {
		const claims = userClaims({ email: 'new@example.test' });
		const token = await sign(claims);
		provider = providerAnswering(() => Response.json(sessionFor(token, claims)));

		const user = await provider.signUp(new MemoryCookies(), SITE, {
			email: 'new@example.test',
			password: 'long enough',
			displayName: '小王'
		});

		expect(user.id).toBe(claims.sub);
		expect(network.requests[0]?.url).toBe(`${PROJECT_URL}/auth/v1/signup`);
		expect(network.requests[0]?.body).toMatchObject({
			email: 'new@example.test',
			data: { display_name: '小王' }
		});
	});

	it('reports a taken email behind a user without identities', async () => {
		const claims = userClaims();
		provider = providerAnswering(() => {
			const user = sessionFor('unused', claims).user;
			return Response.json({ ...user, identities: [] });
		});
		const signUp = provider.signUp(new MemoryCookies(), SITE, {
			email: 'youth@example.test',
			password: 'long enough',
			displayName: 'Taken'
		});
		await expect(signUp).rejects.toMatchObject({ code: 'email_taken' });
	});

	it.each([
		[400, 'invalid_credentials', 'invalid_credentials'],
		[422, 'user_already_exists', 'email_taken'],
		[422, 'email_exists', 'email_taken'],
		[429, 'over_request_rate_limit', 'too_many_attempts'],
		[429, 'over_email_send_rate_limit', 'too_many_attempts']
	])('maps a %i %s refusal to %s', async (status, goTrueCode, domainCode) => {
		provider = providerAnswering(() => goTrueError(status, goTrueCode));
		const signIn = provider.signIn(new MemoryCookies(), SITE, {
			email: 'youth@example.test',
			password: 'wrong password',
			address: '127.0.0.1'
		});
		await expect(signIn).rejects.toBeInstanceOf(DomainError);
		await expect(signIn).rejects.toMatchObject({ code: domainCode });
	});

	it('rethrows a refusal it has no code for', async () => {
		provider = providerAnswering(() => goTrueError(400, 'validation_failed'));
		const signIn = provider.signIn(new MemoryCookies(), SITE, {
			email: 'youth@example.test',
			password: 'whatever',
			address: '127.0.0.1'
		});
		await expect(signIn).rejects.not.toBeInstanceOf(DomainError);
		await expect(signIn).rejects.toMatchObject({ code: 'validation_failed' });
	});

	it('rejects a session whose token does not verify here', async () => {
		const claims = userClaims();
		const token = await sign(claims, OTHER_SECRET);
		provider = providerAnswering(() => Response.json(sessionFor(token, claims)));
		const signIn = provider.signIn(new MemoryCookies(), SITE, {
			email: 'youth@example.test',
			password: 'correct horse',
			address: '127.0.0.1'
		});
		await expect(signIn).rejects.toThrow(/does not verify/);
	});

	it('signs out and clears every chunk of the session', async () => {
		const claims = userClaims();
		const token = await sign(claims);
		const bulky = { note: 'x'.repeat(5000) };
		const cookies = new MemoryCookies(sessionCookies(sessionFor(token, claims, bulky)));
		provider = providerAnswering(() => new Response(null, { status: 204 }));

		await provider.signOut(cookies, SITE);

		expect(network.requests.map((request) => request.url)).toEqual([
			`${PROJECT_URL}/auth/v1/logout?scope=local`
		]);
		expect(cookies.getAll()).toEqual([]);
		expect(await provider.currentUser(cookies)).toBeNull();
	});

	it('clears the session even when Supabase Auth fails', async () => {
		const cookies = await cookiesWithToken(userClaims());
		provider = providerAnswering(() => goTrueError(400, 'validation_failed'));

		await provider.signOut(cookies, SITE);

		expect(network.requests).toHaveLength(1);
		expect(cookies.getAll()).toEqual([]);
	});
});

describe('Supabase changePassword', () => {
	const CHANGE = { currentPassword: 'current secret', newPassword: 'brand new secret' };

	/** Responds as Supabase Auth does to a sign-in, a password update and a sign-out of others. */
	function goTrue(token: string, claims: JWTPayload, update?: () => Response): Answer {
		return (request) => {
			if (request.url.includes('/token?grant_type=password')) {
				return Response.json(sessionFor(token, claims));
			}
			if (request.url.endsWith('/auth/v1/user')) {
				return update ? update() : Response.json(sessionFor(token, claims).user);
			}
			return new Response(null, { status: 204 });
		};
	}

	it('re-verifies, updates, signs others out', async () => {
		const claims = userClaims();
		const token = await sign(claims);
		provider = providerAnswering(goTrue(token, claims));
		const cookies = new MemoryCookies();
		const user = { id: claims.sub!, email: 'youth@example.test' };
		await provider.changePassword(cookies, SITE, { user, ...CHANGE, address: '127.0.0.1' });
		expect(network.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
			`POST ${PROJECT_URL}/auth/v1/token?grant_type=password`,
			`PUT ${PROJECT_URL}/auth/v1/user`,
			`POST ${PROJECT_URL}/auth/v1/logout?scope=others`
		]);
		expect(network.requests[0]?.body).toMatchObject({
			email: 'youth@example.test',
			password: 'current secret'
		});
		expect(network.requests[1]?.body).toMatchObject({ password: 'brand new secret' });
		expect(network.requests[1]?.authorization).toBe(`Bearer ${token}`);
		expect(network.requests[2]?.authorization).toBe(`Bearer ${token}`);
		expect(await provider.currentUser(cookies)).toEqual(user);
	});

	it('maps a wrong current password', async () => {
		provider = providerAnswering(() => goTrueError(400, 'invalid_credentials'));
		const claims = userClaims();
		const change = provider.changePassword(new MemoryCookies(), SITE, {
			user: { id: claims.sub!, email: 'youth@example.test' },
			...CHANGE,
			address: '127.0.0.1'
		});
		await expect(change).rejects.toMatchObject({ code: 'current_password_invalid' });
		expect(network.requests).toHaveLength(1);
	});

	it('maps a same password, keeps others', async () => {
		const claims = userClaims();
		const token = await sign(claims);
		provider = providerAnswering(goTrue(token, claims, () => goTrueError(422, 'same_password')));
		const change = provider.changePassword(new MemoryCookies(), SITE, {
			user: { id: claims.sub!, email: 'youth@example.test' },
			...CHANGE,
			address: '127.0.0.1'
		});
		await expect(change).rejects.toMatchObject({ code: 'password_unchanged' });
		expect(network.requests.some((request) => request.url.includes('/logout'))).toBe(false);
	});

	it('rejects a sign-in as someone else', async () => {
		const claims = userClaims();
		const token = await sign(claims);
		provider = providerAnswering(goTrue(token, claims));
		const change = provider.changePassword(new MemoryCookies(), SITE, {
			user: { id: randomUUID(), email: 'youth@example.test' },
			...CHANGE,
			address: '127.0.0.1'
		});
		await expect(change).rejects.toThrow(/another user/);
		expect(network.requests).toHaveLength(1);
	});

	it('throws when signing others out fails', async () => {
		const claims = userClaims();
		const token = await sign(claims);
		const answer = goTrue(token, claims);
		provider = providerAnswering((request) =>
			request.url.includes('/logout') ? goTrueError(500, 'unexpected_failure') : answer(request)
		);
		const change = provider.changePassword(new MemoryCookies(), SITE, {
			user: { id: claims.sub!, email: 'youth@example.test' },
			...CHANGE,
			address: '127.0.0.1'
		});
		await expect(change).rejects.toMatchObject({ status: 500 });
	});
});

describe('Supabase currentUser with the project JWKS', () => {
	const KEY_ID = 'test-signing-key';
	const JWKS_URL = `${PROJECT_URL}/auth/v1/.well-known/jwks.json`;
	let signingKey: CryptoKey;
	let keySet: ReturnType<typeof recordingFetch>;

	async function signEs256(claims: JWTPayload, key = signingKey): Promise<string> {
		return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: KEY_ID }).sign(key);
	}

	function providerWithKeySet(answer: Answer): AuthProvider {
		keySet = recordingFetch(answer);
		return createSupabaseAuth({
			url: PROJECT_URL,
			anonKey: ANON_KEY,
			verify: verifyWithJwks(PROJECT_URL, { fetch: keySet.fetch }),
			fetch: network.fetch
		});
	}

	beforeEach(async () => {
		const pair = await generateKeyPair('ES256', { extractable: true });
		signingKey = pair.privateKey;
		const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KEY_ID, alg: 'ES256' };
		provider = providerWithKeySet(() => Response.json({ keys: [publicJwk] }));
	});

	function cookiesFor(token: string, claims: JWTPayload): MemoryCookies {
		return new MemoryCookies(sessionCookies(sessionFor(token, claims)));
	}

	it('accepts a token signed by a published key', async () => {
		const claims = userClaims();
		const user = await provider.currentUser(cookiesFor(await signEs256(claims), claims));

		expect(user?.id).toBe(claims.sub);
		expect(keySet.requests.map((request) => request.url)).toEqual([JWKS_URL]);
		expect(network.requests).toEqual([]);
	});

	it('rejects a key that is not published', async () => {
		const claims = userClaims();
		const stranger = await generateKeyPair('ES256');
		const token = await signEs256(claims, stranger.privateKey);
		expect(await provider.currentUser(cookiesFor(token, claims))).toBeNull();
	});

	it('rejects an HS256 token', async () => {
		const claims = userClaims();
		expect(await provider.currentUser(cookiesFor(await sign(claims), claims))).toBeNull();
	});

	it('throws when the key set fails to load', async () => {
		provider = providerWithKeySet(() => new Response('unavailable', { status: 503 }));
		const claims = userClaims();
		const currentUser = provider.currentUser(cookiesFor(await signEs256(claims), claims));
		await expect(currentUser).rejects.toThrow(/200 OK/);
	});
});
