import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
	buildCalendar,
	eventUid,
	renderCalendar,
	type CalendarEvent,
	type CalendarOptions
} from './ics';

const OPTIONS: CalendarOptions = {
	name: '我的志愿活动',
	origin: 'https://youth.example.org',
	cancelledPrefix: '【已取消】'
};

function event(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
	return {
		id: '0b6f2f8e-3c4a-4c1e-9d53-0f3a1c2b4d5e',
		title: '学雷锋纪念日志愿服务',
		description: '上午在社区广场集合。',
		place: '社区广场',
		townName: '招宝山街道',
		// 09:00 to 11:30 on 5 March 2026 in Asia/Shanghai.
		startsAt: new Date('2026-03-05T01:00:00Z'),
		endsAt: new Date('2026-03-05T03:30:00Z'),
		status: 'published',
		sequence: 0,
		updatedAt: new Date('2026-02-20T06:07:08Z'),
		organizationId: '7d1c9a52-8e0b-4f5f-a0a1-2b3c4d5e6f70',
		organizationName: '共青团招宝山街道委员会',
		...overrides
	};
}

function parse(text: string): ICAL.Component {
	return new ICAL.Component(ICAL.parse(text));
}

function vevents(text: string): ICAL.Event[] {
	return parse(text)
		.getAllSubcomponents('vevent')
		.map((component) => new ICAL.Event(component));
}

describe('buildCalendar', () => {
	it('converts Shanghai wall time to instants', () => {
		const text = buildCalendar([event()], OPTIONS);
		const [parsed] = vevents(text);

		expect(text).toContain('DTSTART;TZID=Asia/Shanghai:20260305T090000\r\n');
		expect(text).toContain('DTEND;TZID=Asia/Shanghai:20260305T113000\r\n');
		expect(parsed!.startDate.toJSDate().toISOString()).toBe('2026-03-05T01:00:00.000Z');
		expect(parsed!.endDate.toJSDate().toISOString()).toBe('2026-03-05T03:30:00.000Z');
	});

	it('keeps late events on their local date', () => {
		const startsAt = new Date('2026-12-31T15:30:00Z');
		const endsAt = new Date('2026-12-31T16:30:00Z');
		const text = buildCalendar([event({ startsAt, endsAt })], OPTIONS);
		const [parsed] = vevents(text);

		expect(text).toContain('DTSTART;TZID=Asia/Shanghai:20261231T233000\r\n');
		expect(text).toContain('DTEND;TZID=Asia/Shanghai:20270101T003000\r\n');
		expect(parsed!.startDate.toJSDate().getTime()).toBe(startsAt.getTime());
		expect(parsed!.endDate.toJSDate().getTime()).toBe(endsAt.getTime());
	});

	it('ignores the process time zone', () => {
		const original = process.env.TZ;
		try {
			process.env.TZ = 'UTC';
			const inUtc = renderCalendar([event()], OPTIONS);
			process.env.TZ = 'America/New_York';
			const inNewYork = renderCalendar([event()], OPTIONS);
			expect(inNewYork).toBe(inUtc);
		} finally {
			process.env.TZ = original;
		}
	});

	it('adds one VTIMEZONE, no floating times', () => {
		const text = buildCalendar(
			[event(), event({ id: 'b8c1d0e2-5f6a-4b7c-8d9e-0f1a2b3c4d5e' })],
			OPTIONS
		);
		const timezones = parse(text).getAllSubcomponents('vtimezone');

		expect(timezones).toHaveLength(1);
		expect(timezones[0]!.getFirstPropertyValue('tzid')).toBe('Asia/Shanghai');
		expect(text).not.toContain('X-WR-TIMEZONE');
		for (const parsed of vevents(text)) {
			expect(parsed.component.getFirstProperty('dtstart')!.getParameter('tzid')).toBe(
				'Asia/Shanghai'
			);
			expect(parsed.component.getFirstProperty('dtend')!.getParameter('tzid')).toBe(
				'Asia/Shanghai'
			);
		}
	});

	it('keeps the UID across edits', () => {
		const first = vevents(buildCalendar([event()], OPTIONS))[0]!;
		const edited = vevents(
			buildCalendar([event({ title: '改名后的活动', sequence: 4 })], OPTIONS)
		)[0]!;

		expect(first.uid).toBe('0b6f2f8e-3c4a-4c1e-9d53-0f3a1c2b4d5e@youth-opportunities');
		expect(edited.uid).toBe(first.uid);
		expect(eventUid('abc')).toBe('abc@youth-opportunities');
	});

	it('copies SEQUENCE and stamps from the row', () => {
		const [parsed] = vevents(buildCalendar([event({ sequence: 7 })], OPTIONS));
		const component = parsed!.component;

		expect(parsed!.sequence).toBe(7);
		expect(component.getFirstPropertyValue('dtstamp')!.toString()).toBe('2026-02-20T06:07:08Z');
		expect(component.getFirstPropertyValue('last-modified')!.toString()).toBe(
			'2026-02-20T06:07:08Z'
		);
	});

	it('maps statuses and marks cancelled titles', () => {
		const events = [
			event({ id: 'a1', status: 'published' }),
			event({ id: 'a2', status: 'cancelled' }),
			event({ id: 'a3', status: 'draft' })
		];
		const [published, cancelled, draft] = vevents(buildCalendar(events, OPTIONS));

		expect(published!.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
		expect(published!.summary).toBe('学雷锋纪念日志愿服务');
		expect(cancelled!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(cancelled!.summary).toBe('【已取消】学雷锋纪念日志愿服务');
		expect(draft!.component.getFirstPropertyValue('status')).toBe('TENTATIVE');
	});

	it('writes description, location and an absolute URL', () => {
		const [parsed] = vevents(buildCalendar([event()], OPTIONS));

		expect(parsed!.description).toBe('上午在社区广场集合。');
		expect(parsed!.location).toBe('招宝山街道 社区广场');
		expect(parsed!.component.getFirstPropertyValue('url')).toBe(
			'https://youth.example.org/opportunities/0b6f2f8e-3c4a-4c1e-9d53-0f3a1c2b4d5e'
		);
	});

	it('leaves out an empty description and location', () => {
		const [parsed] = vevents(
			buildCalendar([event({ description: '', place: '', townName: null })], OPTIONS)
		);

		expect(parsed!.component.hasProperty('description')).toBe(false);
		expect(parsed!.component.hasProperty('location')).toBe(false);
	});

	it('names the organization as ORGANIZER', () => {
		const text = buildCalendar([event({ organizationName: '"青年" 志愿者协会' })], OPTIONS);
		const organizer = vevents(text)[0]!.component.getFirstProperty('organizer')!;

		expect(organizer.getParameter('cn')).toBe('青年 志愿者协会');
		expect(organizer.getFirstValue()).toBe(
			'https://youth.example.org/org/7d1c9a52-8e0b-4f5f-a0a1-2b3c4d5e6f70/calendar.ics'
		);
	});

	it('round-trips escaped text', () => {
		const title = '分类, 宣传; 第\\1场';
		const description = '第一行\n第二行, 带逗号; 和分号';
		const [parsed] = vevents(buildCalendar([event({ title, description })], OPTIONS));

		expect(parsed!.summary).toBe(title);
		expect(parsed!.description).toBe(description);
	});

	it('ends lines with CRLF, folds at 75 octets', () => {
		const text = buildCalendar([event({ description: '很长的说明'.repeat(60) })], OPTIONS);
		const lines = text.split('\r\n');

		expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
		expect(text.replaceAll('\r\n', '')).not.toContain('\n');
		for (const line of lines) {
			expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
		}
		expect(vevents(text)[0]!.description).toBe('很长的说明'.repeat(60));
	});

	it('names an empty calendar', () => {
		const text = buildCalendar([], OPTIONS);
		const calendar = parse(text);

		expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('我的志愿活动');
		expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
		expect(calendar.getAllSubcomponents('vevent')).toHaveLength(0);
	});

	it('reuses the document for the same rows', () => {
		const rows = [event({ title: '重复读取的日历' })];
		const first = buildCalendar(rows, OPTIONS);
		expect(buildCalendar([event({ title: '重复读取的日历' })], OPTIONS)).toBe(first);
		expect(first).toBe(renderCalendar(rows, OPTIONS));
	});

	it('rebuilds when a row changes', () => {
		const before = buildCalendar([event({ title: '会改的活动' })], OPTIONS);
		const after = buildCalendar([event({ title: '会改的活动', sequence: 1 })], OPTIONS);
		expect(after).not.toBe(before);
		expect(vevents(after)[0]!.sequence).toBe(1);
	});

	it('stays right past the cache size', () => {
		for (let sequence = 0; sequence < 40; sequence++) {
			const text = buildCalendar([event({ title: '很多版本', sequence })], OPTIONS);
			expect(vevents(text)[0]!.sequence).toBe(sequence);
		}
		const again = buildCalendar([event({ title: '很多版本', sequence: 0 })], OPTIONS);
		expect(vevents(again)[0]!.sequence).toBe(0);
	});
});
