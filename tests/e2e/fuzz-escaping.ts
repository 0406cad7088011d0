import { expect, type Browser, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import type { Database } from '../../src/lib/server/db/client';
import { HTML as SCRIPT, IMG as ATTRIBUTE, type Ids } from './fuzz-cases';
import { localInput, signIn } from './support';

// Stored values: hostile text typed into every stored text field through the site's own forms,
// then every page that shows it, as each role that can open it, in Chromium.

const TEMPLATE = "{{constructor.constructor('window.__xss=1')()}}";
const TITLE_BREAK = '</title><script>window.__xss=1</script>';

/** One hostile value per stored text field, each within its field's length limit. */
const STORED = {
	// Starts with + so that a spreadsheet would read it as a formula.
	eventTitle: `+模糊转义${TITLE_BREAK}${ATTRIBUTE}`,
	eventTheme: `${TEMPLATE}主题`,
	eventDescription: `第一行，逗号, 分号; 反斜杠\\\n${SCRIPT}\n第三行 ${TEMPLATE}`,
	eventPlace: `javascript:window.__xss=1 地点, 第2号; 楼`,
	displayName: `青年${ATTRIBUTE}`,
	guardianName: `${SCRIPT}监护人`,
	organizationName: `@组织${SCRIPT}`,
	contactName: `{{constructor}}${ATTRIBUTE}`,
	branchName: `=HYPERLINK("http://x","点")${SCRIPT}`,
	branchContact: `-1+2${ATTRIBUTE}`,
	renamedBranch: `-2+3${TITLE_BREAK}`,
	correctionReason: `补记${ATTRIBUTE}${SCRIPT}`
};

type Visit = { page: Page; problems: string[] };

async function visitor(browser: Browser, email?: string, password?: string): Promise<Visit> {
	const context = await browser.newContext({ baseURL: site.origin });
	const page = await context.newPage();
	const problems: string[] = [];
	page.on('dialog', (dialog) => {
		problems.push(`dialog: ${dialog.message()}`);
		void dialog.dismiss();
	});
	page.on('console', (message) => {
		if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
	});
	page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
	if (email) await signIn(page, email, password);
	return { page, problems };
}

/**
 * Opens a page and checks that the stored values show as text and nothing they carry ran or
 * became an element: no script set window.__xss, no img[src=x], no onerror attribute, no
 * script element of their own, no javascript: link, no dialog and no CSP report.
 */
async function expectInert(visit: Visit, path: string, shown: string[]): Promise<void> {
	const { page } = visit;
	const response = await page.goto(path);
	expect(response?.status(), path).toBeLessThan(400);
	for (const text of shown) {
		await expect(page.getByText(text).first(), `${path} shows ${text}`).toBeVisible();
	}
	const injected = await page.evaluate(() => ({
		flag: (window as unknown as { __xss?: unknown }).__xss,
		images: document.querySelectorAll('img[src="x"]').length,
		handlers: document.querySelectorAll('[onerror]').length,
		scripts: [...document.querySelectorAll('script')].filter(
			(script) => script.textContent?.trim() === 'window.__xss=1'
		).length,
		links: document.querySelectorAll('a[href^="javascript:" i]').length,
		title: document.title
	}));
	expect(injected, path).toMatchObject({ flag: undefined, images: 0, handlers: 0, scripts: 0 });
	expect(injected.links, path).toBe(0);
	expect(visit.problems, path).toEqual([]);
}

/** The site under test, its database and the fixtures fuzz.spec.ts made. */
export type EscapingSite = { origin: string; db: Database; ids: Ids };

let site: EscapingSite;

export async function storeAndVisit(browser: Browser, under: EscapingSite): Promise<void> {
	site = under;
	const { db, ids } = site;
	const limits: Partial<Record<keyof typeof STORED, number>> = {
		eventTitle: 120,
		eventDescription: 5000,
		eventPlace: 200,
		organizationName: 80,
		branchName: 80,
		renamedBranch: 80,
		correctionReason: 500
	};
	for (const [field, value] of Object.entries(STORED) as [keyof typeof STORED, string][]) {
		expect(value.length, field).toBeLessThanOrEqual(limits[field] ?? 60);
	}
	const staff = await visitor(browser, 'staff@demo.local');
	const coordinator = await visitor(browser, 'coordinator@demo.local');

	// A youth under 18 signs up with a hostile name and applies with a hostile guardian name.
	const youth = await visitor(browser);
	await youth.page.goto('/signup');
	await youth.page.locator('input[name=displayName]').fill(STORED.displayName);
	await youth.page.locator('input[name=email]').fill('fuzz-hostile@test.local');
	await youth.page.locator('input[name=password]').fill('long-enough-password');
	await youth.page.locator('form.stack button[type=submit]').click();
	await expect(youth.page.locator('form[action="/signout"]')).toBeVisible();

	// Staff post the event through the form and publish it.
	await staff.page.goto(`/org/${ids.staffOrg}/events/new`);
	const form = staff.page.locator('form.stack').first();
	await form.locator('[name=title]').fill(STORED.eventTitle);
	await form.locator('[name=theme]').fill(STORED.eventTheme);
	await form.locator('[name=description]').fill(STORED.eventDescription);
	await form.locator('[name=place]').fill(STORED.eventPlace);
	await form.locator('[name=startsAt]').fill(localInput(12, 9));
	await form.locator('[name=endsAt]').fill(localInput(12, 11));
	await form.locator('[name=applyOpensAt]').fill(localInput(-1, 9));
	await form.locator('[name=applyClosesAt]').fill(localInput(11, 9));
	await form.locator('[name=capacity]').fill('5');
	await form.locator('button[type=submit]').click();
	await staff.page.waitForURL(/\/events\/[0-9a-f-]{36}$/);
	const eventId = staff.page.url().split('/').pop()!;
	await staff.page.locator('form[action="?/publish"] button').click();
	await expect(staff.page.locator('form[action="?/publish"]')).toHaveCount(0);

	await youth.page.goto(`/opportunities/${eventId}`);
	const fifteen = new Date(Date.now() - 15 * 365.25 * 86_400_000).toISOString().slice(0, 10);
	await youth.page.locator('input[name=birthDate]').fill(fifteen);
	await youth.page.locator('input[name=guardianName]').fill(STORED.guardianName);
	await youth.page.locator('input[name=guardianPhone]').fill('13800000000');
	await youth.page.locator('input[name=guardianConsent]').check();
	await youth.page.locator('form[action="?/apply"] button[type=submit]').click();
	await expect(youth.page.locator('form[action="?/withdraw"]')).toBeVisible();

	// The calendar file carries the values escaped: ical.js reads back exactly what was typed.
	const ics = await youth.page.request.get(`/opportunities/${eventId}/calendar.ics`);
	const calendar = new ICAL.Component(ICAL.parse(await ics.text()));
	const vevent = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
	expect(vevent.summary).toBe(STORED.eventTitle);
	expect(vevent.description).toContain(STORED.eventDescription);
	expect(vevent.location).toContain(STORED.eventPlace);

	// A past event of the same organization, where staff correct the youth's attendance.
	// Triggers are off while it is written, as the demo loader writes past events.
	const pastId = await db.sql.begin(async (tx) => {
		await tx`set local session_replication_role = replica`;
		const startsAt = new Date(Date.now() - 5 * 3_600_000);
		const [row] = await tx<{ id: string }[]>`
			insert into public.opportunities (organization_id, kind, title, starts_at, ends_at,
				apply_opens_at, apply_closes_at, capacity, accepted_count, status)
			values (${ids.staffOrg}, 'event', '模糊转义已举办', ${startsAt},
				${new Date(startsAt.getTime() + 2 * 3_600_000)}, ${new Date(startsAt.getTime() - 86_400_000)},
				${new Date(startsAt.getTime() - 3_600_000)}, 5, 1, 'published')
			returning id
		`;
		await tx`insert into public.events (opportunity_id, orbit) values (${row!.id}, 'self')`;
		await tx`
			insert into public.applications (opportunity_id, applicant_id, status)
			select ${row!.id}, id, 'accepted' from auth.users where email = 'fuzz-hostile@test.local'
		`;
		return row!.id;
	});
	await staff.page.goto(`/org/${ids.staffOrg}/events/${pastId}/attendance`);
	const row = staff.page.locator('tr', { hasText: STORED.displayName });
	await row.locator('summary').click();
	const pastStart = new Date(Date.now() - 5 * 3_600_000 + 8 * 3_600_000).toISOString();
	const pastEnd = new Date(Date.now() - 3 * 3_600_000 + 8 * 3_600_000).toISOString();
	await row.locator('[name=checkedInAt]').fill(pastStart.slice(0, 16));
	await row.locator('[name=checkedOutAt]').fill(pastEnd.slice(0, 16));
	await row.locator('[name=reason]').fill(STORED.correctionReason);
	await row.locator('button[type=submit]').click();
	await expect(staff.page.getByText(STORED.correctionReason).first()).toBeVisible();

	// The youth registers an organization; the coordinator verifies it from the pending list.
	await youth.page.goto('/org/register');
	await youth.page.locator('[name=name]').fill(STORED.organizationName);
	await youth.page.locator('[name=kind]').selectOption('social_organization');
	await youth.page.locator('[name=contactName]').fill(STORED.contactName);
	await youth.page.locator('[name=contactPhone]').fill('13800000000');
	await youth.page.locator('form button[type=submit]').last().click();
	await youth.page.waitForURL(/\/org\/[0-9a-f-]{36}$/);
	const organizationId = youth.page.url().split('/').pop()!;
	await expectInert(coordinator, '/coordinator/organizations', [
		STORED.organizationName,
		STORED.contactName
	]);
	await coordinator.page
		.locator('form[action="?/verify"]', {
			has: coordinator.page.locator(`input[value="${organizationId}"]`)
		})
		.locator('button')
		.click();
	await expect(coordinator.page.locator(`input[value="${organizationId}"]`)).toHaveCount(0);

	// The coordinator adds a branch and renames another, both with formula-like names.
	const add = coordinator.page.locator('form[action="?/add"]');
	await add.locator('[name=name]').fill(STORED.branchName);
	await add.locator('[name=kind]').selectOption('village_branch');
	await add.locator('[name=parentId]').selectOption(ids.staffOrg);
	await add.locator('[name=contactName]').fill(STORED.branchContact);
	await add.locator('[name=contactPhone]').fill('13800000000');
	await add.locator('button[type=submit]').click();
	await expect(coordinator.page.getByText(STORED.branchName).first()).toBeVisible();
	const [branch] = await db.sql<{ id: string }[]>`
		select id from public.organizations where name = ${STORED.branchName}
	`;
	await coordinator.page.goto(`/coordinator/organizations?edit=${ids.branch}`);
	const rename = coordinator.page.locator('form[action="?/rename"]');
	await rename.locator('[name=name]').fill(STORED.renamedBranch);
	await rename.locator('button[type=submit]').click();
	await expect(coordinator.page.getByText(STORED.renamedBranch).first()).toBeVisible();

	// The youth, now admin of a verified organization, invites someone by link.
	await youth.page.goto(`/org/${organizationId}/members`);
	await youth.page.locator('form[action="?/invite"] button[type=submit]').click();
	const link = await youth.page.locator('input[readonly]').inputValue();
	const invitee = await visitor(browser, 'youth@demo.local');

	const year = new Date().getFullYear();
	const pages: [Visit, string, string[]][] = [
		[invitee, new URL(link).pathname, [STORED.organizationName]],
		[youth, `/opportunities/${eventId}`, [STORED.eventTitle, STORED.eventTheme]],
		[youth, '/me/applications', [STORED.eventTitle]],
		[youth, `/checkin/${eventId}`, [STORED.eventTitle]],
		[youth, '/me/hours', ['模糊转义已举办']],
		[youth, '/org', [STORED.organizationName]],
		[youth, `/org/${organizationId}`, [STORED.organizationName]],
		[youth, `/org/${organizationId}/members`, [STORED.displayName]],
		[staff, `/org/${ids.staffOrg}`, [STORED.eventTitle]],
		[staff, `/org/${ids.staffOrg}/events/${eventId}`, [STORED.displayName]],
		[staff, `/org/${ids.staffOrg}/events/${eventId}/checkin`, [STORED.eventTitle]],
		[staff, `/org/${ids.staffOrg}/events/${pastId}/attendance`, [STORED.correctionReason]],
		[coordinator, '/coordinator/organizations', [STORED.branchName, STORED.renamedBranch]],
		[coordinator, `/coordinator?year=${year}`, [STORED.renamedBranch]],
		[coordinator, `/coordinator/branches/${branch!.id}`, [STORED.branchName]],
		[coordinator, `/coordinator/branches/${ids.staffOrg}`, [STORED.eventTitle]],
		[coordinator, '/coordinator/audit', []]
	];
	const visitorPage = await visitor(browser);
	pages.push(
		[visitorPage, `/opportunities/${eventId}`, [STORED.eventTitle, STORED.eventPlace]],
		[visitorPage, `/?q=${encodeURIComponent('模糊转义')}`, [STORED.eventTitle]]
	);
	for (const [visit, path, shown] of pages) await expectInert(visit, path, shown);

	// The youth's record of hours and its public verification page show the name as text.
	await expectInert(youth, '/me/hours/record', [STORED.displayName]);
	const code = (await youth.page.locator('dd.code').first().textContent())?.trim();
	expect(code).toBeTruthy();
	await expectInert(visitorPage, `/verify/${code}`, [STORED.displayName]);

	await checkExports(coordinator.page, branch!.id);

	// Staff cancel the event; the notification shows the title as text.
	await staff.page.goto(`/org/${ids.staffOrg}/events/${eventId}`);
	await staff.page.locator('form[action="?/cancel"] button').click();
	await expect(staff.page.locator('form[action="?/cancel"]')).toHaveCount(0);
	await expectInert(youth, '/me/notifications', [STORED.eventTitle]);
}

/** Reads RFC 4180 CSV: quoted cells may hold commas, line breaks and doubled quotes. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let index = text.startsWith('\uFEFF') ? 1 : 0; index < text.length; index++) {
		const char = text[index]!;
		if (quoted) {
			if (char === '"' && text[index + 1] === '"') {
				cell += '"';
				index++;
			} else if (char === '"') quoted = false;
			else cell += char;
		} else if (char === '"') quoted = true;
		else if (char === ',') {
			row.push(cell);
			cell = '';
		} else if (char === '\n') {
			rows.push([...row, cell.replace(/\r$/, '')]);
			row = [];
			cell = '';
		} else cell += char;
	}
	return rows;
}

/**
 * Spreadsheet exports: a text cell that starts with =, +, - or @ is never a formula. CSV puts an
 * apostrophe before it; XLSX stores it as a string cell.
 */
async function checkExports(page: Page, branchId: string): Promise<void> {
	const { ids } = site;
	const year = new Date().getFullYear();
	for (const path of [
		`/coordinator/export.csv?year=${year}`,
		`/coordinator/branches/${ids.staffOrg}/export.csv?year=${year}`
	]) {
		const cells = parseCsv(await (await page.request.get(path)).text()).flat();
		const expected = path.includes('branches')
			? [STORED.eventTitle]
			: [STORED.branchName, STORED.renamedBranch];
		for (const value of expected) expect(cells, path).toContain(`'${value}`);
		expect(
			cells.filter((cell) => /^[=+\-@\t\r]/.test(cell)),
			path
		).toEqual([]);
	}
	for (const path of [
		`/coordinator/export.xlsx?year=${year}`,
		`/coordinator/branches/${ids.staffOrg}/export.xlsx?year=${year}`,
		`/coordinator/branches/${branchId}/export.xlsx?year=${year}`
	]) {
		const workbook = new ExcelJS.Workbook();
		const file = await (await page.request.get(path)).body();
		// exceljs's type names an older Buffer; the bytes are the same.
		await workbook.xlsx.load(file as unknown as Parameters<typeof workbook.xlsx.load>[0]);
		const strings: string[] = [];
		workbook.worksheets[0]!.eachRow((row) =>
			row.eachCell((cell) => {
				expect(cell.type, `${path} ${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
				if (cell.type === ExcelJS.ValueType.String) strings.push(String(cell.value));
			})
		);
		if (!path.includes(branchId)) {
			const expected = path.includes('branches') ? STORED.eventTitle : STORED.renamedBranch;
			expect(strings, path).toContain(expected);
		}
	}
}
