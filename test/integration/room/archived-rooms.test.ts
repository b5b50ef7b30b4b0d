/**
 * Archived rooms stay readable: `rooms.info` refuses them (`error-room-archived`), so the node reads their
 * type from `channels.info` / `groups.info`, which look rooms up with `checkedArchived: false`.
 */
import type { IDataObject } from 'n8n-workflow';

import { FakeRocketChat, type FakeRoom } from '../../fake';
import { patCredentials } from '../../harness/fixtures';
import { rl, runRocketChat } from '../../harness/run';

jest.setTimeout(60_000);

let fake: FakeRocketChat;

beforeAll(async () => {
	fake = await FakeRocketChat.start();
});

afterAll(async () => {
	await fake.stop();
});

beforeEach(() => fake.clearRequests());

const as = (name: 'bot' | 'alice' | 'bob') => patCredentials(fake, fake.fixtures[name]);
const requestsTo = (endpoint: string) => fake.requests.filter((r) => r.endpoint === endpoint);
let counter = 0;

function archivedRoom(type: 'c' | 'p'): FakeRoom {
	const bot = fake.state.findUserByUsername('bot')!;
	const alice = fake.state.findUserByUsername('alice')!;
	const room = fake.state.createRoom(type, `old-${type}-${Date.now().toString(36)}-${++counter}`, bot, [alice]);
	fake.state.postMessage(room._id, alice, 'said before the archive');
	room.archived = true;
	for (const subscription of fake.state.subscriptionsOfRoom(room._id)) subscription.archived = true;
	return room;
}

describe('Archived rooms', () => {
	it('the fake answers rooms.info with error-room-archived, and channels.info / groups.info with the room', async () => {
		const channel = archivedRoom('c');
		const headers = { 'X-User-Id': fake.fixtures.bot.userId, 'X-Auth-Token': fake.fixtures.bot.pat };
		const info = await fetch(`${fake.url}/api/v1/rooms.info?roomId=${channel._id}`, { headers });
		expect(info.status).toBe(400);
		expect(await info.json()).toEqual({
			success: false,
			error: `The channel, ${channel.name}, is archived [error-room-archived]`,
			errorType: 'error-room-archived',
		});
		const channels = await fetch(`${fake.url}/api/v1/channels.info?roomName=${channel.name}`, { headers });
		expect(((await channels.json()) as IDataObject).channel).toMatchObject({ _id: channel._id, archived: true });
		const group = archivedRoom('p');
		const notChannel = await fetch(`${fake.url}/api/v1/channels.info?roomId=${group._id}`, { headers });
		expect(((await notChannel.json()) as IDataObject).errorType).toBe('error-room-not-found');
		const groups = await fetch(`${fake.url}/api/v1/groups.info?roomId=${group._id}`, { headers });
		expect(((await groups.json()) as IDataObject).group).toMatchObject({ _id: group._id, archived: true });
		const outsider = await fetch(`${fake.url}/api/v1/groups.info?roomId=${group._id}`, {
			headers: { 'X-User-Id': fake.fixtures.bob.userId, 'X-Auth-Token': fake.fixtures.bob.pat },
		});
		expect(((await outsider.json()) as IDataObject).errorType).toBe('error-room-not-found');
	});

	it('Message › Get Many reads the history of an archived channel (by ID) and private group (by name)', async () => {
		const channel = archivedRoom('c');
		const byId = await runRocketChat({ parameters: { resource: 'message', operation: 'getMany', roomId: rl(channel._id), returnAll: true }, credentials: as('bot') });
		expect(byId.error).toBeUndefined();
		expect(byId.items.map((item) => item.json.text)).toEqual(['said before the archive']);
		// The second, empty page ends the history (a short page is no end).
		expect(requestsTo('channels.history').map((request) => request.status)).toEqual([200, 200]);

		const group = archivedRoom('p');
		const byName = await runRocketChat({ parameters: { resource: 'message', operation: 'getMany', roomId: rl(group.name!, 'name'), returnAll: true }, credentials: as('bot') });
		expect(byName.error).toBeUndefined();
		expect(byName.items.map((item) => item.json.text)).toEqual(['said before the archive']);
		expect(requestsTo('groups.info')).toHaveLength(1);
		expect(requestsTo('groups.history').map((request) => request.status)).toEqual([200, 200]);
	});

	it('Room › Get returns an archived room', async () => {
		const channel = archivedRoom('c');
		const { items, error } = await runRocketChat({ parameters: { resource: 'room', operation: 'get', roomId: rl(`#${channel.name}`, 'name') }, credentials: as('bob') });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ _id: channel._id, archived: true });
	});

	it('a private archived room the user is not in still fails with the server text', async () => {
		const group = archivedRoom('p');
		const { error } = await runRocketChat({ parameters: { resource: 'message', operation: 'getMany', roomId: rl(group._id), returnAll: true }, credentials: as('bob') });
		expect(error?.message).toMatch(/\[error-room-not-found\]$/);
		expect(error?.description).toMatch(/No room with ID/);
	});
});
