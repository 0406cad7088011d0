import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Database, Tx } from '../../src/lib/server/db/client';

type Fragment = ReturnType<Tx['unsafe']>;
import {
	addMember,
	createEvent,
	createOrganization,
	createPerson,
	makeCoordinator,
	testDatabase
} from './fixtures';

/**
 * Row level security matrix: for every table in schema public, every role and every operation,
 * the expected outcome is written below and checked against the real policies and grants.
 * Every cell runs in a transaction that is rolled back, so each starts from the same world.
 */

type Role = 'anon' | 'youth' | 'staff' | 'otherStaff' | 'coordinator';
type Operation = 'select' | 'insert' | 'insert returning' | 'upsert' | 'update' | 'delete';
/**
 * `allowed`: the statement reads or changes the target row. `hidden`: it runs but finds no row.
 * `denied`: it fails with SQLSTATE 42501 (missing privilege or a row level security violation).
 */
type Outcome = 'allowed' | 'hidden' | 'denied';

const ROLES: Role[] = ['anon', 'youth', 'staff', 'otherStaff', 'coordinator'];

/** What each role name means in a test name. */
const ROLE_LABELS: Record<Role, string> = {
	anon: 'anon',
	youth: 'youth',
	staff: 'staff of owner',
	otherStaff: 'staff of other organization',
	coordinator: 'coordinator'
};

type World = {
	youthId: string;
	staffId: string;
	otherStaffId: string;
	coordinatorId: string;
	/** A plain staff member of the owning organization, the target of membership deletes. */
	memberId: string;
	organizationId: string;
	/** Published event of the owning organization, which the youth has applied to. */
	opportunityId: string;
	/** Second published event of the owning organization, for new applications. */
	freshOpportunityId: string;
	/** Draft opportunity of the owning organization without an events row. */
	bareOpportunityId: string;
	invitationId: string;
	invitationTokenHash: Buffer;
	applicationId: string;
	quotaYear: number;
	quotaKind: string;
	otherQuotaKind: string;
	notificationId: string;
	correctionId: number;
	hoursRecordId: string;
	orgKind: string;
	townCode: string;
	/** The audit entry written when the staff member joined the owning organization. */
	auditId: number;
};

/** A statement for one cell. Its result's `count` is the number of rows read or changed. */
type Statement = (tx: Tx, world: World, actorId: string) => Promise<{ count: number }>;
/** An insert ending in `suffix`: nothing, or `returning *`, which also needs the new row readable. */
type Insert = (
	tx: Tx,
	world: World,
	actorId: string,
	suffix: Fragment
) => Promise<{ count: number }>;

type TableSpec = {
	/** Reads the world's row of this table. */
	select: Statement;
	/** Inserts a row that the acting person would own or create. */
	insert: Insert;
	/** Inserts a row whose key clashes with the world's row, updating it on conflict and returning it. */
	upsert?: Statement;
	/** Changes the world's row without changing its meaning. */
	update: Statement;
	delete: Statement;
	/** Runs as the table owner before an insert, e.g. to free a key the acting person holds. */
	beforeInsert?: (tx: Tx, world: World, actorId: string) => Promise<unknown>;
	expected: Partial<Record<Operation, Record<Role, Outcome>>>;
};

/** Builds a row of outcomes in the order of ROLES. */
function outcomes(
	anon: Outcome,
	youth: Outcome,
	staff: Outcome,
	otherStaff: Outcome,
	coordinator: Outcome
): Record<Role, Outcome> {
	return { anon, youth, staff, otherStaff, coordinator };
}

const everyone = (outcome: Outcome) => outcomes(outcome, outcome, outcome, outcome, outcome);
const HOUR = 3_600_000;
/** A quota year that no other test file writes, so its rows belong to this file. */
const QUOTA_YEAR = 2077;

const MATRIX: Record<string, TableSpec> = {
	org_kinds: {
		select: (tx, w) => tx`select * from public.org_kinds where code = ${w.orgKind}`,
		insert: (tx, _w, _actorId, suffix) => tx`
			insert into public.org_kinds (code, is_league_branch, sort_order, name_zh, name_en)
			values ('matrix_kind', false, 99, '测试', 'Test') ${suffix}
		`,
		update: (tx, w) => tx`
			update public.org_kinds set sort_order = sort_order where code = ${w.orgKind}
		`,
		delete: (tx, w) => tx`delete from public.org_kinds where code = ${w.orgKind}`,
		expected: {
			select: everyone('allowed'),
			insert: everyone('denied'),
			update: everyone('denied'),
			delete: everyone('denied')
		}
	},
	towns: {
		select: (tx, w) => tx`select * from public.towns where code = ${w.townCode}`,
		insert: (tx, _w, _actorId, suffix) => tx`
			insert into public.towns (code, district, name_zh, name_en, sort_order)
			values ('matrix_town', 'beilun', '测试', 'Test', 99) ${suffix}
		`,
		update: (tx, w) => tx`
			update public.towns set sort_order = sort_order where code = ${w.townCode}
		`,
		delete: (tx, w) => tx`delete from public.towns where code = ${w.townCode}`,
		expected: {
			select: everyone('allowed'),
			insert: everyone('denied'),
			update: everyone('denied'),
			delete: everyone('denied')
		}
	},
	profiles: {
		select: (tx, w) => tx`select * from public.profiles where id = ${w.youthId}`,
		insert: (tx, _w, actorId, suffix) => tx`
			insert into public.profiles (id, display_name) values (${actorId}, 'Matrix') ${suffix}
		`,
		update: (tx, w) => tx`
			update public.profiles set display_name = display_name where id = ${w.youthId}
		`,
		delete: (tx, w) => tx`delete from public.profiles where id = ${w.youthId}`,
		expected: {
			// Staff see the profiles of people who applied to their organization.
			select: outcomes('denied', 'allowed', 'allowed', 'hidden', 'allowed'),
			insert: everyone('denied'),
			update: outcomes('denied', 'allowed', 'hidden', 'hidden', 'hidden'),
			delete: everyone('denied')
		}
	},
	coordinators: {
		select: (tx, w) => tx`select * from public.coordinators where user_id = ${w.coordinatorId}`,
		insert: (tx, _w, actorId, suffix) => tx`
			insert into public.coordinators (user_id) values (${actorId}) ${suffix}
		`,
		update: (tx, w) => tx`
			update public.coordinators set created_at = created_at where user_id = ${w.coordinatorId}

		`,
		delete: (tx, w) => tx`
			delete from public.coordinators where user_id = ${w.coordinatorId}
		`,
		expected: {
			select: outcomes('denied', 'hidden', 'hidden', 'hidden', 'allowed'),
			insert: everyone('denied'),
			update: everyone('denied'),
			delete: everyone('denied')
		}
	},
	organizations: {
		select: (tx, w) => tx`select * from public.organizations where id = ${w.organizationId}`,
		insert: (tx, w, actorId, suffix) => tx`
			insert into public.organizations (name, kind, town_code, contact_name, contact_phone,
				created_by)
			values (${`Matrix ${randomBytes(4).toString('hex')}`}, ${w.orgKind}, ${w.townCode},
				'Contact', '13800000000', ${actorId})
			${suffix}
		`,
		update: (tx, w) => tx`
			update public.organizations set contact_name = contact_name where id = ${w.organizationId}

		`,
		delete: (tx, w) => tx`delete from public.organizations where id = ${w.organizationId}`,
		expected: {
			select: everyone('allowed'),
			// Anyone signed in may register an organization, which then waits for review.
			insert: outcomes('denied', 'allowed', 'allowed', 'allowed', 'allowed'),
			'insert returning': outcomes('denied', 'allowed', 'allowed', 'allowed', 'allowed'),
			update: outcomes('denied', 'hidden', 'allowed', 'hidden', 'allowed'),
			delete: everyone('denied')
		}
	},
	org_members: {
		select: (tx, w) => tx`
			select * from public.org_members
			where organization_id = ${w.organizationId} and user_id = ${w.memberId}
		`,
		insert: (tx, w, actorId, suffix) => tx`
			insert into public.org_members (organization_id, user_id, role)
			values (${w.organizationId}, ${actorId}, 'admin') ${suffix}
		`,
		update: (tx, w) => tx`
			update public.org_members set role = 'admin'
			where organization_id = ${w.organizationId} and user_id = ${w.memberId}
		`,
		delete: (tx, w) => tx`
			delete from public.org_members
			where organization_id = ${w.organizationId} and user_id = ${w.memberId}
		`,
		expected: {
			select: outcomes('denied', 'hidden', 'allowed', 'hidden', 'allowed'),
			// Memberships are only created by accepting an invitation, through a definer function.
			insert: everyone('denied'),
			update: everyone('denied'),
			delete: outcomes('denied', 'hidden', 'allowed', 'hidden', 'hidden')
		}
	},
	org_invitations: {
		select: (tx, w) => tx`select * from public.org_invitations where id = ${w.invitationId}`,
		insert: (tx, w, actorId, suffix) => tx`
			insert into public.org_invitations (organization_id, token_hash, role, created_by,
				expires_at)
			values (${w.organizationId}, ${randomBytes(32)}, 'staff', ${actorId},
				${new Date(Date.now() + 24 * HOUR)})
			${suffix}
		`,
		upsert: (tx, w, actorId) => tx`
			insert into public.org_invitations (organization_id, token_hash, role, created_by,
				expires_at)
			values (${w.organizationId}, ${w.invitationTokenHash}, 'staff', ${actorId},
				${new Date(Date.now() + 24 * HOUR)})
			on conflict (token_hash) do update set role = excluded.role
			returning *
		`,
		update: (tx, w) => tx`
			update public.org_invitations set role = 'admin' where id = ${w.invitationId}
		`,
		delete: (tx, w) => tx`delete from public.org_invitations where id = ${w.invitationId}`,
		expected: {
			select: outcomes('denied', 'hidden', 'allowed', 'hidden', 'hidden'),
			// Coordinators may invite the first admin of any branch.
			insert: outcomes('denied', 'denied', 'allowed', 'denied', 'allowed'),
			// Only admins may read invitations, so a coordinator's new row cannot be returned.
			'insert returning': outcomes('denied', 'denied', 'allowed', 'denied', 'denied'),
			// Invitations have no update privilege, so a clashing token is never rewritten.
			upsert: everyone('denied'),
			update: everyone('denied'),
			delete: outcomes('denied', 'hidden', 'allowed', 'hidden', 'hidden')
		}
	},
	opportunities: {
		select: (tx, w) => tx`select * from public.opportunities where id = ${w.opportunityId}`,
		insert: (tx, w, actorId, suffix) => {
			const startsAt = new Date(Date.now() + 72 * HOUR);
			return tx`
				insert into public.opportunities (organization_id, kind, title, starts_at, ends_at,
					apply_opens_at, apply_closes_at, capacity, status, created_by)
				values (${w.organizationId}, 'event', 'Matrix event', ${startsAt},
					${new Date(startsAt.getTime() + HOUR)}, ${new Date(Date.now() - HOUR)},
					${new Date(startsAt.getTime() - HOUR)}, 5, 'draft', ${actorId})
				${suffix}
			`;
		},
		update: (tx, w) => tx`
			update public.opportunities set place = place where id = ${w.opportunityId}
		`,
		delete: (tx, w) => tx`delete from public.opportunities where id = ${w.opportunityId}`,
		expected: {
			select: everyone('allowed'),
			insert: outcomes('denied', 'denied', 'allowed', 'denied', 'denied'),
			'insert returning': outcomes('denied', 'denied', 'allowed', 'denied', 'denied'),
			update: outcomes('denied', 'hidden', 'allowed', 'hidden', 'hidden'),
			delete: everyone('denied')
		}
	},
	events: {
		select: (tx, w) => tx`select * from public.events where opportunity_id = ${w.opportunityId}`,
		insert: (tx, w, _actorId, suffix) => tx`
			insert into public.events (opportunity_id, orbit, theme)
			values (${w.bareOpportunityId}, 'self', '') ${suffix}
		`,
		upsert: (tx, w) => tx`
			insert into public.events (opportunity_id, orbit, theme)
			values (${w.opportunityId}, 'self', 'Matrix')
			on conflict (opportunity_id) do update set theme = excluded.theme
			returning *
		`,
		update: (tx, w) => tx`
			update public.events set theme = theme where opportunity_id = ${w.opportunityId}

		`,
		delete: (tx, w) => tx`
			delete from public.events where opportunity_id = ${w.opportunityId}
		`,
		expected: {
			select: everyone('allowed'),
			insert: outcomes('denied', 'denied', 'allowed', 'denied', 'denied'),
			'insert returning': outcomes('denied', 'denied', 'allowed', 'denied', 'denied'),
			upsert: outcomes('denied', 'denied', 'allowed', 'denied', 'denied'),
			update: outcomes('denied', 'hidden', 'allowed', 'hidden', 'hidden'),
			delete: everyone('denied')
		}
	},
	applications: {
		select: (tx, w) => tx`select * from public.applications where id = ${w.applicationId}`,
		insert: (tx, w, actorId, suffix) => tx`
			insert into public.applications (opportunity_id, applicant_id)
			values (${w.freshOpportunityId}, ${actorId}) ${suffix}
		`,
		// Everyone tries to reapply for the youth: only the youth may touch that row.
		upsert: (tx, w) => tx`
			insert into public.applications (opportunity_id, applicant_id, status)
			values (${w.opportunityId}, ${w.youthId}, 'accepted')
			on conflict (opportunity_id, applicant_id) do update set status = excluded.status
			returning *
		`,
		update: (tx, w) => tx`
			update public.applications set status = status where id = ${w.applicationId}
		`,
		delete: (tx, w) => tx`delete from public.applications where id = ${w.applicationId}`,
		expected: {
			select: outcomes('denied', 'allowed', 'allowed', 'hidden', 'allowed'),
			// Anyone signed in may apply for themselves.
			insert: outcomes('denied', 'allowed', 'allowed', 'allowed', 'allowed'),
			'insert returning': outcomes('denied', 'allowed', 'allowed', 'allowed', 'allowed'),
			upsert: outcomes('denied', 'allowed', 'denied', 'denied', 'denied'),
			update: outcomes('denied', 'allowed', 'allowed', 'hidden', 'hidden'),
			delete: everyone('denied')
		}
	},
	quotas: {
		select: (tx, w) => tx`
			select * from public.quotas where year = ${w.quotaYear} and org_kind = ${w.quotaKind}
		`,
		insert: (tx, w, _actorId, suffix) => tx`
			insert into public.quotas (year, org_kind, public_min, self_min)
			values (${w.quotaYear}, ${w.otherQuotaKind}, 1, 2) ${suffix}
		`,
		upsert: (tx, w) => tx`
			insert into public.quotas (year, org_kind, public_min, self_min)
			values (${w.quotaYear}, ${w.quotaKind}, 3, 4)
			on conflict (year, org_kind) do update set public_min = excluded.public_min
			returning *
		`,
		update: (tx, w) => tx`
			update public.quotas set self_min = self_min
			where year = ${w.quotaYear} and org_kind = ${w.quotaKind}
		`,
		delete: (tx, w) => tx`
			delete from public.quotas where year = ${w.quotaYear} and org_kind = ${w.quotaKind}

		`,
		expected: {
			select: outcomes('denied', 'hidden', 'hidden', 'hidden', 'allowed'),
			insert: outcomes('denied', 'denied', 'denied', 'denied', 'allowed'),
			'insert returning': outcomes('denied', 'denied', 'denied', 'denied', 'allowed'),
			upsert: outcomes('denied', 'denied', 'denied', 'denied', 'allowed'),
			update: outcomes('denied', 'hidden', 'hidden', 'hidden', 'allowed'),
			delete: everyone('denied')
		}
	},
	notifications: {
		select: (tx, w) => tx`select * from public.notifications where id = ${w.notificationId}`,
		insert: (tx, w, actorId, suffix) => tx`
			insert into public.notifications (recipient_id, kind, opportunity_id)
			values (${actorId}, 'promoted', ${w.opportunityId}) ${suffix}
		`,
		update: (tx, w) => tx`
			update public.notifications set read_at = now() where id = ${w.notificationId}
		`,
		delete: (tx, w) => tx`delete from public.notifications where id = ${w.notificationId}`,
		expected: {
			select: outcomes('denied', 'allowed', 'hidden', 'hidden', 'hidden'),
			insert: everyone('denied'),
			update: outcomes('denied', 'allowed', 'hidden', 'hidden', 'hidden'),
			delete: everyone('denied')
		}
	},
	checkin_secrets: {
		select: (tx, w) => tx`
			select * from public.checkin_secrets where opportunity_id = ${w.opportunityId}
		`,
		insert: (tx, w, _actorId, suffix) => tx`
			insert into public.checkin_secrets (opportunity_id) values (${w.freshOpportunityId})
			${suffix}
		`,
		update: (tx, w) => tx`
			update public.checkin_secrets set secret = secret where opportunity_id = ${w.opportunityId}

		`,
		delete: (tx, w) => tx`
			delete from public.checkin_secrets where opportunity_id = ${w.opportunityId}
		`,
		expected: {
			select: outcomes('denied', 'hidden', 'allowed', 'hidden', 'hidden'),
			insert: everyone('denied'),
			update: everyone('denied'),
			delete: everyone('denied')
		}
	},
	attendance: {
		select: (tx, w) => tx`
			select * from public.attendance
			where opportunity_id = ${w.opportunityId} and person_id = ${w.youthId}
		`,
		insert: (tx, w, actorId, suffix) => tx`
			insert into public.attendance (opportunity_id, person_id, checked_in_at, source)
			values (${w.freshOpportunityId}, ${actorId}, now(), 'staff') ${suffix}
		`,
		update: (tx, w) => tx`
			update public.attendance set checked_in_at = checked_in_at
			where opportunity_id = ${w.opportunityId} and person_id = ${w.youthId}
		`,
		delete: (tx, w) => tx`
			delete from public.attendance
			where opportunity_id = ${w.opportunityId} and person_id = ${w.youthId}
		`,
		expected: {
			select: outcomes('denied', 'allowed', 'allowed', 'hidden', 'allowed'),
			// Attendance is written only through the definer check-in and correction functions.
			insert: everyone('denied'),
			update: everyone('denied'),
			delete: everyone('denied')
		}
	},
	attendance_corrections: {
		select: (tx, w) => tx`
			select * from public.attendance_corrections where id = ${w.correctionId}
		`,
		insert: (tx, w, actorId, suffix) => tx`
			insert into public.attendance_corrections (opportunity_id, person_id, corrected_by, reason)
			values (${w.opportunityId}, ${w.youthId}, ${actorId}, 'Matrix reason') ${suffix}
		`,
		update: (tx, w) => tx`
			update public.attendance_corrections set reason = reason where id = ${w.correctionId}

		`,
		delete: (tx, w) => tx`
			delete from public.attendance_corrections where id = ${w.correctionId}
		`,
		expected: {
			select: outcomes('denied', 'allowed', 'allowed', 'hidden', 'allowed'),
			insert: everyone('denied'),
			update: everyone('denied'),
			delete: everyone('denied')
		}
	},
	volunteer_settings: {
		select: (tx) => tx`select * from public.volunteer_settings where id`,
		insert: (tx, _w, _actorId, suffix) =>
			tx`insert into public.volunteer_settings (id) values (true) ${suffix}`,
		update: (tx) => tx`
			update public.volunteer_settings set star_thresholds = star_thresholds where id
		`,
		delete: (tx) => tx`delete from public.volunteer_settings where id`,
		expected: {
			select: outcomes('denied', 'allowed', 'allowed', 'allowed', 'allowed'),
			insert: everyone('denied'),
			update: outcomes('denied', 'hidden', 'hidden', 'hidden', 'allowed'),
			delete: everyone('denied')
		}
	},
	hours_records: {
		select: (tx, w) => tx`select * from public.hours_records where id = ${w.hoursRecordId}`,
		insert: (tx, _w, actorId, suffix) => tx`
			insert into public.hours_records (code, person_id, display_name, total_hours, period_start,
				period_end)
			values ('ABCDEFGH2345', ${actorId}, 'Matrix', 100, '2026-01-01', '2026-12-31')
			${suffix}
		`,
		update: (tx, w) => tx`
			update public.hours_records set total_hours = total_hours where id = ${w.hoursRecordId}

		`,
		delete: (tx, w) => tx`delete from public.hours_records where id = ${w.hoursRecordId}`,
		expected: {
			select: outcomes('denied', 'allowed', 'hidden', 'hidden', 'hidden'),
			// The server issues records as the owner, so people cannot write their own hours.
			insert: everyone('denied'),
			update: everyone('denied'),
			delete: everyone('denied')
		}
	},
	calendar_feeds: {
		select: (tx, w) => tx`select * from public.calendar_feeds where user_id = ${w.youthId}`,
		// The youth already has a feed, so the owner removes it first inside the rolled-back cell.
		beforeInsert: (tx, _w, actorId) => tx`
			delete from public.calendar_feeds where user_id = ${actorId}
		`,
		insert: (tx, _w, actorId, suffix) => tx`
			insert into public.calendar_feeds (user_id, token_hash) values (${actorId}, ${randomBytes(32)})
			${suffix}
		`,
		upsert: (tx, w) => tx`
			insert into public.calendar_feeds (user_id, token_hash) values (${w.youthId}, ${randomBytes(32)})
			on conflict (user_id) do update set token_hash = excluded.token_hash, reset_at = now()
			returning *
		`,
		update: (tx, w) => tx`
			update public.calendar_feeds set reset_at = now() where user_id = ${w.youthId}
		`,
		delete: (tx, w) => tx`delete from public.calendar_feeds where user_id = ${w.youthId}`,
		expected: {
			select: outcomes('denied', 'allowed', 'hidden', 'hidden', 'hidden'),
			insert: outcomes('denied', 'allowed', 'allowed', 'allowed', 'allowed'),
			'insert returning': outcomes('denied', 'allowed', 'allowed', 'allowed', 'allowed'),
			upsert: outcomes('denied', 'allowed', 'denied', 'denied', 'denied'),
			update: outcomes('denied', 'allowed', 'hidden', 'hidden', 'hidden'),
			delete: everyone('denied')
		}
	},
	audit_log: {
		select: (tx, w) => tx`select * from public.audit_log where id = ${w.auditId}`,
		insert: (tx, w, actorId, suffix) => tx`
			insert into public.audit_log (actor_id, table_name, row_id, action)
			values (${actorId}, 'org_members', ${w.organizationId}, 'insert') ${suffix}
		`,
		update: (tx, w) => tx`
			update public.audit_log set row_id = row_id where id = ${w.auditId}
		`,
		delete: (tx, w) => tx`delete from public.audit_log where id = ${w.auditId}`,
		expected: {
			select: outcomes('denied', 'hidden', 'hidden', 'hidden', 'allowed'),
			// Only the triggers write entries, and nobody changes or removes them.
			insert: everyone('denied'),
			update: everyone('denied'),
			delete: everyone('denied')
		}
	}
};

/** Thrown at the end of every cell so that its transaction rolls back. */
class Rollback extends Error {
	constructor(readonly rows: number) {
		super('rollback');
	}
}

let db: Database;
let world: World;

function actorOf(role: Role): Actor {
	switch (role) {
		case 'anon':
			return null;
		case 'youth':
			return { id: world.youthId };
		case 'staff':
			return { id: world.staffId };
		case 'otherStaff':
			return { id: world.otherStaffId };
		case 'coordinator':
			return { id: world.coordinatorId };
	}
}

/** Runs one cell as the role, rolls it back and classifies what happened. */
async function runCell(table: TableSpec, operation: Operation, role: Role): Promise<Outcome> {
	const actor = actorOf(role);
	// Anon has no id of its own, so its writes claim the youth's rows.
	const actorId = actor?.id ?? world.youthId;
	const statement: Statement =
		operation === 'insert' || operation === 'insert returning'
			? (tx, w, id) => table.insert(tx, w, id, operation === 'insert' ? tx`` : tx`returning *`)
			: table[operation]!;
	try {
		await db.as(actor, async (tx) => {
			if (operation.startsWith('insert') && table.beforeInsert) {
				// The session user owns the tables, so it may step out of the role and back in.
				await tx`reset role`;
				await table.beforeInsert(tx, world, actorId);
				await tx`select set_config('role', ${actor ? 'authenticated' : 'anon'}, true)`;
			}
			const result = await statement(tx, world, actorId);
			throw new Rollback(result.count);
		});
	} catch (caught) {
		if (caught instanceof Rollback) return caught.rows === 0 ? 'hidden' : 'allowed';
		if ((caught as { code?: string }).code === '42501') return 'denied';
		throw caught;
	}
	throw new Error('cell transaction finished without the rollback sentinel');
}

async function createWorld(): Promise<World> {
	const [youthId, staffId, otherStaffId, coordinatorId, memberId] = await Promise.all([
		createPerson(db, 'Matrix youth'),
		createPerson(db, 'Matrix staff'),
		createPerson(db, 'Matrix other staff'),
		createPerson(db, 'Matrix coordinator'),
		createPerson(db, 'Matrix member')
	]);
	await makeCoordinator(db, coordinatorId);
	const organizationId = await createOrganization(db);
	const otherOrganizationId = await createOrganization(db);
	await addMember(db, organizationId, staffId, 'admin');
	await addMember(db, organizationId, memberId, 'staff');
	await addMember(db, otherOrganizationId, otherStaffId, 'admin');
	const opportunityId = await createEvent(db, organizationId, { title: 'Matrix event' });
	const freshOpportunityId = await createEvent(db, organizationId, { title: 'Matrix fresh' });

	return db.service(async (tx) => {
		const [kinds, towns] = await Promise.all([
			tx<{ code: string }[]>`select code from public.org_kinds order by code limit 2`,
			tx<{ code: string }[]>`select code from public.towns order by code limit 1`
		]);
		const startsAt = new Date(Date.now() + 96 * HOUR);
		const [bare] = await tx<{ id: string }[]>`
			insert into public.opportunities (organization_id, kind, title, starts_at, ends_at,
				apply_opens_at, apply_closes_at, capacity, status)
			values (${organizationId}, 'event', 'Matrix bare', ${startsAt},
				${new Date(startsAt.getTime() + HOUR)}, ${new Date(Date.now() - HOUR)},
				${new Date(startsAt.getTime() - HOUR)}, 5, 'draft')
			returning id
		`;
		const invitationTokenHash = randomBytes(32);
		const [invitation] = await tx<{ id: string }[]>`
			insert into public.org_invitations (organization_id, token_hash, role, created_by,
				expires_at)
			values (${organizationId}, ${invitationTokenHash}, 'staff', ${staffId},
				${new Date(Date.now() + 24 * HOUR)})
			returning id
		`;
		const [application] = await tx<{ id: string }[]>`
			insert into public.applications (opportunity_id, applicant_id)
			values (${opportunityId}, ${youthId}) returning id
		`;
		await tx`
			insert into public.quotas (year, org_kind) values (${QUOTA_YEAR}, ${kinds[0]!.code})
			on conflict do nothing
		`;
		const [notification] = await tx<{ id: string }[]>`
			insert into public.notifications (recipient_id, kind, opportunity_id)
			values (${youthId}, 'promoted', ${opportunityId}) returning id
		`;
		await tx`insert into public.checkin_secrets (opportunity_id) values (${opportunityId})`;
		await tx`
			insert into public.attendance (opportunity_id, person_id, checked_in_at, source, updated_by)
			values (${opportunityId}, ${youthId}, now(), 'staff', ${staffId})
		`;
		const [correction] = await tx<{ id: string }[]>`
			insert into public.attendance_corrections (opportunity_id, person_id, corrected_by,
				checked_in_after, reason)
			values (${opportunityId}, ${youthId}, ${staffId}, now(), 'Matrix correction')
			returning id
		`;
		const code = randomBytes(6).toString('hex').toUpperCase();
		const [hoursRecord] = await tx<{ id: string }[]>`
			insert into public.hours_records (code, person_id, display_name, total_hours,
				period_start, period_end)
			values (${code}, ${youthId}, 'Matrix youth', 3, '2026-01-01', '2026-12-31')
			returning id
		`;
		await tx`
			insert into public.calendar_feeds (user_id, token_hash) values (${youthId}, ${randomBytes(32)})
		`;
		const [audit] = await tx<{ id: string }[]>`
			select id from public.audit_log
			where table_name = 'org_members' and row_id = ${`${organizationId}:${staffId}`}
		`;
		return {
			youthId,
			staffId,
			otherStaffId,
			coordinatorId,
			memberId,
			organizationId,
			opportunityId,
			freshOpportunityId,
			bareOpportunityId: bare!.id,
			invitationId: invitation!.id,
			invitationTokenHash,
			applicationId: application!.id,
			quotaYear: QUOTA_YEAR,
			quotaKind: kinds[0]!.code,
			otherQuotaKind: kinds[1]!.code,
			notificationId: notification!.id,
			correctionId: Number(correction!.id),
			hoursRecordId: hoursRecord!.id,
			orgKind: kinds[0]!.code,
			townCode: towns[0]!.code,
			auditId: Number(audit!.id)
		};
	});
}

beforeAll(async () => {
	db = testDatabase();
	world = await createWorld();
});

afterAll(async () => {
	await db.end();
});

describe('rls matrix', () => {
	it('covers every table in schema public', async () => {
		const tables = await db.sql<{ tablename: string }[]>`
			select tablename from pg_tables where schemaname = 'public' order by tablename
		`;
		expect(tables.map((table) => table.tablename)).toEqual(Object.keys(MATRIX).sort());
	});

	it('lists every operation per table', () => {
		for (const [name, table] of Object.entries(MATRIX)) {
			for (const operation of ['select', 'insert', 'update', 'delete'] as const) {
				expect(table.expected[operation], `${name} ${operation}`).toBeDefined();
			}
			expect(Boolean(table.upsert), `${name} upsert`).toBe(Boolean(table.expected.upsert));
			const insertAllowed = Object.values(table.expected.insert ?? {}).includes('allowed');
			expect(Boolean(table.expected['insert returning']), `${name} insert returning`).toBe(
				insertAllowed
			);
		}
	});

	for (const [name, table] of Object.entries(MATRIX)) {
		for (const [operation, byRole] of Object.entries(table.expected) as [
			Operation,
			Record<Role, Outcome>
		][]) {
			for (const role of ROLES) {
				const expected = byRole[role];
				it(`${name}: ${ROLE_LABELS[role]} ${operation} is ${expected}`, async () => {
					expect(await runCell(table, operation, role)).toBe(expected);
				});
			}
		}
	}
});
