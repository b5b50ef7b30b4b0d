/**
 * Room › Notify Activity: the typing / recording / uploading indicator over the Realtime API, checked on
 * the frames the fake's DDP server received and on what another member's subscription gets.
 */
import type { IDataObject } from 'n8n-workflow';

import { DdpClient, realtimeUrl } from '../../../nodes/shared/realtime';
import { FakeRocketChat } from '../../fake';
import { enableRealtime, type FakeRealtime } from '../../fake/realtime';
import { passwordCredentials, patCredentials } from '../../harness/fixtures';
import { rl, runRocketChat } from '../../harness/run';
import { waitUntil } from '../../harness/trigger';

let fake: FakeRocketChat;
let realtime: FakeRealtime;

beforeAll(async () => {
	fake = await FakeRocketChat.start();
	realtime = enableRealtime(fake, { pingIntervalMs: 0 });
});

afterAll(async () => {
	realtime.close();
	await fake.stop();
});

async function run(parameters: IDataObject, credentials = patCredentials(fake, fake.fixtures.bot), continueOnFail = false) {
	return await runRocketChat({ parameters: { resource: 'room', operation: 'notifyActivity', ...parameters }, credentials, continueOnFail });
}

describe('Room › Notify Activity', () => {
	it('sends "typing" as stream-notify-room <rid>/user-activity and other members receive it', async () => {
		// alice listens to the room's activity as a Rocket.Chat client would.
		const listener = new DdpClient({ url: realtimeUrl(fake.url) });
		const received: unknown[][] = [];
		await listener.connect();
		await listener.login(fake.fixtures.alice.pat);
		listener.onChanged((changed) => received.push(changed.fields.args ?? []));
		await listener.subscribe('stream-notify-room', [`${fake.fixtures.rooms.general}/user-activity`, false]);
		try {
			const before = realtime.framesReceived('method', 'stream-notify-room').length;
			const { items, error } = await run({ roomId: rl(fake.fixtures.rooms.general), activity: 'typing' });
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json)).toEqual([
				{ success: true, roomId: fake.fixtures.rooms.general, activity: 'typing', activities: ['user-typing'], username: 'bot' },
			]);
			const frames = realtime.framesReceived('method', 'stream-notify-room').slice(before);
			expect(frames).toHaveLength(1);
			expect(frames[0].frame).toMatchObject({ msg: 'method', method: 'stream-notify-room', params: [`${fake.fixtures.rooms.general}/user-activity`, 'bot', ['user-typing']] });
			// logged in with the PAT as resume token on the same connection, before the call
			const login = realtime.received.filter((entry) => entry.connection === frames[0].connection && entry.frame.method === 'login');
			expect(login[0].frame.params).toEqual([{ resume: fake.fixtures.bot.pat }]);
			await waitUntil(() => received.length > 0, 'the relayed activity');
			expect(received[0]).toEqual(['bot', ['user-typing']]);
			// the connection is closed afterwards
			await waitUntil(() => realtime.openSessions === 1, 'the operation to close its connection');
		} finally {
			await listener.close();
		}
	});

	it('clears the indicator with None and sends recording and uploading', async () => {
		const room = fake.fixtures.rooms.privateGroup;
		for (const [activity, activities] of [['none', []], ['recording', ['user-recording']], ['uploading', ['user-uploading']]] as const) {
			const { error } = await run({ roomId: rl(room), activity });
			expect(error).toBeUndefined();
			expect(realtime.activities.at(-1)).toMatchObject({ roomId: room, username: 'bot', activities });
		}
	});

	it('resolves the room by name and works with username and password credentials', async () => {
		const { items, error } = await run({ roomId: rl('#random', 'name'), activity: 'typing' }, passwordCredentials(fake, fake.fixtures.bot));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ roomId: fake.fixtures.rooms.random, username: 'bot' });
		const call = realtime.framesReceived('method', 'stream-notify-room').at(-1)!;
		const login = realtime.received.find((entry) => entry.connection === call.connection && entry.frame.method === 'login')!;
		const token = (login.frame.params as Array<{ resume: string }>)[0].resume;
		expect(token).not.toBe(fake.fixtures.bot.pat);
		expect(fake.state.findUserByToken(token)?.username).toBe('bot');
	});

	it('reports a room the user is not a member of with a hint', async () => {
		const outside = fake.state.createRoom('c', `no-bot-${Date.now()}`, fake.state.getUser(fake.fixtures.alice.userId)!);
		// The server drops a notice from a non-member silently (an empty result, nothing relayed).
		const direct = new DdpClient({ url: realtimeUrl(fake.url) });
		await direct.connect();
		await direct.login(fake.fixtures.bot.pat);
		try {
			await expect(direct.call('stream-notify-room', [`${outside._id}/user-activity`, 'bot', ['user-typing']])).resolves.toBeUndefined();
		} finally {
			await direct.close();
		}
		const before = realtime.framesReceived('method', 'stream-notify-room').length;
		const { error } = await run({ roomId: rl(outside._id), activity: 'typing' });
		expect(error?.message).toBe(`The user bot is not a member of the room "${outside._id}"`);
		expect(error?.description).toMatch(/drops others without an error/);
		expect(realtime.framesReceived('method', 'stream-notify-room')).toHaveLength(before);
		expect(realtime.activities.some((entry) => entry.roomId === outside._id)).toBe(false);
	});

	it('sends the display name when the server shows real names (UI_Use_Real_Name)', async () => {
		fake.state.settings.UI_Use_Real_Name = true;
		try {
			const { items, error } = await run({ roomId: rl(fake.fixtures.rooms.general), activity: 'typing' });
			expect(error).toBeUndefined();
			const bot = fake.state.getUser(fake.fixtures.bot.userId)!;
			expect(items[0].json).toMatchObject({ username: bot.name });
			expect(realtime.activities.at(-1)).toMatchObject({ roomId: fake.fixtures.rooms.general, username: 'bot', activities: ['user-typing'] });
			expect(realtime.framesReceived('method', 'stream-notify-room').at(-1)?.frame.params).toEqual([`${fake.fixtures.rooms.general}/user-activity`, bot.name, ['user-typing']]);
		} finally {
			fake.state.settings.UI_Use_Real_Name = false;
		}
	});

	it('gives the failure as an item with Continue On Fail', async () => {
		const outside = fake.state.createRoom('c', `no-bot-cof-${Date.now()}`, fake.state.getUser(fake.fixtures.alice.userId)!);
		const { items, error } = await run({ roomId: rl(outside._id), activity: 'typing' }, patCredentials(fake, fake.fixtures.bot), true);
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: expect.objectContaining({ error: `The user bot is not a member of the room "${outside._id}"`, description: expect.stringContaining('only from members') }),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('refuses an empty room before any request', async () => {
		fake.clearRequests();
		const frames = realtime.received.length;
		const { error } = await run({ roomId: rl('={{ "" }}'), activity: 'typing' });
		expect(error?.message).toContain('No room given');
		expect(fake.requests).toEqual([]);
		expect(realtime.received).toHaveLength(frames);
	});
});
