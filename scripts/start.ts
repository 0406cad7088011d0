// Starts the site: the embedded PostgreSQL (unless DATABASE_URL is set), migrations, demo data,
// then the built SvelteKit server.
import path from 'node:path';
import { startEmbedded } from '../src/lib/server/db/embedded';
import { prepareDatabase } from './prepare';

const root = path.resolve(import.meta.dirname, '..');
const port = process.env.PORT ?? '5173';
const host = process.env.HOST ?? '127.0.0.1';
const started = performance.now();

let stopDatabase: (() => Promise<void>) | undefined;
if (!process.env.DATABASE_URL) {
	const dataDir = process.env.EMBEDDED_DB_DIR ?? path.join(root, '.data', 'postgres');
	const cluster = await startEmbedded({
		dataDir,
		port: Number(process.env.EMBEDDED_DB_PORT ?? 0)
	});
	console.log(
		`PostgreSQL 17 ${cluster.isNew ? 'created' : 'reused'} at ${dataDir} (port ${cluster.port}), ` +
			`${Math.round(performance.now() - started)} ms`
	);
	process.env.DATABASE_URL = cluster.url;
	stopDatabase = cluster.stop;
}

const report = await prepareDatabase(process.env.DATABASE_URL, {
	loadDemo: process.env.DEMO_DATA !== 'false'
});
console.log(
	`Migrations: ${report.applied.length} applied, ${report.skipped} already there. ` +
		`Demo data: ${report.demoLoaded ? 'loaded' : 'already there'}. ` +
		`Ready in ${Math.round(performance.now() - started)} ms.`
);

process.env.PORT = port;
process.env.HOST = host;
process.env.ORIGIN ??= `http://${host}:${port}`;

async function shutDown() {
	await stopDatabase?.();
	process.exit(0);
}
process.once('SIGINT', () => void shutDown());
process.once('SIGTERM', () => void shutDown());

await import(path.join(root, process.env.BUILD_DIR ?? 'build', 'index.js'));
console.log(`
Site: ${process.env.ORIGIN}
Demo sign-ins (password: ${report.demoPassword}):
  youth         ${report.demoAccounts.youth}
  organization  ${report.demoAccounts.staff}
  coordinator   ${report.demoAccounts.coordinator}
`);
