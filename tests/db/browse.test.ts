import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/client';
import {
	browseOpportunities,
	loadBrowsePage,
	type BrowseFilters
} from '../../src/lib/server/events/browse';
import { createEvent, createOrganization, createPerson, testDatabase } from './fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Browsing as of an instant far from today and from the other tests' years, so that only this
// file's events are not over by then.
const FROM = new Date('2096-03-01T00:00:00Z');

let db: Database;
let organizationId: string;

beforeAll(async () => {
	db = testDatabase();
	organizationId = await createOrganization(db);
});

afterAll(async () => {
	await db.end();
});

function newMarker(): string {
	return `bw${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

async function browse(filters: Partial<BrowseFilters>, signedIn = false): Promise<string[]> {
	const actor = signedIn ? { id: await createPerson(db) } : null;
	const { cards } = await browseOpportunities(db, actor, {
		query: '',
		orbit: '',
		townCode: '',
		from: FROM,
		to: null,
		page: 1,
		...filters
	});
	return cards.map((card) => card.id);
}

describe('browseOpportunities at an instant', () => {
	it('lists events running then', async () => {
		const marker = newMarker();
		const long = await createEvent(db, organizationId, {
			description: marker,
			startsAt: new Date(FROM.getTime() - 5 * DAY),
			endsAt: new Date(FROM.getTime() + 2 * DAY)
		});
		const short = await createEvent(db, organizationId, {
			description: marker,
			startsAt: new Date(FROM.getTime() - HOUR),
			endsAt: new Date(FROM.getTime() + HOUR)
		});
		const later = await createEvent(db, organizationId, {
			description: marker,
			startsAt: new Date(FROM.getTime() + DAY)
		});
		await createEvent(db, organizationId, {
			description: marker,
			startsAt: new Date(FROM.getTime() - 3 * HOUR),
			endsAt: new Date(FROM.getTime() - HOUR)
		});
		await createEvent(db, organizationId, {
			description: marker,
			startsAt: new Date(FROM.getTime() - 9 * DAY),
			endsAt: new Date(FROM.getTime() - 2 * DAY)
		});
		expect(await browse({ query: marker })).toEqual([long, short, later]);
		expect(await browse({ query: marker }, true)).toEqual([long, short, later]);
	});

	it('finds a match beyond the first thousand events', async () => {
		// 1,001 events start before the one that matches, more than the window read first.
		await db.service(
			(tx) => tx`
				insert into public.opportunities (organization_id, kind, title, starts_at, ends_at,
					apply_opens_at, apply_closes_at, capacity, status)
				select ${organizationId}, 'event', 'Filler event', starts_at, starts_at + interval '1 hour',
					${new Date(FROM.getTime() - 30 * DAY)}, starts_at, 10, 'published'
				from (
					select ${new Date(FROM.getTime() + 30 * DAY)}::timestamptz + i * interval '1 minute'
						as starts_at
					from generate_series(1, 1001) as i
				) as times
			`
		);
		const marker = newMarker();
		const match = await createEvent(db, organizationId, {
			description: marker,
			startsAt: new Date(FROM.getTime() + 40 * DAY)
		});
		expect(await browse({ query: marker })).toEqual([match]);
		expect(await browse({ query: marker }, true)).toEqual([match]);
	});
});

describe('loadBrowsePage', () => {
	it('returns the events and the towns', async () => {
		const marker = newMarker();
		const event = await createEvent(db, organizationId, {
			description: marker,
			startsAt: new Date(FROM.getTime() + 2 * DAY)
		});
		const page = await loadBrowsePage(db, null, {
			query: marker,
			orbit: '',
			townCode: '',
			from: FROM,
			to: null,
			page: 1
		});
		expect(page.cards.map((card) => card.id)).toEqual([event]);
		expect(page.hasMore).toBe(false);
		expect(page.towns.map((town) => town.code)).toContain('zhaobaoshan');
	});
});
