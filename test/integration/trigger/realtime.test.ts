/**
 * Rocket.Chat Trigger, Receive Via: Realtime — driven through n8n-core's TriggerContext against the fake's
 * DDP server: delivery and output, room scope, every filter, fatal failures, username/password login,
 * attachments, and "Listen for test event".
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FakeRocketChat } from '../../fake';
import { enableRealtime, type FakeRealtime } from '../../fake/realtime';
import { passwordCredentials, patCredentials } from '../../harness/fixtures';
import { rl } from '../../harness/run';
import { activateTrigger, type ActiveTrigger, runTriggerManually, waitUntil } from '../../harness/trigger';
import { post, texts, triggerParameters, user } from './helpers';

let fake: FakeRocketChat;
let realtime: FakeRealtime;
const running: ActiveTrigger[] = [];

beforeAll(async () => {
	fake = await FakeRocketChat.start();
	realtime = enableRealtime(fake, { pingIntervalMs: 0 });
});

afterEach(async () => {
	while (running.length) await running.pop()!.close();
});

afterAll(async () => {
	realtime.close();
	await fake.stop();
});

async function start(parameters: INodeParameters = {}, credentials = patCredentials(fake, fake.fixtures.bot), staticData?: IDataObject): Promise<ActiveTrigger> {
	const trigger = await activateTrigger({ parameters: triggerParameters(parameters), credentials, staticData });
	running.push(trigger);
	await waitUntil(() => realtime.subscriptions('stream-room-messages').length > 0, 'the realtime subscription');
	return trigger;
}

/** Posts the sentinel in GENERAL and waits for it: every message posted before it was processed by then. */
async function settle(trigger: ActiveTrigger, text = `sentinel ${Math.random()}`): Promise<IDataObject[]> {
	post(fake, fake.fixtures.rooms.general, user(fake, 'alice'), text);
	await waitUntil(() => trigger.json().some((item) => item.text === text), `the sentinel "${text}"`);
	return trigger.json().filter((item) => item.text !== text);
}

describe('Rocket.Chat Trigger › Realtime', () => {
	it('starts one execution per new message, with room name and type, and saves the cursor', async () => {
		const trigger = await start();
		const { rooms } = fake.fixtures;
		const alice = user(fake, 'alice');
		const before = realtime.framesReceived('sub', 'stream-room-messages');
		expect(before.at(-1)?.frame.params).toEqual(['__my_messages__', false]);
		expect(realtime.framesReceived('method', 'login').at(-1)?.frame.params).toEqual([{ resume: fake.fixtures.bot.pat }]);

		const posted = [
			post(fake, rooms.general, alice, 'in general'),
			post(fake, rooms.privateGroup, alice, 'in the private group'),
			post(fake, rooms.dmBotAlice, alice, 'in the DM'),
		];
		await trigger.waitForItems(3);
		expect(trigger.emits.every((emit) => emit.length === 1 && emit[0].length === 1)).toBe(true);
		// Order is kept per room; across rooms it is the order of arrival.
		const byId = (id: string) => trigger.json().find((item) => item.id === id);
		expect(trigger.json()).toHaveLength(3);
		expect(byId(posted[0]._id)).toMatchObject({ text: 'in general', roomId: rooms.general, roomName: 'general', roomType: 'channel', isEdit: false });
		expect(byId(posted[1]._id)).toMatchObject({ text: 'in the private group', roomName: 'private-team', roomType: 'private' });
		expect(byId(posted[2]._id)).toMatchObject({ text: 'in the DM', roomType: 'direct', roomName: 'alice' });
		expect(byId(posted[0]._id)).toMatchObject({
			user: { id: alice._id, username: 'alice', name: 'Alice Archer' },
			createdAt: posted[0].ts.toISOString(),
			isThreadReply: false,
			link: `${fake.url}/channel/general?msg=${posted[0]._id}`,
		});
		const cursor = (trigger.staticData()['node:Rocket.Chat Trigger'] as IDataObject).cursor as IDataObject;
		const generalCursor = (cursor.rooms as IDataObject)[rooms.general] as IDataObject;
		expect(generalCursor.read).toBe(posted[0].ts.getTime());
		expect(generalCursor.seen).toMatchObject({ [posted[0]._id]: posted[0].ts.getTime() });
		expect(trigger.errors).toEqual([]);
	});

	it('does not deliver updates of messages (reactions, pins, thread counters) as new messages', async () => {
		const trigger = await start();
		const alice = user(fake, 'alice');
		const old = fake.state.messagesOf(fake.fixtures.rooms.general)[0];
		const fresh = post(fake, fake.fixtures.rooms.general, alice, 'react to me');
		await trigger.waitForItems(1);
		fake.state.react(fresh._id, user(fake, 'bob'), ':tada:', true);
		fake.state.react(old._id, user(fake, 'bob'), ':tada:', true);
		fake.state.starMessage(old._id, alice, true);
		const others = await settle(trigger);
		expect(texts(others)).toEqual(['react to me']);
	});

	it('returns the raw message with Simplify off', async () => {
		const trigger = await start({ simplify: false });
		const message = post(fake, fake.fixtures.rooms.random, user(fake, 'alice'), 'raw please');
		await trigger.waitForItems(1);
		expect(trigger.json()[0]).toMatchObject({
			_id: message._id,
			rid: fake.fixtures.rooms.random,
			msg: 'raw please',
			ts: message.ts.toISOString(),
			_updatedAt: message._updatedAt.toISOString(),
			u: { _id: message.u._id, username: 'alice' },
			roomName: 'random',
			roomType: 'channel',
			isEdit: false,
		});
	});

	it('watches only rooms the user is a member of with All My Rooms, and unjoined public rooms when selected', async () => {
		const alice = user(fake, 'alice');
		const outside = fake.state.createRoom('c', `outside-${Date.now()}`, alice, [user(fake, 'bob')]);
		const all = await start();
		post(fake, outside._id, alice, 'in a room the bot has not joined');
		expect(texts(await settle(all))).toEqual([]);
		await all.close();

		const selected = await start({ roomScope: 'selected', rooms: { room: [{ roomId: rl(outside._id) }] } });
		expect(realtime.framesReceived('sub', 'stream-room-messages').at(-1)?.frame.params).toEqual([outside._id, false]);
		post(fake, fake.fixtures.rooms.general, alice, 'not selected');
		const wanted = post(fake, outside._id, alice, 'selected although not joined');
		await selected.waitForItems(1);
		post(fake, fake.fixtures.rooms.general, alice, 'still not selected');
		post(fake, outside._id, alice, 'second');
		await selected.waitForItems(2);
		expect(selected.json()[0]).toMatchObject({ id: wanted._id, roomName: outside.name, roomType: 'channel' });
		expect(texts(selected.json())).toEqual(['selected although not joined', 'second']);
	});

	it('resolves Selected Rooms given by #name, @username and URL', async () => {
		const trigger = await start({
			roomScope: 'selected',
			rooms: {
				room: [{ roomId: rl('#random', 'name') }, { roomId: rl('@alice', 'name') }, { roomId: rl(`${fake.url}/group/private-team`, 'url') }],
			},
		});
		await waitUntil(() => realtime.subscriptions('stream-room-messages').length === 3, 'three room subscriptions');
		const alice = user(fake, 'alice');
		post(fake, fake.fixtures.rooms.general, alice, 'general is not selected');
		post(fake, fake.fixtures.rooms.random, alice, 'random');
		post(fake, fake.fixtures.rooms.dmBotAlice, alice, 'dm');
		post(fake, fake.fixtures.rooms.privateGroup, alice, 'group');
		await trigger.waitForItems(3);
		expect(texts(trigger.json()).sort()).toEqual(['dm', 'group', 'random']);
	});

	it('fails the activation for a selected room the user cannot see', async () => {
		const secret = fake.state.createRoom('p', `secret-${Date.now()}`, user(fake, 'alice'));
		await expect(
			activateTrigger({ parameters: triggerParameters({ roomScope: 'selected', rooms: { room: [{ roomId: rl(secret._id) }] } }), credentials: patCredentials(fake, fake.fixtures.bot) }),
		).rejects.toMatchObject({ message: 'not-allowed', description: expect.stringContaining(`cannot see the room "${secret._id}"`) });
	});

	it('fails the activation for a selected room given in the wrong shape, with a hint', async () => {
		await expect(
			activateTrigger({ parameters: triggerParameters({ roomScope: 'selected', rooms: { room: [{ roomId: rl('chat.example.com/general', 'url') }] } }), credentials: patCredentials(fake, fake.fixtures.bot) }),
		).rejects.toMatchObject({
			message: '"chat.example.com/general" is not a Rocket.Chat room URL in Selected Rooms',
			description: expect.stringContaining('https://chat.example.com/channel/general'),
		});
	});

	describe('filters', () => {
		it('skips my own messages unless Include My Own Messages is on', async () => {
			const bot = user(fake, 'bot');
			const off = await start();
			post(fake, fake.fixtures.rooms.general, bot, 'mine');
			expect(texts(await settle(off))).toEqual([]);
			await off.close();

			const on = await start({ filters: { includeOwnMessages: true } });
			post(fake, fake.fixtures.rooms.general, bot, 'mine again');
			expect(texts(await settle(on))).toEqual(['mine again']);
		});

		it('skips messages of bots and integrations with Ignore Bots', async () => {
			const alice = user(fake, 'alice');
			const trigger = await start({ filters: { ignoreBots: true } });
			post(fake, fake.fixtures.rooms.general, alice, 'from an integration', { bot: { i: 'integration-1' } });
			post(fake, fake.fixtures.rooms.general, alice, 'from a person');
			expect(texts(await settle(trigger))).toEqual(['from a person']);
		});

		it('skips system messages by default and includes them when Ignore System Messages is off', async () => {
			const alice = user(fake, 'alice');
			const on = await start();
			post(fake, fake.fixtures.rooms.general, alice, '', { t: 'uj' });
			expect(texts(await settle(on))).toEqual([]);
			await on.close();

			const off = await start({ filters: { ignoreSystemMessages: false } });
			post(fake, fake.fixtures.rooms.general, alice, 'alice', { t: 'uj' });
			const items = await settle(off);
			expect(items).toEqual([expect.objectContaining({ systemType: 'uj', text: 'alice' })]);
		});

		it('separates top-level messages and thread replies', async () => {
			const alice = user(fake, 'alice');
			const root = post(fake, fake.fixtures.rooms.general, alice, 'thread root (before activation)');
			const topLevel = await start({ filters: { threads: 'topLevel' } });
			post(fake, fake.fixtures.rooms.general, alice, 'a reply', { tmid: root._id });
			post(fake, fake.fixtures.rooms.general, alice, 'top level');
			expect(texts(await settle(topLevel))).toEqual(['top level']);
			await topLevel.close();

			const replies = await start({ filters: { threads: 'replies' } });
			post(fake, fake.fixtures.rooms.general, alice, 'another reply', { tmid: root._id });
			post(fake, fake.fixtures.rooms.general, alice, 'top level again');
			await waitUntil(() => replies.json().length >= 1, 'the reply');
			post(fake, fake.fixtures.rooms.general, alice, 'last reply', { tmid: root._id });
			await replies.waitForItems(2);
			expect(replies.json()).toEqual([
				expect.objectContaining({ text: 'another reply', isThreadReply: true, threadId: root._id }),
				expect.objectContaining({ text: 'last reply', isThreadReply: true }),
			]);
		});

		it('keeps only messages that mention me with Only When I Am Mentioned', async () => {
			const alice = user(fake, 'alice');
			const trigger = await start({ filters: { onlyMentions: true } });
			post(fake, fake.fixtures.rooms.general, alice, 'hello @bob');
			post(fake, fake.fixtures.rooms.general, alice, 'hey @bot, deploy please');
			await trigger.waitForItems(1);
			post(fake, fake.fixtures.rooms.general, alice, '@bot last');
			await trigger.waitForItems(2);
			expect(texts(trigger.json())).toEqual(['hey @bot, deploy please', '@bot last']);
			expect(trigger.json()[0].mentions).toEqual(['bot']);
		});

		it('matches text with Text Contains (ignoring case) and Text Matches Regex', async () => {
			const alice = user(fake, 'alice');
			const contains = await start({ filters: { textContains: 'DEPLOY' } });
			post(fake, fake.fixtures.rooms.general, alice, 'nothing to see');
			post(fake, fake.fixtures.rooms.general, alice, 'please deploy now');
			expect(texts(await settle(contains, 'sentinel deploy'))).toEqual(['please deploy now']);
			await contains.close();

			const regex = await start({ filters: { textRegex: '/^!(deploy|rollback)\\b/i' } });
			post(fake, fake.fixtures.rooms.general, alice, 'say !deploy');
			post(fake, fake.fixtures.rooms.general, alice, '!Rollback v2');
			post(fake, fake.fixtures.rooms.general, alice, '!deployment');
			await regex.waitForItems(1);
			post(fake, fake.fixtures.rooms.general, alice, '!deploy done');
			await regex.waitForItems(2);
			expect(texts(regex.json())).toEqual(['!Rollback v2', '!deploy done']);
		});

		it('refuses an invalid regular expression at activation, before any request', async () => {
			fake.clearRequests();
			await expect(
				activateTrigger({ parameters: triggerParameters({ filters: { textRegex: '(unclosed' } }), credentials: patCredentials(fake, fake.fixtures.bot) }),
			).rejects.toMatchObject({
				message: expect.stringContaining('The regular expression "(unclosed" in Text Matches Regex is not valid'),
				description: expect.stringContaining('Unterminated group'),
			});
			expect(fake.requests).toEqual([]);
		});

		it('keeps only the chosen Room Types', async () => {
			const alice = user(fake, 'alice');
			const trigger = await start({ filters: { roomTypes: ['d'] } });
			post(fake, fake.fixtures.rooms.general, alice, 'channel');
			post(fake, fake.fixtures.rooms.privateGroup, alice, 'group');
			post(fake, fake.fixtures.rooms.dmBotAlice, alice, 'direct');
			await trigger.waitForItems(1);
			post(fake, fake.fixtures.rooms.dmBotAlice, alice, 'direct again');
			await trigger.waitForItems(2);
			expect(texts(trigger.json())).toEqual(['direct', 'direct again']);
		});

		it('ignores edits by default and delivers each edit once with Include Edits', async () => {
			const alice = user(fake, 'alice');
			const off = await start();
			const first = post(fake, fake.fixtures.rooms.general, alice, 'typo');
			await off.waitForItems(1);
			fake.state.editMessage(first._id, alice, 'fixed');
			expect(texts(await settle(off))).toEqual(['typo']);
			await off.close();

			const on = await start({ filters: { includeEdits: true } });
			const second = post(fake, fake.fixtures.rooms.general, alice, 'draft');
			await on.waitForItems(1);
			fake.state.editMessage(second._id, alice, 'final');
			fake.state.react(second._id, user(fake, 'bob'), ':ok:', true);
			fake.state.editMessage(first._id, alice, 'fixed twice');
			const items = await settle(on);
			expect(items).toEqual([
				expect.objectContaining({ id: second._id, text: 'draft', isEdit: false }),
				expect.objectContaining({ id: second._id, text: 'final', isEdit: true }),
				expect.objectContaining({ id: first._id, text: 'fixed twice', isEdit: true }),
			]);
		});
	});

	describe('failures', () => {
		it('fails the activation with Rocket.Chat\'s message when the token is wrong', async () => {
			const credentials = { ...patCredentials(fake, fake.fixtures.bot), token: 'not-a-token' };
			await expect(activateTrigger({ parameters: triggerParameters(), credentials })).rejects.toMatchObject({
				message: 'You must be logged in to do this.',
				description: expect.stringContaining('Check the Rocket.Chat credentials'),
			});
		});

		it('stops with emitError when the token is revoked while running', async () => {
			const bot = user(fake, 'bot');
			const token = fake.state.createPersonalAccessToken(bot, 'short-lived');
			const trigger = await start({}, { ...patCredentials(fake, fake.fixtures.bot), token });
			await settle(trigger);
			fake.state.removeToken(bot, token);
			realtime.dropAll();
			const error = await trigger.waitForError();
			// The Realtime API refuses the token at the next login; on a loaded host a catch-up already under
			// way (after a reconnect on a late pong) may meet the REST API's refusal first. Either stops the trigger.
			expect(["You've been logged out by the server. Please log in again.", 'You must be logged in to do this.']).toContain(error.message);
			expect((error as Error & { description?: string }).description).toMatch(/refused the token|credentials/i);
			const connections = realtime.connections;
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect(realtime.connections).toBe(connections);
		});

		it('stops with emitError when a selected room is deleted', async () => {
			const alice = user(fake, 'alice');
			const room = fake.state.createRoom('p', `doomed-${Date.now()}`, alice, [user(fake, 'bot')]);
			const trigger = await start({ roomScope: 'selected', rooms: { room: [{ roomId: rl(room._id) }] } });
			post(fake, room._id, alice, 'last words');
			await trigger.waitForItems(1);
			fake.state.deleteRoom(room._id);
			realtime.dropAll();
			const error = await trigger.waitForError();
			expect(error.message).toMatch(/Not allowed/i);
		});
	});

	it('logs in with username and password over REST and resumes with the session token', async () => {
		const trigger = await start({}, passwordCredentials(fake, fake.fixtures.bot));
		const login = fake.requests.filter((request) => request.endpoint === 'login');
		expect(login.length).toBeGreaterThanOrEqual(1);
		const resume = realtime.framesReceived('method', 'login').at(-1)?.frame.params as Array<{ resume: string }>;
		expect(resume[0].resume).not.toBe(fake.fixtures.bot.pat);
		expect(fake.state.findUserByToken(resume[0].resume)?._id).toBe(fake.fixtures.bot.userId);
		post(fake, fake.fixtures.rooms.general, user(fake, 'alice'), 'via a session');
		await trigger.waitForItems(1);
		expect(texts(trigger.json())).toEqual(['via a session']);
	});

	it('downloads the files of a message as binary data with Download Attachments', async () => {
		const alice = user(fake, 'alice');
		const trigger = await start({ options: { downloadAttachments: true } });
		const file = fake.state.addUpload(fake.fixtures.rooms.general, alice, { name: 'report.csv', type: 'text/csv', data: 'a,b\n1,2\n' });
		fake.state.postFileMessage(fake.fixtures.rooms.general, alice, file._id, { msg: 'the report' });
		await trigger.waitForItems(1);
		const [item] = trigger.items();
		expect(item.json).toMatchObject({ text: 'the report', files: [{ id: file._id, name: 'report.csv', type: 'text/csv', size: 8 }] });
		expect(item.binary?.attachment_0).toMatchObject({ fileName: 'report.csv', mimeType: 'text/csv' });
		expect(Buffer.from(item.binary!.attachment_0.data, 'base64').toString()).toBe('a,b\n1,2\n');
		const download = fake.requests.find((request) => request.path.startsWith(`/file-upload/${file._id}/`));
		expect(download?.headers['x-auth-token']).toBe(fake.fixtures.bot.pat);
	});

	it('still delivers a message whose file cannot be downloaded, saying why', async () => {
		const alice = user(fake, 'alice');
		const trigger = await start({ options: { downloadAttachments: true } });
		const file = fake.state.addUpload(fake.fixtures.rooms.general, alice, { name: 'gone.txt', type: 'text/plain', data: 'bye' });
		const message = fake.state.postFileMessage(fake.fixtures.rooms.general, alice, file._id, { msg: 'file removed at once' });
		fake.state.files.delete(file._id);
		await trigger.waitForItems(1);
		const [item] = trigger.items();
		expect(item.json).toMatchObject({ id: message._id, text: 'file removed at once', downloadError: expect.stringContaining('404') });
		expect(item.binary).toBeUndefined();
		expect(trigger.logs).toContainEqual({ level: 'warn', message: expect.stringContaining(`could not download the files of message ${message._id}`) });
		expect(trigger.errors).toEqual([]);
	});

	it('answers "Listen for test event" with the first matching new message and saves no cursor', async () => {
		const alice = user(fake, 'alice');
		const manual = runTriggerManually({ parameters: triggerParameters({ filters: { textContains: 'test event' } }), credentials: patCredentials(fake, fake.fixtures.bot) });
		const subscribed = realtime.framesReceived('sub').length;
		await waitUntil(() => realtime.framesReceived('sub').length > subscribed && realtime.subscriptions('stream-room-messages').length > 0, 'the manual subscription');
		post(fake, fake.fixtures.rooms.general, alice, 'not this one');
		post(fake, fake.fixtures.rooms.random, alice, 'this test event');
		post(fake, fake.fixtures.rooms.random, alice, 'a second test event');
		const { items, error, run, staticData } = await manual;
		expect(error).toBeUndefined();
		expect(staticData).toEqual({});
		expect(items.map((item) => item.json.text)).toEqual(['this test event']);
		expect(run.data.resultData.runData['Rocket.Chat Trigger']).toHaveLength(1);
		await waitUntil(() => realtime.subscriptions('stream-room-messages').length === 0, 'the manual listener to close');
	});
});
