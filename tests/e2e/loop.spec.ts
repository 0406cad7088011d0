import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { expectNoAxeViolations, localInput, signIn, signUpYouth, useLanguage } from './support';

const TEXT = {
	zh: {
		title: '青年护河志愿行动',
		newEvent: '新建活动',
		saveDraft: '保存草稿',
		publish: '发布',
		published: '活动已发布。',
		apply: '报名',
		applied: '报名成功。',
		accepted: '报名成功',
		withdraw: '取消报名',
		withdrawn: '已取消报名',
		withdrawDone: '已取消报名。',
		filter: '筛选'
	},
	en: {
		title: 'Youth river care',
		newEvent: 'New event',
		saveDraft: 'Save draft',
		publish: 'Publish',
		published: 'The event is published.',
		apply: 'Apply',
		applied: 'You have applied.',
		accepted: 'Accepted',
		withdraw: 'Withdraw',
		withdrawn: 'Withdrawn',
		withdrawDone: 'Your application is withdrawn.',
		filter: 'Filter'
	}
} as const;

const BRANCH = '共青团招宝山街道委员会';

/** Reads the self-orbit events, held plus planned, that the coordinator's overview shows. */
async function selfOrbitCount(page: Page, year: string): Promise<number> {
	await page.goto(`/coordinator?year=${year}`);
	const row = page.locator('tbody tr', { has: page.locator('th', { hasText: BRANCH }) });
	const cell = row.getByTestId('self-orbit');
	const held = await cell.getByTestId('held').innerText();
	const planned = await cell.getByTestId('planned').innerText();
	return Number(held.trim()) + Number(planned.trim());
}

test.describe.configure({ mode: 'serial' });

for (const language of ['zh', 'en'] as const) {
	test(`event loop across roles (${language})`, async ({ browser }) => {
		const words = TEXT[language];
		const marker = randomUUID().slice(0, 6);
		const title = `${words.title} ${marker}`;
		const startsAt = localInput(3, 9);
		const year = startsAt.slice(0, 4);

		const coordinator = await (await browser.newContext()).newPage();
		await useLanguage(coordinator, language);
		await signIn(coordinator, 'coordinator@demo.local');
		const countBefore = await selfOrbitCount(coordinator, year);

		// Organization staff post an event and publish it.
		const staff = await (await browser.newContext()).newPage();
		await useLanguage(staff, language);
		await signIn(staff, 'staff@demo.local');
		await staff.goto('/org');
		await staff.getByRole('link', { name: BRANCH }).click();
		await staff.getByRole('link', { name: words.newEvent }).click();
		await expectNoAxeViolations(staff);
		await staff.locator('input[name=title]').fill(title);
		await staff.locator('input[name=theme]').fill('护河');
		await staff.locator('textarea[name=description]').fill('沿甬江清理垃圾，宣传护河知识。');
		await staff.locator('select[name=townCode]').selectOption('zhaobaoshan');
		await staff.locator('input[name=place]').fill('甬江岸边');
		await staff.locator('input[name=startsAt]').fill(startsAt);
		await staff.locator('input[name=endsAt]').fill(localInput(3, 12));
		await staff.locator('input[name=applyOpensAt]').fill(localInput(-1, 9));
		await staff.locator('input[name=applyClosesAt]').fill(localInput(2, 9));
		await staff.locator('input[name=capacity]').fill('5');
		await staff.getByRole('button', { name: words.saveDraft }).click();
		await expect(staff).toHaveURL(/\/org\/[0-9a-f-]+\/events\/[0-9a-f-]+$/);
		await staff.getByRole('button', { name: words.publish, exact: true }).click();
		await expect(staff.getByText(words.published)).toBeVisible();
		const managePath = new URL(staff.url()).pathname;
		const eventId = managePath.split('/').pop()!;

		// A new youth finds it by a Chinese word inside the title and applies.
		const youth = await (await browser.newContext()).newPage();
		await useLanguage(youth, language);
		await signUpYouth(youth, `测试青年${marker}`);
		await youth.goto('/');
		await youth.locator('input[name=q]').fill(`护河 ${marker}`);
		await youth.getByRole('button', { name: words.filter }).click();
		await expect(youth.getByRole('link', { name: title })).toBeVisible();
		await expectNoAxeViolations(youth);
		await youth.getByRole('link', { name: title }).click();
		await expect(youth).toHaveURL(new RegExp(`/opportunities/${eventId}$`));
		// A new account has no birth date yet, so the apply form asks for one.
		await youth.locator('input[name=birthDate]').fill('2001-05-04');
		await youth.getByRole('button', { name: words.apply, exact: true }).click();
		await expect(youth.getByText(words.applied)).toBeVisible();
		await expectNoAxeViolations(youth);

		await youth.goto('/me/applications');
		const myRow = youth.locator('tr', { hasText: title });
		await expect(myRow).toContainText(words.accepted);
		await expectNoAxeViolations(youth);

		// Staff see the applicant.
		await staff.reload();
		await expect(staff.locator('table')).toContainText(`测试青年${marker}`);
		await expectNoAxeViolations(staff);

		// The coordinator sees the branch's yearly count move by one.
		expect(await selfOrbitCount(coordinator, year)).toBe(countBefore + 1);
		await expectNoAxeViolations(coordinator);

		// The youth withdraws, and the list shows it.
		await youth.goto(`/opportunities/${eventId}`);
		await youth.getByRole('button', { name: words.withdraw }).click();
		await expect(youth.getByText(words.withdrawDone)).toBeVisible();
		await youth.goto('/me/applications');
		await expect(youth.locator('tr', { hasText: title })).toContainText(words.withdrawn);
	});
}
