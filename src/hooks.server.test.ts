// handleError builds the body a visitor receives when a request fails on a fault of ours, such as
// a database error carrying SQL text, or any exception with a stack. The body gets a generic
// message in the visitor's language and a request id. The log line gets the error itself.
import type { RequestEvent } from '@sveltejs/kit';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleError } from './hooks.server';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { log } from '$lib/server/log';

const SQL = 'select * from auth.users where encrypted_password = $1';

/** Creates a fault like one postgres.js throws, with the statement and a stack trace. */
function databaseFault(): Error {
	const fault = new Error(`syntax error at or near "where" in ${SQL}`);
	Object.assign(fault, { code: '42601', query: SQL });
	return fault;
}

function eventFor(locale: 'zh' | 'en'): RequestEvent {
	return {
		url: new URL('http://127.0.0.1/me/hours'),
		locals: { requestId: 'request-1234' },
		request: new Request('http://127.0.0.1/me/hours', {
			headers: { cookie: `PARAGLIDE_LOCALE=${locale}` }
		})
	} as unknown as RequestEvent;
}

/** Runs handleError inside the language middleware, as SvelteKit does during a request. */
async function handle(locale: 'zh' | 'en', error: unknown, status = 500) {
	const event = eventFor(locale);
	let body: unknown;
	await paraglideMiddleware(event.request, async () => {
		body = await handleError({ error, event, status, message: 'Internal Error' });
		return new Response();
	});
	return body as { message: string; requestId: string };
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('handleError', () => {
	it('hides SQL and stack in zh', async () => {
		vi.spyOn(log, 'error').mockImplementation(() => {});
		const fault = databaseFault();
		const body = await handle('zh', fault);
		expect(body).toEqual({ message: '出了点问题，请稍后再试。', requestId: 'request-1234' });
		expect(JSON.stringify(body)).not.toContain('select');
		expect(JSON.stringify(body)).not.toContain('at ');
	});

	it('answers in English', async () => {
		vi.spyOn(log, 'error').mockImplementation(() => {});
		const body = await handle('en', databaseFault());
		expect(body.message).toBe('Something went wrong. Please try again later.');
		expect(body.requestId).toBe('request-1234');
	});

	it('logs the detail with request id', async () => {
		const logged = vi.spyOn(log, 'error').mockImplementation(() => {});
		const fault = databaseFault();
		await handle('en', fault);
		expect(logged).toHaveBeenCalledTimes(1);
		const [fields] = logged.mock.calls[0] as unknown as [Record<string, unknown>];
		expect(fields.requestId).toBe('request-1234');
		expect(fields.err).toBe(fault);
		// pino serializes an `err` field with its standard error serializer by default.
		const serialized = JSON.stringify(pino.stdSerializers.err(fault));
		expect(serialized).toContain(SQL.slice(0, 20));
		expect(serialized).toContain('hooks.server.test.ts');
	});

	it('logs no 404', async () => {
		const logged = vi.spyOn(log, 'error').mockImplementation(() => {});
		const body = await handle('en', new Error('Not found: /nowhere'), 404);
		expect(body.message).toBe('That page or record was not found.');
		expect(logged).not.toHaveBeenCalled();
	});
});
