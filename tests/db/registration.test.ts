import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/client';
import { registerOrganization } from '../../src/lib/server/organizations/register';
import {
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

function registration(name: string) {
	return {
		name,
		kind: 'social_organization',
		parentId: '',
		townCode: 'zhaobaoshan',
		contactName: '联系人',
		contactPhone: '13800000000'
	};
}

async function countNamed(name: string): Promise<number> {
	const [row] = await db.sql<{ count: number }[]>`
		select count(*)::int as count from public.organizations where lower(name) = lower(${name})
	`;
	return row!.count;
}

describe('organization registration', () => {
	it('rejects the name of an existing organization', async () => {
		const name = `共青团测试街道委员会${randomUUID().slice(0, 6)}`;
		await createOrganization(db, { name });
		const impostor = await createPerson(db);
		const code = await rejectionCode(
			registerOrganization(db, { id: impostor }, registration(name))
		);
		expect(code).toBe('organization_name_taken');
		expect(await countNamed(name)).toBe(1);
	});

	it('compares names without case', async () => {
		const name = `Sunflower Volunteers ${randomUUID().slice(0, 6)}`;
		await createOrganization(db, { name });
		const person = await createPerson(db);
		const code = await rejectionCode(
			registerOrganization(db, { id: person }, registration(name.toUpperCase()))
		);
		expect(code).toBe('organization_name_taken');
	});

	it('frees the name of a rejected registration', async () => {
		const name = `被驳回的组织${randomUUID().slice(0, 6)}`;
		const first = await createPerson(db);
		const id = await registerOrganization(db, { id: first }, registration(name));
		await db.sql`update public.organizations set status = 'rejected' where id = ${id}`;
		const second = await createPerson(db);
		await registerOrganization(db, { id: second }, registration(name));
		expect(await countNamed(name)).toBe(2);
	});

	it('allows three pending registrations per person', async () => {
		const person = await createPerson(db);
		for (let index = 0; index < 3; index++) {
			await registerOrganization(db, { id: person }, registration(`待审 ${randomUUID()}`));
		}
		const fourth = `待审 ${randomUUID()}`;
		const code = await rejectionCode(
			registerOrganization(db, { id: person }, registration(fourth))
		);
		expect(code).toBe('too_many_registrations');
		expect(await countNamed(fourth)).toBe(0);
	});

	it('does not limit coordinators', async () => {
		const coordinator = await createPerson(db);
		await makeCoordinator(db, coordinator);
		for (let index = 0; index < 4; index++) {
			await registerOrganization(
				db,
				{ id: coordinator },
				registration(`团区委登记 ${randomUUID()}`)
			);
		}
		const [row] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from public.organizations where created_by = ${coordinator}
		`;
		expect(row!.count).toBe(4);
	});
});
