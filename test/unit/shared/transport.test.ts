import type { IHttpRequestOptions, INode } from 'n8n-workflow';
import { Readable } from 'node:stream';

import type { FullResponse, Sender } from '../../../nodes/shared/transport';
import { rateLimitWaitMs, sendRequest, settingsFromCredentials, storeDownload } from '../../../nodes/shared/transport';

const node: INode = {
	id: '1',
	name: 'Rocket.Chat',
	type: 'n8n-nodes-rocketchat.rocketChat',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const settings = () => ({
	...settingsFromCredentials({ domain: 'http://127.0.0.1:9/api/v1/', authentication: 'accessToken', userId: 'u', token: 'secret-token-1' }),
});

/** An HTTP layer that answers from a script and records what it was asked. */
function scripted(answers: Array<FullResponse | Error>): Sender & { calls: IHttpRequestOptions[]; times: number[] } {
	const calls: IHttpRequestOptions[] = [];
	const times: number[] = [];
	return {
		calls,
		times,
		secrets: () => ['secret-token-1'],
		send: async (options) => {
			calls.push(options);
			times.push(Date.now());
			const next = answers.shift();
			if (!next) throw new Error('no more answers scripted');
			if (next instanceof Error) throw next;
			return next;
		},
	};
}

const ok = (body: object, headers: Record<string, string> = {}): FullResponse => ({ statusCode: 200, headers, body: { ...body, success: true } });

describe('sendRequest', () => {
	it('builds the URL from the normalised server and encodes the query', async () => {
		const sender = scripted([ok({ messages: [] })]);
		await sendRequest(node, sender, settings(), {
			endpoint: 'chat.search',
			qs: { roomId: 'GENERAL', searchText: 'a&b #c' },
		});
		expect(sender.calls[0].url).toBe('http://127.0.0.1:9/api/v1/chat.search?roomId=GENERAL&searchText=a%26b%20%23c');
		expect(sender.calls[0].method).toBe('GET');
		expect(sender.calls[0].ignoreHttpStatusErrors).toEqual({ ignore: true, except: [401] });
	});

	it('waits until X-RateLimit-Reset on 429, then retries (measured wait within bounds)', async () => {
		const resetIn = 400;
		const sender = scripted([
			{
				statusCode: 429,
				headers: { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.now() + resetIn) },
				body: { success: false, error: 'Error, too many requests. Please slow down. You must wait 1 seconds before trying this endpoint again. [error-too-many-requests]' },
			},
			ok({ subscription: { _id: 's' } }),
		]);
		const started = Date.now();
		const body = (await sendRequest(node, sender, settings(), { endpoint: 'subscriptions.getOne', qs: { roomId: 'R' } })) as { subscription: object };
		const waited = sender.times[1] - sender.times[0];
		expect(body.subscription).toEqual({ _id: 's' });
		expect(waited).toBeGreaterThanOrEqual(resetIn - 30);
		expect(waited).toBeLessThan(resetIn + 400);
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('gives up on 429 when the wait exceeds the maximum, with Rocket.Chat text and hint', async () => {
		const s = settings();
		s.limits = { ...s.limits, maxWaitMs: 100 };
		const sender = scripted([
			{
				statusCode: 429,
				headers: { 'x-ratelimit-reset': String(Date.now() + 30_000) },
				body: { success: false, error: 'Error, too many requests. Please slow down. You must wait 30 seconds before trying this endpoint again. [error-too-many-requests]' },
			},
		]);
		await expect(sendRequest(node, sender, s, { endpoint: 'subscriptions.get' })).rejects.toMatchObject({
			httpCode: '429',
			message: expect.stringContaining('too many requests'),
			description: expect.stringContaining('wait 30 s'),
		});
		expect(sender.calls).toHaveLength(1);
	});

	it('stops after the configured number of 429 retries', async () => {
		const s = settings();
		s.limits = { ...s.limits, rateLimitRetries: 2 };
		const limited = (): FullResponse => ({
			statusCode: 429,
			headers: { 'x-ratelimit-reset': String(Date.now() + 10) },
			body: { success: false, error: 'Error, too many requests. Please slow down. You must wait 1 seconds before trying this endpoint again. [error-too-many-requests]' },
		});
		const sender = scripted([limited(), limited(), limited(), ok({})]);
		await expect(sendRequest(node, sender, s, { endpoint: 'subscriptions.get' })).rejects.toMatchObject({ httpCode: '429' });
		expect(sender.calls).toHaveLength(3);
	});

	it('paces the next call to an endpoint whose remaining budget reached 0', async () => {
		const s = settingsFromCredentials({ domain: 'http://127.0.0.1:8/', authentication: 'accessToken', userId: 'u', token: 't' });
		const sender = scripted([
			ok({}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.now() + 300) }),
			ok({}),
		]);
		await sendRequest(node, sender, s, { method: 'POST', endpoint: 'chat.postMessage', body: {} });
		await sendRequest(node, sender, s, { method: 'POST', endpoint: 'chat.postMessage', body: {} });
		expect(sender.times[1] - sender.times[0]).toBeGreaterThanOrEqual(270);
	});

	it('retries idempotent requests after 502/503/504 with backoff, but not POSTs', async () => {
		const s = settings();
		s.limits = { ...s.limits, backoffBaseMs: 10 };
		const html = { statusCode: 502, headers: { 'content-type': 'text/html' }, body: '<html><title>502 Bad Gateway</title></html>' };
		const getSender = scripted([html, { ...html, statusCode: 503 }, ok({ update: [] })]);
		await expect(sendRequest(node, getSender, s, { endpoint: 'subscriptions.get' })).resolves.toMatchObject({ update: [] });
		expect(getSender.calls).toHaveLength(3);

		const postSender = scripted([html, ok({})]);
		await expect(
			sendRequest(node, postSender, s, { method: 'POST', endpoint: 'chat.postMessage', body: { text: 'x' } }),
		).rejects.toMatchObject({ httpCode: '502', message: expect.stringContaining('502 Bad Gateway') });
		expect(postSender.calls).toHaveLength(1);
	});

	it('retries lost connections for idempotent requests, then reports the server address', async () => {
		const s = settings();
		s.limits = { ...s.limits, backoffBaseMs: 5, transientRetries: 2 };
		const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
		const sender = scripted([refused(), refused(), refused()]);
		await expect(sendRequest(node, sender, s, { endpoint: 'subscriptions.get', itemIndex: 1 })).rejects.toMatchObject({
			message: 'Could not reach Rocket.Chat at http://127.0.0.1:9: the connection was refused',
			context: expect.objectContaining({ itemIndex: 1 }),
		});
		expect(sender.calls).toHaveLength(3);
	});

	it('reads the 401 that n8n throws (after its re-login) and maps it', async () => {
		const thrown = Object.assign(new Error('Request failed with status code 401'), {
			response: {
				status: 401,
				data: { success: false, error: 'You must be logged in to do this.', status: 'error', message: 'You must be logged in to do this.' },
				headers: {},
			},
		});
		const sender = scripted([thrown]);
		await expect(sendRequest(node, sender, settings(), { endpoint: 'me' })).rejects.toMatchObject({
			httpCode: '401',
			message: 'You must be logged in to do this.',
		});
	});

	it('treats 200 with success:false as the failure it is', async () => {
		const sender = scripted([{ statusCode: 200, headers: {}, body: { success: false, error: 'Nope [error-not-allowed]', errorType: 'error-not-allowed' } }]);
		await expect(sendRequest(node, sender, settings(), { endpoint: 'x' })).rejects.toMatchObject({ message: 'Nope [error-not-allowed]' });
	});

	it('flags a web page answered with 200 (Server URL not pointing to Rocket.Chat)', async () => {
		const sender = scripted([{ statusCode: 200, headers: {}, body: '<html><title>Welcome</title></html>' }]);
		await expect(sendRequest(node, sender, settings(), { endpoint: 'me' })).rejects.toMatchObject({
			description: expect.stringContaining('Server URL'),
		});
	});
});

describe('rateLimitWaitMs', () => {
	const now = 1_750_000_000_000;
	const body = (n: number) => ({ success: false, error: `Error, too many requests. Please slow down. You must wait ${n} seconds before trying this endpoint again. [error-too-many-requests]` });
	it('uses the reset header (epoch ms)', () => {
		expect(rateLimitWaitMs({ 'x-ratelimit-reset': String(now + 500) }, body(1), now)).toBe(520);
	});
	it('falls back to the text when there is no header', () => {
		expect(rateLimitWaitMs({}, body(7), now)).toBe(7020);
	});
	it('trusts the text when the clock is far off', () => {
		expect(rateLimitWaitMs({ 'x-ratelimit-reset': String(now + 3_600_000) }, body(2), now)).toBe(2020);
		expect(rateLimitWaitMs({ 'x-ratelimit-reset': String(now - 5000) }, body(2), now)).toBe(2020);
	});
	it('reads an epoch in seconds too', () => {
		expect(rateLimitWaitMs({ 'x-ratelimit-reset': String(now / 1000 + 1) }, {}, now)).toBe(1020);
	});
	it('waits a second when nothing says how long', () => {
		expect(rateLimitWaitMs({}, '<html>429</html>', now)).toBe(1000);
	});
});

describe('settingsFromCredentials', () => {
	it('reads the rate-limit fields of the credentials, with defaults', () => {
		const base = { domain: 'https://chat.example.com/api/v1', authentication: 'accessToken', userId: 'u', token: 'tok-123456' };
		expect(settingsFromCredentials(base).limits).toMatchObject({ rateLimitRetries: 5, maxWaitMs: 65_000 });
		expect(settingsFromCredentials({ ...base, rateLimitRetries: 2, rateLimitMaxWait: 3 }).limits).toMatchObject({
			rateLimitRetries: 2,
			maxWaitMs: 3000,
		});
		expect(settingsFromCredentials({ ...base, rateLimitRetries: -1, rateLimitMaxWait: 'x' }).limits).toMatchObject({
			rateLimitRetries: 5,
			maxWaitMs: 65_000,
		});
		expect(settingsFromCredentials(base).server).toBe('https://chat.example.com');
		expect(settingsFromCredentials(base).secrets).toEqual(['tok-123456']);
	});
});

describe('login failures', () => {
	it('are reported with their own text, at once, without retries', async () => {
		const sender = scripted([
			new Error('Rocket.Chat login failed: Incorrect password. Check the username and password in the credentials.'),
			ok({}),
		]);
		await expect(sendRequest(node, sender, settings(), { endpoint: 'rooms.get', itemIndex: 2 })).rejects.toMatchObject({
			message: 'Rocket.Chat login failed: Incorrect password. Check the username and password in the credentials.',
			context: expect.objectContaining({ itemIndex: 2 }),
		});
		expect(sender.calls).toHaveLength(1);
	});
});

describe('storeDownload', () => {
	const node: INode = { id: 'n', name: 'Rocket.Chat', type: 'n8n-nodes-rocketchat.rocketChat', typeVersion: 1, position: [0, 0], parameters: {} };
	const response = (expectedBytes?: number) => ({ body: Readable.from([Buffer.from('hello')]), headers: {}, expectedBytes });
	const storing = (bytes: number) => ({
		prepareBinaryData: async (data: unknown) => {
			for await (const chunk of data as AsyncIterable<Buffer>) void chunk;
			return { data: 'filesystem', mimeType: 'text/plain', bytes };
		},
	});

	it('passes on a body stored with the announced length', async () => {
		await expect(storeDownload(storing(5), node, response(5), { fileName: 'a.txt', mimeType: 'text/plain' })).resolves.toMatchObject({ bytes: 5 });
	});

	it('refuses a body stored shorter than announced, with the item index', async () => {
		await expect(storeDownload(storing(5), node, response(10), { fileName: 'a.txt', mimeType: 'text/plain', itemIndex: 2 })).rejects.toMatchObject({
			message: 'The download of "a.txt" broke off after 5 of 10 bytes',
			description: expect.stringContaining('nothing was passed on'),
			context: expect.objectContaining({ itemIndex: 2 }),
		});
	});

	it('names a connection lost during the store', async () => {
		const failing = { prepareBinaryData: async () => await Promise.reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })) };
		await expect(storeDownload(failing, node, response(10), { fileName: 'a.txt', mimeType: 'text/plain', itemIndex: 0 })).rejects.toMatchObject({
			message: 'The download of "a.txt" broke off before its end (10 bytes announced)',
		});
	});
});
