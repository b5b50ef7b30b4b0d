import type { IDataObject } from 'n8n-workflow';

import { FakeRocketChat } from '../../fake';
import { wrapHistory } from '../../fake/handlers/history';
import type { FakeUser } from '../../fake/state';
import { patCredentials } from '../../harness/fixtures';
import { rl, runRocketChat } from '../../harness/run';

let fake: FakeRocketChat;
let bot: FakeUser;
let alice: FakeUser;
let bob: FakeUser;

beforeAll(async () => {
	fake = await FakeRocketChat.start();
	bot = fake.state.findUserByUsername('bot')!;
	alice = fake.state.findUserByUsername('alice')!;
	bob = fake.state.findUserByUsername('bob')!;
});

afterAll(async () => {
	await fake.stop();
});

beforeEach(() => {
	fake.clearRequests();
	fake.clearFaults();
	fake.setRateLimit({ enabled: true });
});

const requestsTo = (endpoint: string) => fake.requests.filter((r) => r.endpoint === endpoint);
const botCredentials = () => patCredentials(fake, fake.fixtures.bot);
const message = (parameters: IDataObject) => ({ resource: 'message', ...parameters });
const messagesOf = (roomId: string) => fake.state.messagesOf(roomId);

describe('Message › Send', () => {
	it('posts text to a room chosen by ID and returns the simplified message', async () => {
		const before = messagesOf(fake.fixtures.rooms.general).length;
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: 'Build 42 is green' }),
			credentials: botCredentials(),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const out = items[0].json;
		expect(out).toMatchObject({
			rid: fake.fixtures.rooms.general,
			text: 'Build 42 is green',
			authorId: bot._id,
			authorUsername: 'bot',
			authorName: 'Automation Bot',
			threadReplyCount: 0,
			attachmentCount: 0,
			pinned: false,
			reactionCount: 0,
		});
		expect(out.ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const [request] = requestsTo('chat.postMessage');
		expect(request.body).toEqual({ roomId: fake.fixtures.rooms.general, text: 'Build 42 is green' });
		expect(messagesOf(fake.fixtures.rooms.general)).toHaveLength(before + 1);
		expect(fake.state.getMessage(String(out._id))?.msg).toBe('Build 42 is green');
	});

	it('sends a direct message to a user given as @username, raw output when Simplify is off', async () => {
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'send', sendTo: 'user', username: '@alice', text: 'Your report is ready', simplify: false }),
			credentials: botCredentials(),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ rid: fake.fixtures.rooms.dmBotAlice, msg: 'Your report is ready', u: { username: 'bot' } });
		const [request] = requestsTo('chat.postMessage');
		expect(request.body).toEqual({ channel: '@alice', text: 'Your report is ready' });
	});

	it('builds attachments with fields in the UI mode, and takes them as JSON too', async () => {
		const built = await runRocketChat({
			parameters: message({
				operation: 'send',
				roomId: rl(fake.fixtures.rooms.general),
				text: 'Deploy summary',
				attachmentsMode: 'builder',
				attachments: {
					attachment: [
						{
							title: 'v1.5.0',
							title_link: 'https://ci.example.com/builds/42',
							color: '#00ff00',
							text: 'All checks passed',
							collapsed: false,
							fields: { field: [{ title: 'Duration', value: '4m', short: true }, { title: 'Commit', value: 'abc123' }] },
						},
					],
				},
				options: { alias: 'CI', emoji: ':robot:' },
			}),
			credentials: botCredentials(),
		});
		expect(built.error).toBeUndefined();
		expect(built.items[0].json.attachmentCount).toBe(1);
		const body = requestsTo('chat.postMessage')[0].body as IDataObject;
		expect(body).toEqual({
			roomId: fake.fixtures.rooms.general,
			text: 'Deploy summary',
			alias: 'CI',
			emoji: ':robot:',
			attachments: [
				{
					title: 'v1.5.0',
					title_link: 'https://ci.example.com/builds/42',
					color: '#00ff00',
					text: 'All checks passed',
					fields: [{ title: 'Duration', value: '4m', short: true }, { title: 'Commit', value: 'abc123' }],
				},
			],
		});
		const stored = fake.state.getMessage(String(built.items[0].json._id))!;
		expect(stored.alias).toBe('CI');
		expect(stored.attachments?.[0]).toMatchObject({ title: 'v1.5.0', fields: [{ title: 'Duration' }, { title: 'Commit' }] });

		fake.clearRequests();
		const json = await runRocketChat({
			parameters: message({
				operation: 'send',
				roomId: rl(fake.fixtures.rooms.general),
				text: '',
				attachmentsMode: 'json',
				attachmentsJson: JSON.stringify([{ title: 'Only an attachment', image_url: 'https://img.example.com/a.png' }]),
			}),
			credentials: botCredentials(),
		});
		expect(json.error).toBeUndefined();
		expect((requestsTo('chat.postMessage')[0].body as IDataObject).attachments).toEqual([
			{ title: 'Only an attachment', image_url: 'https://img.example.com/a.png' },
		]);
	});

	it('passes attachment keys and fields the server accepts: description, type, nested quotes, fields without a title', async () => {
		fake.clearRequests();
		const attachments = [
			{ title: 'Build', description: 'nightly', type: 'file', fields: [{ value: 'green' }, { title: 'Took', value: 42, short: true }] },
			{ text: 'quoted', author_name: 'alice', message_link: 'https://chat.example.com/channel/general?msg=abc', attachments: [{ text: 'inner quote' }] },
		];
		const { error } = await runRocketChat({
			parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: 'x', attachmentsMode: 'json', attachmentsJson: JSON.stringify(attachments) }),
			credentials: botCredentials(),
		});
		expect(error).toBeUndefined();
		expect((requestsTo('chat.postMessage')[0].body as IDataObject).attachments).toEqual(attachments);
		const stored = fake.state.messagesOf(fake.fixtures.rooms.general).at(-1)!;
		expect(stored.attachments?.[0]).toMatchObject({ description: 'nightly', type: 'file', fields: [{ value: 'green' }, { title: 'Took', value: '42', short: true }] });
		expect(stored.attachments?.[1]).toMatchObject({ attachments: [{ text: 'inner quote' }] });
	});

	it.each([
		[[{ fields: [{ title: 7, value: 'x' }] }], /Attachment 1, field 1: "title" must be text/, /text title/],
		[[{ image_url: 'javascript:alert(1)' }], /Attachment 1: "image_url" is not a full http\(s\) URL/, /full URLs/],
		[[{ title_link: '/relative/path' }], /"title_link" is not a full http\(s\) URL/, /full URLs/],
		['[{"title": "x"', /Attachments \(JSON\) is not valid JSON/, /JSON array/],
	])('refuses bad attachments %j before any request', async (attachments, message_, hint) => {
		const { error } = await runRocketChat({
			parameters: message({
				operation: 'send',
				roomId: rl(fake.fixtures.rooms.general),
				text: 'x',
				attachmentsMode: 'json',
				attachmentsJson: typeof attachments === 'string' ? attachments : JSON.stringify(attachments),
			}),
			credentials: botCredentials(),
		});
		expect(error?.message).toMatch(message_);
		expect(error?.description).toMatch(hint);
		expect(fake.requests).toHaveLength(0);
	});

	it('refuses an empty message (no text, no attachment) before any request', async () => {
		const { error } = await runRocketChat({
			parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: '   ' }),
			credentials: botCredentials(),
		});
		expect(error?.message).toBe('The message has no text and no attachment');
		expect(fake.requests).toHaveLength(0);
	});

	it('replies in a thread with roomId + tmid (and tshow through chat.sendMessage)', async () => {
		const root = fake.state.postMessage(fake.fixtures.rooms.general, alice, 'Thread root for replies');
		const reply = await runRocketChat({
			parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: 'reply 1', options: { tmid: root._id } }),
			credentials: botCredentials(),
		});
		expect(reply.error).toBeUndefined();
		expect(reply.items[0].json.tmid).toBe(root._id);
		expect(requestsTo('chat.postMessage')[0].body).toEqual({ roomId: fake.fixtures.rooms.general, text: 'reply 1', tmid: root._id });
		expect(fake.state.getMessage(root._id)?.tcount).toBe(1);

		fake.clearRequests();
		const shown = await runRocketChat({
			parameters: message({
				operation: 'send',
				roomId: rl(fake.fixtures.rooms.general),
				text: 'reply 2, also in the room',
				options: { tmid: root._id, tshow: true },
			}),
			credentials: botCredentials(),
		});
		expect(shown.error).toBeUndefined();
		expect(requestsTo('chat.sendMessage')[0].body).toEqual({
			message: { rid: fake.fixtures.rooms.general, msg: 'reply 2, also in the room', tmid: root._id, tshow: true },
		});
		expect(fake.state.getMessage(String(shown.items[0].json._id))?.tshow).toBe(true);
	});

	it('a thread reply to a user resolves the direct-message room and never sends channel with tmid', async () => {
		const root = fake.state.postMessage(fake.fixtures.rooms.dmBotAlice, alice, 'Question in our DM');
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'send', sendTo: 'user', username: 'alice', text: 'Answer in thread', options: { tmid: root._id } }),
			credentials: botCredentials(),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ rid: fake.fixtures.rooms.dmBotAlice, tmid: root._id });
		const body = requestsTo('chat.postMessage')[0].body as IDataObject;
		expect(body).toEqual({ roomId: fake.fixtures.rooms.dmBotAlice, text: 'Answer in thread', tmid: root._id });
		expect(body).not.toHaveProperty('channel');
	});

	it('refuses a thread message from another room, and an unknown thread message', async () => {
		const root = fake.state.postMessage(fake.fixtures.rooms.random, alice, 'Root in random');
		const other = await runRocketChat({
			parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: 'x', options: { tmid: root._id } }),
			credentials: botCredentials(),
		});
		expect(other.error?.message).toBe(`The thread message "${root._id}" is in another room`);
		expect(other.error?.description).toMatch(/Send to the thread's room/);
		expect(requestsTo('chat.postMessage')).toHaveLength(0);

		const unknown = await runRocketChat({
			parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: 'x', options: { tmid: 'NoSuchThread1234' } }),
			credentials: botCredentials(),
		});
		expect(unknown.error?.message).toBe('No thread message with ID "NoSuchThread1234"');
		expect(requestsTo('chat.postMessage')).toHaveLength(0);
	});

	it('reports text longer than Message_MaxAllowedSize with the limit in the hint', async () => {
		fake.state.settings.Message_MaxAllowedSize = 20;
		try {
			const { error } = await runRocketChat({
				parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: 'x'.repeat(25) }),
				credentials: botCredentials(),
			});
			expect(error?.message).toBe('error-message-size-exceeded');
			expect(error?.description).toMatch(/Message_MaxAllowedSize, 5000 characters by default/);
			expect(error?.description).toMatch(/This text has 25 characters/);
		} finally {
			fake.state.settings.Message_MaxAllowedSize = 5000;
		}
	});

	it('names the message-impersonate permission when a user without it sets an alias', async () => {
		const { error } = await runRocketChat({
			parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: 'hi', options: { alias: 'Boss' } }),
			credentials: patCredentials(fake, fake.fixtures.alice),
		});
		expect(error?.message).toBe('Not enough permission');
		expect(error?.description).toMatch(/message-impersonate/);
	});

	it('a send retried with the same Message ID after a lost response posts exactly once', async () => {
		const id = 'order-1234-shipped';
		const before = messagesOf(fake.fixtures.rooms.general).length;
		// The fake stores the message, then drops the connection: the answer is lost.
		fake.inject({ method: 'POST', endpoint: 'chat.sendMessage', dropResponse: true });
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: 'Order 1234 shipped', options: { messageId: id } }),
			credentials: botCredentials(),
		});
		expect(error).toBeUndefined();
		const sends = requestsTo('chat.sendMessage');
		// First attempt stored and lost; the transport retried; the server skipped the duplicate insert.
		expect(sends).toHaveLength(2);
		expect(sends[0].status).toBe(0);
		expect(sends[1].status).toBe(400);
		expect(sends.map((r) => (r.body as { message: IDataObject }).message._id)).toEqual([id, id]);
		// The node confirmed with chat.getMessage and returned the stored message.
		expect(requestsTo('chat.getMessage').map((r) => r.query.msgId)).toEqual([id]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ _id: id, rid: fake.fixtures.rooms.general, text: 'Order 1234 shipped' });
		const stored = messagesOf(fake.fixtures.rooms.general).filter((m) => m._id === id);
		expect(stored).toHaveLength(1);
		expect(messagesOf(fake.fixtures.rooms.general)).toHaveLength(before + 1);

		// Running the workflow again with the same ID (n8n's Retry On Fail, a re-run) still posts nothing new.
		fake.clearRequests();
		const again = await runRocketChat({
			parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: 'Order 1234 shipped', options: { messageId: id } }),
			credentials: botCredentials(),
		});
		expect(again.error).toBeUndefined();
		expect(again.items[0].json._id).toBe(id);
		expect(messagesOf(fake.fixtures.rooms.general)).toHaveLength(before + 1);
	});

	it('a Message ID to a user without a direct message yet creates it with dm.create and sends once', async () => {
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'send', sendTo: 'user', username: 'bob', text: 'Hello Bob', options: { messageId: 'welcome-bob-1' } }),
			credentials: botCredentials(),
		});
		expect(error).toBeUndefined();
		const dm = fake.state.getRoom(String(items[0].json.rid))!;
		expect(dm.t).toBe('d');
		expect([...(dm.usernames ?? [])].sort()).toEqual(['bob', 'bot']);
		expect(requestsTo('dm.create')[0].body).toEqual({ username: 'bob' });
		expect(requestsTo('chat.sendMessage').map((r) => r.body)).toEqual([{ message: { _id: 'welcome-bob-1', rid: dm._id, msg: 'Hello Bob' } }]);
		expect(fake.state.messagesOf(dm._id).map((m) => m._id)).toEqual(['welcome-bob-1']);
	});

	it('a Message ID used in another room is reported, and a malformed one refused before any request', async () => {
		const taken = await runRocketChat({
			parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.random), text: 'x', options: { messageId: 'order-1234-shipped' } }),
			credentials: botCredentials(),
		});
		expect(taken.error?.message).toBe('The Message ID "order-1234-shipped" is already used by a message in another room');

		fake.clearRequests();
		const bad = await runRocketChat({
			parameters: message({ operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: 'x', options: { messageId: 'has spaces' } }),
			credentials: botCredentials(),
		});
		expect(bad.error?.message).toBe('"has spaces" cannot be used as a Message ID');
		expect(fake.requests).toHaveLength(0);
	});
});

describe('Message › Get', () => {
	it('gets one message by ID', async () => {
		const posted = fake.state.postMessage(fake.fixtures.rooms.general, alice, 'Fetch me');
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'get', messageId: posted._id }),
			credentials: botCredentials(),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ _id: posted._id, text: 'Fetch me', authorUsername: 'alice', rid: fake.fixtures.rooms.general });
		expect(requestsTo('chat.getMessage')[0].query).toEqual({ msgId: posted._id });
	});

	it('says which ID is unknown (Rocket.Chat answers a bare 400), also with Continue On Fail', async () => {
		const failed = await runRocketChat({
			parameters: message({ operation: 'get', messageId: 'NoSuchMessage123' }),
			credentials: botCredentials(),
		});
		expect(failed.error?.message).toBe('No message with ID "NoSuchMessage123"');
		expect(failed.error?.description).toMatch(/does not exist, was deleted/);

		const continued = await runRocketChat({
			parameters: message({ operation: 'get', messageId: '={{ $json.id }}' }),
			credentials: botCredentials(),
			items: [{ id: 'NoSuchMessage123' }],
			continueOnFail: true,
		});
		expect(continued.items[0].json.error).toBe('No message with ID "NoSuchMessage123"');
		expect(continued.items[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('Message › Get Many', () => {
	const N = 250;
	let roomId: string;
	let base: number;

	beforeAll(() => {
		const room = fake.state.createRoom('c', 'history-paging', bot, [alice]);
		roomId = room._id;
		base = Date.now() - 10 * 60_000;
		// Every three messages share one millisecond, so ties straddle page boundaries.
		for (let i = 0; i < N; i++) {
			fake.state.postMessage(roomId, i % 2 ? alice : bot, `history ${i}`, { ts: new Date(base + Math.floor(i / 3) * 1000) });
		}
	});

	let route: { restore(): void } | undefined;
	afterEach(() => route?.restore());

	it('returns each of 250 messages exactly once in ceil(N/100) + 1 requests while new ones keep arriving', async () => {
		route = wrapHistory(fake, 'c', (ctx, original, calls) => {
			// Three new messages arrive before every page but the first.
			if (calls > 1) for (let k = 0; k < 3; k++) fake.state.postMessage(roomId, alice, `live ${calls}-${k}`);
			return original(ctx);
		});
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'getMany', roomId: rl(roomId), returnAll: true }),
			credentials: botCredentials(),
		});
		expect(error).toBeUndefined();
		const texts = items.map((i) => String(i.json.text));
		const ids = items.map((i) => String(i.json._id));
		expect(new Set(ids).size).toBe(ids.length);
		expect(texts.filter((t) => t.startsWith('history '))).toHaveLength(N);
		expect(texts.filter((t) => t.startsWith('live '))).toHaveLength(0);
		expect(items).toHaveLength(N);
		// Newest first (messages of one millisecond in any order).
		const times = items.map((i) => Date.parse(String(i.json.ts)));
		expect(times.every((t, k) => k === 0 || t <= times[k - 1])).toBe(true);
		expect(new Set(texts)).toEqual(new Set(Array.from({ length: N }, (_, k) => `history ${k}`)));
		const history = requestsTo('channels.history');
		// History has no `total`: an empty page ends it.
		expect(history).toHaveLength(Math.ceil(N / 100) + 1);
		expect(history.every((r) => r.query.count === '100')).toBe(true);
		expect(history[0].query).toEqual({ roomId, count: '100' });
		expect(history[1].query).toMatchObject({ roomId, count: '100', inclusive: 'true', latest: expect.any(String) });
		expect(requestsTo('rooms.info')).toHaveLength(1);
	});

	it('honours Limit with one request, and Oldest/Latest/Inclusive as a time range', async () => {
		const limited = await runRocketChat({
			parameters: message({ operation: 'getMany', roomId: rl(roomId), returnAll: false, limit: 30, simplify: false }),
			credentials: botCredentials(),
		});
		expect(limited.error).toBeUndefined();
		expect(limited.items).toHaveLength(30);
		expect(limited.items[0].json).toHaveProperty('u');
		expect(requestsTo('channels.history').map((r) => r.query.count)).toEqual(['30']);

		fake.clearRequests();
		const oldest = new Date(base + 10 * 1000).toISOString(); // messages 30..32
		const latest = new Date(base + 12 * 1000).toISOString(); // messages 36..38
		const exclusive = await runRocketChat({
			parameters: message({ operation: 'getMany', roomId: rl(roomId), returnAll: true, filters: { oldest, latest } }),
			credentials: botCredentials(),
		});
		expect(exclusive.items.map((i) => i.json.text).sort()).toEqual(['history 33', 'history 34', 'history 35']);
		const inclusive = await runRocketChat({
			parameters: message({ operation: 'getMany', roomId: rl(roomId), returnAll: true, filters: { oldest, latest, inclusive: true } }),
			credentials: botCredentials(),
		});
		expect(inclusive.items).toHaveLength(9);
		// Exclusive bounds are sent as inclusive ones a millisecond inside (the server's dates are in ms).
		expect(requestsTo('channels.history')[0].query).toMatchObject({
			oldest: new Date(Date.parse(oldest) + 1).toISOString(),
			latest: new Date(Date.parse(latest) - 1).toISOString(),
			inclusive: 'true',
		});
		expect(requestsTo('channels.history').at(-2)?.query).toMatchObject({ oldest, latest, inclusive: 'true' });
	});

	it('uses groups.history for a private group and dm.history for a direct message', async () => {
		const group = await runRocketChat({
			parameters: message({ operation: 'getMany', roomId: rl('private-team', 'name'), returnAll: true, filters: { showThreadMessages: true } }),
			credentials: botCredentials(),
		});
		expect(group.error).toBeUndefined();
		expect(group.items.length).toBeGreaterThan(0);
		expect(requestsTo('groups.history')[0].query).toMatchObject({ showThreadMessages: 'true' });
		expect(group.items.some((i) => i.json.tmid)).toBe(true);

		const dm = await runRocketChat({
			parameters: message({ operation: 'getMany', roomId: rl('@alice', 'name'), returnAll: true }),
			credentials: botCredentials(),
		});
		expect(dm.error).toBeUndefined();
		expect(requestsTo('dm.history')).toHaveLength(2);
		// Thread-only replies are left out by default.
		expect(dm.items.every((i) => !i.json.tmid)).toBe(true);
	});

	it('refuses Oldest after Latest before any request, and reports a private group the user is not in', async () => {
		const swapped = await runRocketChat({
			parameters: message({
				operation: 'getMany',
				roomId: rl(roomId),
				returnAll: true,
				filters: { oldest: '2024-05-02T00:00:00Z', latest: '2024-05-01T00:00:00Z' },
			}),
			credentials: botCredentials(),
		});
		expect(swapped.error?.message).toBe('Oldest is after Latest');
		expect(fake.requests).toHaveLength(0);

		const notMember = await runRocketChat({
			parameters: message({ operation: 'getMany', roomId: rl(fake.fixtures.rooms.privateGroup), returnAll: true }),
			credentials: patCredentials(fake, fake.fixtures.bob),
		});
		expect(notMember.run.status).toBe('error');
		expect(notMember.error?.message).toMatch(/Not Allowed|not-allowed/);
	});
});

describe('Message › Update', () => {
	it('edits the text of an own message', async () => {
		const posted = fake.state.postMessage(fake.fixtures.rooms.general, bot, 'Deploy at 5pm');
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'update', roomId: rl(fake.fixtures.rooms.general), messageId: posted._id, text: 'Deploy at 6pm' }),
			credentials: botCredentials(),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ _id: posted._id, text: 'Deploy at 6pm', editedAt: expect.any(String) });
		expect(requestsTo('chat.update')[0].body).toEqual({ roomId: fake.fixtures.rooms.general, msgId: posted._id, text: 'Deploy at 6pm' });
		expect(fake.state.getMessage(posted._id)?.msg).toBe('Deploy at 6pm');
	});

	it("names the edit-message permission when editing another user's message", async () => {
		const posted = fake.state.postMessage(fake.fixtures.rooms.general, bob, "Bob's words");
		const { error } = await runRocketChat({
			parameters: message({ operation: 'update', roomId: rl(fake.fixtures.rooms.general), messageId: posted._id, text: 'changed' }),
			credentials: patCredentials(fake, fake.fixtures.alice),
		});
		expect(error?.message).toBe('Message editing not allowed [error-action-not-allowed]');
		expect(error?.description).toMatch(/"edit-message" permission/);
		expect(fake.state.getMessage(posted._id)?.msg).toBe("Bob's words");
	});

	it('reports an unknown message and refuses an empty text before any request', async () => {
		const unknown = await runRocketChat({
			parameters: message({ operation: 'update', roomId: rl(fake.fixtures.rooms.general), messageId: 'NoSuchMessage123', text: 'x' }),
			credentials: botCredentials(),
		});
		expect(unknown.error?.message).toBe('No message found with the id of "NoSuchMessage123".');
		expect(unknown.error?.description).toMatch(/must exist and be in room/);

		fake.clearRequests();
		const empty = await runRocketChat({
			parameters: message({ operation: 'update', roomId: rl(fake.fixtures.rooms.general), messageId: 'abc', text: '  ' }),
			credentials: botCredentials(),
		});
		expect(empty.error?.message).toBe('No new text given');
		expect(fake.requests).toHaveLength(0);
	});
});

describe('Message › Delete', () => {
	it('deletes an own message and returns {deleted: true, messageId, roomId}', async () => {
		const posted = fake.state.postMessage(fake.fixtures.rooms.general, alice, 'Oops, wrong room');
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'delete', roomId: rl(fake.fixtures.rooms.general), messageId: posted._id }),
			credentials: patCredentials(fake, fake.fixtures.alice),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ deleted: true, messageId: posted._id, roomId: fake.fixtures.rooms.general });
		expect(requestsTo('chat.delete')[0].body).toEqual({ roomId: fake.fixtures.rooms.general, msgId: posted._id });
		expect(fake.state.getMessage(posted._id)).toBeUndefined();
	});

	it("names the delete permissions when a user deletes another user's message", async () => {
		const posted = fake.state.postMessage(fake.fixtures.rooms.general, bob, 'Keep me');
		const { error } = await runRocketChat({
			parameters: message({ operation: 'delete', roomId: rl(fake.fixtures.rooms.general), messageId: posted._id }),
			credentials: patCredentials(fake, fake.fixtures.alice),
		});
		expect(error?.message).toBe('Not allowed [error-action-not-allowed]');
		expect(error?.description).toMatch(/delete-own-message/);
		expect(error?.description).toMatch(/delete-message/);
		expect(fake.state.getMessage(posted._id)).toBeDefined();
	});

	it('Delete As User on another user\'s message needs force-delete-message', async () => {
		const posted = fake.state.postMessage(fake.fixtures.rooms.general, bob, 'Still here');
		const { error } = await runRocketChat({
			parameters: message({ operation: 'delete', roomId: rl(fake.fixtures.rooms.general), messageId: posted._id, options: { asUser: true } }),
			credentials: patCredentials(fake, fake.fixtures.alice),
		});
		expect(error?.message).toMatch(/force-delete-message/);
		expect(error?.description).toMatch(/Turn off Delete As User/);
		expect(requestsTo('chat.delete')[0].body).toEqual({ roomId: fake.fixtures.rooms.general, msgId: posted._id, asUser: true });
	});

	it('reports a message that is in another room', async () => {
		const posted = fake.state.postMessage(fake.fixtures.rooms.random, bot, 'In random');
		const { error } = await runRocketChat({
			parameters: message({ operation: 'delete', roomId: rl(fake.fixtures.rooms.general), messageId: posted._id }),
			credentials: botCredentials(),
		});
		expect(error?.message).toBe('The room id provided does not match where the message is from.');
		expect(error?.description).toMatch(/must exist and be in room/);
	});
});
