import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createDatabase, type Database } from '../../src/lib/server/db/client';
import { E2E } from './settings';

export const DEMO_PASSWORD = 'demo-2026-youth';

/**
 * A pool on the end-to-end site's database (or another site's, such as one from startOwnSite),
 * for arranging cases and checking outcomes.
 */
export function siteDatabase(site: { dataDir: string; databasePort: number } = E2E): Database {
	const password = readFileSync(`${site.dataDir}.password`, 'utf8').trim();
	return createDatabase(
		`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${site.databasePort}/postgres`,
		{ max: 2 }
	);
}

export type Language = 'zh' | 'en';

/** Sets the page's language through the switch link every page carries. */
export async function useLanguage(page: Page, language: Language): Promise<void> {
	await page.goto(`/lang/${language}?to=/`);
	await expect(page.locator('html')).toHaveAttribute('lang', language === 'zh' ? 'zh-CN' : 'en');
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
	await page.goto('/signin');
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill(password);
	await page.locator('form.stack button[type=submit]').click();
	await expect(page.locator('form[action="/signout"]')).toBeVisible();
}

/** Signs up a new youth with a unique email and returns it. */
export async function signUpYouth(page: Page, name: string): Promise<string> {
	const email = `e2e-${randomUUID().slice(0, 8)}@test.local`;
	await page.goto('/signup');
	await page.locator('input[name=displayName]').fill(name);
	await page.locator('input[name=email]').fill(email);
	await page.locator('input[name=password]').fill('long-enough-password');
	await page.locator('form.stack button[type=submit]').click();
	await expect(page.locator('form[action="/signout"]')).toBeVisible();
	return email;
}

export async function signOut(page: Page): Promise<void> {
	await page.locator('form[action="/signout"] button').click();
	await expect(page.locator('a[href="/signin"]')).toBeVisible();
}

/** Fails with the list of accessibility violations axe finds on the current page. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).analyze();
	const summary = results.violations.map(
		(violation) =>
			`${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`
	);
	expect(summary).toEqual([]);
}

/** A datetime-local value some days from now, at a given Shanghai hour. */
export function localInput(daysFromNow: number, hour: number): string {
	const shanghai = new Date(Date.now() + 8 * 3_600_000 + daysFromNow * 86_400_000);
	const date = shanghai.toISOString().slice(0, 10);
	return `${date}T${String(hour).padStart(2, '0')}:00`;
}
