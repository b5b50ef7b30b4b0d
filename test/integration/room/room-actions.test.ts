import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { FakeRocketChat, type FakeUser } from '../../fake';
import { patCredentials } from '../../harness/fixtures';
import { TestCredentialsHelper } from '../../harness/credentials';
import { useSandboxedExpressions } from '../../harness/engine';
import { loadPackage, PACKAGE_NAME } from '../../harness/package';
import { additionalDataFor, CREDENTIAL_REF, rl, runRocketChat } from '../../harness/run';

// Several workflows per test: allow for a loaded machine.
jest.setTimeout(60_000);

let fake: FakeRocketChat;
/** A server before `rooms.hide` (7.4), `rooms.open` (7.9), `rooms.roles` (7.10) and `rooms.join` (8.6). */
let old: FakeRocketChat;
/** A server before `rooms.muteUser` (6.8). */
let ancient: FakeRocketChat;

beforeAll(async () => {
	[fake, old, ancient] = await Promise.all([
		FakeRocketChat.start(),
		FakeRocketChat.start({ version: '7.0.5' }),
		FakeRocketChat.start({ version: '6.6.0' }),
	]);
});

afterAll(async () => {
	await Promise.all([fake.stop(), old.stop(), ancient.stop()]);
});

beforeEach(() => {
	for (const server of [fake, old, ancient]) server.clearRequests();
});

/** A user locator in "By Username" mode. */
const byUsername = (value: string) => ({ __rl: true, mode: 'username', value });
const requestsTo = (endpoint: string, server = fake) => server.requests.filter((r) => r.endpoint === endpoint);
const user = (username: string, server = fake): FakeUser => server.state.findUserByUsername(username)!;
const as = (name: 'bot' | 'admin' | 'alice' | 'bob', server = fake) => patCredentials(server, server.fixtures[name]);
const room = (parameters: IDataObject) => ({ resource: 'room', ...parameters });
let counter = 0;
const freshRoom = (type: 'c' | 'p', members: string[] = [], owner = 'bot', server = fake) =>
	server.state.createRoom(type, `act-${Date.now().toString(36)}-${++counter}`, user(owner, server), members.map((m) => user(m, server)));
const subscription = (roomId: string, username: string, server = fake) => server.state.getSubscription(roomId, user(username, server)._id);

describe('Room › Favorite / Unfavorite', () => {
	it('marks a room as favourite and back', async () => {
		const fav = await runRocketChat({ parameters: room({ operation: 'favorite', roomId: rl('GENERAL') }), credentials: as('bot') });
		expect(fav.error).toBeUndefined();
		expect(fav.items[0].json).toEqual({ success: true, roomId: 'GENERAL', favorite: true });
		expect(subscription('GENERAL', 'bot')?.f).toBe(true);
		expect(requestsTo('rooms.favorite')[0].body).toEqual({ roomId: 'GENERAL', favorite: true });

		const unfav = await runRocketChat({ parameters: room({ operation: 'unfavorite', roomId: rl('#general', 'name') }), credentials: as('bot') });
		expect(unfav.error).toBeUndefined();
		expect(subscription('GENERAL', 'bot')?.f).toBe(false);
	});

	it('a room the user is not in gives the server text and a hint', async () => {
		const target = freshRoom('c', [], 'alice');
		for (const operation of ['favorite', 'unfavorite']) {
			const { error } = await runRocketChat({ parameters: room({ operation, roomId: rl(target._id) }), credentials: as('bob') });
			expect(error?.message).toBe('You must be part of a room to favorite it [error-invalid-subscription]');
			expect(error?.description).toMatch(/join it first/);
		}
	});
});

describe('Room › Leave', () => {
	it('leaves a room', async () => {
		const target = freshRoom('c', ['alice']);
		const { items, error } = await runRocketChat({ parameters: room({ operation: 'leave', roomId: rl(target._id) }), credentials: as('alice') });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ success: true, roomId: target._id, left: true });
		expect(subscription(target._id, 'alice')).toBeUndefined();
	});

	it('the last owner cannot leave', async () => {
		const target = freshRoom('p', ['alice']);
		const { error } = await runRocketChat({ parameters: room({ operation: 'leave', roomId: rl(target._id) }), credentials: as('bot') });
		expect(error?.message).toMatch(/\[error-you-are-last-owner\]$/);
		expect(error?.description).toMatch(/make another member owner first/);
		expect(subscription(target._id, 'bot')).toBeDefined();
	});

	it('without leave-p a private group gives a hint naming leave-p (leave-c is for channels)', async () => {
		const target = freshRoom('p', ['alice']);
		const saved = fake.state.permissions['leave-p'];
		fake.state.permissions['leave-p'] = ['admin'];
		try {
			const { error } = await runRocketChat({ parameters: room({ operation: 'leave', roomId: rl(target._id) }), credentials: as('alice') });
			expect(error?.message).toBe('Not allowed [error-not-allowed]');
			expect(error?.description).toMatch(/"leave-p" for private groups/);
		} finally {
			fake.state.permissions['leave-p'] = saved;
		}
		expect(subscription(target._id, 'alice')).toBeDefined();
	});

});

describe('Room › Hide / Open', () => {
	it('uses rooms.hide and rooms.open on current servers', async () => {
		const target = freshRoom('c', ['alice']);
		const hidden = await runRocketChat({ parameters: room({ operation: 'hide', roomId: rl(target._id) }), credentials: as('bot') });
		expect(hidden.error).toBeUndefined();
		expect(hidden.items[0].json).toEqual({ success: true, roomId: target._id, open: false });
		expect(subscription(target._id, 'bot')?.open).toBe(false);
		const opened = await runRocketChat({ parameters: room({ operation: 'open', roomId: rl(target._id) }), credentials: as('bot') });
		expect(opened.items[0].json).toEqual({ success: true, roomId: target._id, open: true });
		expect(subscription(target._id, 'bot')?.open).toBe(true);
		expect(requestsTo('rooms.hide')).toHaveLength(1);
		expect(requestsTo('rooms.open')).toHaveLength(1);
	});

	it('falls back to groups.close / groups.open on a 7.0 server', async () => {
		const target = freshRoom('p', ['alice'], 'bot', old);
		const hidden = await runRocketChat({ parameters: room({ operation: 'hide', roomId: rl(target._id) }), credentials: as('bot', old) });
		expect(hidden.error).toBeUndefined();
		expect(hidden.items[0].json).toMatchObject({ open: false, legacyEndpoint: true });
		expect(requestsTo('rooms.hide', old)[0].status).toBe(404);
		expect(requestsTo('groups.close', old)[0].body).toEqual({ roomId: target._id });
		expect(subscription(target._id, 'bot', old)?.open).toBe(false);
		const opened = await runRocketChat({ parameters: room({ operation: 'open', roomId: rl(target._id) }), credentials: as('bot', old) });
		expect(opened.items[0].json).toMatchObject({ open: true, legacyEndpoint: true });
		expect(requestsTo('groups.open', old)).toHaveLength(1);
	});

	it('hiding an already hidden room gives the server text', async () => {
		const target = freshRoom('c');
		subscription(target._id, 'bot')!.open = false;
		const { error } = await runRocketChat({ parameters: room({ operation: 'hide', roomId: rl(target._id) }), credentials: as('bot') });
		expect(error?.message).toBe('error-room-already-hidden');
		const legacy = freshRoom('c', [], 'bot', old);
		subscription(legacy._id, 'bot', old)!.open = false;
		const legacyError = await runRocketChat({ parameters: room({ operation: 'hide', roomId: rl(legacy._id) }), credentials: as('bot', old) });
		expect(legacyError.error?.message).toBe(`The channel, ${legacy.name}, is already closed to the sender`);
	});

	it('hiding or opening a room the user is not in is reported with a hint', async () => {
		const foreign = freshRoom('c', [], 'alice');
		const hidden = await runRocketChat({ parameters: room({ operation: 'hide', roomId: rl(foreign._id) }), credentials: as('bot') });
		expect(hidden.error?.httpCode).toBe('401');
		expect(hidden.error?.description).toMatch(/not a member of the room/);
		// rooms.open itself answers 200 for a non-member and changes nothing (server/lib/openRoom.ts).
		const raw = await fetch(`${fake.url}/api/v1/rooms.open`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-User-Id': fake.fixtures.bot.userId, 'X-Auth-Token': fake.fixtures.bot.pat },
			body: JSON.stringify({ roomId: foreign._id }),
		});
		expect(await raw.json()).toEqual({ success: true });
		fake.clearRequests();
		const opened = await runRocketChat({ parameters: room({ operation: 'open', roomId: rl(foreign._id) }), credentials: as('bot') });
		expect(opened.error?.message).toBe(`The user is not a member of the room "${foreign._id}"`);
		expect(opened.error?.description).toMatch(/Join it first/);
		expect(requestsTo('rooms.open')).toHaveLength(0);
		expect(subscription(foreign._id, 'bot')).toBeUndefined();
	});
});

describe('Room › Archive / Unarchive', () => {
	it('archives and unarchives with rooms.changeArchivationState', async () => {
		const target = freshRoom('c', ['alice'], 'admin');
		const archived = await runRocketChat({ parameters: room({ operation: 'archive', roomId: rl(target._id) }), credentials: as('admin') });
		expect(archived.error).toBeUndefined();
		expect(archived.items[0].json).toEqual({ success: true, roomId: target._id, archived: true, changed: true });
		expect(fake.state.rooms.get(target._id)?.archived).toBe(true);
		expect(requestsTo('rooms.changeArchivationState')[0].body).toEqual({ rid: target._id, action: 'archive' });
		const restored = await runRocketChat({ parameters: room({ operation: 'unarchive', roomId: rl(target._id) }), credentials: as('admin') });
		expect(restored.items[0].json).toEqual({ success: true, roomId: target._id, archived: false, changed: true });
		expect(fake.state.rooms.get(target._id)?.archived).toBe(false);
	});

	it('falls back to channels.archive when rooms.changeArchivationState answers 404', async () => {
		const target = freshRoom('c', [], 'admin');
		fake.inject({ endpoint: 'rooms.changeArchivationState', status: 404, body: '404 Not Found', contentType: 'text/plain' });
		const { items, error } = await runRocketChat({ parameters: room({ operation: 'archive', roomId: rl(target._id) }), credentials: as('admin') });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ archived: true, legacyEndpoint: true });
		expect(requestsTo('channels.archive')[0].body).toEqual({ roomId: target._id });
		expect(fake.state.rooms.get(target._id)?.archived).toBe(true);
	});

	it('without rooms.changeArchivationState, a direct message is refused in the words of each operation', async () => {
		for (const [operation, verb] of [
			['archive', 'Archiving'],
			['unarchive', 'Unarchiving'],
		]) {
			fake.inject({ endpoint: 'rooms.changeArchivationState', status: 404, body: '404 Not Found', contentType: 'text/plain' });
			const { error } = await runRocketChat({ parameters: room({ operation, roomId: rl(fake.fixtures.rooms.dmBotAlice) }), credentials: as('bot') });
			expect(error?.message).toBe(`${verb} is not available for a direct message`);
		}
		expect(requestsTo('rooms.changeArchivationState').map((r) => r.status)).toEqual([404, 404]);
		expect(fake.state.rooms.get(fake.fixtures.rooms.dmBotAlice)?.archived).toBeUndefined();
	});

	it('a direct message cannot be archived', async () => {
		const { error } = await runRocketChat({ parameters: room({ operation: 'archive', roomId: rl(fake.fixtures.rooms.dmBotAlice) }), credentials: as('admin') });
		expect(error?.message).toBe('Direct Messages can not be archived [error-direct-message-room]');
		expect(fake.state.rooms.get(fake.fixtures.rooms.dmBotAlice)?.archived).toBeUndefined();
	});

	it('an owner may archive but only admins may unarchive', async () => {
		const target = freshRoom('c', [], 'alice');
		const archived = await runRocketChat({ parameters: room({ operation: 'archive', roomId: rl(target._id) }), credentials: as('alice') });
		expect(archived.error).toBeUndefined();
		const denied = await runRocketChat({ parameters: room({ operation: 'unarchive', roomId: rl(target._id) }), credentials: as('alice') });
		expect(denied.error?.message).toBe('Not authorized [error-not-authorized]');
		expect(denied.error?.httpCode).toBe('400');
		expect(denied.error?.description).toMatch(/lacks the "unarchive-room" permission/);
		expect(fake.state.rooms.get(target._id)?.archived).toBe(true);
		const bob = await runRocketChat({ parameters: room({ operation: 'archive', roomId: rl(freshRoom('c', ['bob'], 'alice')._id) }), credentials: as('bob') });
		expect(bob.error?.description).toMatch(/lacks the "archive-room" permission/);
	});

	it('archiving an archived room (or unarchiving an active one) changes nothing and posts no second notice', async () => {
		const target = freshRoom('c', ['alice'], 'admin');
		const notices = () => fake.state.messagesOf(target._id).filter((m) => m.t === 'room-archived' || m.t === 'room-unarchived').length;
		const stillActive = await runRocketChat({ parameters: room({ operation: 'unarchive', roomId: rl(target._id) }), credentials: as('admin') });
		expect(stillActive.items[0].json).toEqual({ success: true, roomId: target._id, archived: false, changed: false });
		expect(notices()).toBe(0);
		for (const expected of [true, false]) {
			const run = await runRocketChat({ parameters: room({ operation: 'archive', roomId: rl(target._id) }), credentials: as('admin') });
			expect(run.error).toBeUndefined();
			expect(run.items[0].json).toEqual({ success: true, roomId: target._id, archived: true, changed: expected });
		}
		expect(notices()).toBe(1);
		expect(requestsTo('rooms.changeArchivationState')).toHaveLength(1);

		// The server itself archives again and posts a second notice (archiveRoom does not check the state).
		await fetch(`${fake.url}/api/v1/rooms.changeArchivationState`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-User-Id': fake.fixtures.admin.userId, 'X-Auth-Token': fake.fixtures.admin.pat },
			body: JSON.stringify({ rid: target._id, action: 'archive' }),
		});
		expect(notices()).toBe(2);
	});
});

describe('Room › Join', () => {
	it('joins a public channel with rooms.join, and with channels.join before 8.6', async () => {
		const target = freshRoom('c', [], 'alice');
		const joined = await runRocketChat({ parameters: room({ operation: 'join', roomId: rl(target._id) }), credentials: as('bob') });
		expect(joined.error).toBeUndefined();
		expect(joined.items[0].json).toMatchObject({ _id: target._id, joined: true });
		expect(subscription(target._id, 'bob')).toBeDefined();
		expect(requestsTo('rooms.join')[0].body).toEqual({ roomId: target._id });

		const legacy = freshRoom('c', [], 'alice', old);
		const viaChannels = await runRocketChat({ parameters: room({ operation: 'join', roomId: rl(legacy._id) }), credentials: as('bob', old) });
		expect(viaChannels.error).toBeUndefined();
		expect(viaChannels.items[0].json).toMatchObject({ _id: legacy._id, joined: true, legacyEndpoint: true });
		expect(requestsTo('channels.join', old)).toHaveLength(1);
		expect(subscription(legacy._id, 'bob', old)).toBeDefined();
	});

	it('a wrong join code is refused with a hint; the right one works', async () => {
		const target = freshRoom('c', [], 'alice');
		Object.assign(fake.state.rooms.get(target._id)!, { joinCodeRequired: true, joinCode: 'sesame' });
		const wrong = await runRocketChat({ parameters: room({ operation: 'join', roomId: rl(target._id), joinCode: 'nope' }), credentials: as('bob') });
		expect(wrong.error?.message).toBe('Invalid Room Password [error-code-invalid]');
		expect(wrong.error?.description).toMatch(/join code is wrong/);
		const right = await runRocketChat({ parameters: room({ operation: 'join', roomId: rl(target._id), joinCode: 'sesame' }), credentials: as('bob') });
		expect(right.error).toBeUndefined();
		expect(subscription(target._id, 'bob')).toBeDefined();
	});
});

describe('Room › Add Role / Remove Role / Get Roles', () => {
	it('adds and removes moderator, owner and leader through the type endpoints; Get Roles lists them', async () => {
		const target = freshRoom('p', ['alice', 'bob']);
		for (const role of ['moderator', 'owner', 'leader']) {
			const added = await runRocketChat({
				parameters: room({ operation: 'addRole', roomId: rl(target._id), userId: byUsername('alice'), role }),
				credentials: as('bot'),
			});
			expect(added.error).toBeUndefined();
			expect(added.items[0].json).toMatchObject({ username: 'alice', role, added: true });
		}
		expect(requestsTo('groups.addModerator')[0].body).toEqual({ roomId: target._id, userId: user('alice')._id });
		expect(subscription(target._id, 'alice')?.roles?.sort()).toEqual(['leader', 'moderator', 'owner']);

		const roles = await runRocketChat({ parameters: room({ operation: 'getRoles', roomId: rl(target._id) }), credentials: as('bot') });
		expect(roles.error).toBeUndefined();
		const byUser = Object.fromEntries(roles.items.map((i) => [i.json.username, (i.json.roles as string[]).sort()]));
		expect(byUser).toEqual({ bot: ['owner'], alice: ['leader', 'moderator', 'owner'] });
		expect(requestsTo('rooms.roles')[0].query).toEqual({ rid: target._id });

		const removed = await runRocketChat({
			parameters: room({ operation: 'removeRole', roomId: rl(target._id), userId: rl(user('alice')._id), role: 'owner' }),
			credentials: as('bot'),
		});
		expect(removed.error).toBeUndefined();
		expect(requestsTo('groups.removeOwner')).toHaveLength(1);
		expect(subscription(target._id, 'alice')?.roles?.sort()).toEqual(['leader', 'moderator']);
	});

	it('Get Roles falls back to channels.roles before 7.10', async () => {
		const { items, error } = await runRocketChat({ parameters: room({ operation: 'getRoles', roomId: rl('GENERAL') }), credentials: as('bot', old) });
		expect(error).toBeUndefined();
		expect(items).toEqual([expect.objectContaining({ json: expect.objectContaining({ username: 'admin', roles: ['owner'] }) })]);
		expect(requestsTo('rooms.roles', old)[0].status).toBe(404);
		expect(requestsTo('channels.roles', old)).toHaveLength(1);
	});

	it('role changes report server refusals: twice the same role, a non-owner, a direct message', async () => {
		const target = freshRoom('c', ['alice']);
		const again = await runRocketChat({
			parameters: room({ operation: 'addRole', roomId: rl(target._id), userId: byUsername('bot'), role: 'owner' }),
			credentials: as('bot'),
		});
		expect(again.error?.message).toBe('User is already an owner [error-user-already-owner]');
		expect(again.error?.description).toMatch(/@bot already is owner/);

		const lastOwner = await runRocketChat({
			parameters: room({ operation: 'removeRole', roomId: rl(target._id), userId: byUsername('bot'), role: 'owner' }),
			credentials: as('bot'),
		});
		expect(lastOwner.error?.message).toMatch(/\[error-remove-last-owner\]$/);

		const notOwner = await runRocketChat({
			parameters: room({ operation: 'addRole', roomId: rl(target._id), userId: byUsername('alice'), role: 'moderator' }),
			credentials: as('alice'),
		});
		expect(notOwner.error?.message).toBe('Not allowed [error-not-allowed]');
		expect(notOwner.error?.description).toMatch(/"set-moderator" permission/);

		const dm = await runRocketChat({
			parameters: room({ operation: 'getRoles', roomId: rl(old.fixtures.rooms.dmBotAlice) }),
			credentials: as('bot', old),
		});
		expect(dm.error?.message).toBe('Room roles is not available for a direct message');
	});
});

describe('Room › Mute User / Unmute User', () => {
	it('mutes and unmutes a member', async () => {
		const target = freshRoom('c', ['alice']);
		const muted = await runRocketChat({
			parameters: room({ operation: 'muteUser', roomId: rl(target._id), userId: byUsername('alice') }),
			credentials: as('bot'),
		});
		expect(muted.error).toBeUndefined();
		expect(muted.items[0].json).toMatchObject({ username: 'alice', muted: true });
		expect(fake.state.rooms.get(target._id)?.muted).toEqual(['alice']);
		expect(requestsTo('rooms.muteUser')[0].body).toEqual({ roomId: target._id, userId: user('alice')._id });

		const unmuted = await runRocketChat({
			parameters: room({ operation: 'unmuteUser', roomId: rl(target._id), userId: rl(user('alice')._id) }),
			credentials: as('bot'),
		});
		expect(unmuted.items[0].json).toMatchObject({ muted: false });
		expect(fake.state.rooms.get(target._id)?.muted).toEqual([]);
	});

	it('an unknown user stops before the request; a non-member and an old server are reported', async () => {
		const target = freshRoom('c');
		const unknown = await runRocketChat({
			parameters: room({ operation: 'muteUser', roomId: rl(target._id), userId: byUsername('ghost') }),
			credentials: as('bot'),
		});
		expect(unknown.error?.message).toBe('User not found.');
		expect(requestsTo('rooms.muteUser')).toHaveLength(0);

		const notMember = await runRocketChat({
			parameters: room({ operation: 'unmuteUser', roomId: rl(target._id), userId: byUsername('bob') }),
			credentials: as('bot'),
		});
		expect(notMember.error?.message).toBe('User is not in this room [error-user-not-in-room]');

		const tooOld = await runRocketChat({
			parameters: room({ operation: 'muteUser', roomId: rl('GENERAL'), userId: byUsername('alice') }),
			credentials: as('admin', ancient),
		});
		expect(tooOld.error?.httpCode).toBe('404');
		expect(tooOld.error?.description).toBe('rooms.muteUser needs Rocket.Chat 6.8 or later.');
	});

	it('is not repeated after a lost answer: the server would mute again and post a second notice', async () => {
		const target = freshRoom('c', ['alice']);
		const notices = () => fake.state.messagesOf(target._id).filter((m) => m.t === 'user-muted').length;
		// The server mutes again and posts another notice for a repeated call (muteUserInRoom does not check).
		for (let k = 0; k < 2; k++) {
			await fetch(`${fake.url}/api/v1/rooms.muteUser`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-User-Id': fake.fixtures.bot.userId, 'X-Auth-Token': fake.fixtures.bot.pat },
				body: JSON.stringify({ roomId: target._id, username: 'alice' }),
			});
		}
		expect(notices()).toBe(2);
		fake.clearRequests();
		fake.inject({ endpoint: 'rooms.muteUser', dropResponse: true });
		const { error } = await runRocketChat({ parameters: room({ operation: 'muteUser', roomId: rl(target._id), userId: byUsername('alice') }), credentials: as('bot') });
		expect(error?.message).toMatch(/Could not reach Rocket\.Chat/);
		expect(requestsTo('rooms.muteUser')).toHaveLength(1);
		expect(notices()).toBe(3);
	});

	it('a member without "mute-user" is refused with a hint that names the operation\'s own action', async () => {
		const target = freshRoom('c', ['alice', 'bob']);
		for (const [operation, verb] of [
			['muteUser', 'mute'],
			['unmuteUser', 'unmute'],
		]) {
			const { error } = await runRocketChat({
				parameters: room({ operation, roomId: rl(target._id), userId: byUsername('bob') }),
				credentials: as('alice'),
			});
			expect(error?.message).toBe('Not allowed [error-not-allowed]');
			expect(error?.description).toBe(
				`The user of these credentials may not ${verb} members here: it needs the "mute-user" permission (admins, room owners and moderators).`,
			);
		}
		expect(requestsTo('rooms.muteUser')).toHaveLength(1);
		expect(requestsTo('rooms.unmuteUser')).toHaveLength(1);
	});
});

describe('User picker search', () => {
	it('users.autocomplete answers the search with the selector Rocket.Chat expects (n8n-core LoadOptionsContext)', async () => {
		await useSandboxedExpressions();
		const pkg = await loadPackage();
		const credentialsHelper = new TestCredentialsHelper(pkg.credentialType);
		credentialsHelper.set('rocketChatApi', as('bot'));
		const node: INode = {
			id: 'n-rc',
			name: 'Rocket.Chat',
			type: `${PACKAGE_NAME}.rocketChat`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { resource: 'room', operation: 'addMember' },
			credentials: CREDENTIAL_REF,
		};
		const workflow = new Workflow({ id: 'wf-search', nodes: [node], connections: {}, nodeTypes: pkg.nodeTypes, active: false });
		const context = new LoadOptionsContext(workflow, node, additionalDataFor(credentialsHelper), 'parameters.userId');
		const type = pkg.nodeType('rocketChat') as unknown as {
			methods: { listSearch: Record<string, (this: unknown, filter?: string) => Promise<{ results: IDataObject[] }>> };
		};
		const search = type.methods.listSearch.searchUsers;
		const found = await workflow.expression.withIsolate(async () => await search.call(context, 'ali'));
		expect(found.results).toEqual([{ name: 'Alice Archer (@alice)', value: user('alice')._id }]);
		expect(requestsTo('users.autocomplete')[0].query).toEqual({ selector: '{"term":"ali"}' });
		const everyone = await workflow.expression.withIsolate(async () => await search.call(context, ''));
		expect(everyone.results.map((r) => r.name)).toEqual(expect.arrayContaining(['Ada Admin (@admin)', 'Bob Baker (@bob)']));
	});
});
