import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyToOpportunity, withdrawApplication } from '../../src/lib/server/applications';
import type { Actor, Database } from '../../src/lib/server/db/client';
import { toDomainError, DomainError } from '../../src/lib/server/errors';
import { setEventStatus, updateEvent } from '../../src/lib/server/events/manage';
import { complianceOverview } from '../../src/lib/server/quotas';
import { toLocalInput } from '../../src/lib/time';
import {
	addMember,
	createEvent,
	createOrganization,
	createPerson,
	makeCoordinator,
	rejectionCode,
	testDatabase
} from './fixtures';

let db: Database;

beforeAll(() => {
	db = testDatabase();
});

afterAll(async () => {
	await db.end();
});

/**
 * How many rows of a table the actor can read, optionally only rows whose `column` equals
 * `value`. A table the role has no privilege on counts as zero rows seen.
 */
async function rowsSeen(
	actor: Actor,
	table: string,
	filter?: { column: string; value: string }
): Promise<number> {
	try {
		const [row] = await db.as(
			actor,
			(tx) => tx<{ count: number }[]>`
				select count(*)::int as count from ${tx(table)}
				${filter ? tx`where ${tx(filter.column)} = ${filter.value}` : tx``}
			`
		);
		return row!.count;
	} catch (caught) {
		const translated = toDomainError(caught);
		if (translated instanceof DomainError && translated.code === 'not_allowed') return 0;
		throw caught;
	}
}

async function rowsAsOwner(table: string, filter: { column: string; value: string }) {
	const [row] = await db.sql<{ count: number }[]>`
		select count(*)::int as count from ${db.sql(table)}
		where ${db.sql(filter.column)} = ${filter.value}
	`;
	return row!.count;
}

describe('catalog', () => {
	it('enables RLS on every public table', async () => {
		const tables = await db.sql<{ name: string; rls: boolean }[]>`
			select c.relname as name, c.relrowsecurity as rls
			from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('r', 'p')
		`;
		expect(tables.length).toBeGreaterThan(0);
		expect(tables.filter((table) => !table.rls).map((table) => table.name)).toEqual([]);
	});

	it('enables RLS on every private table', async () => {
		const tables = await db.sql<{ name: string; rls: boolean }[]>`
			select c.relname as name, c.relrowsecurity as rls
			from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'private' and c.relkind in ('r', 'p')
		`;
		expect(tables.length).toBeGreaterThan(0);
		expect(tables.filter((table) => !table.rls).map((table) => table.name)).toEqual([]);
	});

	it('makes every public view security_invoker', async () => {
		const views = await db.sql<{ name: string }[]>`
			select c.relname as name
			from pg_class c join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind = 'v'
				and not coalesce('security_invoker=true' = any (c.reloptions), false)
				and not coalesce('security_invoker=on' = any (c.reloptions), false)
		`;
		expect(views.map((view) => view.name)).toEqual([]);
	});

	it('wraps auth.uid() in a select in policies', async () => {
		const policies = await db.sql<{ name: string; text: string }[]>`
			select schemaname || '.' || tablename || ': ' || policyname as name,
				coalesce(qual, '') || ' ' || coalesce(with_check, '') as text
			from pg_policies
		`;
		const wrapped = /\(\s*select\s+auth\.uid\(\)\s+as\s+uid\s*\)/gi;
		const usesUid = policies.filter((policy) => /auth\.uid\(\)/i.test(policy.text));
		expect(usesUid.length).toBeGreaterThan(0);
		const bare = usesUid.filter((policy) =>
			/auth\.uid\(\)/i.test(policy.text.replace(wrapped, ''))
		);
		expect(bare.map((policy) => policy.name)).toEqual([]);
	});
});

describe('visitor', () => {
	let organizationId: string;
	let published: string;
	let draft: string;
	let cancelled: string;
	let youth: string;
	let admin: string;

	beforeAll(async () => {
		organizationId = await createOrganization(db);
		admin = await createPerson(db, 'Admin');
		await addMember(db, organizationId, admin, 'admin');
		published = await createEvent(db, organizationId);
		draft = await createEvent(db, organizationId, { status: 'draft' });
		cancelled = await createEvent(db, organizationId, { status: 'cancelled' });
		youth = await createPerson(db, 'Applicant');
		await applyToOpportunity(db, { id: youth }, published);
		await db.sql`
			insert into public.org_invitations (organization_id, token_hash, created_by, expires_at)
			values (${organizationId}, ${randomBytes(32)}, ${admin}, now() + interval '1 day')
		`;
		await db.sql`
			insert into public.quotas (year, org_kind, public_min, self_min)
			values (2095, 'village_branch', 3, 9)
			on conflict (year, org_kind) do nothing
		`;
	});

	it('sees published opportunities only', async () => {
		const rows = await db.as(
			null,
			(tx) => tx<{ id: string }[]>`
				select id from public.opportunities where id in ${tx([published, draft, cancelled])}
			`
		);
		expect(rows.map((row) => row.id)).toEqual([published]);
	});

	it('sees events of published opportunities only', async () => {
		const rows = await db.as(
			null,
			(tx) => tx<{ id: string }[]>`
				select opportunity_id as id from public.events
				where opportunity_id in ${tx([published, draft, cancelled])}
			`
		);
		expect(rows.map((row) => row.id)).toEqual([published]);
	});

	it('sees no applications', async () => {
		const filter = { column: 'opportunity_id', value: published };
		expect(await rowsAsOwner('public.applications', filter)).toBe(1);
		expect(await rowsSeen(null, 'public.applications', filter)).toBe(0);
	});

	it('sees no profiles', async () => {
		const filter = { column: 'id', value: youth };
		expect(await rowsAsOwner('public.profiles', filter)).toBe(1);
		expect(await rowsSeen(null, 'public.profiles', filter)).toBe(0);
	});

	it('sees no quotas', async () => {
		expect(
			await rowsAsOwner('public.quotas', { column: 'org_kind', value: 'village_branch' })
		).toBe(1);
		expect(await rowsSeen(null, 'public.quotas')).toBe(0);
	});

	it('sees no invitations', async () => {
		const filter = { column: 'organization_id', value: organizationId };
		expect(await rowsAsOwner('public.org_invitations', filter)).toBe(1);
		expect(await rowsSeen(null, 'public.org_invitations', filter)).toBe(0);
	});

	it('sees no members', async () => {
		const filter = { column: 'organization_id', value: organizationId };
		expect(await rowsAsOwner('public.org_members', filter)).toBe(1);
		expect(await rowsSeen(null, 'public.org_members', filter)).toBe(0);
	});

	it('sees no coordinators', async () => {
		await makeCoordinator(db, await createPerson(db));
		expect(await rowsSeen(null, 'public.coordinators')).toBe(0);
	});

	it('reads no accounts or sessions', async () => {
		expect(await rowsSeen(null, 'auth.users')).toBe(0);
		expect(await rowsSeen(null, 'private.sessions')).toBe(0);
		expect(await rowsSeen(null, 'private.sign_in_failures')).toBe(0);
	});
});

describe('youth', () => {
	let eventId: string;
	let first: string;
	let second: string;

	beforeAll(async () => {
		const organizationId = await createOrganization(db);
		eventId = await createEvent(db, organizationId);
		first = await createPerson(db, 'First youth');
		second = await createPerson(db, 'Second youth');
		await applyToOpportunity(db, { id: first }, eventId);
		await applyToOpportunity(db, { id: second }, eventId);
	});

	it('reads their own application', async () => {
		const filter = { column: 'applicant_id', value: first };
		expect(await rowsSeen({ id: first }, 'public.applications', filter)).toBe(1);
	});

	it("cannot read another's application", async () => {
		const filter = { column: 'applicant_id', value: second };
		expect(await rowsAsOwner('public.applications', filter)).toBe(1);
		expect(await rowsSeen({ id: first }, 'public.applications', filter)).toBe(0);
	});

	it('reads their own profile', async () => {
		expect(await rowsSeen({ id: first }, 'public.profiles', { column: 'id', value: first })).toBe(
			1
		);
	});

	it("cannot read another's profile", async () => {
		expect(await rowsSeen({ id: first }, 'public.profiles', { column: 'id', value: second })).toBe(
			0
		);
	});

	it('cannot update another profile', async () => {
		const updated = await db.as(
			{ id: first },
			(tx) =>
				tx`update public.profiles set display_name = 'Renamed' where id = ${second} returning id`
		);
		expect(updated).toHaveLength(0);
		const [profile] = await db.sql`select display_name from public.profiles where id = ${second}`;
		expect(profile!.display_name).toBe('Second youth');
	});

	it('cannot read sessions or failures', async () => {
		expect(await rowsSeen({ id: first }, 'auth.users')).toBe(0);
		expect(await rowsSeen({ id: first }, 'private.sessions')).toBe(0);
		expect(await rowsSeen({ id: first }, 'private.sign_in_failures')).toBe(0);
	});
});

describe('youth writes', () => {
	let organizationId: string;

	beforeAll(async () => {
		organizationId = await createOrganization(db);
	});

	it('cannot apply for someone else', async () => {
		const eventId = await createEvent(db, organizationId);
		const youth = await createPerson(db);
		const other = await createPerson(db);
		const insert = db.as(
			{ id: youth },
			(tx) => tx`
				insert into public.applications (opportunity_id, applicant_id)
				values (${eventId}, ${other})
			`
		);
		expect(await rejectionCode(insert)).toBe('not_allowed');
		expect(
			await rowsAsOwner('public.applications', { column: 'opportunity_id', value: eventId })
		).toBe(0);
	});

	it('cannot decline their own application', async () => {
		const eventId = await createEvent(db, organizationId);
		const youth = await createPerson(db);
		await applyToOpportunity(db, { id: youth }, eventId);
		const decline = db.as(
			{ id: youth },
			(tx) => tx`
				update public.applications set status = 'declined'
				where opportunity_id = ${eventId} and applicant_id = ${youth}
			`
		);
		expect(await rejectionCode(decline)).toBe('invalid_status_change');
		const [application] = await db.sql`
			select status from public.applications where opportunity_id = ${eventId}
		`;
		expect(application!.status).toBe('accepted');
	});

	it('cannot undo a decline', async () => {
		const eventId = await createEvent(db, organizationId);
		const staff = await createPerson(db);
		await addMember(db, organizationId, staff);
		const youth = await createPerson(db);
		await applyToOpportunity(db, { id: youth }, eventId);
		await db.as(
			{ id: staff },
			(tx) => tx`
				update public.applications set status = 'declined'
				where opportunity_id = ${eventId} and applicant_id = ${youth}
			`
		);
		const undo = db.as(
			{ id: youth },
			(tx) => tx`
				update public.applications set status = 'accepted'
				where opportunity_id = ${eventId} and applicant_id = ${youth}
			`
		);
		expect(await rejectionCode(undo)).toBe('invalid_status_change');
		const [application] = await db.sql`
			select status from public.applications where opportunity_id = ${eventId}
		`;
		expect(application!.status).toBe('declined');
	});

	it('cannot leave the waitlist for a place', async () => {
		const eventId = await createEvent(db, organizationId);
		const youth = await createPerson(db);
		await applyToOpportunity(db, { id: youth }, eventId);
		await db.sql`
			update public.applications set status = 'waitlisted'
			where opportunity_id = ${eventId} and applicant_id = ${youth}
		`;
		const jump = db.as(
			{ id: youth },
			(tx) => tx`
				update public.applications set status = 'accepted'
				where opportunity_id = ${eventId} and applicant_id = ${youth}
			`
		);
		expect(await rejectionCode(jump)).toBe('invalid_status_change');
		const [application] = await db.sql`
			select status from public.applications where opportunity_id = ${eventId}
		`;
		expect(application!.status).toBe('waitlisted');
	});

	it('can withdraw from the waitlist', async () => {
		const eventId = await createEvent(db, organizationId);
		const youth = await createPerson(db);
		await applyToOpportunity(db, { id: youth }, eventId);
		await db.sql`
			update public.applications set status = 'waitlisted'
			where opportunity_id = ${eventId} and applicant_id = ${youth}
		`;
		await withdrawApplication(db, { id: youth }, eventId);
		const [application] = await db.sql`
			select status from public.applications where opportunity_id = ${eventId}
		`;
		expect(application!.status).toBe('withdrawn');
	});

	it('cannot change accepted_count', async () => {
		const eventId = await createEvent(db, organizationId);
		const youth = await createPerson(db);
		await applyToOpportunity(db, { id: youth }, eventId);
		const reset = db.as(
			{ id: youth },
			(tx) => tx`update public.opportunities set accepted_count = 0 where id = ${eventId}`
		);
		expect(await rejectionCode(reset)).toBe('not_allowed');
		const [event] = await db.sql`
			select accepted_count from public.opportunities where id = ${eventId}
		`;
		expect(event!.accepted_count).toBe(1);
	});

	it('cannot change accepted_count as staff', async () => {
		const eventId = await createEvent(db, organizationId);
		const staff = await createPerson(db);
		await addMember(db, organizationId, staff);
		await applyToOpportunity(db, { id: await createPerson(db) }, eventId);
		const reset = db.as(
			{ id: staff },
			(tx) => tx`update public.opportunities set accepted_count = 0 where id = ${eventId}`
		);
		expect(await rejectionCode(reset)).toBe('not_allowed');
		const [event] = await db.sql`
			select accepted_count from public.opportunities where id = ${eventId}
		`;
		expect(event!.accepted_count).toBe(1);
	});
});

describe('staff', () => {
	let ownOrganization: string;
	let otherOrganization: string;
	let staff: string;
	let ownEvent: string;
	let otherEvent: string;
	let ownApplicant: string;
	let otherApplicant: string;

	beforeAll(async () => {
		ownOrganization = await createOrganization(db);
		otherOrganization = await createOrganization(db);
		staff = await createPerson(db, 'Staff');
		await addMember(db, ownOrganization, staff);
		await addMember(db, otherOrganization, await createPerson(db, 'Other staff'));
		ownEvent = await createEvent(db, ownOrganization, { title: 'Own event' });
		otherEvent = await createEvent(db, otherOrganization, { title: 'Other event' });
		ownApplicant = await createPerson(db, 'Own applicant');
		otherApplicant = await createPerson(db, 'Other applicant');
		await applyToOpportunity(db, { id: ownApplicant }, ownEvent);
		await applyToOpportunity(db, { id: otherApplicant }, otherEvent);
	});

	async function eventRow(id: string) {
		const [row] = await db.sql<
			{ status: string; title: string; updated_at: Date; orbit: string }[]
		>`
			select o.status, o.title, o.updated_at, e.orbit
			from public.opportunities o join public.events e on e.opportunity_id = o.id
			where o.id = ${id}
		`;
		return row!;
	}

	function eventInput(title: string) {
		const startsAt = new Date(Date.now() + 72 * 3_600_000);
		return {
			title,
			description: '',
			theme: '',
			orbit: 'public' as const,
			townCode: '',
			place: '',
			startsAt: toLocalInput(startsAt),
			endsAt: toLocalInput(new Date(startsAt.getTime() + 3_600_000)),
			applyOpensAt: toLocalInput(new Date(Date.now() - 3_600_000)),
			applyClosesAt: toLocalInput(new Date(startsAt.getTime() - 3_600_000)),
			capacity: '5'
		};
	}

	it("reads applications to own organization's events", async () => {
		const filter = { column: 'opportunity_id', value: ownEvent };
		expect(await rowsSeen({ id: staff }, 'public.applications', filter)).toBe(1);
	});

	it("cannot read another organization's applications", async () => {
		const filter = { column: 'opportunity_id', value: otherEvent };
		expect(await rowsAsOwner('public.applications', filter)).toBe(1);
		expect(await rowsSeen({ id: staff }, 'public.applications', filter)).toBe(0);
	});

	it("reads own applicants' profiles only", async () => {
		expect(
			await rowsSeen({ id: staff }, 'public.profiles', { column: 'id', value: ownApplicant })
		).toBe(1);
		expect(
			await rowsSeen({ id: staff }, 'public.profiles', { column: 'id', value: otherApplicant })
		).toBe(0);
	});

	it("cannot cancel another organization's event", async () => {
		const before = await eventRow(otherEvent);
		expect(await rejectionCode(setEventStatus(db, { id: staff }, otherEvent, 'cancelled'))).toBe(
			'not_allowed'
		);
		expect(await eventRow(otherEvent)).toEqual(before);
	});

	it("cannot edit another organization's event", async () => {
		const before = await eventRow(otherEvent);
		expect(
			await rejectionCode(updateEvent(db, { id: staff }, otherEvent, eventInput('Hijacked')))
		).toBe('not_allowed');
		expect(await eventRow(otherEvent)).toEqual(before);
	});

	it("changes no row of another organization's event in SQL", async () => {
		const before = await eventRow(otherEvent);
		const cancelledRows = await db.as(
			{ id: staff },
			(tx) => tx`
				update public.opportunities set status = 'cancelled' where id = ${otherEvent} returning id
			`
		);
		expect(cancelledRows).toHaveLength(0);
		const renamedRows = await db.as(
			{ id: staff },
			(tx) => tx`
				update public.opportunities set title = 'Hijacked' where id = ${otherEvent} returning id
			`
		);
		expect(renamedRows).toHaveLength(0);
		const orbitRows = await db.as(
			{ id: staff },
			(tx) => tx`
				update public.events set orbit = 'self' where opportunity_id = ${otherEvent}
				returning opportunity_id
			`
		);
		expect(orbitRows).toHaveLength(0);
		expect(await eventRow(otherEvent)).toEqual(before);
	});

	it('cannot create an event for another organization', async () => {
		const insert = db.as(
			{ id: staff },
			(tx) => tx`
				insert into public.opportunities (organization_id, kind, title, starts_at, ends_at,
					apply_opens_at, apply_closes_at, capacity)
				values (${otherOrganization}, 'event', 'Planted event', now() + interval '2 days',
					now() + interval '3 days', now(), now() + interval '1 day', 5)
			`
		);
		expect(await rejectionCode(insert)).toBe('not_allowed');
		expect(
			await rowsAsOwner('public.opportunities', { column: 'title', value: 'Planted event' })
		).toBe(0);
	});

	it('can cancel its own event', async () => {
		const eventId = await createEvent(db, ownOrganization);
		await setEventStatus(db, { id: staff }, eventId, 'cancelled');
		expect((await eventRow(eventId)).status).toBe('cancelled');
	});
});

describe('compliance overview', () => {
	it('serves coordinators', async () => {
		const coordinator = await createPerson(db);
		await makeCoordinator(db, coordinator);
		const branch = await createOrganization(db, { kind: 'village_branch' });
		const rows = await complianceOverview(db, { id: coordinator }, 2095);
		expect(rows.map((row) => row.organizationId)).toContain(branch);
	});

	it('rejects youth', async () => {
		const youth = await createPerson(db);
		expect(await rejectionCode(complianceOverview(db, { id: youth }, 2095))).toBe('not_allowed');
	});

	it('rejects staff and admins', async () => {
		const organizationId = await createOrganization(db);
		const staff = await createPerson(db);
		const admin = await createPerson(db);
		await addMember(db, organizationId, staff);
		await addMember(db, organizationId, admin, 'admin');
		expect(await rejectionCode(complianceOverview(db, { id: staff }, 2095))).toBe('not_allowed');
		expect(await rejectionCode(complianceOverview(db, { id: admin }, 2095))).toBe('not_allowed');
	});

	it('rejects visitors', async () => {
		expect(await rejectionCode(complianceOverview(db, null, 2095))).toBe('not_signed_in');
		const direct = db.as(null, (tx) => tx`select * from public.compliance_overview(2095)`);
		expect(await rejectionCode(direct)).toBe('not_allowed');
	});
});

describe('request transaction', () => {
	it('sets the role before the first query', async () => {
		const person = { id: await createPerson(db, 'First query') };
		const [row] = await db.as(
			person,
			(tx) => tx<{ role: string; sub: string | null }[]>`
				select current_user as role, auth.uid()::text as sub
			`
		);
		expect(row!.role).toBe('authenticated');
		expect(row!.sub).toBe(person.id);
		const [anonymous] = await db.as(
			null,
			(tx) => tx<{ role: string }[]>`select current_user as role`
		);
		expect(anonymous!.role).toBe('anon');
	});

	it('reports the failing query, not the aborted rest', async () => {
		const failure = db.as(null, async (tx) => {
			await tx`select 1 / 0`;
			return tx`select 1`;
		});
		await expect(failure).rejects.toMatchObject({ code: '22012' });
	});
});
