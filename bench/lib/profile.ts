import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { round } from './stats';

type CallFrame = {
	functionName: string;
	url: string;
	lineNumber: number;
	columnNumber: number;
};
type ProfileNode = { id: number; callFrame: CallFrame };
type CpuProfile = {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
};

export type ProfileGroup = { group: string; selfMs: number; share: number };
export type ProfileFunction = {
	function: string;
	source: string;
	group: string;
	selfMs: number;
	share: number;
};
export type ProfileSummary = {
	/** Sampled time in milliseconds, idle included. */
	totalMs: number;
	/** Time the process was busy: total minus idle. */
	busyMs: number;
	/** Self time per group; shares are of busy time. */
	groups: ProfileGroup[];
	/** The functions with the most self time. */
	top: ProfileFunction[];
};

/**
 * Start lines of the modules bundled into a file, from the `// path` comment the bundler writes
 * where each module begins (SvelteKit's server output keeps no source map of its own).
 */
function moduleStarts(file: string): { line: number; source: string }[] {
	if (!existsSync(file)) {
		return [];
	}
	const starts: { line: number; source: string }[] = [];
	readFileSync(file, 'utf8')
		.split('\n')
		.forEach((text, line) => {
			const source = /^\/\/ ((?:node_modules|src)\/\S+\.(?:[cm]?js|ts|svelte))$/.exec(text)?.[1];
			if (source) starts.push({ line, source });
		});
	return starts;
}

/**
 * Where a function's code came from: through the adapter's source map to SvelteKit's server
 * output, then to the module that output line belongs to.
 */
function createLocator() {
	const maps = new Map<string, SourceMap | null>();
	const modules = new Map<string, { line: number; source: string }[]>();
	return (frame: CallFrame): string => {
		if (!frame.url.startsWith('file://')) {
			return frame.url;
		}
		const file = fileURLToPath(frame.url);
		if (!maps.has(file)) {
			const mapFile = `${file}.map`;
			maps.set(
				file,
				existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null
			);
		}
		const entry = maps.get(file)?.findEntry(frame.lineNumber, frame.columnNumber);
		if (!entry || !('originalSource' in entry) || !entry.originalSource) {
			return file;
		}
		const original = entry.originalSource.startsWith('file://')
			? fileURLToPath(entry.originalSource)
			: path.resolve(path.dirname(file), entry.originalSource);
		if (!/\.svelte-kit[^/]*\/output\//.test(original)) {
			return original;
		}
		if (!modules.has(original)) {
			modules.set(original, moduleStarts(original));
		}
		const starts = modules.get(original)!;
		const start = starts.findLast((candidate) => candidate.line <= entry.originalLine);
		return start ? start.source : original;
	};
}

/** The group a function's self time counts towards, from its name and original source. */
export function classify(functionName: string, source: string): string {
	if (functionName === '(garbage collector)') return 'GC';
	if (functionName === '(idle)') return 'idle';
	if (functionName === '(program)') return 'V8 and native (program)';
	if (source === '') return 'native (V8 built-ins, socket writes, crypto)';
	if (source.startsWith('node:')) return 'Node.js core';
	const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1];
	if (packageName === 'postgres') return 'postgres.js';
	if (packageName === 'svelte') return 'Svelte server render';
	if (packageName === '@sveltejs/kit') return 'SvelteKit';
	if (packageName === 'pino' || packageName?.startsWith('pino-')) return 'logging (pino)';
	if (packageName) return `other dependency: ${packageName}`;
	if (source.includes('/paraglide/')) return 'Paraglide i18n';
	if (source.endsWith('.svelte')) return 'our components (compiled Svelte)';
	if (/(^|\/)src\//.test(source)) return 'our server code';
	return 'app bundle (unmapped)';
}

/** Self time by group and the top functions of a `node --cpu-prof` profile. */
export function summarizeProfile(file: string, topCount = 25): ProfileSummary {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	const locate = createLocator();
	const selfMicros = new Map<number, number>();
	for (let index = 0; index < profile.samples.length; index++) {
		// The delta before the next sample is the time this sample stands for.
		const micros = profile.timeDeltas[index + 1] ?? 0;
		const node = profile.samples[index]!;
		selfMicros.set(node, (selfMicros.get(node) ?? 0) + Math.max(0, micros));
	}

	const byGroup = new Map<string, number>();
	const byFunction = new Map<string, { name: string; source: string; group: string; us: number }>();
	for (const node of profile.nodes) {
		const micros = selfMicros.get(node.id) ?? 0;
		if (micros === 0) continue;
		const frame = node.callFrame;
		const source = locate(frame);
		const group = classify(frame.functionName, source);
		byGroup.set(group, (byGroup.get(group) ?? 0) + micros);
		const name = frame.functionName || '(anonymous)';
		const key = `${name}@${source}:${frame.lineNumber}`;
		const entry = byFunction.get(key) ?? { name, source, group, us: 0 };
		entry.us += micros;
		byFunction.set(key, entry);
	}

	const total = [...byGroup.values()].reduce((sum, value) => sum + value, 0);
	const busy = total - (byGroup.get('idle') ?? 0);
	const share = (micros: number) => round((100 * micros) / Math.max(1, busy), 1);
	const shorten = (source: string) =>
		source.replace(/^.*node_modules\//, '').replace(/^.*?\/(src|bench)\//, '$1/');
	return {
		totalMs: round(total / 1000, 0),
		busyMs: round(busy / 1000, 0),
		groups: [...byGroup.entries()]
			.filter(([group]) => group !== 'idle')
			.sort((a, b) => b[1] - a[1])
			.map(([group, micros]) => ({ group, selfMs: round(micros / 1000, 0), share: share(micros) })),
		top: [...byFunction.values()]
			.filter((entry) => entry.group !== 'idle')
			.sort((a, b) => b.us - a.us)
			.slice(0, topCount)
			.map((entry) => ({
				function: entry.name,
				source: shorten(entry.source),
				group: entry.group,
				selfMs: round(entry.us / 1000, 0),
				share: share(entry.us)
			}))
	};
}
