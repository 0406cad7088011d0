import { expect, test, type Browser } from '@playwright/test';
import type { Database } from '../../src/lib/server/db/client';
import { expectNoAxeViolations, signIn, siteDatabase, useLanguage, type Language } from './support';

let db: Database;
let organizationId: string;
let eventId: string;

test.beforeAll(async () => {
	db = siteDatabase();
	const [row] = await db.sql<{ organizationId: string; eventId: string }[]>`
		select o.organization_id as "organizationId", o.id as "eventId"
		from public.opportunities o
		join public.org_members m on m.organization_id = o.organization_id
		join auth.users u on u.id = m.user_id
		where u.email = 'staff@demo.local' and o.status = 'published' and o.starts_at > now()
		order by o.starts_at limit 1
	`;
	organizationId = row!.organizationId;
	eventId = row!.eventId;
});

test.afterAll(async () => {
	await db.end();
});

type Role = 'visitor' | 'youth' | 'staff' | 'coordinator';

const PAGES: Record<Role, (() => string)[]> = {
	visitor: [() => '/', () => `/opportunities/${eventId}`, () => '/signin', () => '/signup'],
	youth: [
		() => '/',
		() => `/opportunities/${eventId}`,
		() => '/me/applications',
		() => '/org/register'
	],
	staff: [
		() => '/org',
		() => `/org/${organizationId}`,
		() => `/org/${organizationId}/events/new`,
		() => `/org/${organizationId}/events/${eventId}`,
		() => `/org/${organizationId}/members`
	],
	coordinator: [() => '/coordinator', () => '/coordinator/organizations']
};

async function pageFor(browser: Browser, role: Role, language: Language) {
	const page = await (await browser.newContext()).newPage();
	await useLanguage(page, language);
	if (role !== 'visitor') {
		await signIn(page, `${role}@demo.local`);
	}
	return page;
}

for (const language of ['zh', 'en'] as const) {
	for (const role of Object.keys(PAGES) as Role[]) {
		test(`${role} pages pass axe (${language})`, async ({ browser }) => {
			const page = await pageFor(browser, role, language);
			for (const path of PAGES[role]) {
				const response = await page.goto(path());
				expect(response?.status(), path()).toBe(200);
				await expect(page.locator('html')).toHaveAttribute(
					'lang',
					language === 'zh' ? 'zh-CN' : 'en'
				);
				await expectNoAxeViolations(page);
				const name = `${role}-${language}${path()
					.replace(/[0-9a-f-]{36}/g, 'id')
					.replace(/\W+/g, '-')}`;
				await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
			}
		});
	}
}

test('youth cannot open staff or coordinator pages', async ({ browser }) => {
	const page = await pageFor(browser, 'youth', 'zh');
	expect((await page.goto(`/org/${organizationId}`))?.status()).toBe(403);
	expect((await page.goto('/coordinator'))?.status()).toBe(403);
	await expect(page.getByText('你没有权限执行此操作。')).toBeVisible();
});

test('visitor is sent to sign in from private pages', async ({ page }) => {
	await page.goto('/me/applications');
	await expect(page).toHaveURL(/\/signin\?next=%2Fme%2Fapplications$/);
});
