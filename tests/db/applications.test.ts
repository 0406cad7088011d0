import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyToOpportunity, withdrawApplication } from '../../src/lib/server/applications';
import type { Database } from '../../src/lib/server/db/client';
import { DomainError } from '../../src/lib/server/errors';
import { createEvent, createOrganization, createPerson, testDatabase } from './fixtures';

let db: Database;
let organizationId: string;

beforeAll(async () => {
	db = testDatabase();
	organizationId = await createOrganization(db);
});

afterAll(async () => {
	await db.end();
});

async function rejectionCode(work: Promise<unknown>): Promise<string> {
	try {
		await work;
	} catch (caught) {
		if (caught instanceof DomainError) return caught.code;
		throw caught;
	}
	throw new Error('expected a domain error, got success');
}

async function applicationCount(opportunityId: string): Promise<number> {
	const [row] = await db.sql<{ count: number }[]>`
		select count(*)::int as count from public.applications where opportunity_id = ${opportunityId}
	`;
	return row!.count;
}

describe('applying', () => {
	it('accepts an application to an open event', async () => {
		const eventId = await createEvent(db, organizationId);
		const youth = await createPerson(db);
		expect(await applyToOpportunity(db, { id: youth }, eventId)).toEqual({ status: 'accepted' });
		const [event] =
			await db.sql`select accepted_count from public.opportunities where id = ${eventId}`;
		expect(event!.accepted_count).toBe(1);
	});

	it('rejects a second application and keeps one row', async () => {
		const eventId = await createEvent(db, organizationId);
		const youth = await createPerson(db);
		await applyToOpportunity(db, { id: youth }, eventId);
		expect(await rejectionCode(applyToOpportunity(db, { id: youth }, eventId))).toBe(
			'already_applied'
		);
		expect(await applicationCount(eventId)).toBe(1);
	});

	it('puts the next applicant to a full event on the waitlist', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		await applyToOpportunity(db, { id: await createPerson(db) }, eventId);
		const late = await createPerson(db);
		expect(await applyToOpportunity(db, { id: late }, eventId)).toEqual({
			status: 'waitlisted',
			position: 1
		});
		expect(await applicationCount(eventId)).toBe(2);
		const [event] =
			await db.sql`select accepted_count from public.opportunities where id = ${eventId}`;
		expect(event!.accepted_count).toBe(1);
	});

	it('rejects draft, cancelled, started and closed events', async () => {
		const youth = await createPerson(db);
		const draft = await createEvent(db, organizationId, { status: 'draft' });
		const cancelled = await createEvent(db, organizationId, { status: 'cancelled' });
		const started = await createEvent(db, organizationId, {
			startsAt: new Date(Date.now() - 3_600_000),
			applyOpensAt: new Date(Date.now() - 48 * 3_600_000),
			applyClosesAt: new Date(Date.now() - 2 * 3_600_000)
		});
		const closed = await createEvent(db, organizationId, {
			applyOpensAt: new Date(Date.now() - 48 * 3_600_000),
			applyClosesAt: new Date(Date.now() - 3_600_000)
		});
		// A youth cannot see a draft at all, so it is not found rather than not published.
		expect(await rejectionCode(applyToOpportunity(db, { id: youth }, draft))).toBe('not_found');
		expect(await rejectionCode(applyToOpportunity(db, { id: youth }, cancelled))).toBe('not_found');
		expect(await rejectionCode(applyToOpportunity(db, { id: youth }, started))).toBe(
			'opportunity_started'
		);
		expect(await rejectionCode(applyToOpportunity(db, { id: youth }, closed))).toBe(
			'apply_window_closed'
		);
		for (const eventId of [draft, cancelled, started, closed]) {
			expect(await applicationCount(eventId)).toBe(0);
		}
	});

	it('frees the place on withdrawal and lets the person reapply', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 1 });
		const youth = await createPerson(db);
		await applyToOpportunity(db, { id: youth }, eventId);
		await withdrawApplication(db, { id: youth }, eventId);
		const other = await createPerson(db);
		expect(await applyToOpportunity(db, { id: other }, eventId)).toEqual({ status: 'accepted' });
		expect(await applyToOpportunity(db, { id: youth }, eventId)).toEqual({
			status: 'waitlisted',
			position: 1
		});
	});

	it('never overbooks under concurrent applications', async () => {
		const eventId = await createEvent(db, organizationId, { capacity: 5 });
		const people = await Promise.all(Array.from({ length: 30 }, () => createPerson(db)));
		const outcomes = await Promise.allSettled(
			people.map((person) => applyToOpportunity(db, { id: person }, eventId))
		);
		expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
		const accepted = outcomes.filter(
			(outcome) => outcome.status === 'fulfilled' && outcome.value.status === 'accepted'
		).length;
		expect(accepted).toBe(5);
		const [row] = await db.sql<{ accepted: number; waitlisted: number }[]>`
			select count(*) filter (where status = 'accepted')::int as accepted,
				count(*) filter (where status = 'waitlisted')::int as waitlisted
			from public.applications where opportunity_id = ${eventId}
		`;
		expect(row!.accepted).toBe(5);
		expect(row!.waitlisted).toBe(25);
	});
});
