import type { IDataObject } from 'n8n-workflow';

import { description as getManyDescription } from '../../../nodes/RocketChat/actions/subscription/getMany';
import { FakeRocketChat } from '../../fake';
import { passwordCredentials, patCredentials } from '../../harness/fixtures';
import { rl, runRocketChat } from '../../harness/run';

let fake: FakeRocketChat;

beforeAll(async () => {
	fake = await FakeRocketChat.start();
});

afterAll(async () => {
	await fake.stop();
});

beforeEach(() => {
	fake.clearRequests();
	fake.setRateLimit({ enabled: true });
});

const requestsTo = (endpoint: string) => fake.requests.filter((r) => r.endpoint === endpoint);

describe('Subscription › Get', () => {
	it('gets the subscription of a room chosen by ID, simplified', async () => {
		const { items, error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl(fake.fixtures.rooms.general) },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ rid: fake.fixtures.rooms.general, t: 'c', roomType: 'channel', name: 'general' });
		expect(items[0].json).not.toHaveProperty('u');
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const [request] = requestsTo('subscriptions.getOne');
		expect(request.headers['x-user-id']).toBe(fake.fixtures.bot.userId);
		expect(request.headers['x-auth-token']).toBe(fake.fixtures.bot.pat);
		expect(request.query).toEqual({ roomId: fake.fixtures.rooms.general });
	});

	it('resolves a room by #name, by URL and a direct message by @username', async () => {
		const credentials = patCredentials(fake, fake.fixtures.bot);
		const byName = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl('#random', 'name'), simplify: false },
			credentials,
		});
		expect(byName.error).toBeUndefined();
		expect(byName.items[0].json).toMatchObject({ rid: fake.fixtures.rooms.random, u: { _id: fake.fixtures.bot.userId } });

		const byUrl = await runRocketChat({
			parameters: {
				resource: 'subscription',
				operation: 'get',
				roomId: rl(`${fake.url}/group/private-team`, 'url'),
			},
			credentials,
		});
		expect(byUrl.error).toBeUndefined();
		expect(byUrl.items[0].json).toMatchObject({ rid: fake.fixtures.rooms.privateGroup, t: 'p' });

		const dm = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl('@alice', 'name') },
			credentials,
		});
		expect(dm.error).toBeUndefined();
		expect(dm.items[0].json).toMatchObject({ rid: fake.fixtures.rooms.dmBotAlice, t: 'd' });
	});

	it('takes the room from an expression per item', async () => {
		const { items, error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl('={{ $json.room }}') },
			credentials: patCredentials(fake, fake.fixtures.bot),
			items: [{ room: fake.fixtures.rooms.general }, { room: fake.fixtures.rooms.random }],
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.rid)).toEqual([fake.fixtures.rooms.general, fake.fixtures.rooms.random]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('reports an unknown room with the item index, or as an item with Continue On Fail', async () => {
		const credentials = patCredentials(fake, fake.fixtures.bot);
		const parameters = { resource: 'subscription', operation: 'get', roomId: rl('={{ $json.room }}') };
		const items = [{ room: fake.fixtures.rooms.general }, { room: 'NoSuchRoom12345678' }];

		const failed = await runRocketChat({ parameters, credentials, items });
		expect(failed.run.status).toBe('error');
		expect(failed.error?.message).toMatch(/not subscribed to the room "NoSuchRoom12345678"/);
		expect(failed.error?.context?.itemIndex).toBe(1);

		const continued = await runRocketChat({ parameters, credentials, items, continueOnFail: true });
		expect(continued.error).toBeUndefined();
		expect(continued.items).toHaveLength(2);
		expect(continued.items[0].json.rid).toBe(fake.fixtures.rooms.general);
		expect(continued.items[1].json.error).toMatch(/not subscribed/);
		expect(continued.items[1].pairedItem).toEqual({ item: 1 });
	});

	it('reports an unknown room name with Rocket.Chat text and a hint', async () => {
		const { error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl('#does-not-exist', 'name') },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error).toBeDefined();
		expect(error?.description).toMatch(/does-not-exist/);
	});

	it('a bad token gives a 401 with the credentials hint and no secret in the output', async () => {
		const credentials = { ...patCredentials(fake, fake.fixtures.bot), token: 'wrong-token-value-123' };
		const { error, run } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl(fake.fixtures.rooms.general) },
			credentials,
		});
		expect(error?.message).toBe('You must be logged in to do this.');
		expect(error?.httpCode).toBe('401');
		expect(error?.description).toMatch(/User ID and Personal Access Token/);
		expect(JSON.stringify(run.data.resultData)).not.toContain('wrong-token-value-123');
		// n8n retries a 401 once after preAuthentication, as in real n8n.
		expect(requestsTo('subscriptions.getOne')).toHaveLength(2);
	});

	it('an HTML 500 from a proxy becomes a readable error (after the retries of an idempotent GET)', async () => {
		fake.inject({
			endpoint: 'subscriptions.getOne',
			times: 1,
			status: 500,
			contentType: 'text/html',
			body: '<html><head><title>500 Internal Server Error</title></head><body>oops</body></html>',
		});
		const { error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl(fake.fixtures.rooms.general) },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error?.message).toBe('Rocket.Chat answered 500 Internal Server Error with a non-JSON page: "500 Internal Server Error"');
		expect(error?.description).toMatch(/web page/);
		// 500 is not retried (only 502/503/504 are).
		expect(requestsTo('subscriptions.getOne')).toHaveLength(1);
	});

	it('a 502 then success is retried transparently', async () => {
		fake.inject({ endpoint: 'subscriptions.getOne', times: 1, status: 502, contentType: 'text/html', body: '<html>bad gateway</html>' });
		const { error, items } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl(fake.fixtures.rooms.general) },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error).toBeUndefined();
		expect(items[0].json.rid).toBe(fake.fixtures.rooms.general);
		expect(requestsTo('subscriptions.getOne')).toHaveLength(2);
	});

	it('waits out a 429 (X-RateLimit-Reset) and then succeeds', async () => {
		fake.setRateLimit({ enabled: true, perEndpoint: { 'subscriptions.getOne': { calls: 1, windowMs: 700 } } });
		const credentials = patCredentials(fake, fake.fixtures.alice);
		const started = Date.now();
		const { error, items } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl(fake.fixtures.rooms.general) },
			credentials,
			items: [{}, {}],
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		const calls = requestsTo('subscriptions.getOne');
		// Either the first answer's X-RateLimit-Remaining: 0 paced the second call, or a 429 was waited out.
		expect(calls.filter((c) => c.status === 200)).toHaveLength(2);
		expect(Date.now() - started).toBeGreaterThanOrEqual(600);
	});

	it('a 429 it cannot wait out is reported with the limiter hint', async () => {
		fake.setRateLimit({ enabled: true, perEndpoint: { 'subscriptions.getOne': { calls: 1, windowMs: 600_000 } } });
		const credentials = { ...patCredentials(fake, fake.fixtures.alice), rateLimitMaxWait: 1 };
		const { error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl(fake.fixtures.rooms.general) },
			credentials,
			items: [{}, {}],
		});
		expect(error?.httpCode).toBe('429');
		expect(error?.message).toMatch(/too many requests/);
		expect(error?.description).toMatch(/bot role/);
		expect(error?.context?.itemIndex).toBe(1);
	});

	it('reports a refused connection clearly', async () => {
		const credentials = patCredentials(fake, fake.fixtures.bot, 'http://127.0.0.1:9');
		const { error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl('GENERAL') },
			credentials,
		});
		expect(error?.message).toBe('Could not reach Rocket.Chat at http://127.0.0.1:9: the connection was refused');
		expect(error?.description).toMatch(/Server URL/);
	});

	it('works with username & password: logs in once and reuses the session', async () => {
		const first = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl(fake.fixtures.rooms.general) },
			credentials: passwordCredentials(fake, fake.fixtures.alice),
			items: [{}, {}, {}],
		});
		expect(first.error).toBeUndefined();
		expect(first.items).toHaveLength(3);
		expect(requestsTo('login')).toHaveLength(1);
		expect(first.credentials.store.get('rocketChatApi')?.sessionToken).toEqual(expect.any(String));
		const sent = requestsTo('subscriptions.getOne');
		expect(sent.every((r) => r.headers['x-user-id'] === fake.fixtures.alice.userId)).toBe(true);
	});

	it('a 2FA account with username & password gets the personal access token advice', async () => {
		const { error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'get', roomId: rl(fake.fixtures.rooms.general) },
			credentials: passwordCredentials(fake, fake.fixtures.carol2fa),
		});
		expect(error?.message).toMatch(/two-factor authentication/);
		expect(error?.message).toMatch(/Personal Access Token/);
		expect(JSON.stringify(error)).not.toContain(fake.fixtures.carol2fa.password);
	});
});

describe('Subscription › Get Many', () => {
	it('returns one item per subscription, limited to Limit', async () => {
		const all = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'getMany', returnAll: true },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(all.error).toBeUndefined();
		const rids = all.items.map((i) => i.json.rid);
		expect(rids).toEqual(
			expect.arrayContaining([
				fake.fixtures.rooms.general,
				fake.fixtures.rooms.random,
				fake.fixtures.rooms.privateGroup,
				fake.fixtures.rooms.dmBotAlice,
			]),
		);
		expect(all.items.every((i) => !('update' in i.json))).toBe(true);

		const limited = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'getMany', returnAll: false, limit: 2 },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(limited.items).toHaveLength(2);
	});

	it('filters by room type and passes Updated Since as an ISO date', async () => {
		const since = '2020-01-01T00:00:00+02:00';
		const { items, error } = await runRocketChat({
			parameters: {
				resource: 'subscription',
				operation: 'getMany',
				returnAll: true,
				filters: { updatedSince: since, roomTypes: ['d'] },
			},
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(items.every((i) => i.json.t === 'd')).toBe(true);
		const [request] = requestsTo('subscriptions.get');
		expect(request.query.updatedSince).toBe('2019-12-31T22:00:00.000Z');
	});

	it('an Updated Since that is not a date is refused before any request', async () => {
		const { error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'getMany', returnAll: true, filters: { updatedSince: 'yesterday-ish' } },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error?.message).toMatch(/"yesterday-ish" in "Updated Since" is not a date/);
		expect(requestsTo('subscriptions.get')).toHaveLength(0);
	});

	it('Include Removed returns what Rocket.Chat gives for a removed subscription (no room) and says so', async () => {
		// A second back: the server's clock repeats milliseconds, and updatedSince is exclusive.
		const since = new Date(Date.now() - 1000).toISOString();
		const bot = fake.state.getUser(fake.fixtures.bot.userId)!;
		const left = fake.state.createRoom('c', `left-${Date.now().toString(36)}`, fake.state.getUser(fake.fixtures.alice.userId)!, [bot]);
		const subscriptionId = fake.state.getSubscription(left._id, bot._id)!._id;
		fake.state.removeMember(left._id, bot._id);
		const { items, error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'getMany', returnAll: true, filters: { updatedSince: since, includeRemoved: true } },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json).filter((json) => json.removed)).toEqual([{ _id: subscriptionId, _deletedAt: expect.any(String), removed: true }]);
		const option = (getManyDescription.find((property) => property.name === 'filters')?.options ?? []) as Array<{ name: string; description?: string }>;
		expect(option.find((entry) => entry.name === 'includeRemoved')?.description).toMatch(/only the subscription's _id and _deletedAt for these, not the room/);
	});

});

describe('Subscription › Mark as Read / Unread', () => {
	it('marks a room unread then read, and the server state follows', async () => {
		const credentials = patCredentials(fake, fake.fixtures.bot);
		const room = fake.fixtures.rooms.general;
		const subscriptionOf = () => fake.state.getSubscription(room, fake.fixtures.bot.userId) as unknown as IDataObject;

		const unread = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'markAsUnread', roomId: rl(room) },
			credentials,
		});
		expect(unread.error).toBeUndefined();
		expect(unread.items[0].json).toEqual({ success: true, roomId: room, unread: true });
		expect(subscriptionOf().alert).toBe(true);

		const read = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'markAsRead', roomId: rl(room), options: { readThreads: true } },
			credentials,
		});
		expect(read.error).toBeUndefined();
		expect(read.items[0].json).toEqual({ success: true, roomId: room, read: true });
		expect(subscriptionOf().unread).toBe(0);
		expect(subscriptionOf().alert).toBe(false);
		expect(requestsTo('subscriptions.read')[0].body).toEqual({ rid: room, readThreads: true });
	});

	it('marks unread from a message', async () => {
		const room = fake.fixtures.rooms.general;
		const message = fake.state.messagesOf(room).find((m) => m.u._id !== fake.fixtures.bot.userId)!;
		const { items, error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'markAsUnread', from: 'message', messageId: message._id },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ success: true, messageId: message._id, unread: true });
		expect(requestsTo('subscriptions.unread')[0].body).toEqual({ firstUnreadMessage: { _id: message._id } });
	});

	it('marking a room the user is not in as read fails with a hint', async () => {
		const { error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'markAsRead', roomId: rl('NoSuchRoom12345678') },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error).toBeDefined();
		expect(error?.description).toMatch(/not a member/);
	});

	it('marking an empty room unread gives the server text with a hint', async () => {
		const empty = fake.state.createRoom('c', `empty-${Date.now().toString(36)}`, fake.state.getUser(fake.fixtures.bot.userId)!);
		const { error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'markAsUnread', roomId: rl(empty._id) },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error?.message).toBe('There are no messages to mark unread [error-no-message-for-unread]');
		expect(error?.description).toBe(`The room "${empty._id}" has no messages, so there is nothing to mark unread.`);
	});

	it('an empty message ID is refused before any request', async () => {
		const { error } = await runRocketChat({
			parameters: { resource: 'subscription', operation: 'markAsUnread', from: 'message', messageId: '  ' },
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error?.message).toBe('No message ID given');
		expect(requestsTo('subscriptions.unread')).toHaveLength(0);
	});
});
