import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	applyToOpportunity,
	withdrawApplication,
	type ApplyResult
} from '../../src/lib/server/applications';
import { createDatabase, type Database } from '../../src/lib/server/db/client';
import { startEmbedded, type EmbeddedCluster } from '../../src/lib/server/db/embedded';
import { applyMigrations, applySeed } from '../../src/lib/server/db/migrate';
import { createEvent, createOrganization } from './fixtures';

const APPLICANTS = 500;
const CAPACITY = 50;
const WAITING = APPLICANTS - CAPACITY;
const WITHDRAWALS = 50;
// Enough connections that many transactions wait on the opportunity's row lock at once.
const POOL_SIZE = 20;

/** Creates `count` accounts in one multi-row insert (the profile trigger adds the profiles). */
async function createPeople(db: Database, count: number): Promise<string[]> {
	const prefix = randomUUID();
	const rows = await db.service(
		(tx) => tx<{ id: string }[]>`
			insert into auth.users (email, encrypted_password, raw_user_meta_data)
			select ${prefix} || '-' || n || '@test.local', 'not-a-hash',
				jsonb_build_object('display_name', 'Racer ' || n)
			from generate_series(1, ${count}::int) as n
			returning id
		`
	);
	return rows.map((row) => row.id);
}

/** Applies every person at once and returns each result in the order of `people`. */
function applyAll(db: Database, eventId: string, people: string[]): Promise<ApplyResult[]> {
	return Promise.all(people.map((person) => applyToOpportunity(db, { id: person }, eventId)));
}

async function acceptedIds(db: Database, eventId: string): Promise<string[]> {
	const rows = await db.sql<{ applicant_id: string }[]>`
		select applicant_id from public.applications
		where opportunity_id = ${eventId} and status = 'accepted'
	`;
	return rows.map((row) => row.applicant_id).sort();
}

/** Returns the waitlisted applicant ids in queue order, head first. */
async function waitlist(db: Database, eventId: string): Promise<string[]> {
	const rows = await db.sql<{ applicant_id: string }[]>`
		select applicant_id from public.applications
		where opportunity_id = ${eventId} and status = 'waitlisted'
		order by queued_at, id
	`;
	return rows.map((row) => row.applicant_id);
}

async function acceptedCount(db: Database, eventId: string): Promise<number> {
	const [row] = await db.sql<{ accepted_count: number }[]>`
		select accepted_count from public.opportunities where id = ${eventId}
	`;
	return row!.accepted_count;
}

async function applicationCount(db: Database, eventId: string): Promise<number> {
	const [row] = await db.sql<{ total: number }[]>`
		select count(*)::int as total from public.applications where opportunity_id = ${eventId}
	`;
	return row!.total;
}

function range(first: number, last: number): number[] {
	return Array.from({ length: last - first + 1 }, (_, index) => first + index);
}

describe('concurrent applications and withdrawals', () => {
	let db: Database;
	let eventId: string;
	let people: string[];
	let results: ApplyResult[];

	beforeAll(async () => {
		db = createDatabase(inject('databaseUrl'), { max: POOL_SIZE });
		const organizationId = await createOrganization(db);
		eventId = await createEvent(db, organizationId, { capacity: CAPACITY });
		people = await createPeople(db, APPLICANTS);
	});

	afterAll(async () => {
		await db.end();
	});

	it('fills capacity and queues the rest', async () => {
		expect(new Set(people).size).toBe(APPLICANTS);

		// Every call must resolve, so a lock timeout or a deadlock fails the test.
		results = await applyAll(db, eventId, people);

		const accepted = results.filter((result) => result.status === 'accepted');
		expect(accepted).toHaveLength(CAPACITY);
		const positions = results.flatMap((result) =>
			result.status === 'waitlisted' ? [result.position] : []
		);
		expect(positions).toHaveLength(WAITING);
		expect([...positions].sort((a, b) => a - b)).toEqual(range(1, WAITING));

		expect(await applicationCount(db, eventId)).toBe(APPLICANTS);
		expect(await acceptedIds(db, eventId)).toHaveLength(CAPACITY);
		expect(await acceptedCount(db, eventId)).toBe(CAPACITY);

		// The position each call returned is that person's place in the final queue order.
		const queue = await waitlist(db, eventId);
		expect(queue).toHaveLength(WAITING);
		expect(new Set(queue).size).toBe(WAITING);
		const returnedOrder = people
			.map((person, index) => ({ person, result: results[index]! }))
			.flatMap(({ person, result }) =>
				result.status === 'waitlisted' ? [{ person, position: result.position }] : []
			)
			.sort((a, b) => a.position - b.position)
			.map(({ person }) => person);
		expect(returnedOrder).toEqual(queue);
	});

	it('promotes the queue head once per withdrawal', async () => {
		const acceptedBefore = await acceptedIds(db, eventId);
		expect(acceptedBefore).toHaveLength(CAPACITY);
		const queueBefore = await waitlist(db, eventId);
		expect(queueBefore).toHaveLength(WAITING);
		const leaving = acceptedBefore.slice(0, WITHDRAWALS);
		const staying = acceptedBefore.slice(WITHDRAWALS);
		const expectedPromoted = queueBefore.slice(0, WITHDRAWALS);

		await Promise.all(leaving.map((person) => withdrawApplication(db, { id: person }, eventId)));

		expect(await acceptedIds(db, eventId)).toEqual([...staying, ...expectedPromoted].sort());
		expect(await acceptedCount(db, eventId)).toBe(CAPACITY);
		// The rest of the queue keeps its order.
		expect(await waitlist(db, eventId)).toEqual(queueBefore.slice(WITHDRAWALS));

		const withdrawn = await db.sql<{ applicant_id: string }[]>`
			select applicant_id from public.applications
			where opportunity_id = ${eventId} and status = 'withdrawn'
		`;
		expect(withdrawn.map((row) => row.applicant_id).sort()).toEqual([...leaving].sort());

		// One promotion notification for each person promoted and for nobody else.
		const notified = await db.sql<{ recipient_id: string }[]>`
			select recipient_id from public.notifications
			where opportunity_id = ${eventId} and kind = 'promoted'
		`;
		const recipients = notified.map((row) => row.recipient_id).sort();
		expect(recipients).toEqual([...expectedPromoted].sort());
	});
});

/**
 * A capacity guard without the opportunity row lock. It counts accepted rows in its own snapshot
 * and sleeps before deciding, so concurrent applicants can see the same free places. It handles
 * new applications only, which is all the control run makes.
 */
const UNLOCKED_GUARD = `
	create or replace function private.guard_application() returns trigger
	language plpgsql security definer
	set search_path = ''
	as $$
	declare
		target public.opportunities;
		taken int;
	begin
		select * into target from public.opportunities where id = new.opportunity_id;
		select count(*)::int into taken from public.applications
		where opportunity_id = new.opportunity_id and status = 'accepted';
		perform pg_sleep(0.01);
		if taken < target.capacity then
			new.status := 'accepted';
			new.queued_at := null;
		else
			new.status := 'waitlisted';
			new.queued_at := clock_timestamp();
		end if;
		return new;
	end
	$$
`;

describe('control run without the row lock', () => {
	let folder: string | undefined;
	let cluster: EmbeddedCluster | undefined;
	let db: Database | undefined;

	beforeAll(async () => {
		// The OS user postgres must be able to enter the folder when the tests run as root.
		folder = await mkdtemp(path.join(os.tmpdir(), 'youth-db-race-control-'));
		await chmod(folder, 0o755);
		cluster = await startEmbedded({ dataDir: path.join(folder, 'pg'), port: 0, isThrowaway: true });
		db = createDatabase(cluster.url, { max: POOL_SIZE });
		await applyMigrations(db.sql, inject('supabaseDir'));
		await applySeed(db.sql, inject('supabaseDir'));
		await db.sql.unsafe(UNLOCKED_GUARD);
		await db.sql`
			alter table public.opportunities drop constraint opportunities_not_overbooked
		`;
	});

	afterAll(async () => {
		await db?.end();
		await cluster?.stop();
		if (folder) {
			await rm(folder, { recursive: true, force: true });
		}
	});

	it('overbooks, so the race test can fail', async () => {
		const control = db!;
		const organizationId = await createOrganization(control);
		const eventId = await createEvent(control, organizationId, { capacity: CAPACITY });
		const people = await createPeople(control, APPLICANTS);

		const results = await applyAll(control, eventId, people);

		const accepted = results.filter((result) => result.status === 'accepted').length;
		expect(accepted).toBeGreaterThan(CAPACITY);
		expect((await acceptedIds(control, eventId)).length).toBe(accepted);
		expect(await acceptedCount(control, eventId)).toBeGreaterThan(CAPACITY);
	});
});
