import os from 'node:os';
import path from 'node:path';

const port = Number(process.env.E2E_PORT ?? 4173);

/** Where the end-to-end site and its database run. Each run starts them afresh. */
export const E2E = {
	port,
	origin: `http://127.0.0.1:${port}`,
	dataDir: path.join(os.tmpdir(), `youth-e2e-${port}`, 'pg'),
	databasePort: Number(process.env.E2E_DATABASE_PORT ?? 55432)
};
