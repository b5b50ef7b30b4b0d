import { type FakeRocketChat, startFakeRocketChat } from '../../fake';
import { call } from './helpers';

const TOO_MANY = /^Error, too many requests\. Please slow down\. You must wait (\d+) seconds before trying this endpoint again\. \[error-too-many-requests\]$/;

describe('fake Rocket.Chat: rate limiter', () => {
	let rc: FakeRocketChat;

	beforeEach(async () => {
		rc = await startFakeRocketChat();
	});

	afterEach(async () => {
		await rc.stop();
	});

	it('sends the limit headers on every response of a limited route and 429s the 11th call', async () => {
		const { alice } = rc.fixtures;
		const before = Date.now();
		for (let i = 1; i <= 10; i++) {
			const res = await call(rc, 'GET', 'me', { as: alice });
			expect(res.status).toBe(200);
			expect(res.headers.get('x-ratelimit-limit')).toBe('10');
			expect(res.headers.get('x-ratelimit-remaining')).toBe(String(10 - i));
			const reset = Number(res.headers.get('x-ratelimit-reset'));
			// absolute epoch milliseconds, within the 60 s window
			expect(reset).toBeGreaterThan(before);
			expect(reset).toBeLessThanOrEqual(Date.now() + 60000);
		}
		const limited = await call(rc, 'GET', 'me', { as: alice });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
		expect(limited.headers.get('retry-after')).toBeNull();
		expect(Object.keys(limited.json)).toEqual(['success', 'error']);
		expect(limited.json.success).toBe(false);
		const seconds = Number(TOO_MANY.exec(limited.json.error)?.[1]);
		expect(seconds).toBeGreaterThanOrEqual(59);
		expect(seconds).toBeLessThanOrEqual(60);
	});

	it('counts per endpoint and method', async () => {
		const { alice } = rc.fixtures;
		for (let i = 0; i < 10; i++) await call(rc, 'GET', 'me', { as: alice });
		expect((await call(rc, 'GET', 'me', { as: alice })).status).toBe(429);
		const other = await call(rc, 'GET', 'subscriptions.get', { as: alice });
		expect(other.status).toBe(200);
		expect(other.headers.get('x-ratelimit-remaining')).toBe('9');
	});

	it('limits anonymous logins too', async () => {
		for (let i = 0; i < 10; i++) await call(rc, 'POST', 'login', { json: { user: 'nobody', password: 'x' } });
		const res = await call(rc, 'POST', 'login', { json: { user: 'alice', password: rc.fixtures.alice.password } });
		expect(res.status).toBe(429);
	});

	it('lets bypass roles (bot, admin) through without headers', async () => {
		for (const user of [rc.fixtures.bot, rc.fixtures.admin]) {
			for (let i = 0; i < 15; i++) {
				const res = await call(rc, 'GET', 'me', { as: user });
				expect(res.status).toBe(200);
				expect(res.headers.get('x-ratelimit-limit')).toBeNull();
			}
		}
	});

	it('does not limit /api/info', async () => {
		for (let i = 0; i < 12; i++) {
			const res = await call(rc, 'GET', '/api/info');
			expect(res.status).toBe(200);
			expect(res.headers.get('x-ratelimit-limit')).toBeNull();
		}
	});

	it('resets after the window and on resetRateLimits()', async () => {
		rc.setRateLimit({ default: { calls: 2, windowMs: 300 } });
		const { alice } = rc.fixtures;
		await call(rc, 'GET', 'me', { as: alice });
		await call(rc, 'GET', 'me', { as: alice });
		const limited = await call(rc, 'GET', 'me', { as: alice });
		expect(limited.status).toBe(429);
		expect(limited.json.error).toMatch(/You must wait 1 seconds/);
		await new Promise((resolve) => setTimeout(resolve, 350));
		const again = await call(rc, 'GET', 'me', { as: alice });
		expect(again.status).toBe(200);
		expect(again.headers.get('x-ratelimit-remaining')).toBe('1');
		await call(rc, 'GET', 'me', { as: alice });
		expect((await call(rc, 'GET', 'me', { as: alice })).status).toBe(429);
		rc.resetRateLimits();
		expect((await call(rc, 'GET', 'me', { as: alice })).status).toBe(200);
	});

	it('can be reconfigured per endpoint, for other bypass roles, or off', async () => {
		const { alice, bot } = rc.fixtures;
		rc.setRateLimit({ perEndpoint: { me: { calls: 1, windowMs: 60000 } } });
		expect((await call(rc, 'GET', 'me', { as: alice })).headers.get('x-ratelimit-limit')).toBe('1');
		expect((await call(rc, 'GET', 'me', { as: alice })).status).toBe(429);

		rc.setRateLimit({ default: { calls: 1, windowMs: 60000 }, bypassRoles: [] });
		await call(rc, 'GET', 'me', { as: bot });
		expect((await call(rc, 'GET', 'me', { as: bot })).status).toBe(429);

		rc.setRateLimit({ enabled: false });
		for (let i = 0; i < 15; i++) {
			const res = await call(rc, 'GET', 'me', { as: alice });
			expect(res.status).toBe(200);
			expect(res.headers.get('x-ratelimit-limit')).toBeNull();
		}
	});

	it('applies the chat.sendMessage rule (5/s) with send-many-messages bypass', async () => {
		rc.route({ method: 'POST', path: 'chat.sendMessage', handler: () => ({}) });
		rc.route({ method: 'POST', path: 'test.bypassOnly', rateLimit: { calls: 1, windowMs: 60000, bypassPermissions: ['view-statistics'] }, handler: () => ({}) });
		const { alice } = rc.fixtures;
		const first = await call(rc, 'POST', 'chat.sendMessage', { as: alice, json: {} });
		expect(first.headers.get('x-ratelimit-limit')).toBe('5');
		for (let i = 0; i < 4; i++) await call(rc, 'POST', 'chat.sendMessage', { as: alice, json: {} });
		expect((await call(rc, 'POST', 'chat.sendMessage', { as: alice, json: {} })).status).toBe(429);

		rc.setRateLimit({ bypassRoles: [] });
		for (let i = 0; i < 3; i++) {
			expect((await call(rc, 'POST', 'test.bypassOnly', { as: rc.fixtures.admin, json: {} })).status).toBe(200);
		}
		await call(rc, 'POST', 'test.bypassOnly', { as: alice, json: {} });
		expect((await call(rc, 'POST', 'test.bypassOnly', { as: alice, json: {} })).status).toBe(429);
	});

	it('counts legacy-route validation failures but not typed-route ones', async () => {
		rc.setRateLimit({ default: { calls: 2, windowMs: 60000 } });
		const { alice } = rc.fixtures;
		rc.route({ method: 'POST', path: 'test.legacy', body: { type: 'object', required: ['x'] }, handler: () => ({}) });
		await call(rc, 'POST', 'test.legacy', { as: alice, json: {} });
		await call(rc, 'POST', 'test.legacy', { as: alice, json: {} });
		expect((await call(rc, 'POST', 'test.legacy', { as: alice, json: {} })).status).toBe(429);

		for (let i = 0; i < 4; i++) {
			const invalid = await call(rc, 'GET', 'subscriptions.getOne', { as: alice });
			expect(invalid.status).toBe(400);
			expect(invalid.headers.get('x-ratelimit-limit')).toBeNull();
		}
		expect((await call(rc, 'GET', 'subscriptions.getOne', { as: alice, query: 'roomId=GENERAL' })).headers.get('x-ratelimit-remaining')).toBe('1');
	});

	it('does not count unauthenticated calls to authenticated routes', async () => {
		rc.setRateLimit({ default: { calls: 1, windowMs: 60000 } });
		for (let i = 0; i < 3; i++) expect((await call(rc, 'GET', 'me')).status).toBe(401);
		expect((await call(rc, 'GET', 'me', { as: rc.fixtures.alice })).status).toBe(200);
	});
});
