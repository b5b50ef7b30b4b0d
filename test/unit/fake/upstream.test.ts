/**
 * The fake validates with Rocket.Chat's published validators of its server line and answers failures
 * with the envelope of that line's route layer.
 */
import { FakeRocketChat } from '../../fake';
import { lineOf, upstreamRule, upstreamValidator, UPSTREAM_VALIDATION } from '../../fake/upstream';

const servers: Record<string, FakeRocketChat> = {};

beforeAll(async () => {
	for (const version of ['6.13.1', '7.10.0', '8.8.1']) servers[version] = await FakeRocketChat.start({ version, rateLimit: { enabled: false } });
});

afterAll(async () => {
	await Promise.all(Object.values(servers).map((server) => server.stop()));
});

async function call(version: string, method: 'GET' | 'POST', endpoint: string, payload: Record<string, unknown>) {
	const server = servers[version];
	const { bot } = server.fixtures;
	const headers: Record<string, string> = { 'X-User-Id': bot.userId, 'X-Auth-Token': bot.pat };
	let url = `${server.url}/api/v1/${endpoint}`;
	let body: string | undefined;
	if (method === 'GET') url += `?${new URLSearchParams(payload as Record<string, string>).toString()}`;
	else {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(payload);
	}
	const response = await fetch(url, { method, headers, body });
	const text = await response.text();
	return { status: response.status, body: (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : { text }) as Record<string, unknown> };
}

describe('server line of a version', () => {
	it('6.x → rt6, 7.x → rt7, 8.x and later → rt8', () => {
		expect(['6.2.0', '6.13.1', '7.0.5', '7.10.0', '8.0.0', '8.8.1', '9.0.0'].map(lineOf)).toEqual(['rt6', 'rt6', 'rt7', 'rt7', 'rt8', 'rt8', 'rt8']);
		expect(servers['7.10.0'].line).toBe('rt7');
	});

	it('every validator the table names is exported by that line', () => {
		const missing: string[] = [];
		for (const [route, perLine] of Object.entries(UPSTREAM_VALIDATION)) {
			for (const [line, rule] of Object.entries(perLine)) {
				for (const name of [rule?.query, rule?.body].filter((entry): entry is string => !!entry)) {
					try {
						upstreamValidator(line as 'rt6', name);
					} catch {
						missing.push(`${route} ${line} ${name}`);
					}
				}
			}
		}
		expect(missing).toEqual([]);
	});

	it('a schema can exist before its route uses it: chat.postMessage validates from 7.4 only', () => {
		expect(typeof upstreamValidator('rt6', 'isChatPostMessageProps')).toBe('function');
		expect(upstreamRule('POST', 'chat.postMessage', 'rt6')).toBeNull();
		expect(upstreamRule('POST', 'chat.postMessage', 'rt7')).toEqual({ style: 'legacy', body: 'isChatPostMessageProps' });
	});
});

describe('failed validation per line', () => {
	it('chat.postMessage with an unknown key: accepted by 6.13, rejected by 7.10 and 8.8 (addRoute + validateParams)', async () => {
		const payload = { roomId: 'GENERAL', text: 'hello', unknownKey: 1 };
		expect((await call('6.13.1', 'POST', 'chat.postMessage', payload)).status).toBe(200);
		for (const version of ['7.10.0', '8.8.1']) {
			expect(await call(version, 'POST', 'chat.postMessage', payload)).toEqual({
				status: 400,
				body: {
					success: false,
					error: "must NOT have additional properties\n must have required property 'channel'\n must match exactly one schema in oneOf [invalid-params]",
					errorType: 'invalid-params',
				},
			});
		}
	});

	it('subscriptions.getOne query: legacy envelope on 6.13/7.10, http-router query envelope on 8.8', async () => {
		for (const version of ['6.13.1', '7.10.0']) {
			expect(await call(version, 'GET', 'subscriptions.getOne', {})).toEqual({
				status: 400,
				body: { success: false, error: "must have required property 'roomId' [invalid-params]", errorType: 'invalid-params' },
			});
		}
		expect(await call('8.8.1', 'GET', 'subscriptions.getOne', {})).toEqual({
			status: 400,
			body: { success: false, errorType: 'error-invalid-params', error: "must have required property 'roomId'" },
		});
	});

	it('rooms.hide body: legacy on 7.10, http-router body envelope (invalid-params, no suffix) on 8.8, no route on 6.13', async () => {
		expect((await call('6.13.1', 'POST', 'rooms.hide', { roomId: 'GENERAL' })).status).toBe(404);
		expect(await call('7.10.0', 'POST', 'rooms.hide', { rid: 'GENERAL' })).toEqual({
			status: 400,
			body: { success: false, error: "must have required property 'roomId' [invalid-params]", errorType: 'invalid-params' },
		});
		expect(await call('8.8.1', 'POST', 'rooms.hide', { rid: 'GENERAL' })).toEqual({
			status: 400,
			body: { success: false, errorType: 'invalid-params', error: "must have required property 'roomId'" },
		});
	});

	it('rooms.saveRoomSettings: only 8.x validates the body; 6.13 and 7.10 pass it to the handler', async () => {
		const payload = { rid: 'GENERAL', notASetting: true };
		expect((await call('8.8.1', 'POST', 'rooms.saveRoomSettings', payload)).body).toMatchObject({ success: false, errorType: 'invalid-params' });
		for (const version of ['6.13.1', '7.10.0']) {
			expect((await call(version, 'POST', 'rooms.saveRoomSettings', payload)).body.errorType).not.toBe('invalid-params');
		}
	});
});
