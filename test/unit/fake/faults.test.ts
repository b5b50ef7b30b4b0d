import { type FakeRocketChat, startFakeRocketChat } from '../../fake';
import { call } from './helpers';

describe('fake Rocket.Chat: fault injection', () => {
	let rc: FakeRocketChat;

	beforeAll(async () => {
		rc = await startFakeRocketChat({ rateLimit: { enabled: false } });
	});

	afterEach(() => {
		rc.clearFaults();
	});

	afterAll(async () => {
		await rc.stop();
	});

	it("answers once with a proxy's HTML 502, then normally", async () => {
		rc.inject({ endpoint: 'me' });
		const bad = await call(rc, 'GET', 'me', { as: rc.fixtures.alice });
		expect(bad.status).toBe(502);
		expect(bad.headers.get('content-type')).toBe('text/html');
		expect(bad.text).toContain('<title>502 Bad Gateway</title>');
		expect(bad.json).toBeUndefined();
		const good = await call(rc, 'GET', 'me', { as: rc.fixtures.alice });
		expect(good.status).toBe(200);
	});

	it('applies `times` times and only to the given method and endpoint', async () => {
		rc.inject({ endpoint: 'subscriptions.get', method: 'GET', times: 2, status: 504 });
		expect((await call(rc, 'GET', 'me', { as: rc.fixtures.alice })).status).toBe(200);
		expect((await call(rc, 'GET', 'subscriptions.get', { as: rc.fixtures.alice })).status).toBe(504);
		expect((await call(rc, 'GET', 'subscriptions.get', { as: rc.fixtures.alice })).status).toBe(504);
		expect((await call(rc, 'GET', 'subscriptions.get', { as: rc.fixtures.alice })).status).toBe(200);
	});

	it('sends a given JSON or text body, content type and headers', async () => {
		rc.inject({ endpoint: 'rooms.info', status: 503, body: { success: false, error: 'Service Unavailable' }, headers: { 'Retry-After': '2' } });
		const json = await call(rc, 'GET', 'rooms.info', { as: rc.fixtures.alice, query: 'roomId=GENERAL' });
		expect(json.status).toBe(503);
		expect(json.json).toEqual({ success: false, error: 'Service Unavailable' });
		expect(json.headers.get('retry-after')).toBe('2');
		rc.inject({ endpoint: '/api/info', status: 500, body: 'oops', contentType: 'text/plain' });
		const text = await call(rc, 'GET', '/api/info');
		expect(text.status).toBe(500);
		expect(text.text).toBe('oops');
	});

	it('matches parameterised routes by pattern and "*" everything', async () => {
		rc.route({ method: 'POST', path: 'test.upload/:rid', handler: (ctx) => ({ rid: ctx.params.rid }) });
		rc.inject({ endpoint: 'test.upload/:rid', status: 413, body: 'too large', contentType: 'text/plain' });
		expect((await call(rc, 'POST', 'test.upload/GENERAL', { as: rc.fixtures.alice, json: {} })).status).toBe(413);
		const ok = await call(rc, 'POST', 'test.upload/GEN%20ERAL', { as: rc.fixtures.alice, json: {} });
		expect(ok.json.rid).toBe('GEN ERAL');
		rc.inject({ endpoint: '*', times: 2 });
		expect((await call(rc, 'GET', '/api/info')).status).toBe(502);
		expect((await call(rc, 'GET', 'me', { as: rc.fixtures.alice })).status).toBe(502);
		expect((await call(rc, 'GET', 'me', { as: rc.fixtures.alice })).status).toBe(200);
	});

	it('drops the connection', async () => {
		rc.clearRequests();
		rc.inject({ endpoint: 'me', destroySocket: true });
		await expect(fetch(`${rc.url}/api/v1/me`)).rejects.toThrow();
		expect(rc.requests[0].status).toBe(0);
		expect((await call(rc, 'GET', 'me', { as: rc.fixtures.alice })).status).toBe(200);
	});

	it('delays, then proceeds normally when only delayMs is given', async () => {
		rc.inject({ endpoint: 'me', delayMs: 200 });
		const started = Date.now();
		const res = await call(rc, 'GET', 'me', { as: rc.fixtures.alice });
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(res.status).toBe(200);
	});

	it('lets a client time out on a delayed answer', async () => {
		rc.inject({ endpoint: 'me', delayMs: 2000, status: 200, body: {} });
		await expect(fetch(`${rc.url}/api/v1/me`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
	});

	it('logs every request with its status', async () => {
		rc.clearRequests();
		rc.inject({ endpoint: 'me', status: 502 });
		await call(rc, 'GET', 'me', { as: rc.fixtures.alice });
		await call(rc, 'GET', 'me');
		await call(rc, 'POST', 'subscriptions.read', { as: rc.fixtures.alice, json: { rid: 'GENERAL' } });
		expect(rc.requests.map((entry) => [entry.method, entry.endpoint, entry.status])).toEqual([
			['GET', 'me', 502],
			['GET', 'me', 401],
			['POST', 'subscriptions.read', 200],
		]);
		expect(rc.requests[2].body).toEqual({ rid: 'GENERAL' });
	});

	it('stop() closes keep-alive connections and pending delays', async () => {
		const other = await startFakeRocketChat({ seed: false });
		other.inject({ endpoint: '/api/info', delayMs: 10000 });
		const pending = fetch(`${other.url}/api/info`).catch((error: unknown) => error);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const started = Date.now();
		await other.stop();
		expect(Date.now() - started).toBeLessThan(1000);
		// undici rejects with a TypeError('fetch failed') from another realm: compare by name
		expect((await pending) as { name?: string }).toMatchObject({ name: 'TypeError' });
	});
});
