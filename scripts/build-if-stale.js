// Builds the site when build/ is missing or older than the sources, so `npm start` always
// serves the current code without rebuilding on every start.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const marker = path.join(root, process.env.BUILD_DIR ?? 'build', 'index.js');
const watched = ['src', 'messages', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];

/** @param {string} entry */
function newestChange(entry) {
	const full = path.join(root, entry);
	if (!existsSync(full)) return 0;
	const info = statSync(full);
	if (!info.isDirectory()) return info.mtimeMs;
	let newest = info.mtimeMs;
	for (const child of readdirSync(full)) {
		if (entry === 'src' && child === 'lib') {
			// The generated paraglide folder changes on every build; skip it.
			for (const grandchild of readdirSync(path.join(full, child))) {
				if (grandchild !== 'paraglide') {
					newest = Math.max(newest, newestChange(path.join(entry, child, grandchild)));
				}
			}
			continue;
		}
		newest = Math.max(newest, newestChange(path.join(entry, child)));
	}
	return newest;
}

const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : 0;
const changedAt = Math.max(...watched.map(newestChange));
if (changedAt > builtAt) {
	console.log('Building the site (sources changed since the last build)…');
	execSync('npx vite build', { cwd: root, stdio: 'inherit' });
} else {
	console.log('The build is up to date.');
}
