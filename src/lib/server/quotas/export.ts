import ExcelJS from 'exceljs';

/** A table to export: a header row and rows of text and numbers. */
export type ExportTable = {
	/** The worksheet's name in an XLSX file. */
	title: string;
	headers: string[];
	rows: (string | number)[][];
};

/** Excel and LibreOffice read UTF-8 CSV as UTF-8 only when it starts with this mark. */
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * A text cell that a spreadsheet would run as a formula starts with one of these. Branch names
 * and event titles are typed by users, so such cells get a leading apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string | number): string {
	if (typeof value === 'number') {
		return String(value);
	}
	const text = FORMULA_START.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes a table as CSV (RFC 4180, CRLF line ends) in UTF-8 with a byte order mark. */
export function toCsv(table: ExportTable): string {
	const lines = [table.headers, ...table.rows].map((row) => row.map(csvCell).join(','));
	return BYTE_ORDER_MARK + lines.join('\r\n') + '\r\n';
}

/** Worksheet names may not hold []:*?/\ and stop at 31 characters. */
function sheetName(title: string): string {
	return title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';
}

/** Writes a table as an XLSX workbook with one worksheet, numbers kept as numbers. */
export async function toXlsx(table: ExportTable): Promise<Uint8Array<ArrayBuffer>> {
	const workbook = new ExcelJS.Workbook();
	workbook.created = new Date(0);
	const sheet = workbook.addWorksheet(sheetName(table.title), {
		views: [{ state: 'frozen', ySplit: 1 }]
	});
	sheet.addRow(table.headers).font = { bold: true };
	for (const row of table.rows) {
		sheet.addRow(row);
	}
	sheet.columns.forEach((column, index) => {
		const widest = Math.max(
			...[table.headers, ...table.rows].map((row) => String(row[index] ?? '').length)
		);
		// Chinese characters take about two columns of width each.
		column.width = Math.min(60, Math.max(8, widest * 2 + 2));
	});
	const buffer = await workbook.xlsx.writeBuffer();
	return new Uint8Array(buffer as ArrayBuffer);
}

/** Builds the HTTP response for a CSV download. */
export function csvResponse(table: ExportTable, fileName: string): Response {
	return new Response(toCsv(table), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${fileName}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
}

/** Builds the HTTP response for an XLSX download. */
export async function xlsxResponse(table: ExportTable, fileName: string): Promise<Response> {
	return new Response(await toXlsx(table), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${fileName}.xlsx"`,
			'cache-control': 'private, no-store'
		}
	});
}
