import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDatabase, type Database } from '../../src/lib/server/db/client';
import { DomainError, toDomainError } from '../../src/lib/server/errors';

/** A pool on the test cluster. Close it in afterAll. */
export function testDatabase(): Database {
	return createDatabase(inject('databaseUrl'), { max: 8 });
}

/** Creates an account (the profile comes from the trigger) and returns its id. */
export async function createPerson(db: Database, name = 'Test person'): Promise<string> {
	const email = `${randomUUID()}@test.local`;
	const [row] = await db.service(
		(tx) => tx<{ id: string }[]>`
			insert into auth.users (email, encrypted_password, raw_user_meta_data)
			values (${email}, 'not-a-hash', ${tx.json({ display_name: name })})
			returning id
		`
	);
	return row!.id;
}

export async function makeCoordinator(db: Database, userId: string): Promise<void> {
	await db.service((tx) => tx`insert into public.coordinators (user_id) values (${userId})`);
}

/** Creates a league branch (verified unless told otherwise) and returns its id. */
export async function createOrganization(
	db: Database,
	options: {
		name?: string;
		kind?: string;
		status?: 'pending' | 'verified';
		parentId?: string | null;
		townCode?: string | null;
	} = {}
): Promise<string> {
	const [row] = await db.service(
		(tx) => tx<{ id: string }[]>`
			insert into public.organizations (name, kind, status, parent_id, town_code, contact_name,
				contact_phone, verified_at)
			values (${options.name ?? `Branch ${randomUUID().slice(0, 8)}`},
				${options.kind ?? 'town_committee'}, ${options.status ?? 'verified'},
				${options.parentId ?? null}, ${options.townCode ?? 'zhaobaoshan'}, 'Contact', '13800000000',
				${options.status === 'pending' ? null : new Date()})
			returning id
		`
	);
	return row!.id;
}

export async function addMember(
	db: Database,
	organizationId: string,
	userId: string,
	role: 'staff' | 'admin' = 'staff'
): Promise<void> {
	await db.service(
		(tx) => tx`
			insert into public.org_members (organization_id, user_id, role)
			values (${organizationId}, ${userId}, ${role})
		`
	);
}

const HOUR = 3_600_000;

/**
 * Creates an event directly as the owner. By default it is published, opens for applications an
 * hour ago, closes in a day and starts in two days.
 */
export async function createEvent(
	db: Database,
	organizationId: string,
	options: {
		title?: string;
		description?: string;
		orbit?: 'public' | 'self';
		status?: 'draft' | 'published' | 'cancelled';
		capacity?: number;
		startsAt?: Date;
		endsAt?: Date;
		applyOpensAt?: Date;
		applyClosesAt?: Date;
		townCode?: string | null;
		place?: string;
	} = {}
): Promise<string> {
	const now = Date.now();
	const startsAt = options.startsAt ?? new Date(now + 48 * HOUR);
	const endsAt = options.endsAt ?? new Date(startsAt.getTime() + 3 * HOUR);
	const applyOpensAt =
		options.applyOpensAt ?? new Date(Math.min(now - HOUR, startsAt.getTime() - 2 * HOUR));
	const applyClosesAt =
		options.applyClosesAt ?? new Date(Math.min(now + 24 * HOUR, startsAt.getTime()));
	return db.service(async (tx) => {
		const [row] = await tx<{ id: string }[]>`
			insert into public.opportunities (organization_id, kind, title, description, starts_at,
				ends_at, apply_opens_at, apply_closes_at, capacity, status, town_code, place)
			values (${organizationId}, 'event', ${options.title ?? 'Test event'},
				${options.description ?? ''}, ${startsAt}, ${endsAt}, ${applyOpensAt}, ${applyClosesAt},
				${options.capacity ?? 10}, ${options.status ?? 'published'},
				${options.townCode === undefined ? 'zhaobaoshan' : options.townCode}, ${options.place ?? ''})
			returning id
		`;
		await tx`
			insert into public.events (opportunity_id, orbit, theme)
			values (${row!.id}, ${options.orbit ?? 'self'}, '')
		`;
		return row!.id;
	});
}

/** Returns an email address that is unique across the shared test cluster. */
export function uniqueEmail(): string {
	return `${randomUUID()}@test.local`;
}

/**
 * Awaits work that must fail and returns the domain error code it failed with. Database errors
 * are translated first, so raw SQL run through `db.as` reports codes like the domain functions.
 */
export async function rejectionCode(work: Promise<unknown>): Promise<string> {
	try {
		await work;
	} catch (caught) {
		const translated = toDomainError(caught);
		if (translated instanceof DomainError) return translated.code;
		throw caught;
	}
	throw new Error('expected a domain error, got success');
}
