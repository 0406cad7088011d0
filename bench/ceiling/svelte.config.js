// The ceiling: a SvelteKit site that renders the app's own browse page and layout from data held
// in memory, with the app's CSP settings and i18n, so it shows what the framework alone allows.
// Built from this folder into build-ceiling/ at the project root, never part of the app.
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import app from '../../svelte.config.js';

const root = path.resolve(import.meta.dirname, '..', '..');

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		...app.kit,
		adapter: adapter({ out: path.join(root, 'build-ceiling') }),
		outDir: path.join(root, '.svelte-kit-ceiling'),
		files: {
			routes: 'src/routes',
			hooks: { server: 'src/hooks.server.ts' },
			lib: path.join(root, 'src', 'lib'),
			appTemplate: path.join(root, 'src', 'app.html'),
			assets: path.join(root, 'static')
		}
	}
};

export default config;
