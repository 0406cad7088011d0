import { expect, test, type APIRequestContext } from '@playwright/test';
import ICAL from 'ical.js';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/lib/server/db/client';
import { E2E } from './settings';
import {
	createEvent,
	createHostOrganization,
	expectStatus,
	newPage,
	newYouth,
	upcomingTimes
} from './journeys-support';
import { expectNoAxeViolations, signIn, siteDatabase } from './support';

const TEXT = {
	zh: {
		apply: '报名',
		applied: '报名成功。',
		create: '生成订阅链接',
		reset: '重置订阅链接',
		web: '网页地址（用于 Google 日历等）',
		webcal: '日历应用订阅地址（webcal://）',
		cancel: '取消活动',
		cancelled: '活动已取消。',
		addToCalendar: '加入日历'
	},
	en: {
		apply: 'Apply',
		applied: 'You have applied.',
		create: 'Create a subscription link',
		reset: 'Reset the subscription link',
		web: 'Web address (for Google Calendar and others)',
		webcal: 'Address for calendar apps (webcal://)',
		cancel: 'Cancel event',
		cancelled: 'The event is cancelled.',
		addToCalendar: 'Add to calendar'
	}
} as const;

let db: Database;

test.beforeAll(() => {
	db = siteDatabase();
});

test.afterAll(async () => {
	await db.end();
});

type FeedEvent = { summary: string; start: string; status: string | null; sequence: number };

/** Fetches a feed without any session, as a calendar app would, and parses its events. */
async function readFeed(request: APIRequestContext, url: string): Promise<FeedEvent[]> {
	const response = await request.get(url);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toContain('text/calendar');
	const calendar = new ICAL.Component(ICAL.parse(await response.text()));
	// Times are written in Asia/Shanghai with the zone's VTIMEZONE block, so register it first.
	for (const zone of calendar.getAllSubcomponents('vtimezone')) {
		ICAL.TimezoneService.register(zone);
	}
	return calendar.getAllSubcomponents('vevent').map((component) => {
		const event = new ICAL.Event(component);
		expect(event.startDate.zone?.tzid).toBe('Asia/Shanghai');
		return {
			summary: event.summary,
			start: event.startDate.convertToZone(ICAL.Timezone.utcTimezone).toJSDate().toISOString(),
			status: (component.getFirstPropertyValue('status') as string | null) ?? null,
			sequence: event.sequence
		};
	});
}

for (const language of ['zh', 'en'] as const) {
	test(`private feed shows cancellation (${language})`, async ({ browser, playwright }) => {
		test.setTimeout(90_000);
		const words = TEXT[language];
		const marker = randomUUID().slice(0, 6);
		const title = `日历旅程 ${marker}`;
		const organizationId = await createHostOrganization(db, 'staff@demo.local');
		const times = upcomingTimes();
		times.startsAt.setUTCSeconds(0, 0);
		times.endsAt.setUTCSeconds(0, 0);
		const eventId = await createEvent(db, organizationId, title, times);

		const youth = await newYouth(browser, db, language, `日历青年${marker}`);
		await youth.page.goto(`/opportunities/${eventId}`);
		await youth.page.getByRole('button', { name: words.apply, exact: true }).click();
		await expect(youth.page.getByText(words.applied)).toBeVisible();
		await expectStatus(db, eventId, youth.id, 'accepted');

		// The event page links the event's own calendar file.
		const icsLink = youth.page.getByRole('link', { name: words.addToCalendar });
		await expect(icsLink).toHaveAttribute('href', `/opportunities/${eventId}/calendar.ics`);
		const calendarApp = await playwright.request.newContext();
		const [single] = await readFeed(
			calendarApp,
			`${E2E.origin}/opportunities/${eventId}/calendar.ics`
		);
		expect(single!.summary).toBe(title);
		expect(single!.start).toBe(times.startsAt.toISOString());
		await expectNoAxeViolations(youth.page);

		// The youth creates a subscription link.
		await youth.page.goto('/me/calendar');
		await expectNoAxeViolations(youth.page);
		await youth.page.getByRole('button', { name: words.create }).click();
		const webUrl = await youth.page.getByLabel(words.web).inputValue();
		const webcalUrl = await youth.page.getByLabel(words.webcal).inputValue();
		expect(webUrl).toMatch(new RegExp(`^${E2E.origin}/calendar/[\\w-]{43}\\.ics$`));
		expect(webcalUrl).toBe(webUrl.replace(/^http:/, 'webcal:'));
		await expectNoAxeViolations(youth.page);
		const [row] = await db.sql<{ count: number }[]>`
			select count(*)::int as count from public.calendar_feeds where user_id = ${youth.id}
		`;
		expect(row!.count).toBe(1);

		const before = (await readFeed(calendarApp, webUrl)).filter((event) =>
			event.summary.includes(title)
		);
		expect(before).toHaveLength(1);
		expect(before[0]!.start).toBe(times.startsAt.toISOString());
		expect(before[0]!.status).not.toBe('CANCELLED');

		// Staff cancel the event, and the feed marks it cancelled with a higher sequence.
		const staff = await newPage(browser, language);
		await signIn(staff, 'staff@demo.local');
		await staff.goto(`/org/${organizationId}/events/${eventId}`);
		await staff.getByRole('button', { name: words.cancel }).click();
		await expect(staff.getByText(words.cancelled)).toBeVisible();

		const after = (await readFeed(calendarApp, webUrl)).filter((event) =>
			event.summary.includes(title)
		);
		expect(after).toHaveLength(1);
		expect(after[0]!.status).toBe('CANCELLED');
		expect(after[0]!.sequence).toBeGreaterThan(before[0]!.sequence);
		expect(after[0]!.start).toBe(times.startsAt.toISOString());

		// A reset stops the old link at once and gives a new one that works.
		await youth.page.goto('/me/calendar');
		await youth.page.getByRole('button', { name: words.reset }).click();
		const newUrl = await youth.page.getByLabel(words.web).inputValue();
		expect(newUrl).not.toBe(webUrl);
		expect((await calendarApp.get(webUrl)).status()).toBe(404);
		const renewed = await readFeed(calendarApp, newUrl);
		expect(renewed.filter((event) => event.summary.includes(title))).toHaveLength(1);
		await calendarApp.dispose();
	});
}
