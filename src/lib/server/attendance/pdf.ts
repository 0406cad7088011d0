import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { HoursRecord } from './records';

/** Error for a server without a CJK font, which cannot make a PDF with Chinese text. */
export class PdfFontMissingError extends Error {
	constructor() {
		super('no CJK font: install the npm dependencies or the Debian package fonts-noto-cjk');
		this.name = 'PdfFontMissingError';
	}
}

type FontSource = { regular: Buffer; bold: Buffer; family?: { regular: string; bold: string } };

const DEBIAN_REGULAR = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const DEBIAN_BOLD = '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc';

let cachedFonts: Promise<FontSource> | undefined;

function npmFontPath(file: string): string | null {
	try {
		return createRequire(import.meta.url).resolve(`@expo-google-fonts/noto-sans-sc/${file}`);
	} catch {
		return null;
	}
}

/**
 * Loads Noto Sans SC from the npm package @expo-google-fonts/noto-sans-sc, which ships one whole
 * TrueType file per weight that pdfkit subsets to the glyphs used. Falls back to Debian's
 * fonts-noto-cjk collection.
 */
async function loadFonts(): Promise<FontSource> {
	const regular = npmFontPath('400Regular/NotoSansSC_400Regular.ttf');
	const bold = npmFontPath('700Bold/NotoSansSC_700Bold.ttf');
	if (regular && bold) {
		return { regular: await readFile(regular), bold: await readFile(bold) };
	}
	if (existsSync(DEBIAN_REGULAR) && existsSync(DEBIAN_BOLD)) {
		return {
			regular: await readFile(DEBIAN_REGULAR),
			bold: await readFile(DEBIAN_BOLD),
			family: { regular: 'NotoSansCJKsc-Regular', bold: 'NotoSansCJKsc-Bold' }
		};
	}
	throw new PdfFontMissingError();
}

/** Returns the fonts, read once per process and kept in memory (about 21 MB). */
function fonts(): Promise<FontSource> {
	cachedFonts ??= loadFonts().catch((caught: unknown) => {
		cachedFonts = undefined;
		throw caught;
	});
	return cachedFonts;
}

export type PdfLabels = {
	title: string;
	name: string;
	period: string;
	totalHours: string;
	issuedAt: string;
	code: string;
	verifyAt: string;
	eventsHeading: string;
	noEvents: string;
	columnDate: string;
	columnEvent: string;
	columnHours: string;
	formatDate: (value: Date) => string;
	/** Hours with their unit, for the total. Rows show the bare number under the column title. */
	formatHours: (hours: number) => string;
	periodText: string;
	issuedText: string;
};

const PAGE_MARGIN = 56;

/** Renders a record of hours as an A4 PDF with a QR code that opens its verification page. */
export async function renderHoursRecordPdf(
	record: HoursRecord,
	labels: PdfLabels,
	verifyUrl: string
): Promise<Buffer> {
	const font = await fonts();
	const qr = await QRCode.toBuffer(verifyUrl, { type: 'png', margin: 1, width: 240 });
	const doc = new PDFDocument({ size: 'A4', margin: PAGE_MARGIN, info: { Title: labels.title } });
	doc.registerFont('body', font.regular, font.family?.regular);
	doc.registerFont('heading', font.bold, font.family?.bold);

	const chunks: Buffer[] = [];
	doc.on('data', (chunk: Buffer) => chunks.push(chunk));
	const finished = new Promise<void>((resolve, reject) => {
		doc.on('end', resolve);
		doc.on('error', reject);
	});

	const width = doc.page.width - PAGE_MARGIN * 2;
	doc.font('heading').fontSize(22).text(labels.title, { align: 'center' });
	doc.moveDown(1.2);

	const top = doc.y;
	const facts: [string, string][] = [
		[labels.name, record.displayName],
		[labels.period, labels.periodText],
		[labels.totalHours, labels.formatHours(record.totalHours)],
		[labels.issuedAt, labels.issuedText],
		[labels.code, record.code]
	];
	for (const [label, value] of facts) {
		doc.font('body').fontSize(10).fillColor('#555555').text(label, PAGE_MARGIN, doc.y);
		doc
			.font('heading')
			.fontSize(13)
			.fillColor('#000000')
			.text(value, { width: width - 140 });
		doc.moveDown(0.4);
	}
	const factsBottom = doc.y;
	doc.image(qr, PAGE_MARGIN + width - 120, top, { width: 120 });
	doc
		.font('body')
		.fontSize(8)
		.fillColor('#555555')
		.text(`${labels.verifyAt} ${verifyUrl}`, PAGE_MARGIN + width - 160, top + 124, {
			width: 160,
			align: 'center'
		});
	doc.y = Math.max(factsBottom, doc.y);

	doc.moveDown(1);
	doc.font('heading').fontSize(14).fillColor('#000000').text(labels.eventsHeading, PAGE_MARGIN);
	doc.moveDown(0.4);
	if (record.events.length === 0) {
		doc.font('body').fontSize(11).text(labels.noEvents);
	} else {
		drawEvents(doc, record, labels, width);
	}

	doc.end();
	await finished;
	return Buffer.concat(chunks);
}

function drawEvents(
	doc: PDFKit.PDFDocument,
	record: HoursRecord,
	labels: PdfLabels,
	width: number
): void {
	const dateWidth = 110;
	const hoursWidth = 70;
	const eventWidth = width - dateWidth - hoursWidth;
	const row = (date: string, event: string, hours: string, isHeader: boolean) => {
		if (doc.y > doc.page.height - PAGE_MARGIN - 40) {
			doc.addPage();
		}
		const y = doc.y;
		doc
			.font(isHeader ? 'heading' : 'body')
			.fontSize(10)
			.fillColor('#000000');
		doc.text(date, PAGE_MARGIN, y, { width: dateWidth - 8 });
		const afterDate = doc.y;
		doc.text(event, PAGE_MARGIN + dateWidth, y, { width: eventWidth - 8 });
		const afterEvent = doc.y;
		doc.text(hours, PAGE_MARGIN + dateWidth + eventWidth, y, { width: hoursWidth, align: 'right' });
		const bottom = Math.max(afterDate, afterEvent, doc.y) + 4;
		doc
			.moveTo(PAGE_MARGIN, bottom - 2)
			.lineTo(PAGE_MARGIN + width, bottom - 2)
			.strokeColor('#cccccc')
			.lineWidth(0.5)
			.stroke();
		doc.y = bottom + 2;
	};
	row(labels.columnDate, labels.columnEvent, labels.columnHours, true);
	for (const event of record.events) {
		const name = event.organizationName ? `${event.title}\n${event.organizationName}` : event.title;
		row(labels.formatDate(event.startsAt), name, String(event.hours), false);
	}
}
