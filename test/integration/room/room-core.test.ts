import type { IDataObject } from 'n8n-workflow';

import { FakeRocketChat, type FakeUser } from '../../fake';
import { patCredentials } from '../../harness/fixtures';
import { rl, runRocketChat } from '../../harness/run';

// Several workflows per test: allow for a loaded machine.
jest.setTimeout(60_000);

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

/** A user locator in "By Username" mode. */
const byUsername = (value: string) => ({ __rl: true, mode: 'username', value });
const requestsTo = (endpoint: string) => fake.requests.filter((r) => r.endpoint === endpoint);
const user = (username: string): FakeUser => fake.state.findUserByUsername(username)!;
const asBot = () => patCredentials(fake, fake.fixtures.bot);
const asAdmin = () => patCredentials(fake, fake.fixtures.admin);
const asAlice = () => patCredentials(fake, fake.fixtures.alice);
const room = (parameters: IDataObject) => ({ resource: 'room', ...parameters });
let counter = 0;
/** A fresh channel or group owned by `owner` (default bot) with `members`. */
const freshRoom = (type: 'c' | 'p', members: string[] = [], owner = 'bot') =>
	fake.state.createRoom(type, `room-${Date.now().toString(36)}-${++counter}`, user(owner), members.map(user));

describe('Room › Get', () => {
	it('gets a room by ID, simplified, with the request Rocket.Chat expects', async () => {
		const { items, error } = await runRocketChat({
			parameters: room({ operation: 'get', roomId: rl(fake.fixtures.rooms.general) }),
			credentials: asBot(),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ _id: 'GENERAL', name: 'general', t: 'c', roomType: 'channel', default: true, createdBy: 'admin' });
		expect(items[0].json).not.toHaveProperty('u');
		expect(requestsTo('rooms.info')[0].query).toEqual({ roomId: 'GENERAL' });
	});

	it('gets a private group by #name and returns raw data without Simplify; a discussion has its parent', async () => {
		const byName = await runRocketChat({
			parameters: room({ operation: 'get', roomId: rl('private-team', 'name'), simplify: false }),
			credentials: asBot(),
		});
		expect(byName.error).toBeUndefined();
		expect(byName.items[0].json).toMatchObject({ _id: fake.fixtures.rooms.privateGroup, t: 'p', u: { username: 'bot' } });

		const discussion = fake.state.createRoom('c', `disc-${Date.now()}`, user('bot'), [], { prid: 'GENERAL' });
		const child = await runRocketChat({ parameters: room({ operation: 'get', roomId: rl(discussion._id) }), credentials: asBot() });
		expect(child.error).toBeUndefined();
		expect(child.items[0].json).toMatchObject({ _id: discussion._id, prid: 'GENERAL', parent: { _id: 'GENERAL', name: 'general' } });
	});

	it('reports an unknown room with the item index, or as an item with Continue On Fail', async () => {
		const parameters = room({ operation: 'get', roomId: rl('={{ $json.room }}') });
		const items = [{ room: 'GENERAL' }, { room: 'NoSuchRoom12345678' }];
		const failed = await runRocketChat({ parameters, credentials: asBot(), items });
		expect(failed.run.status).toBe('error');
		expect(failed.error?.message).toMatch(/does not match any channel \[error-room-not-found\]/);
		expect(failed.error?.description).toMatch(/No room with ID "NoSuchRoom12345678"/);
		expect(failed.error?.context?.itemIndex).toBe(1);

		const continued = await runRocketChat({ parameters, credentials: asBot(), items, continueOnFail: true });
		expect(continued.error).toBeUndefined();
		expect(continued.items.map((i) => i.json._id ?? i.json.error)).toEqual(['GENERAL', expect.stringMatching(/error-room-not-found/)]);
		expect(continued.items[1].pairedItem).toEqual({ item: 1 });
	});
});

describe('Room › Get Many', () => {
	it("returns one item per room of the user, filtered by type and limited", async () => {
		const all = await runRocketChat({ parameters: room({ operation: 'getMany', returnAll: true }), credentials: asBot() });
		expect(all.error).toBeUndefined();
		const ids = all.items.map((i) => i.json._id);
		expect(ids).toEqual(expect.arrayContaining(['GENERAL', fake.fixtures.rooms.random, fake.fixtures.rooms.privateGroup, fake.fixtures.rooms.dmBotAlice]));
		expect(ids).toHaveLength(fake.state.subscriptionsOfUser(fake.fixtures.bot.userId).length);

		const groups = await runRocketChat({
			parameters: room({ operation: 'getMany', returnAll: true, filters: { roomTypes: ['p'] } }),
			credentials: asBot(),
		});
		expect(groups.items.length).toBeGreaterThan(0);
		expect(groups.items.every((i) => i.json.t === 'p')).toBe(true);

		const limited = await runRocketChat({ parameters: room({ operation: 'getMany', limit: 2 }), credentials: asBot() });
		expect(limited.items).toHaveLength(2);
	});

	it('passes Updated Since to rooms.get; refuses a bad date before any request', async () => {
		const future = new Date(Date.now() + 3_600_000).toISOString();
		const none = await runRocketChat({
			parameters: room({ operation: 'getMany', returnAll: true, filters: { updatedSince: future } }),
			credentials: asBot(),
		});
		expect(none.error).toBeUndefined();
		expect(none.items).toHaveLength(0);
		expect(requestsTo('rooms.get')[0].query).toEqual({ updatedSince: future });

		fake.clearRequests();
		const bad = await runRocketChat({
			parameters: room({ operation: 'getMany', returnAll: true, filters: { updatedSince: 'yesterday-ish' } }),
			credentials: asBot(),
		});
		expect(bad.error?.message).toMatch(/"yesterday-ish" in "Updated Since" is not a date/);
		expect(requestsTo('rooms.get')).toHaveLength(0);
	});
});

describe('Room › Get Many (Admin)', () => {
	it('pages through rooms.adminRooms with offset/count until total; filter and types are sent', async () => {
		const owner = user('bob');
		for (let i = 0; i < 105; i++) fake.state.createRoom('c', `bulk-${i}`, owner, [], { excludeSelf: true });
		const all = await runRocketChat({ parameters: room({ operation: 'getManyAdmin', returnAll: true }), credentials: asAdmin() });
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(fake.state.rooms.size);
		const pages = requestsTo('rooms.adminRooms');
		expect(pages.map((p) => p.query.offset)).toEqual(['0', '100']);

		fake.clearRequests();
		const filtered = await runRocketChat({
			parameters: room({ operation: 'getManyAdmin', limit: 3, filters: { filter: 'bulk-1', types: ['c', 'p'] } }),
			credentials: asAdmin(),
		});
		expect(filtered.items).toHaveLength(3);
		expect(filtered.items.every((i) => String(i.json.name).startsWith('bulk-1'))).toBe(true);
		expect(requestsTo('rooms.adminRooms')[0].query).toEqual({ filter: 'bulk-1', types: ['c', 'p'], offset: '0', count: '3' });
		for (const r of [...fake.state.rooms.values()].filter((r) => r.name?.startsWith('bulk-'))) fake.state.deleteRoom(r._id);
	});

	it('a user without view-room-administration gets the permission hint', async () => {
		// findAdminRooms throws a plain Error: 400 {success: false, error: 'error-not-authorized'}.
		const { error } = await runRocketChat({ parameters: room({ operation: 'getManyAdmin', returnAll: true }), credentials: asBot() });
		expect(error?.httpCode).toBe('400');
		expect(error?.message).toBe('error-not-authorized');
		expect(error?.description).toMatch(/lacks the "view-room-administration" permission/);
	});
});

describe('Room › Create', () => {
	it('creates a read-only channel with members and a topic', async () => {
		const name = `launch-${Date.now()}`;
		const { items, error } = await runRocketChat({
			parameters: room({ operation: 'create', roomType: 'c', name, members: 'alice, @bob', options: { readOnly: true, topic: 'Launch day' } }),
			credentials: asBot(),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ name, t: 'c', ro: true, topic: 'Launch day', roomType: 'channel' });
		const created = fake.state.findRoomByName(name)!;
		expect(fake.state.membersOf(created._id).map((u) => u.username).sort()).toEqual(['alice', 'bob', 'bot']);
		expect(requestsTo('channels.create')[0].body).toEqual({ name, members: ['alice', 'bob'], readOnly: true, extraData: { topic: 'Launch day' } });
	});

	it('creates a private group and a direct message (an existing DM is returned)', async () => {
		const name = `secret-${Date.now()}`;
		const group = await runRocketChat({ parameters: room({ operation: 'create', roomType: 'p', name }), credentials: asBot() });
		expect(group.error).toBeUndefined();
		expect(group.items[0].json).toMatchObject({ name, t: 'p' });
		expect(requestsTo('groups.create')).toHaveLength(1);

		const dm = await runRocketChat({ parameters: room({ operation: 'create', roomType: 'd', members: '@alice' }), credentials: asBot() });
		expect(dm.error).toBeUndefined();
		expect(dm.items[0].json).toMatchObject({ _id: fake.fixtures.rooms.dmBotAlice, t: 'd', roomType: 'direct' });
		expect(requestsTo('dm.create')[0].body).toEqual({ username: 'alice' });
	});

	it('a taken name gives Rocket.Chat text and a hint; a name with spaces is refused before any request', async () => {
		const taken = await runRocketChat({ parameters: room({ operation: 'create', roomType: 'c', name: 'random' }), credentials: asBot() });
		expect(taken.error?.message).toBe("A channel with name 'random' exists [error-duplicate-channel-name]");
		expect(taken.error?.description).toMatch(/already exists/);

		fake.clearRequests();
		const spaced = await runRocketChat({ parameters: room({ operation: 'create', roomType: 'c', name: 'my room' }), credentials: asBot() });
		expect(spaced.error?.message).toMatch(/contains spaces/);
		expect(requestsTo('channels.create')).toHaveLength(0);

		const noUser = await runRocketChat({ parameters: room({ operation: 'create', roomType: 'd', members: '={{ "" }}' }), credentials: asBot() });
		expect(noUser.error?.message).toMatch(/No username given/);
	});
});

describe('Room › Create Discussion', () => {
	it('creates a discussion with a first message and invited users', async () => {
		const { items, error } = await runRocketChat({
			parameters: room({
				operation: 'createDiscussion',
				roomId: rl('GENERAL'),
				discussionName: 'Incident 42',
				options: { reply: 'Timeline goes here', users: 'alice,bob' },
			}),
			credentials: asBot(),
		});
		expect(error).toBeUndefined();
		const discussion = fake.state.rooms.get(String(items[0].json._id))!;
		expect(discussion).toMatchObject({ prid: 'GENERAL', fname: 'Incident 42', t: 'c' });
		expect(items[0].json).toMatchObject({ prid: 'GENERAL', fname: 'Incident 42' });
		expect(fake.state.messagesOf(discussion._id).map((m) => m.msg)).toContain('Timeline goes here');
		expect(fake.state.membersOf(discussion._id).map((u) => u.username).sort()).toEqual(['alice', 'bob', 'bot']);
		expect(requestsTo('rooms.createDiscussion')[0].body).toEqual({ prid: 'GENERAL', t_name: 'Incident 42', reply: 'Timeline goes here', users: ['alice', 'bob'] });
	});

	it('no name is refused before any request; disabled discussions give the server text and a hint', async () => {
		const empty = await runRocketChat({ parameters: room({ operation: 'createDiscussion', roomId: rl('GENERAL'), discussionName: ' ' }), credentials: asBot() });
		expect(empty.error?.message).toBe('No discussion name given');
		expect(requestsTo('rooms.createDiscussion')).toHaveLength(0);

		fake.state.settings.Discussion_enabled = false;
		try {
			const disabled = await runRocketChat({ parameters: room({ operation: 'createDiscussion', roomId: rl('GENERAL'), discussionName: 'x' }), credentials: asBot() });
			expect(disabled.error?.message).toBe('You are not allowed to create a discussion [error-action-not-allowed]');
			expect(disabled.error?.description).toMatch(/Discussions are disabled/);
		} finally {
			fake.state.settings.Discussion_enabled = true;
		}
	});

	it('an encrypted discussion with a first message is refused before creating anything (explicit or inherited)', async () => {
		const secret = fake.state.createRoom('p', `e2e-${Date.now().toString(36)}`, user('bot'), [], { encrypted: true });
		const before = fake.state.rooms.size;
		const explicit = await runRocketChat({
			parameters: room({ operation: 'createDiscussion', roomId: rl('GENERAL'), discussionName: 'x', options: { reply: 'hello', encrypted: true } }),
			credentials: asBot(),
		});
		expect(explicit.error?.message).toBe('An encrypted discussion cannot start with a First Message');
		expect(explicit.error?.description).toMatch(/Encrypted is on/);
		const inherited = await runRocketChat({
			parameters: room({ operation: 'createDiscussion', roomId: rl(secret._id), discussionName: 'x', options: { reply: 'hello' } }),
			credentials: asBot(),
		});
		expect(inherited.error?.message).toBe('An encrypted discussion cannot start with a First Message');
		expect(inherited.error?.description).toMatch(/parent room is encrypted/);
		expect(requestsTo('rooms.createDiscussion')).toHaveLength(0);
		expect(fake.state.rooms.size).toBe(before);

		// The server itself refuses it too, and an unencrypted discussion of an encrypted room may start with one.
		const response = await fetch(`${fake.url}/api/v1/rooms.createDiscussion`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-User-Id': fake.fixtures.bot.userId, 'X-Auth-Token': fake.fixtures.bot.pat },
			body: JSON.stringify({ prid: secret._id, t_name: 'x', reply: 'hello' }),
		});
		expect(await response.json()).toMatchObject({ errorType: 'error-invalid-arguments', error: 'Encrypted discussions must not receive an initial reply. [error-invalid-arguments]' });
		const plain = await runRocketChat({
			parameters: room({ operation: 'createDiscussion', roomId: rl(secret._id), discussionName: 'x', options: { reply: 'hello', encrypted: false } }),
			credentials: asBot(),
		});
		expect(plain.error).toBeUndefined();
		expect(fake.state.rooms.get(String(plain.items[0].json._id))?.encrypted).toBe(false);
	});
});

describe('Room › Update', () => {
	it('saves the settings with rooms.saveRoomSettings and returns the updated room', async () => {
		const target = freshRoom('c', ['alice']);
		const newName = `${target.name}-renamed`;
		const { items, error } = await runRocketChat({
			parameters: room({
				operation: 'update',
				roomId: rl(target._id),
				updateFields: { roomName: newName, roomTopic: 'New topic', readOnly: true, roomType: 'p', systemMessages: ['uj', 'ul'] },
			}),
			credentials: asBot(),
		});
		expect(error).toBeUndefined();
		expect(requestsTo('rooms.saveRoomSettings')[0].body).toEqual({
			rid: target._id,
			roomName: newName,
			roomTopic: 'New topic',
			readOnly: true,
			roomType: 'p',
			systemMessages: ['uj', 'ul'],
		});
		expect(fake.state.rooms.get(target._id)).toMatchObject({ name: newName, topic: 'New topic', ro: true, t: 'p' });
		expect(items[0].json).toMatchObject({ _id: target._id, name: newName, t: 'p', ro: true });
		expect(items[0].json.updated).toEqual(['roomName', 'roomTopic', 'readOnly', 'roomType', 'systemMessages']);
	});

	it('nothing to update is refused before any request; a non-owner gets the permission text', async () => {
		const nothing = await runRocketChat({ parameters: room({ operation: 'update', roomId: rl('GENERAL'), updateFields: {} }), credentials: asBot() });
		expect(nothing.error?.message).toBe('Nothing to update');
		expect(requestsTo('rooms.saveRoomSettings')).toHaveLength(0);

		const denied = await runRocketChat({
			parameters: room({ operation: 'update', roomId: rl('GENERAL'), updateFields: { roomTopic: 'hijack' } }),
			credentials: asAlice(),
		});
		expect(denied.error?.message).toBe('Editing_room is not allowed [error-action-not-allowed]');
		expect(fake.state.rooms.get('GENERAL')?.topic).toBe('Company-wide announcements');
	});
});

describe('Room › Get Members', () => {
	it('lists the members of a channel, filtered by status, limited, and ordered by role', async () => {
		const all = await runRocketChat({ parameters: room({ operation: 'getMembers', roomId: rl('GENERAL'), returnAll: true }), credentials: asBot() });
		expect(all.error).toBeUndefined();
		expect(all.items.map((i) => i.json.username).sort()).toEqual(fake.state.membersOf('GENERAL').map((u) => u.username).sort());
		expect(requestsTo('channels.members')[0].query).toMatchObject({ roomId: 'GENERAL', offset: '0', count: '100' });

		const online = await runRocketChat({
			parameters: room({ operation: 'getMembers', roomId: rl('GENERAL'), returnAll: true, options: { status: ['online'] } }),
			credentials: asBot(),
		});
		expect(online.items.map((i) => i.json.username).sort()).toEqual(['admin', 'bot']);

		const two = await runRocketChat({ parameters: room({ operation: 'getMembers', roomId: rl('GENERAL'), limit: 2 }), credentials: asBot() });
		expect(two.items).toHaveLength(2);

		const byRole = await runRocketChat({
			parameters: room({ operation: 'getMembers', roomId: rl('GENERAL'), returnAll: true, options: { orderByRole: true } }),
			credentials: asBot(),
		});
		expect(byRole.items[0].json).toMatchObject({ username: 'admin', roles: ['owner'] });
	});

	it('uses groups.members and dm.members for the other room types', async () => {
		const group = await runRocketChat({ parameters: room({ operation: 'getMembers', roomId: rl(fake.fixtures.rooms.privateGroup), returnAll: true }), credentials: asBot() });
		expect(group.items.map((i) => i.json.username).sort()).toEqual(['alice', 'bot']);
		const dm = await runRocketChat({ parameters: room({ operation: 'getMembers', roomId: rl('@alice', 'name'), returnAll: true }), credentials: asBot() });
		expect(dm.items.map((i) => i.json.username).sort()).toEqual(['alice', 'bot']);
		expect(requestsTo('groups.members')).toHaveLength(1);
		expect(requestsTo('dm.members')).toHaveLength(1);
	});

	it('a private group the user is not in is reported', async () => {
		const hidden = freshRoom('p', [], 'bob');
		const { error } = await runRocketChat({ parameters: room({ operation: 'getMembers', roomId: rl(hidden._id), returnAll: true }), credentials: asBot() });
		expect(error?.message).toBe('not-allowed');
		expect(requestsTo('groups.members')).toHaveLength(0);
	});
});

describe('Room › Add Member / Remove Member', () => {
	it('adds one user chosen by username, then several by list, and removes them', async () => {
		const target = freshRoom('p', ['alice']);
		const one = await runRocketChat({
			parameters: room({ operation: 'addMember', roomId: rl(target._id), userSelection: 'one', userId: byUsername('bob') }),
			credentials: asBot(),
		});
		expect(one.error).toBeUndefined();
		expect(one.items[0].json).toMatchObject({ roomId: target._id, username: 'bob', added: true });
		expect(requestsTo('groups.invite')[0].body).toEqual({ roomId: target._id, userId: user('bob')._id });

		const many = await runRocketChat({
			parameters: room({ operation: 'addMember', roomId: rl(target._id), userSelection: 'list', usernames: 'carol2fa, admin' }),
			credentials: asBot(),
		});
		expect(many.items.map((i) => i.json.username)).toEqual(['carol2fa', 'admin']);
		expect(fake.state.membersOf(target._id).map((u) => u.username).sort()).toEqual(['admin', 'alice', 'bob', 'bot', 'carol2fa']);

		const removed = await runRocketChat({
			parameters: room({ operation: 'removeMember', roomId: rl(target._id), userSelection: 'list', usernames: 'bob carol2fa' }),
			credentials: asBot(),
		});
		expect(removed.error).toBeUndefined();
		expect(removed.items.map((i) => i.json.removed)).toEqual([true, true]);
		expect(fake.state.membersOf(target._id).map((u) => u.username).sort()).toEqual(['admin', 'alice', 'bot']);

		const byId = await runRocketChat({
			parameters: room({ operation: 'removeMember', roomId: rl(target._id), userId: rl(user('alice')._id) }),
			credentials: asBot(),
		});
		expect(byId.error).toBeUndefined();
		expect(requestsTo('groups.kick').at(-1)?.body).toEqual({ roomId: target._id, userId: user('alice')._id });
	});

	it('an unknown username stops the whole list before any change', async () => {
		const target = freshRoom('c');
		const { error } = await runRocketChat({
			parameters: room({ operation: 'addMember', roomId: rl(target._id), userSelection: 'list', usernames: 'bob, nobody-here' }),
			credentials: asBot(),
		});
		expect(error?.message).toBe('User not found.');
		expect(error?.description).toMatch(/No Rocket.Chat user with @nobody-here/);
		expect(requestsTo('channels.invite')).toHaveLength(0);
		expect(fake.state.membersOf(target._id).map((u) => u.username)).toEqual(['bot']);
	});

	it('direct messages are refused; removing a non-member gives the server text', async () => {
		const dm = await runRocketChat({
			parameters: room({ operation: 'addMember', roomId: rl(fake.fixtures.rooms.dmBotAlice), userId: byUsername('bob') }),
			credentials: asBot(),
		});
		expect(dm.error?.message).toBe('Adding members is not available for a direct message');

		const target = freshRoom('c');
		const notIn = await runRocketChat({
			parameters: room({ operation: 'removeMember', roomId: rl(target._id), userId: byUsername('bob') }),
			credentials: asBot(),
		});
		expect(notIn.error?.message).toBe('User is not in this room [error-user-not-in-room]');
		expect(notIn.error?.description).toMatch(/@bob is not a member/);
	});
});

describe('Room › Delete › team rooms', () => {
	it('a room of a team also needs delete-team-channel in the team: the hint names it', async () => {
		const teamMain = freshRoom('c', ['alice'], 'bot');
		Object.assign(teamMain, { teamMain: true, teamId: `team-${teamMain._id}` });
		const teamRoom = freshRoom('c', [], 'alice');
		teamRoom.teamId = teamMain.teamId;
		// alice owns the room (delete-c) but is no owner of the team's main room (delete-team-channel).
		const { error } = await runRocketChat({ parameters: room({ operation: 'delete', roomId: rl(teamRoom._id) }), credentials: asAlice() });
		expect(error?.message).toBe('Not allowed [error-not-allowed]');
		expect(error?.description).toMatch(/"delete-c".*also "delete-team-channel" in the team's main room/);
		expect(fake.state.rooms.get(teamRoom._id)).toBeDefined();
		const owner = await runRocketChat({ parameters: room({ operation: 'delete', roomId: rl(teamRoom._id) }), credentials: asBot() });
		expect(owner.error?.message).toBe('Not allowed [error-not-allowed]');
		fake.state.setRoomRole(teamMain._id, user('alice')._id, 'owner', true);
		const allowed = await runRocketChat({ parameters: room({ operation: 'delete', roomId: rl(teamRoom._id) }), credentials: asAlice() });
		expect(allowed.error).toBeUndefined();
		expect(fake.state.rooms.get(teamRoom._id)).toBeUndefined();
	});
});

describe('Room › Delete', () => {
	it('deletes a room and returns {deleted: true, roomId}', async () => {
		const target = freshRoom('c', ['alice']);
		const { items, error } = await runRocketChat({ parameters: room({ operation: 'delete', roomId: rl(target._id) }), credentials: asBot() });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ deleted: true, roomId: target._id });
		expect(fake.state.rooms.has(target._id)).toBe(false);
		expect(requestsTo('rooms.delete')[0].body).toEqual({ roomId: target._id });
	});

	it('Preview describes the room, members, messages and steps and changes nothing', async () => {
		const target = freshRoom('p', ['alice', 'bob']);
		fake.state.postMessage(target._id, user('alice'), 'one');
		fake.state.postMessage(target._id, user('bob'), 'two');
		const { items, error } = await runRocketChat({
			parameters: room({ operation: 'delete', roomId: rl(target._id), preview: true, moveMembers: true, noticeRoomName: `${target.name}-moved` }),
			credentials: asBot(),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ preview: true, memberCount: 3, messageCount: 2, room: { _id: target._id } });
		expect(items[0].json.steps).toHaveLength(3);
		expect(fake.state.rooms.has(target._id)).toBe(true);
		expect(fake.state.findRoomByName(`${target.name}-moved`)).toBeUndefined();
		expect(requestsTo('rooms.delete')).toHaveLength(0);
		expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
	});

	it('Move Members to a Notice Room leaves every member in a new read-only room with the message', async () => {
		const target = freshRoom('c', ['alice', 'bob', 'carol2fa']);
		const before = fake.state.membersOf(target._id).map((u) => u.username).sort();
		const noticeName = `${target.name}-moved`;
		const { items, error } = await runRocketChat({
			parameters: room({
				operation: 'delete',
				roomId: rl(target._id),
				moveMembers: true,
				noticeRoomName: noticeName,
				noticeMessage: 'We moved to #launch. This room is closed.',
			}),
			credentials: asBot(),
		});
		expect(error).toBeUndefined();
		expect(fake.state.rooms.has(target._id)).toBe(false);
		const notice = fake.state.findRoomByName(noticeName)!;
		expect(notice).toMatchObject({ t: 'p', ro: true });
		expect(fake.state.membersOf(notice._id).map((u) => u.username).sort()).toEqual(before);
		const messages = fake.state.messagesOf(notice._id).filter((m) => !m.t);
		expect(messages.map((m) => m.msg)).toEqual(['We moved to #launch. This room is closed.']);
		expect(items[0].json).toMatchObject({
			deleted: true,
			roomId: target._id,
			noticeRoom: { _id: notice._id, name: noticeName, members: before.length, messageId: messages[0]._id },
		});
	});

	it('a room that no longer exists is reported clearly; a user without delete rights gets the hint', async () => {
		const gone = await runRocketChat({ parameters: room({ operation: 'delete', roomId: rl('AlreadyDeleted12345') }), credentials: asBot() });
		expect(gone.error?.message).toBe('The room "AlreadyDeleted12345" does not exist (any more)');
		expect(gone.error?.description).toMatch(/Nothing was deleted/);

		const denied = await runRocketChat({ parameters: room({ operation: 'delete', roomId: rl('GENERAL') }), credentials: asAlice() });
		expect(denied.error?.message).toBe('Not allowed [error-not-allowed]');
		expect(denied.error?.description).toMatch(/"delete-c"/);
		expect(fake.state.rooms.has('GENERAL')).toBe(true);

		const noName = await runRocketChat({ parameters: room({ operation: 'delete', roomId: rl('GENERAL'), moveMembers: true, noticeRoomName: '={{ "" }}' }), credentials: asBot() });
		expect(noName.error?.message).toBe('No name given for the notice room');
	});
});
