// Sessions, security headers, the origin check and the password change, through the real site.
import {
	expect,
	test,
	type APIRequestContext,
	type BrowserContext,
	type Page
} from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { Database } from '../../src/lib/server/db/client';
import { E2E } from './settings';
import { signIn, signUpYouth, siteDatabase, useLanguage, type Language } from './support';

const SESSION_COOKIE = 'session';
const SIGN_UP_PASSWORD = 'long-enough-password';
const NEW_PASSWORD = 'changed-password-2026';
const EVIL_ORIGIN = 'http://evil.example';

const messages: Record<Language, Record<string, string>> = {
	zh: JSON.parse(readFileSync('messages/zh.json', 'utf8')),
	en: JSON.parse(readFileSync('messages/en.json', 'utf8'))
};

let db: Database;
let opportunityId: string;

test.beforeAll(async () => {
	db = siteDatabase();
	const [row] = await db.service(
		(tx) => tx<{ id: string }[]>`
			select id from public.opportunities where status = 'published' order by starts_at limit 1
		`
	);
	opportunityId = row!.id;
});

test.afterAll(async () => {
	await db?.end();
});

async function sessionToken(context: BrowserContext): Promise<string | undefined> {
	const cookies = await context.cookies();
	return cookies.find((cookie) => cookie.name === SESSION_COOKIE)?.value;
}

/** Checks whether a request that carries `token` as its session cookie is signed in. */
async function isSignedIn(request: APIRequestContext, token: string): Promise<boolean> {
	const response = await request.get('/me/applications', {
		headers: { cookie: `${SESSION_COOKIE}=${token}` },
		maxRedirects: 0
	});
	return response.status() === 200;
}

async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
	await page.goto('/signin');
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill(password);
	await page.locator('form.stack button[type=submit]').click();
}

async function changePassword(page: Page, current: string, next: string, confirm = next) {
	await page.goto('/me/password');
	await page.locator('input[name=currentPassword]').fill(current);
	await page.locator('input[name=newPassword]').fill(next);
	await page.locator('input[name=confirmPassword]').fill(confirm);
	await page.locator('form.stack button[type=submit]').click();
}

test.describe('sessions', () => {
	test('sign-in rotates a planted token', async ({ page, context, request }) => {
		const email = await signUpYouth(page, '轮换青年');
		const signedUp = (await sessionToken(context))!;
		expect(signedUp).toBeTruthy();

		// Signing in again replaces the cookie, and the previous token stops working.
		// The page is signed in already, so wait for the sign-in's redirect home.
		await submitSignIn(page, email, SIGN_UP_PASSWORD);
		await page.waitForURL(`${E2E.origin}/`);
		const signedIn = (await sessionToken(context))!;
		expect(signedIn).not.toBe(signedUp);
		expect(await isSignedIn(request, signedUp)).toBe(false);
		expect(await isSignedIn(request, signedIn)).toBe(true);

		// A token planted before sign-in (session fixation) is replaced, not adopted.
		await context.clearCookies();
		await context.addCookies([
			{ name: SESSION_COOKIE, value: 'planted-by-someone-else', url: E2E.origin }
		]);
		await submitSignIn(page, email, SIGN_UP_PASSWORD);
		await expect(page.locator('form[action="/signout"]')).toBeVisible();
		const afterPlant = (await sessionToken(context))!;
		expect(afterPlant).not.toBe('planted-by-someone-else');
		expect(await isSignedIn(request, afterPlant)).toBe(true);
	});

	test('sign-out kills the token', async ({ page, context, request }) => {
		await signUpYouth(page, '退出青年');
		const token = (await sessionToken(context))!;
		expect(await isSignedIn(request, token)).toBe(true);
		await page.locator('form[action="/signout"] button').click();
		await expect(page.locator('a[href="/signin"]')).toBeVisible();
		expect(await sessionToken(context)).toBeUndefined();
		expect(await isSignedIn(request, token)).toBe(false);
	});

	test('password change signs out others', async ({ browser, request }) => {
		const changer = await browser.newContext();
		const other = await browser.newContext();
		try {
			const changerPage = await changer.newPage();
			const otherPage = await other.newPage();
			const email = await signUpYouth(changerPage, '改密青年');
			await signIn(otherPage, email, SIGN_UP_PASSWORD);
			const changerBefore = (await sessionToken(changer))!;
			const otherToken = (await sessionToken(other))!;

			await changePassword(changerPage, SIGN_UP_PASSWORD, NEW_PASSWORD);
			await expect(changerPage.locator('p.notice')).toHaveText(messages.zh.password_changed!);

			// The changer keeps a new session, and both old tokens are dead.
			const changerAfter = (await sessionToken(changer))!;
			expect(changerAfter).not.toBe(changerBefore);
			expect(await isSignedIn(request, changerBefore)).toBe(false);
			expect(await isSignedIn(request, otherToken)).toBe(false);
			await changerPage.goto('/me/applications');
			await expect(changerPage.locator('form[action="/signout"]')).toBeVisible();

			// The other browser is signed out on its next request.
			await otherPage.goto('/me/applications');
			await expect(otherPage).toHaveURL(/\/signin\?next=/);
			await expect(otherPage.locator('a[href="/signin"]')).toBeVisible();

			await submitSignIn(otherPage, email, SIGN_UP_PASSWORD);
			await expect(otherPage.locator('p.form-error')).toHaveText(
				messages.zh.error_invalid_credentials!
			);
			await submitSignIn(otherPage, email, NEW_PASSWORD);
			await expect(otherPage.locator('form[action="/signout"]')).toBeVisible();
		} finally {
			await changer.close();
			await other.close();
		}
	});

	test('password change rejects bad input', async ({ page, context, request }) => {
		await signUpYouth(page, '输错青年');
		const token = (await sessionToken(context))!;

		await changePassword(page, 'not-my-password', NEW_PASSWORD);
		await expect(page.locator('#currentPassword-error')).toHaveText(
			messages.zh.field_current_password_invalid!
		);
		await expect(page.locator('input[name=currentPassword]')).toHaveValue('');

		await changePassword(page, SIGN_UP_PASSWORD, NEW_PASSWORD, 'something-else-2026');
		await expect(page.locator('#confirmPassword-error')).toHaveText(
			messages.zh.field_passwords_differ!
		);
		await changePassword(page, SIGN_UP_PASSWORD, 'short');
		await expect(page.locator('#newPassword-error')).toHaveText(
			messages.zh.field_password_too_short!
		);

		// Without JavaScript: a 400, and the session still works, so nothing changed.
		const response = await page.request.post('/me/password', {
			form: {
				currentPassword: 'wrong-again',
				newPassword: NEW_PASSWORD,
				confirmPassword: NEW_PASSWORD
			},
			headers: { origin: E2E.origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status()).toBe(400);
		expect(await isSignedIn(request, token)).toBe(true);
	});

	test('password page needs sign-in', async ({ request }) => {
		const response = await request.get('/me/password', { maxRedirects: 0 });
		expect(response.status()).toBe(303);
		expect(response.headers().location).toBe('/signin?next=%2Fme%2Fpassword');
	});
});

/** Asserts the security headers of one response, naming the URL in each failure. */
function expectSecurityHeaders(label: string, headers: Record<string, string>): void {
	expect(headers['content-security-policy'], label).toContain("frame-ancestors 'none'");
	expect(headers['x-frame-options'], label).toBe('DENY');
	expect(headers['referrer-policy'], label).toBe('strict-origin-when-cross-origin');
	expect(headers['x-content-type-options'], label).toBe('nosniff');
	expect(headers['access-control-allow-origin'], label).toBeUndefined();
}

test.describe('security headers', () => {
	async function checkGets(request: APIRequestContext, paths: string[]) {
		for (const path of paths) {
			const response = await request.get(path, { maxRedirects: 0 });
			expectSecurityHeaders(`GET ${path} (${response.status()})`, response.headers());
		}
	}

	test('visitor responses', async ({ request }) => {
		await checkGets(request, [
			'/',
			'/signin',
			'/signup',
			'/__data.json',
			'/signin/__data.json',
			`/opportunities/${opportunityId}`,
			`/opportunities/${opportunityId}/calendar.ics`,
			'/no-such-page',
			'/me/applications',
			'/me/hours/record.pdf',
			'/coordinator/export.csv',
			'/lang/en?to=/',
			'/verify/000000000000'
		]);
		const statuses = await Promise.all(
			['/no-such-page', '/me/applications', '/lang/en?to=/'].map(async (path) =>
				(await request.get(path, { maxRedirects: 0 })).status()
			)
		);
		expect(statuses).toEqual([404, 303, 303]);
	});

	test('form action responses', async ({ request }) => {
		const refused = await request.post('/signin', {
			form: { email: 'not-an-email', password: '' },
			headers: { origin: E2E.origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(refused.status()).toBe(400);
		expectSecurityHeaders('POST /signin (400)', refused.headers());

		const enhanced = await request.post('/signin', {
			form: { email: 'not-an-email', password: '' },
			headers: { origin: E2E.origin, accept: 'application/json', 'x-sveltekit-action': 'true' },
			maxRedirects: 0
		});
		expectSecurityHeaders(`POST /signin enhanced (${enhanced.status()})`, enhanced.headers());

		const crossSite = await request.post('/signin', {
			form: { email: 'a@b.c', password: 'x' },
			headers: { origin: EVIL_ORIGIN },
			maxRedirects: 0
		});
		expect(crossSite.status()).toBe(403);
		expectSecurityHeaders('POST /signin cross-site (403)', crossSite.headers());
	});

	test('youth responses', async ({ page }) => {
		await signIn(page, 'youth@demo.local');
		await checkGets(page.request, [
			'/me/hours',
			'/me/hours/__data.json',
			'/me/hours/record.pdf',
			'/me/calendar',
			'/me/password',
			'/coordinator',
			'/coordinator/export.xlsx'
		]);
		const forbidden = await page.request.get('/coordinator', { maxRedirects: 0 });
		expect(forbidden.status()).toBe(403);
	});

	test('staff responses', async ({ page }) => {
		await signIn(page, 'staff@demo.local');
		await checkGets(page.request, ['/org', '/me/password', `/opportunities/${opportunityId}`]);
	});

	test('coordinator responses', async ({ page }) => {
		await signIn(page, 'coordinator@demo.local');
		await checkGets(page.request, [
			'/coordinator',
			'/coordinator/__data.json',
			'/coordinator/audit',
			'/coordinator/export.csv',
			'/coordinator/export.xlsx'
		]);
		const csv = await page.request.get('/coordinator/export.csv');
		expect(csv.status()).toBe(200);
	});
});

test.describe('origin check', () => {
	for (const language of ['zh', 'en'] as const) {
		test(`rejects cross-site JSON in ${language}`, async ({ request }) => {
			for (const path of ['/me/password', '/signin', '/__data.json', '/lang/en']) {
				const response = await request.post(path, {
					data: { currentPassword: 'x', newPassword: 'y' },
					headers: {
						origin: EVIL_ORIGIN,
						'content-type': 'application/json',
						cookie: `PARAGLIDE_LOCALE=${language}`
					},
					maxRedirects: 0
				});
				expect(response.status(), path).toBe(403);
				expect(await response.text(), path).toBe(messages[language].error_cross_site);
				expect(response.headers()['access-control-allow-origin'], path).toBeUndefined();
			}
		});
	}

	test('page data holds own data only', async ({ page, request }) => {
		const anonymous = await request.get('/me/applications/__data.json');
		expect(anonymous.status()).toBe(200);
		const anonymousBody = await anonymous.text();
		expect(anonymousBody).toContain('"type":"redirect"');
		expect(anonymousBody).not.toContain('@demo.local');

		await signIn(page, 'youth@demo.local');
		const own = await page.request.get('/__data.json');
		const ownBody = await own.text();
		expect(ownBody).toContain('youth@demo.local');
		expect(ownBody).not.toContain('staff@demo.local');
		expect(ownBody).not.toContain('coordinator@demo.local');
	});
});

test.describe('error pages', () => {
	for (const language of ['zh', 'en'] as const) {
		test(`404 shows no internals in ${language}`, async ({ page }) => {
			await useLanguage(page, language);
			const response = await page.goto('/opportunities/00000000-0000-0000-0000-000000000000');
			expect(response?.status()).toBe(404);
			await expect(page.locator('main h1')).toHaveText('404');
			await expect(page.locator('main p').first()).toHaveText(messages[language].error_not_found!);
			const body = await page.content();
			expect(body).not.toMatch(/ at .*\.(js|ts):\d+/);
			expect(body).not.toMatch(/select |from public\./i);
		});
	}
});

test.describe('password page', () => {
	for (const email of ['youth@demo.local', 'staff@demo.local']) {
		for (const language of ['zh', 'en'] as const) {
			test(`screenshot ${email} ${language}`, async ({ page }, testInfo) => {
				await useLanguage(page, language);
				await signIn(page, email);
				await page.locator('a[href="/me/password"]').click();
				await expect(page.locator('h1')).toHaveText(messages[language].password_title!);
				await page.locator('input[name=currentPassword]').fill('wrong-password-here');
				await page.locator('input[name=newPassword]').fill('short');
				await page.locator('input[name=confirmPassword]').fill('other');
				await page.locator('form.stack button[type=submit]').click();
				await expect(page.locator('#newPassword-error')).toBeVisible();
				const role = email.split('@')[0];
				await page.screenshot({
					path: testInfo.outputPath(`password-${role}-${language}.png`),
					fullPage: true
				});
			});
		}
	}
});
