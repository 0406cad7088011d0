import { expect, type Browser, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/lib/server/db/client';
import { signUpYouth, useLanguage, type Language } from './support';

export const HOUR = 3_600_000;

/** Creates a verified organization that is not a league branch, so no quota count moves. */
export async function createHostOrganization(db: Database, staffEmail: string): Promise<string> {
	const [row] = await db.sql<{ id: string }[]>`
		insert into public.organizations (name, kind, status, contact_name, contact_phone)
		values (${`旅程测试主办方 ${randomUUID().slice(0, 6)}`}, 'social_organization', 'verified',
			'联系人', '13800000000')
		returning id
	`;
	await db.sql`
		insert into public.org_members (organization_id, user_id, role)
		select ${row!.id}, id, 'admin' from auth.users where email = ${staffEmail}
	`;
	return row!.id;
}

export type EventTimes = {
	startsAt: Date;
	endsAt: Date;
	applyOpensAt?: Date;
	applyClosesAt?: Date;
};

/** Writes a published event straight to the database. */
export async function createEvent(
	db: Database,
	organizationId: string,
	title: string,
	times: EventTimes,
	capacity = 10
): Promise<string> {
	const applyOpensAt = times.applyOpensAt ?? new Date(Date.now() - 72 * HOUR);
	const applyClosesAt = times.applyClosesAt ?? new Date(times.startsAt.getTime() - HOUR);
	return db.service(async (tx) => {
		const [row] = await tx<{ id: string }[]>`
			insert into public.opportunities (organization_id, kind, title, place, starts_at, ends_at,
				apply_opens_at, apply_closes_at, capacity, status)
			values (${organizationId}, 'event', ${title}, '甬江岸边', ${times.startsAt}, ${times.endsAt},
				${applyOpensAt}, ${applyClosesAt}, ${capacity}, 'published')
			returning id
		`;
		await tx`insert into public.events (opportunity_id, orbit) values (${row!.id}, 'self')`;
		return row!.id;
	});
}

/** Returns the times of an event two days ahead whose applications are open now. */
export function upcomingTimes(): EventTimes {
	const startsAt = new Date(Date.now() + 48 * HOUR);
	return { startsAt, endsAt: new Date(startsAt.getTime() + 3 * HOUR) };
}

export type Youth = { page: Page; email: string; id: string; name: string };

/** Signs up a youth in a fresh browser context, in a language, with an adult birth date. */
export async function newYouth(
	browser: Browser,
	db: Database,
	language: Language,
	name: string
): Promise<Youth> {
	const page = await (await browser.newContext()).newPage();
	await useLanguage(page, language);
	const email = await signUpYouth(page, name);
	const [row] = await db.sql<{ id: string }[]>`select id from auth.users where email = ${email}`;
	await db.sql`update public.profiles set birth_date = '2000-01-01' where id = ${row!.id}`;
	return { page, email, id: row!.id, name };
}

/** Opens a page in a fresh browser context, in a language, signed out. */
export async function newPage(browser: Browser, language: Language): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await useLanguage(page, language);
	return page;
}

export async function applicationStatus(
	db: Database,
	opportunityId: string,
	applicantId: string
): Promise<string | undefined> {
	const [row] = await db.sql<{ status: string }[]>`
		select status from public.applications
		where opportunity_id = ${opportunityId} and applicant_id = ${applicantId}
	`;
	return row?.status;
}

export async function expectStatus(
	db: Database,
	opportunityId: string,
	applicantId: string,
	status: string
): Promise<void> {
	await expect.poll(() => applicationStatus(db, opportunityId, applicantId)).toBe(status);
}
