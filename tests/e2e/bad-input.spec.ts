import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/lib/server/db/client';
import { E2E } from './settings';
import { signIn, signUpYouth, siteDatabase } from './support';

const HOUR = 3_600_000;
const ADULT_BIRTH_DATE = '2000-01-01';
let db: Database;
let staffOrganizationId: string;
let otherOrganizationId: string;
let pendingOrganizationId: string;
// Hosts the events these cases apply to. It is not a league branch, so its events never move
// the quota counts that the loop test reads at the same time.
let hostOrganizationId: string;

/** Posts a form the way a browser without JavaScript does, with the page's cookies. */
async function postForm(
	page: Page,
	path: string,
	fields: Record<string, string> = { birthDate: ADULT_BIRTH_DATE }
) {
	const response = await page.request.post(path, {
		form: fields,
		headers: { origin: E2E.origin, accept: 'text/html' },
		maxRedirects: 0
	});
	return { status: response.status(), body: await response.text() };
}

async function createEvent(
	organizationId: string,
	options: { status?: string; capacity?: number; startsIn?: number; closesIn?: number } = {}
): Promise<string> {
	const startsAt = new Date(Date.now() + (options.startsIn ?? 48) * HOUR);
	const closesAt = new Date(
		Math.min(Date.now() + (options.closesIn ?? 24) * HOUR, startsAt.getTime())
	);
	return db.service(async (tx) => {
		const [row] = await tx<{ id: string }[]>`
			insert into public.opportunities (organization_id, kind, title, starts_at, ends_at,
				apply_opens_at, apply_closes_at, capacity, status)
			values (${organizationId}, 'event', ${`Bad input case ${randomUUID().slice(0, 6)}`},
				${startsAt}, ${new Date(startsAt.getTime() + 2 * HOUR)},
				${new Date(Math.min(Date.now() - 72 * HOUR, closesAt.getTime() - HOUR))}, ${closesAt},
				${options.capacity ?? 10}, ${options.status ?? 'published'})
			returning id
		`;
		await tx`insert into public.events (opportunity_id, orbit) values (${row!.id}, 'self')`;
		return row!.id;
	});
}

/** A digest of the rows a case may touch, to prove a rejected request changed nothing. */
async function digest(opportunityId: string): Promise<string> {
	const [row] = await db.sql<{ digest: string }[]>`
		select md5(
			(select row_to_json(o)::text from public.opportunities o where o.id = ${opportunityId}) ||
			(select row_to_json(e)::text from public.events e where e.opportunity_id = ${opportunityId}) ||
			coalesce((select string_agg(row_to_json(a)::text, ',' order by a.id)
				from public.applications a where a.opportunity_id = ${opportunityId}), '')
		) as digest
	`;
	return row!.digest;
}

test.beforeAll(async () => {
	db = siteDatabase();
	const [staffOrganization] = await db.sql<{ id: string }[]>`
		select m.organization_id as id from public.org_members m
		join auth.users u on u.id = m.user_id where u.email = 'staff@demo.local'
	`;
	staffOrganizationId = staffOrganization!.id;
	const [other] = await db.sql<{ id: string }[]>`
		select id from public.organizations where name = '共青团蛟川街道委员会'
	`;
	otherOrganizationId = other!.id;
	const [pending] = await db.sql<{ id: string }[]>`
		insert into public.organizations (name, kind, status, contact_name, contact_phone)
		values (${`待审核组织 ${randomUUID().slice(0, 6)}`}, 'social_organization', 'pending', '联系人', '13800000000')
		returning id
	`;
	pendingOrganizationId = pending!.id;
	const [host] = await db.sql<{ id: string }[]>`
		insert into public.organizations (name, kind, status, contact_name, contact_phone)
		values (${`边界测试主办方 ${randomUUID().slice(0, 6)}`}, 'social_organization', 'verified', '联系人',
			'13800000000')
		returning id
	`;
	hostOrganizationId = host!.id;
	await db.sql`
		insert into public.org_members (organization_id, user_id, role)
		select ${pendingOrganizationId}, id, 'admin' from auth.users where email = 'staff@demo.local'
	`;
});

test.afterAll(async () => {
	await db.end();
});

test.describe('a youth applying', () => {
	let youth: Page;

	test.beforeAll(async ({ browser }) => {
		youth = await (await browser.newContext()).newPage();
		await signUpYouth(youth, '边界测试');
	});

	const cases = [
		{ name: 'draft', options: { status: 'draft' }, status: 404, message: '未找到该页面或记录。' },
		{
			name: 'cancelled',
			options: { status: 'cancelled' },
			status: 404,
			message: '未找到该页面或记录。'
		},
		{
			name: 'started',
			options: { startsIn: -1, closesIn: -2 },
			status: 409,
			message: '活动已开始，不能再报名或取消报名。'
		},
		{ name: 'closed', options: { closesIn: -1 }, status: 409, message: '不在报名时间内。' }
	] as const;

	for (const item of cases) {
		test(`apply to ${item.name} event rejected`, async () => {
			const eventId = await createEvent(hostOrganizationId, item.options);
			const before = await digest(eventId);
			const response = await postForm(youth, `/opportunities/${eventId}?/apply`);
			expect(response.status).toBe(item.status);
			expect(response.body).toContain(item.message);
			expect(await digest(eventId)).toBe(before);
		});
	}

	test('full event puts the applicant on the waitlist', async () => {
		const eventId = await createEvent(hostOrganizationId, { capacity: 1 });
		const first = await (await youth.context().browser()!.newContext()).newPage();
		await signUpYouth(first, '先到者');
		expect((await postForm(first, `/opportunities/${eventId}?/apply`)).status).toBe(200);
		const response = await postForm(youth, `/opportunities/${eventId}?/apply`);
		expect(response.status).toBe(200);
		expect(response.body).toContain('你已进入候补名单，目前排第 1 位');
		const [event] = await db.sql<{ accepted: number }[]>`
			select accepted_count as accepted from public.opportunities where id = ${eventId}
		`;
		expect(event!.accepted).toBe(1);
	});

	test('missing birth date rejected in place', async () => {
		const eventId = await createEvent(hostOrganizationId);
		const newcomer = await (await youth.context().browser()!.newContext()).newPage();
		await signUpYouth(newcomer, '没填生日');
		const before = await digest(eventId);
		const response = await postForm(newcomer, `/opportunities/${eventId}?/apply`, {
			guardianName: ''
		});
		expect(response.status).toBe(400);
		expect(response.body).toContain('出生日期');
		expect(await digest(eventId)).toBe(before);
	});

	test('second application rejected', async () => {
		const eventId = await createEvent(hostOrganizationId);
		expect((await postForm(youth, `/opportunities/${eventId}?/apply`)).status).toBe(200);
		const before = await digest(eventId);
		const response = await postForm(youth, `/opportunities/${eventId}?/apply`);
		expect(response.status).toBe(409);
		expect(response.body).toContain('你已经报名了该活动。');
		expect(await digest(eventId)).toBe(before);
	});

	test('message follows the chosen language', async () => {
		const eventId = await createEvent(hostOrganizationId, { closesIn: -1 });
		await youth.goto('/lang/en?to=/');
		const response = await postForm(youth, `/opportunities/${eventId}?/apply`);
		await youth.goto('/lang/zh?to=/');
		expect(response.status).toBe(409);
		expect(response.body).toContain('Applications are not open at this time.');
	});

	test('visitor cannot apply', async ({ page }) => {
		const eventId = await createEvent(hostOrganizationId);
		const before = await digest(eventId);
		const response = await postForm(page, `/opportunities/${eventId}?/apply`);
		expect(response.status).toBe(401);
		expect(response.body).toContain('请先登录。');
		expect(await digest(eventId)).toBe(before);
	});
});

test.describe('organization staff', () => {
	let staff: Page;

	test.beforeAll(async ({ browser }) => {
		staff = await (await browser.newContext()).newPage();
		await signIn(staff, 'staff@demo.local');
	});

	test('malformed event form rejected in place', async () => {
		const [before] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from public.opportunities where organization_id = ${staffOrganizationId}
		`;
		const response = await postForm(staff, `/org/${staffOrganizationId}/events/new`, {
			title: '',
			orbit: 'sideways',
			startsAt: 'not a date',
			endsAt: '2026-01-01T10:00',
			applyOpensAt: '2026-01-01T08:00',
			applyClosesAt: '2026-01-01T09:00',
			capacity: 'abc'
		});
		expect(response.status).toBe(400);
		expect(response.body).toContain('此项必填。');
		expect(response.body).toContain('请输入有效的日期和时间。');
		expect(response.body).toContain('请从列表中选择。');
		const [after] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from public.opportunities where organization_id = ${staffOrganizationId}
		`;
		expect(after!.count).toBe(before!.count);
	});

	test("another organization's event is off limits", async () => {
		const eventId = await createEvent(otherOrganizationId);
		const before = await digest(eventId);
		for (const path of [
			`/org/${otherOrganizationId}/events/${eventId}?/cancel`,
			`/org/${staffOrganizationId}/events/${eventId}?/cancel`
		]) {
			const response = await postForm(staff, path);
			expect(response.status).toBe(403);
			expect(response.body).toContain('你没有权限执行此操作。');
		}
		expect(await digest(eventId)).toBe(before);
	});

	test('unverified organization cannot publish', async () => {
		const eventId = await createEvent(pendingOrganizationId, { status: 'draft' });
		const before = await digest(eventId);
		const response = await postForm(
			staff,
			`/org/${pendingOrganizationId}/events/${eventId}?/publish`
		);
		expect(response.status).toBe(409);
		expect(response.body).toContain('组织尚未通过团区委审核，暂不能发布活动。');
		expect(await digest(eventId)).toBe(before);
	});
});

test('malformed sign-up rejected in place', async ({ page }) => {
	const email = `not-an-email-${randomUUID().slice(0, 6)}`;
	const response = await postForm(page, '/signup', { displayName: '', email, password: 'short' });
	expect(response.status).toBe(400);
	expect(response.body).toContain('请输入有效的邮箱地址。');
	expect(response.body).toContain('密码至少 8 位。');
	const [user] = await db.sql`select 1 from auth.users where email = ${email}`;
	expect(user).toBeUndefined();
});

test.describe('cross-site posts', () => {
	const contentTypes = [
		'application/x-www-form-urlencoded',
		'APPLICATION/X-WWW-FORM-URLENCODED',
		'text/plain',
		'application/json'
	];

	for (const contentType of contentTypes) {
		test(`rejected with ${contentType}`, async ({ browser }) => {
			const youth = await (await browser.newContext()).newPage();
			await signUpYouth(youth, '跨站测试');
			const eventId = await createEvent(hostOrganizationId);
			const before = await digest(eventId);
			const response = await youth.request.post(`/opportunities/${eventId}?/apply`, {
				data: contentType === 'application/json' ? '{}' : `birthDate=${ADULT_BIRTH_DATE}`,
				headers: {
					origin: 'http://attacker.invalid',
					accept: 'text/html',
					'content-type': contentType
				},
				maxRedirects: 0
			});
			expect(response.status()).toBe(403);
			expect(await response.text()).toContain('请求来自其他网站，已被拒绝。');
			expect(await digest(eventId)).toBe(before);
		});
	}
});
