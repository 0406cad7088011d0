import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/client';
import { DomainError } from '../../src/lib/server/errors';
import { createEvent as draftEvent, setEventStatus } from '../../src/lib/server/events/manage';
import {
	addBranch,
	listBranches,
	moveBranch,
	renameBranch,
	setBranchActive
} from '../../src/lib/server/organizations/branches';
import {
	acceptInvitation,
	createInvitation,
	listOpenInvitations,
	previewInvitation,
	revokeInvitation
} from '../../src/lib/server/organizations/invitations';
import { listMembers, removeMember } from '../../src/lib/server/organizations/members';
import { registerOrganization } from '../../src/lib/server/organizations/register';
import {
	listPendingOrganizations,
	reviewOrganization
} from '../../src/lib/server/organizations/verify';
import { complianceOverview } from '../../src/lib/server/quotas';
import { yearOf } from '../../src/lib/time';
import {
	addMember,
	createEvent,
	createOrganization,
	createPerson,
	makeCoordinator,
	testDatabase
} from './fixtures';

let db: Database;
let coordinator: { id: string };

beforeAll(async () => {
	db = testDatabase();
	coordinator = { id: await createPerson(db, 'Coordinator') };
	await makeCoordinator(db, coordinator.id);
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

type OrganizationRow = {
	status: string;
	parent_id: string | null;
	is_active: boolean;
	name: string;
	verified_by: string | null;
	verified_at: Date | null;
};

async function organizationRow(id: string): Promise<OrganizationRow> {
	const [row] = await db.sql<OrganizationRow[]>`
		select status, parent_id, is_active, name, verified_by, verified_at
		from public.organizations where id = ${id}
	`;
	return row!;
}

async function memberRole(organizationId: string, userId: string): Promise<string | null> {
	const [row] = await db.sql<{ role: string }[]>`
		select role from public.org_members
		where organization_id = ${organizationId} and user_id = ${userId}
	`;
	return row?.role ?? null;
}

async function registerAs(
	person: string,
	name = `Sunflower charity ${randomUUID().slice(0, 8)}`
): Promise<string> {
	return registerOrganization(
		db,
		{ id: person },
		{
			name,
			kind: 'social_organization',
			parentId: '',
			townCode: 'zhaobaoshan',
			contactName: 'Contact',
			contactPhone: '13800000000'
		}
	);
}

const THIS_YEAR = yearOf(new Date());

async function complianceRow(branchId: string) {
	const rows = await complianceOverview(db, coordinator, THIS_YEAR);
	return rows.find((row) => row.organizationId === branchId);
}

describe('registering and reviewing organizations', () => {
	it('registers pending organization with admin registrant', async () => {
		const registrant = await createPerson(db);
		const organizationId = await registerAs(registrant);
		expect((await organizationRow(organizationId)).status).toBe('pending');
		expect(await memberRole(organizationId, registrant)).toBe('admin');
	});

	it('lists pending organizations for coordinators', async () => {
		const registrant = await createPerson(db, 'Registrant Wang');
		const organizationId = await registerAs(registrant);
		const pending = await listPendingOrganizations(db, coordinator);
		const listed = pending.find((organization) => organization.id === organizationId);
		expect(listed?.registrantName).toBe('Registrant Wang');
		const youth = await createPerson(db);
		const seenByYouth = await listPendingOrganizations(db, { id: youth });
		expect(seenByYouth.map((organization) => organization.id)).not.toContain(organizationId);
	});

	it('coordinator verifies pending organization', async () => {
		const organizationId = await registerAs(await createPerson(db));
		await reviewOrganization(db, coordinator, organizationId, 'verified');
		const row = await organizationRow(organizationId);
		expect(row.status).toBe('verified');
		expect(row.verified_by).toBe(coordinator.id);
		expect(row.verified_at).not.toBeNull();
	});

	it('coordinator rejects pending organization', async () => {
		const organizationId = await registerAs(await createPerson(db));
		await reviewOrganization(db, coordinator, organizationId, 'rejected');
		const row = await organizationRow(organizationId);
		expect(row.status).toBe('rejected');
		expect(row.verified_by).toBe(coordinator.id);
	});

	it('rejects a second review', async () => {
		const organizationId = await registerAs(await createPerson(db));
		await reviewOrganization(db, coordinator, organizationId, 'rejected');
		expect(
			await rejectionCode(reviewOrganization(db, coordinator, organizationId, 'verified'))
		).toBe('organization_not_pending');
		expect((await organizationRow(organizationId)).status).toBe('rejected');
	});

	it('admin cannot verify own organization', async () => {
		const registrant = await createPerson(db);
		const organizationId = await registerAs(registrant);
		expect(
			await rejectionCode(reviewOrganization(db, { id: registrant }, organizationId, 'verified'))
		).toBe('not_allowed');
		expect((await organizationRow(organizationId)).status).toBe('pending');
	});

	it('admin cannot verify by direct update', async () => {
		const registrant = await createPerson(db);
		const organizationId = await registerAs(registrant);
		const direct = db.as(
			{ id: registrant },
			(tx) => tx`
			update public.organizations set status = 'verified' where id = ${organizationId}
		`
		);
		await expect(direct).rejects.toThrow('not_allowed');
		expect((await organizationRow(organizationId)).status).toBe('pending');
	});

	it('stranger cannot review pending organization', async () => {
		const organizationId = await registerAs(await createPerson(db));
		const stranger = await createPerson(db);
		expect(
			await rejectionCode(reviewOrganization(db, { id: stranger }, organizationId, 'verified'))
		).toBe('not_found');
		expect((await organizationRow(organizationId)).status).toBe('pending');
	});

	it('unverified organization cannot publish', async () => {
		const registrant = await createPerson(db);
		const organizationId = await registerAs(registrant);
		const eventId = await draftEvent(db, { id: registrant }, organizationId, {
			title: 'Beach clean-up',
			description: '',
			theme: '',
			orbit: 'self',
			townCode: 'zhaobaoshan',
			place: '',
			startsAt: '2030-05-04T09:00',
			endsAt: '2030-05-04T12:00',
			applyOpensAt: '2030-04-01T09:00',
			applyClosesAt: '2030-05-03T09:00',
			capacity: '20'
		});
		expect(await rejectionCode(setEventStatus(db, { id: registrant }, eventId, 'published'))).toBe(
			'organization_not_verified'
		);
		const [event] = await db.sql`select status from public.opportunities where id = ${eventId}`;
		expect(event!.status).toBe('draft');
	});
});

describe('the branch tree', () => {
	it('adds verified branch without admin', async () => {
		const parentId = await createOrganization(db, { kind: 'district_committee' });
		const branchId = await addBranch(db, coordinator, {
			name: 'Qinshan village branch',
			kind: 'village_branch',
			parentId,
			townCode: 'jiulonghu',
			contactName: 'Contact',
			contactPhone: '13800000000'
		});
		const row = await organizationRow(branchId);
		expect(row.status).toBe('verified');
		expect(row.parent_id).toBe(parentId);
		const [members] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from public.org_members where organization_id = ${branchId}
		`;
		expect(members!.count).toBe(0);
		const listed = await listBranches(db, coordinator);
		expect(listed.map((branch) => branch.id)).toContain(branchId);
	});

	it('non-coordinator cannot add branch', async () => {
		const person = await createPerson(db);
		const name = `Branch by a youth ${Date.now()}`;
		const adding = addBranch(
			db,
			{ id: person },
			{
				name,
				kind: 'village_branch',
				parentId: '',
				townCode: '',
				contactName: 'Contact',
				contactPhone: '13800000000'
			}
		);
		expect(await rejectionCode(adding)).toBe('not_allowed');
		const direct = db.as(
			{ id: person },
			(tx) => tx`
			insert into public.organizations (name, kind, contact_name, contact_phone, status,
				created_by)
			values (${name}, 'village_branch', 'Contact', '13800000000', 'verified', ${person})
		`
		);
		await expect(direct).rejects.toThrow('organization_not_verified');
		const [row] = await db.sql`select 1 from public.organizations where name = ${name}`;
		expect(row).toBeUndefined();
	});

	it('rejects non-branch kind', async () => {
		const adding = addBranch(db, coordinator, {
			name: 'Not a branch',
			kind: 'enterprise',
			parentId: '',
			townCode: '',
			contactName: 'Contact',
			contactPhone: '13800000000'
		});
		expect(await rejectionCode(adding)).toBe('invalid_input');
	});

	it('renames a branch', async () => {
		const branchId = await createOrganization(db);
		await renameBranch(db, coordinator, branchId, '共青团蛟川测试街道委员会');
		expect((await organizationRow(branchId)).name).toBe('共青团蛟川测试街道委员会');
	});

	it('moved branch keeps its counts', async () => {
		const oldParent = await createOrganization(db, { kind: 'district_committee' });
		const newParent = await createOrganization(db, { kind: 'district_committee' });
		const branchId = await createOrganization(db, { parentId: oldParent });
		// Mid-June of the current Asia/Shanghai year, so the events count in this year's overview.
		for (const orbit of ['public', 'public', 'self'] as const) {
			await createEvent(db, branchId, {
				orbit,
				startsAt: new Date(Date.UTC(THIS_YEAR, 5, 15, 2)),
				applyOpensAt: new Date(Date.UTC(THIS_YEAR, 5, 1, 2)),
				applyClosesAt: new Date(Date.UTC(THIS_YEAR, 5, 14, 2))
			});
		}
		const before = await complianceRow(branchId);
		expect(before?.publicCount).toBe(2);
		expect(before?.selfCount).toBe(1);

		await moveBranch(db, coordinator, branchId, newParent);

		expect((await organizationRow(branchId)).parent_id).toBe(newParent);
		const after = await complianceRow(branchId);
		expect(after?.parentId).toBe(newParent);
		expect(after?.publicCount).toBe(2);
		expect(after?.selfCount).toBe(1);
	});

	it('rejects move under own descendant', async () => {
		const district = await createOrganization(db, { kind: 'district_committee' });
		const town = await createOrganization(db, { parentId: district });
		const village = await createOrganization(db, { kind: 'village_branch', parentId: town });
		expect(await rejectionCode(moveBranch(db, coordinator, district, village))).toBe(
			'branch_cycle'
		);
		expect(await rejectionCode(moveBranch(db, coordinator, town, town))).toBe('branch_cycle');
		expect((await organizationRow(district)).parent_id).toBeNull();
		expect((await organizationRow(town)).parent_id).toBe(district);
	});

	it('rejects inactive or non-branch parent', async () => {
		const branchId = await createOrganization(db);
		const enterprise = await createOrganization(db, { kind: 'enterprise' });
		const inactive = await createOrganization(db, { kind: 'district_committee' });
		await setBranchActive(db, coordinator, inactive, false);
		expect(await rejectionCode(moveBranch(db, coordinator, branchId, enterprise))).toBe(
			'invalid_parent'
		);
		expect(await rejectionCode(moveBranch(db, coordinator, branchId, inactive))).toBe(
			'invalid_parent'
		);
		expect((await organizationRow(branchId)).parent_id).toBeNull();
	});

	it('admin cannot move or deactivate branch', async () => {
		const parent = await createOrganization(db, { kind: 'district_committee' });
		const branchId = await createOrganization(db);
		const admin = await createPerson(db);
		await addMember(db, branchId, admin, 'admin');
		expect(await rejectionCode(moveBranch(db, { id: admin }, branchId, parent))).toBe(
			'not_allowed'
		);
		expect(await rejectionCode(setBranchActive(db, { id: admin }, branchId, false))).toBe(
			'not_allowed'
		);
		const row = await organizationRow(branchId);
		expect(row.parent_id).toBeNull();
		expect(row.is_active).toBe(true);
	});

	it('deactivated branch leaves compliance overview', async () => {
		const branchId = await createOrganization(db);
		expect(await complianceRow(branchId)).toBeDefined();

		await setBranchActive(db, coordinator, branchId, false);
		expect(await complianceRow(branchId)).toBeUndefined();
		expect((await organizationRow(branchId)).is_active).toBe(false);

		await setBranchActive(db, coordinator, branchId, true);
		expect(await complianceRow(branchId)).toBeDefined();
	});
});

describe('invitations', () => {
	async function organizationWithAdmin() {
		const organizationId = await createOrganization(db);
		const admin = await createPerson(db, 'Admin Chen');
		await addMember(db, organizationId, admin, 'admin');
		return { organizationId, admin: { id: admin } };
	}

	async function invitationRow(token: string) {
		const [row] = await db.sql<{ used_by: string | null; used_at: Date | null }[]>`
			select used_by, used_at from public.org_invitations
			where token_hash = extensions.digest(${token}, 'sha256')
		`;
		return row;
	}

	it('stores only the token hash', async () => {
		const { organizationId, admin } = await organizationWithAdmin();
		const { token } = await createInvitation(db, admin, organizationId, { role: 'staff', days: 7 });
		const [row] = await db.sql<{ token_hash: Buffer; expires_at: Date }[]>`
			select token_hash, expires_at from public.org_invitations
			where organization_id = ${organizationId}
		`;
		expect(row!.token_hash.toString('base64url')).not.toBe(token);
		expect(row!.token_hash.length).toBe(32);
		const days = (row!.expires_at.getTime() - Date.now()) / 86_400_000;
		expect(days).toBeGreaterThan(6.9);
		expect(days).toBeLessThanOrEqual(7);
	});

	it('preview shows organization and role', async () => {
		const { organizationId, admin } = await organizationWithAdmin();
		const { token } = await createInvitation(db, admin, organizationId, { role: 'admin', days: 7 });
		const preview = await previewInvitation(db, null, token);
		expect(preview.organizationId).toBe(organizationId);
		expect(preview.role).toBe('admin');
		expect(preview.state).toBe('open');
	});

	it('accepts invitation only once', async () => {
		const { organizationId, admin } = await organizationWithAdmin();
		const { token } = await createInvitation(db, admin, organizationId, { role: 'staff', days: 7 });
		const first = await createPerson(db);
		expect(await acceptInvitation(db, { id: first }, token)).toBe(organizationId);
		expect(await memberRole(organizationId, first)).toBe('staff');

		const second = await createPerson(db);
		expect(await rejectionCode(acceptInvitation(db, { id: second }, token))).toBe(
			'invitation_used'
		);
		expect(await memberRole(organizationId, second)).toBeNull();
		expect((await invitationRow(token))?.used_by).toBe(first);
		expect((await previewInvitation(db, { id: second }, token)).state).toBe('used');
	});

	it('expired invitation changes nothing', async () => {
		const { organizationId, admin } = await organizationWithAdmin();
		const { token } = await createInvitation(db, admin, organizationId, { role: 'staff', days: 1 });
		await db.sql`
			update public.org_invitations set expires_at = now() - interval '1 minute'
			where token_hash = extensions.digest(${token}, 'sha256')
		`;
		const invitee = await createPerson(db);
		expect(await rejectionCode(acceptInvitation(db, { id: invitee }, token))).toBe(
			'invitation_expired'
		);
		expect(await memberRole(organizationId, invitee)).toBeNull();
		expect((await invitationRow(token))?.used_at).toBeNull();
		expect((await previewInvitation(db, { id: invitee }, token)).state).toBe('expired');
	});

	it('rejects an unknown token', async () => {
		const invitee = await createPerson(db);
		const token = 'x'.repeat(43);
		expect(await rejectionCode(acceptInvitation(db, { id: invitee }, token))).toBe(
			'invitation_not_found'
		);
		expect(await rejectionCode(previewInvitation(db, { id: invitee }, token))).toBe(
			'invitation_not_found'
		);
	});

	it('visitor cannot accept invitation', async () => {
		const { organizationId, admin } = await organizationWithAdmin();
		const { token } = await createInvitation(db, admin, organizationId, { role: 'staff', days: 7 });
		expect(await rejectionCode(acceptInvitation(db, null, token))).toBe('not_signed_in');
		expect((await invitationRow(token))?.used_at).toBeNull();
	});

	it('staff cannot create invitations', async () => {
		const { organizationId } = await organizationWithAdmin();
		const staff = await createPerson(db);
		await addMember(db, organizationId, staff, 'staff');
		const creating = createInvitation(db, { id: staff }, organizationId, {
			role: 'staff',
			days: 7
		});
		expect(await rejectionCode(creating)).toBe('not_allowed');
		const stranger = await createPerson(db);
		const creatingElsewhere = createInvitation(db, { id: stranger }, organizationId, {
			role: 'admin',
			days: 7
		});
		expect(await rejectionCode(creatingElsewhere)).toBe('not_allowed');
		const [row] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from public.org_invitations
			where organization_id = ${organizationId}
		`;
		expect(row!.count).toBe(0);
	});

	it('coordinator invites new branch admin', async () => {
		const branchId = await addBranch(db, coordinator, {
			name: 'Houdajie community branch',
			kind: 'community_branch',
			parentId: '',
			townCode: 'zhaobaoshan',
			contactName: 'Contact',
			contactPhone: '13800000000'
		});
		expect((await listBranches(db, coordinator)).find((b) => b.id === branchId)?.hasAdmin).toBe(
			false
		);
		const { token } = await createInvitation(db, coordinator, branchId, {
			role: 'admin',
			days: 7
		});
		const secretary = await createPerson(db);
		await acceptInvitation(db, { id: secretary }, token);
		expect(await memberRole(branchId, secretary)).toBe('admin');
		expect((await listBranches(db, coordinator)).find((b) => b.id === branchId)?.hasAdmin).toBe(
			true
		);
	});

	it('lists and revokes open invitations', async () => {
		const { organizationId, admin } = await organizationWithAdmin();
		const { token } = await createInvitation(db, admin, organizationId, { role: 'staff', days: 7 });
		const open = await listOpenInvitations(db, admin, organizationId);
		expect(open).toHaveLength(1);
		expect(open[0]!.createdByName).toBe('Admin Chen');

		const staff = await createPerson(db);
		await addMember(db, organizationId, staff, 'staff');
		expect(
			await rejectionCode(revokeInvitation(db, { id: staff }, organizationId, open[0]!.id))
		).toBe('not_allowed');
		expect(await listOpenInvitations(db, admin, organizationId)).toHaveLength(1);

		await revokeInvitation(db, admin, organizationId, open[0]!.id);
		expect(await listOpenInvitations(db, admin, organizationId)).toHaveLength(0);
		const invitee = await createPerson(db);
		expect(await rejectionCode(acceptInvitation(db, { id: invitee }, token))).toBe(
			'invitation_not_found'
		);
	});
});

describe('members', () => {
	it('fellow members see names', async () => {
		const organizationId = await createOrganization(db);
		const admin = await createPerson(db, 'Admin Li');
		const staff = await createPerson(db, 'Staff Zhou');
		await addMember(db, organizationId, admin, 'admin');
		await addMember(db, organizationId, staff, 'staff');
		const members = await listMembers(db, { id: admin }, organizationId);
		expect(members.map((member) => [member.displayName, member.role])).toEqual([
			['Admin Li', 'admin'],
			['Staff Zhou', 'staff']
		]);
	});

	it('admin removes staff', async () => {
		const organizationId = await createOrganization(db);
		const admin = await createPerson(db);
		const staff = await createPerson(db);
		await addMember(db, organizationId, admin, 'admin');
		await addMember(db, organizationId, staff, 'staff');
		await removeMember(db, { id: admin }, organizationId, staff);
		expect(await memberRole(organizationId, staff)).toBeNull();
	});

	it('staff cannot remove members', async () => {
		const organizationId = await createOrganization(db);
		const admin = await createPerson(db);
		const staff = await createPerson(db);
		const otherStaff = await createPerson(db);
		await addMember(db, organizationId, admin, 'admin');
		await addMember(db, organizationId, staff, 'staff');
		await addMember(db, organizationId, otherStaff, 'staff');
		expect(await rejectionCode(removeMember(db, { id: staff }, organizationId, otherStaff))).toBe(
			'not_allowed'
		);
		expect(await memberRole(organizationId, otherStaff)).toBe('staff');
	});

	it('last admin cannot leave', async () => {
		const organizationId = await createOrganization(db);
		const admin = await createPerson(db);
		await addMember(db, organizationId, admin, 'admin');
		expect(await rejectionCode(removeMember(db, { id: admin }, organizationId, admin))).toBe(
			'last_admin'
		);
		expect(await memberRole(organizationId, admin)).toBe('admin');
	});

	it('admin leaves while another stays', async () => {
		const organizationId = await createOrganization(db);
		const first = await createPerson(db);
		const second = await createPerson(db);
		await addMember(db, organizationId, first, 'admin');
		await addMember(db, organizationId, second, 'admin');
		await removeMember(db, { id: first }, organizationId, first);
		expect(await memberRole(organizationId, first)).toBeNull();
		expect(await memberRole(organizationId, second)).toBe('admin');
	});

	it('concurrent removals keep one admin', async () => {
		const organizationId = await createOrganization(db);
		const first = await createPerson(db);
		const second = await createPerson(db);
		await addMember(db, organizationId, first, 'admin');
		await addMember(db, organizationId, second, 'admin');

		// The first removal stays uncommitted while the second one starts, so the second cannot
		// count on seeing it.
		let commitFirst = () => {};
		const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
		let firstDeleted = () => {};
		const deleted = new Promise<void>((resolve) => (firstDeleted = resolve));
		const firstRemoval = db.as({ id: first }, async (tx) => {
			await tx`
				delete from public.org_members
				where organization_id = ${organizationId} and user_id = ${second}
			`;
			firstDeleted();
			await firstMayCommit;
		});
		await deleted;
		const secondRemoval = rejectionCode(removeMember(db, { id: second }, organizationId, first));
		await new Promise((resolve) => setTimeout(resolve, 200));
		commitFirst();
		await firstRemoval;

		expect(await secondRemoval).toBe('last_admin');
		expect(await memberRole(organizationId, first)).toBe('admin');
		expect(await memberRole(organizationId, second)).toBeNull();
	});
});
