import { defineConfig, devices } from '@playwright/test';
import { E2E } from './tests/e2e/settings';

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	use: {
		baseURL: E2E.origin,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		trace: 'retain-on-failure',
		launchOptions: {
			// Debian's browser, never a downloaded one: browser downloads fail on these machines.
			executablePath: '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	projects: [
		{
			name: 'chromium',
			use: { ...devices['Desktop Chrome'], viewport: { width: 420, height: 900 } }
		}
	],
	webServer: {
		// A fresh embedded cluster every run, so the demo data is the same each time.
		command: `rm -rf ${E2E.dataDir} ${E2E.dataDir}.password && node scripts/build-if-stale.js && npx tsx scripts/start.ts`,
		url: E2E.origin,
		timeout: 240_000,
		reuseExistingServer: false,
		stdout: 'ignore',
		stderr: 'pipe',
		env: {
			PORT: String(E2E.port),
			HOST: '127.0.0.1',
			ORIGIN: E2E.origin,
			EMBEDDED_DB_DIR: E2E.dataDir,
			EMBEDDED_DB_PORT: String(E2E.databasePort),
			LOG_LEVEL: 'warn'
		}
	}
});
