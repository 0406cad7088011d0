import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/lib/server/db/client';
import {
	createEvent,
	createHostOrganization,
	expectStatus,
	newPage,
	newYouth,
	upcomingTimes,
	type Youth
} from './journeys-support';
import { expectNoAxeViolations, signIn, siteDatabase } from './support';

const TEXT = {
	zh: {
		apply: '报名',
		joinWaitlist: '加入候补',
		applied: '报名成功。',
		waitlisted: (position: number) => `你已进入候补名单，目前排第 ${position} 位`,
		position: (position: number) => `候补第 ${position} 位`,
		accepted: '报名成功',
		onWaitlist: '候补中',
		withdraw: '取消报名',
		withdrawDone: '已取消报名。',
		promoted: (title: string) => `你已从候补转为报名成功：${title}`,
		acceptedHeading: (count: number) => `报名成功（${count} / 2）`,
		waitlistHeading: (count: number) => `候补名单（${count} 人）`,
		decline: '不予录用',
		declined: '已将该报名者设为未录用'
	},
	en: {
		apply: 'Apply',
		joinWaitlist: 'Join the waitlist',
		applied: 'You have applied.',
		waitlisted: (position: number) => `you are on the waitlist at position ${position}`,
		position: (position: number) => `Waitlist position ${position}`,
		accepted: 'Accepted',
		onWaitlist: 'On the waitlist',
		withdraw: 'Withdraw',
		withdrawDone: 'Your application is withdrawn.',
		promoted: (title: string) => `you moved from the waitlist to accepted: ${title}`,
		acceptedHeading: (count: number) => `Accepted (${count} of 2)`,
		waitlistHeading: (count: number) => `Waitlist (${count})`,
		decline: 'Decline',
		declined: 'The applicant is declined.'
	}
} as const;

let db: Database;

test.beforeAll(() => {
	db = siteDatabase();
});

test.afterAll(async () => {
	await db.end();
});

type Words = (typeof TEXT)[keyof typeof TEXT];

async function apply(youth: Youth, eventId: string, button: string, notice: string) {
	await youth.page.goto(`/opportunities/${eventId}`);
	await youth.page.getByRole('button', { name: button, exact: true }).click();
	await expect(youth.page.getByText(notice)).toBeVisible();
}

/** Finds the table that follows a heading on the staff page. */
function listAfter(staff: Page, heading: string) {
	return staff
		.getByRole('heading', { name: heading, exact: true })
		.locator('xpath=following-sibling::*[1]');
}

for (const language of ['zh', 'en'] as const) {
	test(`waitlist promotion on withdraw and decline (${language})`, async ({ browser }) => {
		test.setTimeout(120_000);
		const words: Words = TEXT[language];
		const marker = randomUUID().slice(0, 6);
		const title = `候补旅程 ${marker}`;
		const organizationId = await createHostOrganization(db, 'staff@demo.local');
		const eventId = await createEvent(db, organizationId, title, upcomingTimes(), 2);

		const [first, second, third, fourth] = [
			await newYouth(browser, db, language, `甲${marker}`),
			await newYouth(browser, db, language, `乙${marker}`),
			await newYouth(browser, db, language, `丙${marker}`),
			await newYouth(browser, db, language, `丁${marker}`)
		] as [Youth, Youth, Youth, Youth];

		await apply(first, eventId, words.apply, words.applied);
		await apply(second, eventId, words.apply, words.applied);
		await apply(third, eventId, words.joinWaitlist, words.waitlisted(1));
		await expectNoAxeViolations(third.page);
		await apply(fourth, eventId, words.joinWaitlist, words.waitlisted(2));
		await expectStatus(db, eventId, third.id, 'waitlisted');
		await expectStatus(db, eventId, fourth.id, 'waitlisted');

		// Both waiting youths see their places on the event page and in their list.
		for (const [youth, position] of [
			[third, 1],
			[fourth, 2]
		] as const) {
			await youth.page.goto(`/opportunities/${eventId}`);
			await expect(youth.page.getByText(words.position(position))).toBeVisible();
			await youth.page.goto('/me/applications');
			const row = youth.page.locator('tr', { hasText: title });
			await expect(row).toContainText(words.onWaitlist);
			await expect(row).toContainText(words.position(position));
		}
		await expectNoAxeViolations(fourth.page);

		// The first accepted youth withdraws, so the first on the waitlist takes the place.
		await first.page.goto(`/opportunities/${eventId}`);
		await first.page.getByRole('button', { name: words.withdraw, exact: true }).click();
		await expect(first.page.getByText(words.withdrawDone)).toBeVisible();
		await expectStatus(db, eventId, first.id, 'withdrawn');
		await expectStatus(db, eventId, third.id, 'accepted');

		await third.page.goto(`/opportunities/${eventId}`);
		await expect(third.page.locator('strong', { hasText: words.accepted })).toBeVisible();
		await third.page.goto('/me/applications');
		await expect(third.page.locator('tr', { hasText: title })).toContainText(words.accepted);
		await third.page.goto('/me/notifications');
		await expect(third.page.getByText(words.promoted(title))).toBeVisible();
		await expectNoAxeViolations(third.page);

		await fourth.page.goto(`/opportunities/${eventId}`);
		await expect(fourth.page.getByText(words.position(1))).toBeVisible();
		await fourth.page.goto('/me/applications');
		await expect(fourth.page.locator('tr', { hasText: title })).toContainText(words.position(1));

		// Staff see the accepted and the waiting in two lists.
		const staff = await newPage(browser, language);
		await signIn(staff, 'staff@demo.local');
		await staff.goto(`/org/${organizationId}/events/${eventId}`);
		const accepted = listAfter(staff, words.acceptedHeading(2));
		const waiting = listAfter(staff, words.waitlistHeading(1));
		await expect(accepted).toContainText(second.name);
		await expect(accepted).toContainText(third.name);
		await expect(accepted).not.toContainText(fourth.name);
		await expect(waiting).toContainText(fourth.name);
		await expect(waiting).not.toContainText(third.name);
		await expectNoAxeViolations(staff);

		// Staff decline an accepted youth, so the next on the waitlist is accepted in their place.
		await accepted
			.locator('tr', { hasText: second.name })
			.getByRole('button', { name: words.decline })
			.click();
		await expect(staff.getByText(words.declined)).toBeVisible();
		await expectStatus(db, eventId, second.id, 'declined');
		await expectStatus(db, eventId, fourth.id, 'accepted');
		await expect(listAfter(staff, words.acceptedHeading(2))).toContainText(fourth.name);
		await expect(staff.getByRole('heading', { name: words.waitlistHeading(0) })).toBeVisible();
		const [counts] = await db.sql<{ accepted: number }[]>`
			select accepted_count as accepted from public.opportunities where id = ${eventId}
		`;
		expect(counts!.accepted).toBe(2);

		await fourth.page.goto('/me/notifications');
		await expect(fourth.page.getByText(words.promoted(title))).toBeVisible();
	});
}
