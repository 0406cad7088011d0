import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { toCsv, toXlsx, type ExportTable } from './export';

const FORMULAS = [
	'=1+1',
	'+1+1',
	'-1+1',
	'@SUM(A1)',
	'\t=1',
	'\r=1',
	'=HYPERLINK("http://x","点")'
];

const table: ExportTable = {
	title: '支部',
	headers: ['名称', '数量'],
	rows: [...FORMULAS.map((name, index) => [name, index - 3]), ['普通, "名称"', 5]]
};

describe('toCsv', () => {
	it('puts an apostrophe before formula starts', () => {
		const lines = toCsv(table)
			.replace(/^\uFEFF/, '')
			.split('\r\n');
		expect(lines[1]).toBe("'=1+1,-3");
		expect(lines[3]).toBe("'-1+1,-1");
		expect(lines[4]).toBe("'@SUM(A1),0");
		expect(lines[7]).toBe(`"'=HYPERLINK(""http://x"",""点"")",3`);
	});

	it('leaves other text and negative numbers alone', () => {
		const lines = toCsv(table).split('\r\n');
		expect(lines[8]).toBe('"普通, ""名称""",5');
		expect(lines[2]).toBe("'+1+1,-2");
	});
});

describe('toXlsx', () => {
	it('stores formula-like text as string cells', async () => {
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(
			(await toXlsx(table)).buffer as Parameters<typeof workbook.xlsx.load>[0]
		);
		const sheet = workbook.worksheets[0]!;
		FORMULAS.forEach((name, index) => {
			const cell = sheet.getCell(index + 2, 1);
			expect(cell.type).toBe(ExcelJS.ValueType.String);
			// XML reads a carriage return back as a line feed.
			expect(cell.value).toBe(name.replace('\r', '\n'));
			expect(sheet.getCell(index + 2, 2).value).toBe(index - 3);
		});
	});
});
