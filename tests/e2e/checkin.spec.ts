import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { checkinCode, CODE_PERIOD_SECONDS } from '../../src/lib/server/attendance/codes';
import type { Database } from '../../src/lib/server/db/client';
import { createEvent, createHostOrganization, HOUR, newPage, newYouth } from './journeys-support';
import { expectNoAxeViolations, signIn, siteDatabase } from './support';

const TEXT = {
	zh: {
		code: '签到码',
		checkIn: '签到',
		checkOut: '签退',
		checkedIn: '签到成功。离开时请记得签退。',
		checkedOut: '签退成功，时长已记录。',
		expired: '签到码已过期（每 30 秒更换一次）。请输入现场屏幕上当前的数字。',
		invalid: '签到码不正确，或不是这个活动的签到码。请重新扫描或输入现场屏幕上的数字。',
		complete: '你已完成签到和签退。',
		stars: '1 星志愿者',
		name: '姓名',
		hours: '志愿服务时长',
		period: '时间段',
		genuine: '这份证明真实有效，内容如下。'
	},
	en: {
		code: 'Check-in code',
		checkIn: 'Check in',
		checkOut: 'Check out',
		checkedIn: 'You are checked in. Remember to check out when you leave.',
		checkedOut: 'You are checked out and your hours are recorded.',
		expired:
			'This code has expired (codes change every 30 seconds). Type the digits on the screen now.',
		invalid:
			'This code is wrong or belongs to another event. Scan again or type the digits on this event’s screen.',
		complete: 'You have checked in and out.',
		stars: 'Star level: 1',
		name: 'Name',
		hours: 'Volunteer hours',
		period: 'Period',
		genuine: 'This record is genuine. It states:'
	}
} as const;

/** Past events of four hours each that the youth attended in full: 104 hours. */
const PRIOR_EVENTS = 26;
const PRIOR_HOURS = PRIOR_EVENTS * 4;

let db: Database;

test.beforeAll(() => {
	db = siteDatabase();
});

test.afterAll(async () => {
	await db.end();
});

/**
 * Writes past events with accepted applications and full attendance, the way the demo loader
 * does: triggers off while it writes, then the derived count set by hand.
 */
async function arrangePriorAttendance(organizationId: string, personId: string, marker: string) {
	await db.sql.begin(async (tx) => {
		await tx`set local session_replication_role = replica`;
		for (let index = 0; index < PRIOR_EVENTS; index += 1) {
			const startsAt = new Date(Date.now() - (10 + index) * 24 * HOUR);
			const endsAt = new Date(startsAt.getTime() + 4 * HOUR);
			const [row] = await tx<{ id: string }[]>`
				insert into public.opportunities (organization_id, kind, title, place, starts_at, ends_at,
					apply_opens_at, apply_closes_at, capacity, accepted_count, status)
				values (${organizationId}, 'event', ${`往期活动 ${marker} ${index + 1}`}, '甬江岸边',
					${startsAt}, ${endsAt}, ${new Date(startsAt.getTime() - 72 * HOUR)},
					${new Date(startsAt.getTime() - HOUR)}, 10, 1, 'published')
				returning id
			`;
			await tx`insert into public.events (opportunity_id, orbit) values (${row!.id}, 'self')`;
			await tx`
				insert into public.applications (opportunity_id, applicant_id, status)
				values (${row!.id}, ${personId}, 'accepted')
			`;
			await tx`
				insert into public.attendance (opportunity_id, person_id, checked_in_at, checked_out_at,
					source)
				values (${row!.id}, ${personId}, ${startsAt}, ${endsAt}, 'code')
			`;
		}
	});
}

/** Accepts a person to an event that has already started, as staff would have before it. */
async function acceptToStartedEvent(opportunityId: string, personId: string) {
	await db.sql.begin(async (tx) => {
		await tx`set local session_replication_role = replica`;
		await tx`
			insert into public.applications (opportunity_id, applicant_id, status)
			values (${opportunityId}, ${personId}, 'accepted')
		`;
		await tx`update public.opportunities set accepted_count = 1 where id = ${opportunityId}`;
	});
}

async function secretOf(opportunityId: string): Promise<Uint8Array> {
	const [row] = await db.sql<{ secret: Uint8Array }[]>`
		select secret from public.checkin_secrets where opportunity_id = ${opportunityId}
	`;
	return row!.secret;
}

/** Reads the code on the staff screen, fresh. */
async function screenCode(staff: Page, path: string): Promise<string> {
	await staff.goto(path);
	const code = await staff.locator('p.code').getAttribute('aria-label');
	expect(code).toMatch(/^\d{6}$/);
	return code!;
}

async function typeCode(youth: Page, code: string, button: string) {
	await youth.getByLabel(/签到码|Check-in code/).fill(code);
	await youth.getByRole('button', { name: button, exact: true }).click();
}

async function attendanceOf(opportunityId: string, personId: string) {
	const [row] = await db.sql<{ checkedIn: Date | null; checkedOut: Date | null }[]>`
		select checked_in_at as "checkedIn", checked_out_at as "checkedOut" from public.attendance
		where opportunity_id = ${opportunityId} and person_id = ${personId}
	`;
	return row;
}

for (const language of ['zh', 'en'] as const) {
	test(`check-in, hours and record (${language})`, async ({ browser }) => {
		test.setTimeout(120_000);
		const words = TEXT[language];
		const marker = randomUUID().slice(0, 6);
		const title = `签到旅程 ${marker}`;
		const organizationId = await createHostOrganization(db, 'staff@demo.local');
		const now = Date.now();
		const times = {
			startsAt: new Date(now - 10 * 60_000),
			endsAt: new Date(now + 2 * HOUR),
			applyOpensAt: new Date(now - 72 * HOUR),
			applyClosesAt: new Date(now - HOUR)
		};
		const eventId = await createEvent(db, organizationId, title, times, 5);
		const otherEventId = await createEvent(db, organizationId, `另一活动 ${marker}`, times, 5);

		const youth = await newYouth(browser, db, language, `签到青年${marker}`);
		await acceptToStartedEvent(eventId, youth.id);
		await arrangePriorAttendance(organizationId, youth.id, marker);

		// Staff open the check-in screen of each event. The first view creates the event's secret.
		const staff = await newPage(browser, language);
		await signIn(staff, 'staff@demo.local');
		const screenPath = `/org/${organizationId}/events/${eventId}/checkin`;
		const otherCode = await screenCode(
			staff,
			`/org/${organizationId}/events/${otherEventId}/checkin`
		);
		await screenCode(staff, screenPath);
		await expectNoAxeViolations(staff);

		await youth.page.goto(`/checkin/${eventId}`);
		await expectNoAxeViolations(youth.page);

		// A code from three windows ago is rejected as expired.
		const secret = await secretOf(eventId);
		const stale = checkinCode(secret, new Date(Date.now() - 3 * CODE_PERIOD_SECONDS * 1000)).code;
		const current = checkinCode(secret, new Date()).code;
		const previous = checkinCode(secret, new Date(Date.now() - CODE_PERIOD_SECONDS * 1000)).code;
		expect([current, previous]).not.toContain(stale);
		await typeCode(youth.page, stale, words.checkIn);
		await expect(youth.page.getByText(words.expired)).toBeVisible();
		expect(await attendanceOf(eventId, youth.id)).toBeUndefined();

		// The code on another event's screen is rejected as invalid.
		await typeCode(youth.page, otherCode, words.checkIn);
		await expect(youth.page.getByText(words.invalid)).toBeVisible();
		expect(await attendanceOf(eventId, youth.id)).toBeUndefined();

		// The code on this event's screen checks the youth in.
		await typeCode(youth.page, await screenCode(staff, screenPath), words.checkIn);
		await expect(youth.page.getByText(words.checkedIn)).toBeVisible();
		const checkedIn = await attendanceOf(eventId, youth.id);
		expect(checkedIn?.checkedIn).toBeInstanceOf(Date);
		expect(checkedIn?.checkedOut).toBeNull();
		await expectNoAxeViolations(youth.page);

		await typeCode(youth.page, await screenCode(staff, screenPath), words.checkOut);
		await expect(youth.page.getByText(words.checkedOut)).toBeVisible();
		await expect(youth.page.getByText(words.complete)).toBeVisible();
		const checkedOut = await attendanceOf(eventId, youth.id);
		expect(checkedOut?.checkedOut).toBeInstanceOf(Date);

		// Hours: the prior events plus the minutes of this one, and one star.
		await youth.page.goto('/me/hours');
		const total = Number(await youth.page.locator('.summary .figure').first().innerText());
		expect(total).toBeGreaterThanOrEqual(PRIOR_HOURS);
		expect(total).toBeLessThan(PRIOR_HOURS + 1);
		await expect(youth.page.getByText(words.stars)).toBeVisible();
		await expect(youth.page.locator('tr', { hasText: title })).toBeVisible();
		await expectNoAxeViolations(youth.page);

		// The printable record carries a verification code.
		await youth.page.goto('/me/hours/record');
		const record = youth.page.locator('article.record');
		await expect(record).toContainText(youth.name);
		await expect(record).toContainText(`往期活动 ${marker} 1`);
		const code = (await record.locator('dd.code').innerText()).trim();
		expect(code).toMatch(/^[A-Z0-9-]{12,}$/);
		const recordHours = (await record.locator('dd').nth(2).innerText()).trim();
		const recordPeriod = (await record.locator('dd').nth(1).innerText()).trim();
		expect(recordHours).toContain(String(PRIOR_HOURS));
		await expectNoAxeViolations(youth.page);

		const pdf = await youth.page.request.get('/me/hours/record.pdf');
		expect(pdf.status()).toBe(200);
		expect(pdf.headers()['content-type']).toContain('application/pdf');
		const body = await pdf.body();
		expect(body.length).toBeGreaterThan(1024);
		expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');

		// A visitor verifies the code: the name, hours and period, and nothing else personal.
		const visitor = await newPage(browser, language);
		await visitor.goto(`/verify/${code}`);
		await expect(visitor.getByText(words.genuine)).toBeVisible();
		const facts = visitor.locator('dl');
		await expect(facts).toContainText(youth.name);
		await expect(facts).toContainText(recordHours);
		await expect(facts).toContainText(recordPeriod);
		const text = await visitor.locator('main').innerText();
		expect(text).not.toContain(youth.email);
		expect(text).not.toContain(title);
		expect(text).not.toContain('往期活动');
		expect(text).not.toContain('2000');
		await expectNoAxeViolations(visitor);
	});
}
