import { describe, expect, it } from 'vitest';
import { renderHoursRecordPdf, type PdfLabels } from './pdf';
import type { HoursRecord } from './records';

const labels: PdfLabels = {
	title: '志愿服务时长证明',
	name: '姓名',
	period: '时间段',
	totalHours: '志愿服务时长',
	issuedAt: '出具时间',
	code: '验证码',
	verifyAt: '扫码或访问以下网址核验：',
	eventsHeading: '参加的活动',
	noEvents: '这个时间段内没有志愿时长。',
	columnDate: '日期',
	columnEvent: '活动',
	columnHours: '时长（小时）',
	formatDate: (value) => value.toISOString().slice(0, 10),
	formatHours: (hours) => `${hours} 小时`,
	periodText: '2026年1月1日 – 2026年12月5日',
	issuedText: '2026年12月5日'
};

function recordWith(eventCount: number): HoursRecord {
	const start = Date.UTC(2026, 0, 5, 1);
	return {
		code: 'B24KD0J6KAGC',
		displayName: '林晓雨',
		totalHours: eventCount * 2,
		periodStart: '2026-01-01',
		periodEnd: '2026-12-05',
		issuedAt: new Date(Date.UTC(2026, 11, 5)),
		events: Array.from({ length: eventCount }, (_, index) => ({
			opportunityId: String(index),
			title: `公益有声书录制 第${index + 1}期`,
			organizationName: '共青团招宝山街道委员会',
			startsAt: new Date(start + index * 86_400_000),
			endsAt: new Date(start + index * 86_400_000 + 7_200_000),
			checkedInAt: null,
			checkedOutAt: null,
			isAccepted: true,
			hours: 2
		}))
	};
}

describe('renderHoursRecordPdf', () => {
	it('embeds a subset of a CJK font', async () => {
		const pdf = await renderHoursRecordPdf(recordWith(3), labels, 'http://127.0.0.1/verify/X');
		const text = pdf.toString('latin1');
		expect(text.startsWith('%PDF-')).toBe(true);
		expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSans(SC|CJKsc)-Regular/);
		expect(text).toMatch(/\/FontFile2/);
	});

	it('adds pages for a long list of events', async () => {
		const pdf = await renderHoursRecordPdf(recordWith(60), labels, 'http://127.0.0.1/verify/X');
		const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
		expect(pages.length).toBeGreaterThan(1);
	});
});
