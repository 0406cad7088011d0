import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const RESULTS_DIR = path.resolve(import.meta.dirname, '..', 'results');

/** One goal of a benchmark, read by bench/run.ts for the final summary. */
export type Goal = {
	goal: string;
	target: string;
	actual: string;
	met: boolean;
};

/** The machine a result was measured on: the figures mean little without it. */
export function machineInfo() {
	const cpus = os.cpus();
	return {
		cpus: cpus.length,
		cpuModel: cpus[0]?.model ?? 'unknown',
		memoryGb: Math.round(os.totalmem() / 2 ** 30),
		loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
		date: new Date().toISOString()
	};
}

/**
 * Writes bench/results/<name>.json with the machine it ran on and returns the file's path.
 * A `goals` array of {@link Goal} in `data` is what the final summary of `npm run bench` shows.
 */
export async function writeResult(name: string, data: Record<string, unknown>): Promise<string> {
	await mkdir(RESULTS_DIR, { recursive: true });
	const file = path.join(RESULTS_DIR, `${name}.json`);
	const body = { name, machine: machineInfo(), ...data };
	await writeFile(file, JSON.stringify(body, null, '\t') + '\n');
	return file;
}

/** Prints rows as an aligned text table under a title; columns come from the rows' keys. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
	const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
	const cell = (value: string | number | undefined): string => {
		if (value === undefined) return '';
		if (typeof value === 'number') return value.toLocaleString('en');
		return value;
	};
	const widths = columns.map((column) =>
		Math.max(column.length, ...rows.map((row) => cell(row[column]).length))
	);
	const line = (values: string[]) =>
		values
			.map((value, index) => {
				const width = widths[index]!;
				// Numbers right-aligned, text left-aligned.
				return /^-?[\d,.]+( ?%|x)?$/.test(value) ? value.padStart(width) : value.padEnd(width);
			})
			.join('  ')
			.trimEnd();
	console.log(`\n${title}`);
	console.log(line(columns));
	console.log(widths.map((width) => '-'.repeat(width)).join('  '));
	for (const row of rows) {
		console.log(line(columns.map((column) => cell(row[column]))));
	}
}
