import { SESSION_DAYS } from '../../src/lib/server/auth/local';
import { SESSION_COOKIE } from '../../src/lib/server/auth/local-provider';
import { hashToken, newToken } from '../../src/lib/server/auth/tokens';
import type { Sql } from '../../src/lib/server/db';

export type SignedInPerson = { id: string; email: string; token: string; cookie: string };

/**
 * Creates signed-in accounts as the local auth provider does: rows in auth.users with a bcrypt
 * hash made by pgcrypto (one hash for all, because no benchmark signs in with a password), a profile from
 * the sign-up trigger, and a session whose token is stored only as its SHA-256. Every profile
 * gets an adult birth date, so the apply form asks for nothing more.
 */
export async function createSignedInPeople(
	sql: Sql,
	count: number,
	emailPrefix: string
): Promise<SignedInPerson[]> {
	const emails = Array.from(
		{ length: count },
		(_, index) => `${emailPrefix}${index + 1}@bench.local`
	);
	const tokens = emails.map(() => newToken());

	return sql.begin(async (tx) => {
		const users = await tx<{ id: string; email: string }[]>`
			insert into auth.users (email, encrypted_password, raw_user_meta_data, email_confirmed_at)
			select u.email,
				(select extensions.crypt(gen_random_uuid()::text, extensions.gen_salt('bf', 10))),
				jsonb_build_object('display_name', '基准青年' || u.n), now()
			from unnest(${emails}::text[]) with ordinality as u(email, n)
			returning id, email
		`;
		const idByEmail = new Map(users.map((user) => [user.email, user.id]));
		const ids = emails.map((email) => idByEmail.get(email)!);

		await tx`update public.profiles set birth_date = '2000-01-01' where id = any(${ids}::uuid[])`;
		await tx`
			insert into private.sessions (token_hash, user_id, expires_at)
			select decode(s.token_hash, 'hex'), s.user_id, now() + make_interval(days => ${SESSION_DAYS})
			from unnest(${tokens.map((token) => hashToken(token).toString('hex'))}::text[], ${ids}::uuid[])
				as s(token_hash, user_id)
		`;
		return emails.map((email, index) => ({
			id: ids[index]!,
			email,
			token: tokens[index]!,
			cookie: `${SESSION_COOKIE}=${tokens[index]!}`
		}));
	});
}

/** Creates one signed-in coordinator of the district. */
export async function createSignedInCoordinator(
	sql: Sql,
	emailPrefix: string
): Promise<SignedInPerson> {
	const [coordinator] = await createSignedInPeople(sql, 1, emailPrefix);
	await sql`insert into public.coordinators (user_id) values (${coordinator!.id})`;
	return coordinator!;
}
