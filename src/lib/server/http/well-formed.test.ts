import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { wellFormed } from './well-formed';

const ORIGIN = 'http://127.0.0.1:5173';

/** Runs the hook on one request; a well-formed request reaches resolve, which returns 200. */
async function statusOf(
	path: string,
	init: { body?: BodyInit; type?: string | null } = {}
): Promise<number> {
	const headers = new Headers();
	if (init.type !== null) {
		headers.set('content-type', init.type ?? 'application/x-www-form-urlencoded');
	}
	const request = new Request(ORIGIN + path, {
		method: init.body === undefined ? 'GET' : 'POST',
		headers,
		body: init.body
	});
	const event = { request, url: new URL(request.url), locals: {}, route: { id: path } };
	const response = await wellFormed({
		event: event as unknown as RequestEvent,
		resolve: async () => new Response('ok')
	});
	return response.status;
}

describe('wellFormed', () => {
	it('accepts forms and queries in UTF-8', async () => {
		expect(await statusOf('/?q=%E5%BF%97%E6%84%BF&page=2')).toBe(200);
		expect(await statusOf('/signin', { body: 'email=a%40b.cn&password=%E5%AF%86+x' })).toBe(200);
		expect(
			await statusOf('/x?/apply', { body: '', type: 'APPLICATION/X-WWW-FORM-URLENCODED' })
		).toBe(200);
	});

	it('rejects bytes that are not UTF-8', async () => {
		expect(await statusOf('/?q=%FF')).toBe(400);
		expect(await statusOf('/signin', { body: 'email=%C0%AF' })).toBe(400);
		expect(await statusOf('/signin', { body: new Uint8Array([0x65, 0x3d, 0xff]) })).toBe(400);
		const multipart = `--b\r\nContent-Disposition: form-data; name="e"\r\n\r\n\u00ff\r\n--b--\r\n`;
		const bytes = Buffer.from(multipart, 'latin1');
		expect(
			await statusOf('/signin', { body: bytes, type: 'multipart/form-data; boundary=b' })
		).toBe(400);
	});

	it('rejects a repeated field', async () => {
		expect(await statusOf('/signin', { body: 'email=a&email=b' })).toBe(400);
		expect(await statusOf('/?town=a&town=b')).toBe(400);
	});

	it('rejects posts that are not forms', async () => {
		expect(await statusOf('/signin', { body: '{}', type: 'application/json' })).toBe(415);
		expect(await statusOf('/signin', { body: 'email=a', type: 'text/plain' })).toBe(415);
		expect(await statusOf('/signin', { body: 'email=a', type: null })).toBe(415);
	});

	it('rejects an action named default', async () => {
		expect(await statusOf('/signin?/default', { body: 'email=a' })).toBe(404);
	});
});
