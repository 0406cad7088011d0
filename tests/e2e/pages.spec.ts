import { expect, test, type Browser } from '@playwright/test';
import type { Database } from '../../src/lib/server/db/client';
import { expectNoAxeViolations, signIn, siteDatabase, useLanguage, type Language } from './support';

let db: Database;
let organizationId: string;
let eventId: string;
let pastEventId: string;

test.beforeAll(async () => {
	db = siteDatabase();
	const [upcoming] = await db.sql<{ organizationId: string; eventId: string }[]>`
		select o.organization_id as "organizationId", o.id as "eventId"
		from public.opportunities o
		join public.org_members m on m.organization_id = o.organization_id
		join auth.users u on u.id = m.user_id
		where u.email = 'staff@demo.local' and o.status = 'published' and o.starts_at > now()
		order by o.starts_at limit 1
	`;
	organizationId = upcoming!.organizationId;
	eventId = upcoming!.eventId;
	const [past] = await db.sql<{ id: string }[]>`
		select id from public.opportunities
		where organization_id = ${organizationId} and status = 'published' and ends_at < now()
		order by ends_at desc limit 1
	`;
	pastEventId = past!.id;
});

test.afterAll(async () => {
	await db.end();
});

type Role = 'visitor' | 'youth' | 'staff' | 'coordinator';

/** Every page each role can reach, so each is checked with axe in both languages. */
const PAGES: Record<Role, (() => string)[]> = {
	visitor: [() => '/', () => `/opportunities/${eventId}`, () => '/signin', () => '/signup'],
	youth: [
		() => '/',
		() => `/opportunities/${eventId}`,
		() => '/me/applications',
		() => '/me/notifications',
		() => '/me/calendar',
		() => '/me/hours',
		() => '/me/hours/record',
		() => `/checkin/${eventId}`,
		() => '/org/register'
	],
	staff: [
		() => '/org',
		() => `/org/${organizationId}`,
		() => `/org/${organizationId}/events/new`,
		() => `/org/${organizationId}/events/${eventId}`,
		() => `/org/${organizationId}/events/${eventId}/checkin`,
		() => `/org/${organizationId}/events/${pastEventId}/attendance`,
		() => `/org/${organizationId}/members`
	],
	coordinator: [
		() => '/coordinator',
		() => `/coordinator/branches/${organizationId}`,
		() => '/coordinator/quotas',
		() => '/coordinator/settings',
		() => '/coordinator/audit',
		() => '/coordinator/organizations'
	]
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
			// Up to nine pages, each with an axe scan and a full-page screenshot.
			test.setTimeout(180_000);
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

test('hours record verifies on the public page', async ({ browser }) => {
	const youth = await pageFor(browser, 'youth', 'zh');
	await youth.goto('/me/hours/record');
	const code = (await youth.locator('dd.code').innerText()).trim();
	expect(code.length).toBeGreaterThan(5);

	for (const language of ['zh', 'en'] as const) {
		const visitor = await pageFor(browser, 'visitor', language);
		const response = await visitor.goto(`/verify/${code}`);
		expect(response?.status()).toBe(200);
		await expect(visitor.getByText('林晓雨')).toBeVisible();
		await expectNoAxeViolations(visitor);
		await visitor.screenshot({
			path: `screenshots/visitor-${language}-verify.png`,
			fullPage: true
		});
	}

	const visitor = await pageFor(browser, 'visitor', 'zh');
	expect((await visitor.goto('/verify/NOSUCHCODE'))?.status()).toBe(404);
});
