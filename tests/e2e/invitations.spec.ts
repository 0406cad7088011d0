import { expect, test } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../src/lib/server/db/client';
import { E2E } from './settings';
import { signIn, signUpYouth, siteDatabase } from './support';

const BRANCH = '共青团招宝山街道委员会';
let db: Database;
let organizationId: string;

async function memberCount(): Promise<number> {
	const [row] = await db.sql<{ count: number }[]>`
		select count(*)::int as count from public.org_members where organization_id = ${organizationId}
	`;
	return row!.count;
}

test.beforeAll(async () => {
	db = siteDatabase();
	const [row] = await db.sql<
		{ id: string }[]
	>`select id from public.organizations where name = ${BRANCH}`;
	organizationId = row!.id;
});

test.afterAll(async () => {
	await db.end();
});

test('invitation link works once', async ({ browser }) => {
	const admin = await (await browser.newContext()).newPage();
	await signIn(admin, 'staff@demo.local');
	await admin.goto(`/org/${organizationId}/members`);
	await admin.getByRole('button', { name: '生成邀请链接' }).click();
	const link = await admin.getByLabel('邀请链接').inputValue();
	expect(link).toMatch(/\/invite\/[\w-]{43}$/);
	const path = new URL(link).pathname;

	const invited = await (await browser.newContext()).newPage();
	await signUpYouth(invited, '受邀同事');
	await invited.goto(path);
	await expect(invited.getByText(BRANCH)).toBeVisible();
	await invited.getByRole('button', { name: '接受并加入' }).click();
	await expect(invited).toHaveURL(new RegExp(`/org/${organizationId}$`));
	await expect(invited.getByRole('heading', { name: BRANCH })).toBeVisible();

	const before = await memberCount();
	const latecomer = await (await browser.newContext()).newPage();
	await signUpYouth(latecomer, '迟到者');
	const response = await latecomer.request.post(path, {
		form: { confirm: '1' },
		headers: { origin: E2E.origin, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(410);
	expect(await response.text()).toContain('该邀请链接已被使用。');
	expect(await memberCount()).toBe(before);
	const page = await latecomer.goto(path);
	expect(page?.status()).toBe(410);
});

test('expired invitation link rejected', async ({ browser }) => {
	const token = randomBytes(32).toString('base64url');
	await db.sql`
		insert into public.org_invitations (organization_id, token_hash, role, created_by, expires_at)
		select ${organizationId}, ${createHash('sha256').update(token).digest()}, 'staff', id,
			now() - interval '1 minute'
		from auth.users where email = 'staff@demo.local'
	`;
	const before = await memberCount();
	const visitor = await (await browser.newContext()).newPage();
	await signUpYouth(visitor, '过期链接');
	const response = await visitor.request.post(`/invite/${token}`, {
		form: { confirm: '1' },
		headers: { origin: E2E.origin, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status()).toBe(410);
	expect(await response.text()).toContain('该邀请链接已过期，请联系管理员重新邀请。');
	expect(await memberCount()).toBe(before);
});
