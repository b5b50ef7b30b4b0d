import { FIXTURE_TOTP_CODE, type FakeRocketChat, startFakeRocketChat } from '../../fake';
import { call } from './helpers';

const UNAUTHORIZED = {
	success: false,
	error: 'You must be logged in to do this.',
	status: 'error',
	message: 'You must be logged in to do this.',
};

describe('fake Rocket.Chat: authentication', () => {
	let rc: FakeRocketChat;

	beforeAll(async () => {
		rc = await startFakeRocketChat({ rateLimit: { enabled: false } });
	});

	afterAll(async () => {
		await rc.stop();
	});

	describe('401 for missing or bad credentials', () => {
		it('answers the exact 401 body without headers', async () => {
			const res = await call(rc, 'GET', 'me');
			expect(res.status).toBe(401);
			expect(res.text).toBe(JSON.stringify(UNAUTHORIZED));
			expect(res.headers.get('content-type')).toBe('application/json');
		});

		it('rejects a token without a user id and a user id without a token', async () => {
			const { bot } = rc.fixtures;
			const onlyToken = await call(rc, 'GET', 'me', { headers: { 'X-Auth-Token': bot.pat } });
			const onlyUser = await call(rc, 'GET', 'me', { headers: { 'X-User-Id': bot.userId } });
			expect(onlyToken.status).toBe(401);
			expect(onlyToken.json).toEqual(UNAUTHORIZED);
			expect(onlyUser.status).toBe(401);
			expect(onlyUser.json).toEqual(UNAUTHORIZED);
		});

		it("rejects a valid token paired with another user's id", async () => {
			const { bot, alice } = rc.fixtures;
			const res = await call(rc, 'GET', 'me', { as: { userId: alice.userId, token: bot.pat } });
			expect(res.status).toBe(401);
			expect(res.json).toEqual(UNAUTHORIZED);
		});

		it('rejects an unknown token', async () => {
			const res = await call(rc, 'GET', 'me', { as: { userId: rc.fixtures.bot.userId, token: 'not-a-token' } });
			expect(res.status).toBe(401);
		});

		it('accepts lower-case header names', async () => {
			const { bot } = rc.fixtures;
			const res = await call(rc, 'GET', 'me', { headers: { 'x-user-id': bot.userId, 'x-auth-token': bot.pat } });
			expect(res.status).toBe(200);
			expect(res.json.username).toBe('bot');
		});
	});

	describe('GET /api/v1/me', () => {
		it('returns the user without secrets', async () => {
			const { alice } = rc.fixtures;
			const res = await call(rc, 'GET', 'me', { as: alice });
			expect(res.status).toBe(200);
			expect(res.json).toMatchObject({
				_id: alice.userId,
				username: 'alice',
				name: 'Alice Archer',
				emails: [{ address: 'alice@example.com', verified: true }],
				active: true,
				roles: ['user'],
				avatarUrl: `${rc.url}/avatar/alice`,
				success: true,
			});
			expect(res.json.settings.preferences).toBeDefined();
			expect(res.json.services).toEqual({ password: { exists: true } });
			expect(res.text).not.toContain('hashedToken');
			expect(res.text).not.toContain(alice.pat);
			expect(res.text).not.toContain('sha256');
		});
	});

	describe('POST /api/v1/login', () => {
		it('logs in with {user, password}, returns a new working token each time', async () => {
			const { bob } = rc.fixtures;
			const first = await call(rc, 'POST', 'login', { json: { user: 'bob', password: bob.password } });
			const second = await call(rc, 'POST', 'login', { json: { user: 'bob', password: bob.password } });
			expect(first.status).toBe(200);
			expect(first.json.status).toBe('success');
			expect(first.json.success).toBe(true);
			expect(first.json.data.userId).toBe(bob.userId);
			expect(first.json.data.me.username).toBe('bob');
			expect(first.json.data.authToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
			expect(second.json.data.authToken).not.toBe(first.json.data.authToken);
			const me = await call(rc, 'GET', 'me', { as: { userId: bob.userId, token: first.json.data.authToken } });
			expect(me.status).toBe(200);
			expect(me.json._id).toBe(bob.userId);
		});

		it('treats a user containing @ as an e-mail, and accepts username/email keys', async () => {
			const { alice } = rc.fixtures;
			for (const body of [{ user: 'alice@example.com', password: alice.password }, { username: 'alice', password: alice.password }, { email: 'ALICE@example.com', password: alice.password }]) {
				const res = await call(rc, 'POST', 'login', { json: body });
				expect(res.status).toBe(200);
				expect(res.json.data.userId).toBe(alice.userId);
			}
		});

		it('masks an unknown user as Unauthorized', async () => {
			const res = await call(rc, 'POST', 'login', { json: { user: 'nobody', password: 'x' } });
			expect(res.status).toBe(401);
			expect(res.text).toBe(JSON.stringify({ success: false, error: 'Unauthorized', status: 'error', message: 'Unauthorized' }));
		});

		it('answers a wrong password with 401 and the Meteor error', async () => {
			const res = await call(rc, 'POST', 'login', { json: { user: 'alice', password: 'wrong' } });
			expect(res.status).toBe(401);
			expect(res.json).toEqual({ success: false, error: 403, status: 'error', message: 'Incorrect password' });
		});

		it('rejects a form-encoded login body (7.6+) with the masked 401', async () => {
			const { alice } = rc.fixtures;
			const res = await call(rc, 'POST', 'login', {
				body: `user=alice&password=${encodeURIComponent(alice.password)}`,
				contentType: 'application/x-www-form-urlencoded',
			});
			expect(res.status).toBe(401);
			expect(res.json).toEqual({ success: false, error: 'Unauthorized', status: 'error', message: 'Unauthorized' });
		});

		it('requires the TOTP code for carol2fa', async () => {
			const { carol2fa } = rc.fixtures;
			const res = await call(rc, 'POST', 'login', { json: { user: 'carol2fa', password: carol2fa.password } });
			expect(res.status).toBe(401);
			expect(res.text).toBe(
				JSON.stringify({
					success: false,
					error: 'totp-required',
					status: 'error',
					details: { method: 'totp', codeGenerated: false, availableMethods: ['totp'] },
					message: 'TOTP Required',
				}),
			);
		});

		it('rejects a wrong TOTP code', async () => {
			const { carol2fa } = rc.fixtures;
			const res = await call(rc, 'POST', 'login', { json: { user: 'carol2fa', password: carol2fa.password, code: '000000' } });
			expect(res.status).toBe(401);
			expect(res.json).toEqual({ success: false, error: 'totp-invalid', status: 'error', details: { method: 'totp' }, message: 'TOTP Invalid' });
		});

		it('accepts the TOTP code in the body or the X-2fa-Code header', async () => {
			const { carol2fa } = rc.fixtures;
			const inBody = await call(rc, 'POST', 'login', { json: { user: 'carol2fa', password: carol2fa.password, code: FIXTURE_TOTP_CODE } });
			const inHeader = await call(rc, 'POST', 'login', {
				json: { user: 'carol2fa', password: carol2fa.password },
				headers: { 'X-2fa-Code': FIXTURE_TOTP_CODE },
			});
			expect(inBody.status).toBe(200);
			expect(inBody.json.data.userId).toBe(carol2fa.userId);
			expect(inHeader.status).toBe(200);
		});

		it('does not ask a PAT user for 2FA', async () => {
			const { carol2fa } = rc.fixtures;
			const res = await call(rc, 'GET', 'me', { as: carol2fa });
			expect(res.status).toBe(200);
			expect(res.json.services.totp).toEqual({ enabled: true });
		});

		it('logs in with {resume} and returns the same token', async () => {
			const { bot } = rc.fixtures;
			const res = await call(rc, 'POST', 'login', { json: { resume: bot.pat } });
			expect(res.status).toBe(200);
			expect(res.json.data).toMatchObject({ userId: bot.userId, authToken: bot.pat });
			const bad = await call(rc, 'POST', 'login', { json: { resume: 'nope' } });
			expect(bad.status).toBe(401);
			expect(bad.json).toEqual({ success: false, error: 403, status: 'error', message: "You've been logged out by the server. Please log in again." });
		});

		it('rejects a body without credentials', async () => {
			const res = await call(rc, 'POST', 'login', { json: {} });
			expect(res.status).toBe(401);
			expect(res.json.message).toBe('Unrecognized options for login request');
		});
	});

	describe('POST /api/v1/logout', () => {
		it('removes only the token used', async () => {
			const { bob } = rc.fixtures;
			const login = await call(rc, 'POST', 'login', { json: { username: 'bob', password: bob.password } });
			const session = { userId: bob.userId, token: login.json.data.authToken as string };
			const out = await call(rc, 'POST', 'logout', { as: session });
			expect(out.status).toBe(200);
			expect(out.json).toEqual({ status: 'success', data: { message: "You've been logged out!" }, success: true });
			expect((await call(rc, 'GET', 'me', { as: session })).status).toBe(401);
			expect((await call(rc, 'GET', 'me', { as: bob })).status).toBe(200);
		});
	});

	describe('GET /api/info', () => {
		it('is public and trims the version to major.minor', async () => {
			const res = await call(rc, 'GET', '/api/info');
			expect(res.status).toBe(200);
			expect(res.json).toEqual({ version: '8.8', minimumClientVersions: expect.any(Object), success: true });
		});

		it('gives admins the full version and build info', async () => {
			const res = await call(rc, 'GET', '/api/info', { as: rc.fixtures.admin });
			expect(res.json.version).toBe('8.8.1');
			expect(res.json.info.version).toBe('8.8.1');
			const user = await call(rc, 'GET', '/api/info', { as: rc.fixtures.alice });
			expect(user.json.version).toBe('8.8');
			expect(user.json.info).toBeUndefined();
		});

		it('follows the configured version', async () => {
			const other = await startFakeRocketChat({ version: '7.10.3', seed: false });
			try {
				expect((await call(other, 'GET', '/api/info')).json.version).toBe('7.10');
			} finally {
				await other.stop();
			}
		});
	});

	describe('routing', () => {
		it('answers unknown routes with a non-JSON 404', async () => {
			const res = await call(rc, 'GET', 'rooms.upload/GENERAL', { as: rc.fixtures.bot });
			expect(res.status).toBe(404);
			expect(res.json).toBeUndefined();
			expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
		});

		it('does not serve /api/v1/info (removed in 2.0)', async () => {
			expect((await call(rc, 'GET', 'info')).status).toBe(404);
		});

		it('rejects malformed JSON', async () => {
			const res = await call(rc, 'POST', 'subscriptions.read', { as: rc.fixtures.bot, body: '{"rid":', contentType: 'application/json' });
			expect(res.status).toBe(400);
			expect(res.json).toEqual({ success: false, error: 'Invalid JSON body' });
		});
	});
});
