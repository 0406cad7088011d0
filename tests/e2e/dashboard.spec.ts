import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { newPage, newYouth } from './journeys-support';
import { expectNoAxeViolations, signIn, siteDatabase } from './support';

const TEXT = {
	zh: { branch: '团组织', held: '已举办', csv: '导出 CSV', xlsx: '导出 Excel' },
	en: { branch: 'Branch', held: 'Held', csv: 'Export CSV', xlsx: 'Export Excel' }
} as const;

/** Branches whose counts other spec files change while this one runs. */
const BUSY_BRANCHES = ['共青团招宝山街道委员会', '共青团蛟川街道委员会'];
/** How many branches to compare between the page and the files. */
const COMPARED = 5;

type Figures = {
	name: string;
	href: string;
	publicHeld: number;
	publicPlanned: number;
	selfHeld: number;
	selfPlanned: number;
};

async function pageFigures(page: Page): Promise<Figures[]> {
	const rows = page.locator('table.compliance tbody tr');
	const count = await rows.count();
	const figures: Figures[] = [];
	for (let index = 0; index < count; index += 1) {
		const row = rows.nth(index);
		const link = row.locator('th a').first();
		const number = async (orbit: string, state: string) =>
			Number((await row.getByTestId(orbit).getByTestId(state).innerText()).trim());
		figures.push({
			name: (await link.innerText()).trim(),
			href: (await link.getAttribute('href'))!,
			publicHeld: await number('public-orbit', 'held'),
			publicPlanned: await number('public-orbit', 'planned'),
			selfHeld: await number('self-orbit', 'held'),
			selfPlanned: await number('self-orbit', 'planned')
		});
	}
	return figures;
}

/** Parses RFC 4180 CSV text into rows of cells. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let index = 0; index < text.length; index += 1) {
		const char = text[index]!;
		if (quoted) {
			if (char === '"' && text[index + 1] === '"') {
				cell += '"';
				index += 1;
			} else if (char === '"') {
				quoted = false;
			} else {
				cell += char;
			}
		} else if (char === '"') {
			quoted = true;
		} else if (char === ',') {
			row.push(cell);
			cell = '';
		} else if (char === '\n') {
			row.push(cell.replace(/\r$/, ''));
			rows.push(row);
			row = [];
			cell = '';
		} else {
			cell += char;
		}
	}
	return rows;
}

/** Returns the four counts of a file row: public held and planned, self held and planned. */
function fileCounts(row: unknown[]): number[] {
	return [row[3], row[4], row[6], row[7]].map(Number);
}

function pageCounts(figures: Figures): number[] {
	return [figures.publicHeld, figures.publicPlanned, figures.selfHeld, figures.selfPlanned];
}

for (const language of ['zh', 'en'] as const) {
	test(`dashboard drill-down and exports (${language})`, async ({ browser }) => {
		test.setTimeout(90_000);
		const words = TEXT[language];
		const coordinator = await newPage(browser, language);
		await signIn(coordinator, 'coordinator@demo.local');
		await coordinator.goto('/coordinator');
		await expectNoAxeViolations(coordinator);
		const all = await pageFigures(coordinator);
		expect(all.length).toBeGreaterThan(COMPARED);
		const compared = all.filter((row) => !BUSY_BRANCHES.includes(row.name)).slice(0, COMPARED);

		// CSV, downloaded by clicking the link.
		const [csvDownload] = await Promise.all([
			coordinator.waitForEvent('download'),
			coordinator.getByRole('link', { name: words.csv }).click()
		]);
		expect(csvDownload.suggestedFilename()).toMatch(/^compliance-\d{4}\.csv$/);
		const csvBytes = await readFile((await csvDownload.path())!);
		expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const csvText = csvBytes.toString('utf8').slice(1);
		const csv = parseCsv(csvText);
		expect(csv[0]![0]).toBe(words.branch);
		expect(csv.length - 1).toBe(all.length);
		expect(csvText).toMatch(/共青团.+委员会/);
		for (const figures of compared) {
			const row = csv.find((cells) => cells[0] === figures.name);
			expect(row, figures.name).toBeDefined();
			expect(fileCounts(row!), figures.name).toEqual(pageCounts(figures));
		}

		// XLSX, fetched with the page's session.
		const xlsxResponse = await coordinator.request.get('/coordinator/export.xlsx');
		expect(xlsxResponse.status()).toBe(200);
		expect(xlsxResponse.headers()['content-type']).toBe(
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		);
		const workbook = new ExcelJS.Workbook();
		const xlsxBytes = await xlsxResponse.body();
		await workbook.xlsx.load(new Uint8Array(xlsxBytes).buffer);
		const sheet = workbook.worksheets[0]!;
		const sheetRows: unknown[][] = [];
		sheet.eachRow((row) => {
			sheetRows.push((row.values as unknown[]).slice(1));
		});
		expect(sheetRows[0]![0]).toBe(words.branch);
		expect(sheetRows.length - 1).toBe(all.length);
		for (const figures of compared) {
			const row = sheetRows.find((cells) => cells[0] === figures.name);
			expect(row, figures.name).toBeDefined();
			expect(typeof row![3]).toBe('number');
			expect(fileCounts(row!), figures.name).toEqual(pageCounts(figures));
		}

		// Drill into a branch from its held figure.
		const branch = compared.find((figures) => figures.selfHeld > 0);
		expect(branch, 'a compared branch with held self-orbit events').toBeDefined();
		const row = coordinator.locator('table.compliance tbody tr', {
			has: coordinator.locator('th a', { hasText: branch!.name })
		});
		await row.getByTestId('self-orbit').getByTestId('held').click();
		await expect(coordinator).toHaveURL(/\/coordinator\/branches\/[0-9a-f-]+\?.*state=held/);
		expect(coordinator.url()).toContain(branch!.href.split('?')[0]!);
		await expect(coordinator.getByRole('heading', { level: 1 })).toContainText(branch!.name);
		const events = coordinator.locator('table[aria-labelledby=events-heading] tbody tr');
		await expect(events).toHaveCount(branch!.selfHeld);
		for (const state of await events.locator('td.state').allInnerTexts()) {
			expect(state.trim()).toBe(words.held);
		}
		await expectNoAxeViolations(coordinator);
		// The drill-down's own export lists the same events.
		const branchCsv = await coordinator.request.get(coordinator.url().replace('?', '/export.csv?'));
		expect(branchCsv.status()).toBe(200);
		expect(parseCsv((await branchCsv.text()).replace(/^\uFEFF/, '')).length - 1).toBe(
			branch!.selfHeld
		);
	});

	test(`dashboard rejects a youth (${language})`, async ({ browser }) => {
		const db = siteDatabase();
		try {
			const youth = await newYouth(browser, db, language, '越权青年');
			const [branch] = await db.sql<{ id: string }[]>`
				select id from public.organizations where name = '共青团蛟川街道委员会'
			`;
			const paths = [
				'/coordinator',
				'/coordinator/export.csv',
				'/coordinator/export.xlsx',
				`/coordinator/branches/${branch!.id}`,
				`/coordinator/branches/${branch!.id}/export.csv`,
				`/coordinator/branches/${branch!.id}/export.xlsx`
			];
			for (const path of paths) {
				const response = await youth.page.request.get(path, { maxRedirects: 0 });
				expect(response.status(), path).toBe(403);
				expect(await response.text(), path).not.toContain('共青团');
			}
		} finally {
			await db.end();
		}
	});
}
