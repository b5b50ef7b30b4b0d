/**
 * `loginWithPassword` against the fake's rate limiter: `/api/v1/login` is limited per client address (10 a
 * minute by default) and nothing bypasses it before the login, so a 429 waits for the window like other calls.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { loginWithPassword } from '../../../nodes/shared/login';
import { FakeRocketChat } from '../../fake';
import { passwordCredentials } from '../../harness/fixtures';

jest.setTimeout(30_000);

let fake: FakeRocketChat;

beforeAll(async () => {
	fake = await FakeRocketChat.start();
});

afterAll(async () => {
	await fake.stop();
});

/** A raw sender with the shape of n8n's `httpRequest` with `returnFullResponse`, on fetch. */
async function send(options: IHttpRequestOptions): Promise<unknown> {
	const response = await fetch(String(options.url), {
		method: options.method,
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(options.body),
	});
	return { statusCode: response.status, headers: { 'x-ratelimit-reset': response.headers.get('x-ratelimit-reset') ?? undefined }, body: await response.json() };
}

const logins = () => fake.requests.filter((request) => request.path === '/api/v1/login');

async function exhaustLoginLimit(windowMs: number): Promise<void> {
	fake.setRateLimit({ enabled: true, perEndpoint: { login: { calls: 1, windowMs } } });
	await send({ method: 'POST', url: `${fake.url}/api/v1/login`, body: { username: 'nobody', password: 'x' } });
	fake.clearRequests();
}

describe('loginWithPassword and the rate limiter', () => {
	it('waits for the login window and logs in (429 first)', async () => {
		await exhaustLoginLimit(1200);
		const started = Date.now();
		const session = await loginWithPassword(send, passwordCredentials(fake, fake.fixtures.alice));
		expect(session.userId).toBe(fake.fixtures.alice.userId);
		expect(logins().map((request) => request.status)).toEqual([429, 200]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
	});

	it('names the rate limiter (not the Server URL) when the wait is longer than allowed', async () => {
		await exhaustLoginLimit(60_000);
		const credentials = { ...passwordCredentials(fake, fake.fixtures.alice), rateLimitMaxWait: 1 };
		await expect(loginWithPassword(send, credentials)).rejects.toThrow(/^Rocket\.Chat login failed: the rate limiter refused the login .*\(it asks to wait \d+ s\)/);
		await expect(loginWithPassword(send, credentials)).rejects.not.toThrow(/Server URL/);
		expect(logins().every((request) => request.status === 429)).toBe(true);
	});
});
