import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyToOpportunity, declineApplication } from '../../src/lib/server/applications';
import { recordAttendance } from '../../src/lib/server/attendance/staff';
import { listAuditEntries } from '../../src/lib/server/audit';
import type { Database } from '../../src/lib/server/db/client';
import { setEventStatus } from '../../src/lib/server/events/manage';
import { setBranchActive } from '../../src/lib/server/organizations/branches';
import { removeMember } from '../../src/lib/server/organizations/members';
import { reviewOrganization } from '../../src/lib/server/organizations/verify';
import { setQuota } from '../../src/lib/server/quotas';
import {
	addMember,
	createEvent,
	createOrganization,
	createPerson,
	makeCoordinator,
	testDatabase
} from './fixtures';

type Entry = {
	id: string;
	actor_id: string | null;
	action: string;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
};

/** A quota year that no other test file writes. */
const QUOTA_YEAR = 2081;

let db: Database;
let youthId: string;
let staffId: string;
let memberId: string;
let coordinatorId: string;
let organizationId: string;

/** Reads the entries of one row as the owner, oldest first. */
async function entriesOf(table: string, rowId: string): Promise<Entry[]> {
	return db.service(
		(tx) => tx<Entry[]>`
			select id, actor_id, action, before, after from public.audit_log
			where table_name = ${table} and row_id = ${rowId}
			order by id
		`
	);
}

beforeAll(async () => {
	db = testDatabase();
	[youthId, staffId, memberId, coordinatorId] = await Promise.all([
		createPerson(db, 'Audit youth'),
		createPerson(db, 'Audit staff'),
		createPerson(db, 'Audit member'),
		createPerson(db, 'Audit coordinator')
	]);
	await makeCoordinator(db, coordinatorId);
	organizationId = await createOrganization(db);
	await addMember(db, organizationId, staffId, 'admin');
});

afterAll(async () => {
	await db.end();
});

describe('audit log', () => {
	it('records attendance inserts and edits', async () => {
		const opportunityId = await createEvent(db, organizationId);
		await applyToOpportunity(db, { id: youthId }, opportunityId);
		// The event then moves into the past, as if it had been held.
		await db.service(
			(tx) => tx`
				update public.opportunities set
					apply_opens_at = now() - interval '5 hours', apply_closes_at = now() - interval '3 hours',
					starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour'
				where id = ${opportunityId}
			`
		);
		const checkedInAt = new Date(Date.now() - 2 * 3_600_000);
		await recordAttendance(db, { id: staffId }, opportunityId, {
			personId: youthId,
			checkedInAt,
			checkedOutAt: null,
			reason: 'Forgot the code'
		});
		const attendance = await entriesOf('attendance', `${opportunityId}:${youthId}`);
		expect(attendance).toHaveLength(1);
		expect(attendance[0]).toMatchObject({ actor_id: staffId, action: 'insert', before: null });
		expect(attendance[0]!.after).toMatchObject({ person_id: youthId, checked_out_at: null });

		const checkedOutAt = new Date(Date.now() - 3_600_000);
		await recordAttendance(db, { id: staffId }, opportunityId, {
			personId: youthId,
			checkedInAt,
			checkedOutAt,
			reason: 'Left on time'
		});
		const edited = await entriesOf('attendance', `${opportunityId}:${youthId}`);
		expect(edited).toHaveLength(2);
		expect(edited[1]).toMatchObject({
			actor_id: staffId,
			action: 'update',
			before: { checked_out_at: null }
		});
		expect(Object.keys(edited[1]!.after!)).toEqual(['checked_out_at']);
		expect(new Date(edited[1]!.after!.checked_out_at as string).getTime()).toBe(
			checkedOutAt.getTime()
		);
	});

	it('records opportunity status changes', async () => {
		const opportunityId = await createEvent(db, organizationId, { status: 'draft' });
		await setEventStatus(db, { id: staffId }, opportunityId, 'published');
		expect(await entriesOf('opportunities', opportunityId)).toMatchObject([
			{ actor_id: staffId, before: { status: 'draft' }, after: { status: 'published' } }
		]);
	});

	it('records declines, skips unwatched columns', async () => {
		const opportunityId = await createEvent(db, organizationId);
		await applyToOpportunity(db, { id: youthId }, opportunityId);
		await db.service(
			(tx) => tx`update public.opportunities set title = 'Renamed' where id = ${opportunityId}`
		);
		expect(await entriesOf('opportunities', opportunityId)).toEqual([]);

		const [application] = await db.service(
			(tx) => tx<{ id: string }[]>`
				select id from public.applications
				where opportunity_id = ${opportunityId} and applicant_id = ${youthId}
			`
		);
		await declineApplication(db, { id: staffId }, opportunityId, youthId);
		expect(await entriesOf('applications', application!.id)).toMatchObject([
			{
				actor_id: staffId,
				action: 'update',
				before: { status: 'accepted' },
				after: { status: 'declined' }
			}
		]);
	});

	it('records organization reviews and deactivation', async () => {
		const pendingId = await createOrganization(db, { status: 'pending' });
		const rejectedId = await createOrganization(db, { status: 'pending' });
		await reviewOrganization(db, { id: coordinatorId }, pendingId, 'verified');
		await reviewOrganization(db, { id: coordinatorId }, rejectedId, 'rejected');
		await setBranchActive(db, { id: coordinatorId }, pendingId, false);
		expect(await entriesOf('organizations', pendingId)).toMatchObject([
			{ actor_id: coordinatorId, before: { status: 'pending' }, after: { status: 'verified' } },
			{ actor_id: coordinatorId, before: { is_active: true }, after: { is_active: false } }
		]);
		expect(await entriesOf('organizations', rejectedId)).toMatchObject([
			{ actor_id: coordinatorId, before: { status: 'pending' }, after: { status: 'rejected' } }
		]);
	});

	it('records quota inserts and updates', async () => {
		const input = { year: QUOTA_YEAR, orgKind: 'town_committee', publicMin: 5, selfMin: 10 };
		await setQuota(db, { id: coordinatorId }, input);
		await setQuota(db, { id: coordinatorId }, { ...input, selfMin: 14 });
		const entries = await entriesOf('quotas', `${QUOTA_YEAR}:town_committee`);
		expect(entries).toHaveLength(2);
		expect(entries[0]).toMatchObject({ actor_id: coordinatorId, action: 'insert', before: null });
		expect(entries[0]!.after).toMatchObject({ public_min: 5, self_min: 10 });
		expect(entries[1]).toMatchObject({
			actor_id: coordinatorId,
			action: 'update',
			before: { self_min: 10 },
			after: { self_min: 14 }
		});
	});

	it('records memberships with system actor', async () => {
		await addMember(db, organizationId, memberId, 'staff');
		await removeMember(db, { id: staffId }, organizationId, memberId);
		const entries = await entriesOf('org_members', `${organizationId}:${memberId}`);
		expect(entries).toMatchObject([
			{ actor_id: null, action: 'insert', before: null, after: { role: 'staff' } },
			{ actor_id: staffId, action: 'delete', before: { role: 'staff' }, after: null }
		]);
	});

	it('shows entries to coordinators only', async () => {
		const coordinatorView = await listAuditEntries(db, { id: coordinatorId }, 'org_members');
		expect(coordinatorView.some((entry) => entry.rowId === `${organizationId}:${staffId}`)).toBe(
			true
		);
		expect(coordinatorView.every((entry) => entry.tableName === 'org_members')).toBe(true);
		for (const id of [youthId, staffId]) {
			const rows = await db.as({ id }, (tx) => tx`select id from public.audit_log`);
			expect(rows).toHaveLength(0);
			await expect(listAuditEntries(db, { id }, null)).rejects.toMatchObject({
				code: 'not_allowed'
			});
		}
	});

	it('rejects changes even by owner', async () => {
		const [entry] = await entriesOf('org_members', `${organizationId}:${staffId}`);
		const id = entry!.id;
		await expect(
			db.as(
				{ id: coordinatorId },
				(tx) => tx`update public.audit_log set action = 'delete' where id = ${id}`
			)
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			db.as({ id: coordinatorId }, (tx) => tx`delete from public.audit_log where id = ${id}`)
		).rejects.toMatchObject({ code: '42501' });
		await expect(
			db.service((tx) => tx`update public.audit_log set action = 'delete' where id = ${id}`)
		).rejects.toThrow(/audit_log_immutable/);
		await expect(
			db.service((tx) => tx`delete from public.audit_log where id = ${id}`)
		).rejects.toThrow(/audit_log_immutable/);
		await expect(db.service((tx) => tx`truncate public.audit_log`)).rejects.toThrow(
			/audit_log_immutable/
		);
		expect(await entriesOf('org_members', `${organizationId}:${staffId}`)).toMatchObject([
			{ id, action: 'insert' }
		]);
	});
});
