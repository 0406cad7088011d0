import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const routesRoot = path.resolve(import.meta.dirname, '../../src/routes');

/** Lists every file under src/routes, with its route id (`/org/[orgId]`) with the file's name. */
function routeFiles(folder = routesRoot): { routeId: string; file: string; full: string }[] {
	const found: { routeId: string; file: string; full: string }[] = [];
	for (const entry of readdirSync(folder, { withFileTypes: true })) {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) {
			found.push(...routeFiles(full));
			continue;
		}
		const relative = path.relative(routesRoot, folder).split(path.sep);
		// Route groups such as (app) are not part of the URL.
		const segments = relative.filter((segment) => segment && !/^\(.*\)$/.test(segment));
		found.push({ routeId: '/' + segments.join('/'), file: entry.name, full });
	}
	return found;
}

/**
 * Returns the names of a page's form actions: the keys of `export const actions = { … }`, which
 * Prettier writes one tab deep. The default action is `default`.
 */
export function actionNames(source: string): string[] {
	const start = source.search(/export const actions\b[^=]*=\s*\{/);
	if (start === -1) return [];
	const body = source.slice(start).split('\n').slice(1);
	const names: string[] = [];
	for (const line of body) {
		if (/^\};?\s*$/.test(line)) break;
		const key = /^\t(?:async\s+)?([A-Za-z_$][\w$]*)\s*[:(]/.exec(line);
		if (key) names.push(key[1]!);
	}
	return names;
}

/** Returns the HTTP methods a `+server.ts` exports. */
export function endpointMethods(source: string): string[] {
	const pattern =
		/export\s+(?:const|(?:async\s+)?function)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|fallback)\b/g;
	return [...source.matchAll(pattern)].map((match) => match[1]!);
}

/**
 * What a visitor can send to the site: `POST <route>?/<action>` for every form action,
 * `<METHOD> <route>` for every endpoint, and `PAGE <route>` for every page.
 */
export function siteInventory(): { actions: string[]; endpoints: string[]; pages: string[] } {
	const actions: string[] = [];
	const endpoints: string[] = [];
	const pages: string[] = [];
	for (const { routeId, file, full } of routeFiles()) {
		if (file === '+page.server.ts') {
			for (const name of actionNames(readFileSync(full, 'utf8'))) {
				actions.push(`POST ${routeId}?/${name}`);
			}
		} else if (file === '+server.ts') {
			for (const method of endpointMethods(readFileSync(full, 'utf8'))) {
				endpoints.push(`${method} ${routeId}`);
			}
		} else if (file === '+page.svelte') {
			pages.push(`PAGE ${routeId}`);
		}
	}
	return { actions: actions.sort(), endpoints: endpoints.sort(), pages: pages.sort() };
}
