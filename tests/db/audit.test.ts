import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyToOpportunity, declineApplication } from '../../src/lib/server/applications';
import { submitApplication } from '../../src/lib/server/applications/apply';
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

/** Moves an event into the past, as if it had been held. */
async function moveIntoPast(opportunityId: string): Promise<void> {
	await db.service(
		(tx) => tx`
			update public.opportunities set
				apply_opens_at = now() - interval '5 hours', apply_closes_at = now() - interval '3 hours',
				starts_at = now() - interval '2 hours', ends_at = now() - interval '1 hour'
			where id = ${opportunityId}
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
		await moveIntoPast(opportunityId);
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
			{ actor_id: youthId, action: 'insert', before: null, after: { status: 'accepted' } },
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
			{ actor_id: null, action: 'insert', after: { status: 'pending', is_active: true } },
			{ actor_id: coordinatorId, before: { status: 'pending' }, after: { status: 'verified' } },
			{ actor_id: coordinatorId, before: { is_active: true }, after: { is_active: false } }
		]);
		expect(await entriesOf('organizations', rejectedId)).toMatchObject([
			{ action: 'insert' },
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

describe('audit log coverage', () => {
	const APPLY = {
		confirmOverlap: false,
		birthDate: '2000-01-01',
		guardianName: '',
		guardianPhone: '',
		guardianConsent: false
	};

	it('rejects changes in replica mode', async () => {
		const [entry] = await entriesOf('org_members', `${organizationId}:${staffId}`);
		const id = entry!.id;
		const asReplica = (work: string, parameters: string[] = [id]) =>
			db.sql.begin(async (tx) => {
				await tx`set local session_replication_role = replica`;
				await tx.unsafe(work, parameters);
			});
		await expect(
			asReplica(`update public.audit_log set action = 'delete' where id = $1`)
		).rejects.toThrow(/audit_log_immutable/);
		await expect(asReplica(`delete from public.audit_log where id = $1`)).rejects.toThrow(
			/audit_log_immutable/
		);
		await expect(asReplica('truncate public.audit_log', [])).rejects.toThrow(/audit_log_immutable/);
		expect(await entriesOf('org_members', `${organizationId}:${staffId}`)).toMatchObject([
			{ id, action: 'insert' }
		]);
	});

	it('records apply anyway overlap', async () => {
		const first = await createEvent(db, organizationId);
		const second = await createEvent(db, organizationId);
		await submitApplication(db, { id: youthId }, first, APPLY);
		const asked = await submitApplication(db, { id: youthId }, second, APPLY);
		expect(asked.kind).toBe('overlap');
		const applied = await submitApplication(db, { id: youthId }, second, {
			...APPLY,
			confirmOverlap: true
		});
		expect(applied.kind).toBe('applied');
		const [firstRow, secondRow] = await db.service(
			(tx) => tx<{ id: string }[]>`
				select id from public.applications
				where applicant_id = ${youthId} and opportunity_id in (${first}, ${second})
				order by opportunity_id = ${first} desc
			`
		);
		expect(await entriesOf('applications', firstRow!.id)).toMatchObject([
			{ actor_id: youthId, action: 'insert', after: { overlap_confirmed: false } }
		]);
		expect(await entriesOf('applications', secondRow!.id)).toMatchObject([
			{
				actor_id: youthId,
				action: 'insert',
				after: { status: 'accepted', overlap_confirmed: true, opportunity_id: second }
			}
		]);
	});

	it('keeps guardian details out', async () => {
		const opportunityId = await createEvent(db, organizationId);
		await applyToOpportunity(db, { id: memberId }, opportunityId, {
			name: 'Guardian name',
			phone: '13900000000'
		});
		const [row] = await db.service(
			(tx) => tx<{ id: string }[]>`
				select id from public.applications
				where applicant_id = ${memberId} and opportunity_id = ${opportunityId}
			`
		);
		const entries = await entriesOf('applications', row!.id);
		expect(entries).toHaveLength(1);
		expect(Object.keys(entries[0]!.after!).sort()).toEqual([
			'applicant_id',
			'id',
			'opportunity_id',
			'overlap_confirmed',
			'status'
		]);
		expect(JSON.stringify(entries)).not.toContain('13900000000');
	});

	it('records attendance override reason', async () => {
		const opportunityId = await createEvent(db, organizationId);
		await applyToOpportunity(db, { id: coordinatorId }, opportunityId);
		await moveIntoPast(opportunityId);
		await recordAttendance(db, { id: staffId }, opportunityId, {
			personId: coordinatorId,
			checkedInAt: new Date(Date.now() - 2 * 3_600_000),
			checkedOutAt: null,
			reason: 'Phone battery was empty'
		});
		const corrections = await db.service(
			(tx) => tx<Entry[]>`
				select id, actor_id, action, before, after from public.audit_log
				where table_name = 'attendance_corrections'
					and after ->> 'opportunity_id' = ${opportunityId}
			`
		);
		expect(corrections).toHaveLength(1);
		expect(corrections[0]).toMatchObject({
			actor_id: staffId,
			action: 'insert',
			after: { person_id: coordinatorId, reason: 'Phone battery was empty' }
		});
		expect(await entriesOf('attendance', `${opportunityId}:${coordinatorId}`)).toMatchObject([
			{ actor_id: staffId, action: 'insert', after: { source: 'staff' } }
		]);
	});

	it('records role changes', async () => {
		const organization = await createOrganization(db);
		await addMember(db, organization, memberId, 'staff');
		await db.service(
			(tx) => tx`
				update public.org_members set role = 'admin'
				where organization_id = ${organization} and user_id = ${memberId}
			`
		);
		expect(await entriesOf('org_members', `${organization}:${memberId}`)).toMatchObject([
			{ action: 'insert', after: { role: 'staff' } },
			{ action: 'update', before: { role: 'staff' }, after: { role: 'admin' } }
		]);
	});

	it('records coordinator grants', async () => {
		const personId = await createPerson(db, 'Audit new coordinator');
		await makeCoordinator(db, personId);
		await db.service((tx) => tx`delete from public.coordinators where user_id = ${personId}`);
		expect(await entriesOf('coordinators', personId)).toMatchObject([
			{ action: 'insert', before: null },
			{ action: 'delete', after: null }
		]);
	});

	it('records star threshold changes', async () => {
		// Rolled back, so that no other test file sees other thresholds.
		const rollback = new Error('rollback');
		const seen = db.as({ id: coordinatorId }, async (tx) => {
			await tx`
				update public.volunteer_settings set star_thresholds = '{10,20,30,40,50}' where id
			`;
			const entries = await tx<Entry[]>`
				select id, actor_id, action, before, after from public.audit_log
				where table_name = 'volunteer_settings' order by id desc limit 1
			`;
			expect(entries[0]).toMatchObject({
				actor_id: coordinatorId,
				action: 'update',
				after: { star_thresholds: [10, 20, 30, 40, 50] }
			});
			throw rollback;
		});
		await expect(seen).rejects.toBe(rollback);
	});
});
