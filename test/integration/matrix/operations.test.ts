/**
 * Version matrix: every operation of the Rocket.Chat node runs against a 6.13, a 7.10 and an 8.8 server
 * whose requests are validated with that line's published rest-typings validators. Each case checks that
 * the operation succeeds, that the endpoint it must use on that line answered 200, and that no request
 * was rejected as invalid (400 `invalid-params` / `error-invalid-params`).
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { enableRealtime, type FakeRealtime } from '../../fake/realtime';
import { rl, runRocketChat } from '../../harness/run';
import { binaryItem, runChain } from '../room/files-helpers';
import { MATRIX_VERSIONS, MatrixServer, type MatrixVersion } from './servers';

jest.setTimeout(120_000);

const servers = new Map<MatrixVersion, MatrixServer>();
const realtimes: FakeRealtime[] = [];

beforeAll(async () => {
	for (const server of await Promise.all(MATRIX_VERSIONS.map((version) => MatrixServer.start(version)))) {
		servers.set(server.version, server);
		realtimes.push(enableRealtime(server.fake, { pingIntervalMs: 0 }));
		server.fake.state.settings.License_message_read_receipt = true;
	}
});

afterAll(async () => {
	for (const realtime of realtimes) realtime.close();
	await Promise.all([...servers.values()].map((server) => server.fake.stop()));
});

interface Case {
	/** `resource › operation (variant)` */
	name: string;
	/** Builds the node parameters on a server (fixtures created there). */
	setup(server: MatrixServer): INodeParameters;
	/** Credentials (default the bot). */
	as?: 'bot' | 'admin' | 'alice' | 'bob';
	/** The endpoint(s) this line must answer with 200 for the operation. */
	endpoints(version: MatrixVersion): string[];
}

const at = (version: MatrixVersion, since: string) => {
	const [a, b] = version.split('.').map(Number);
	const [c, d] = since.split('.').map(Number);
	return a > c || (a === c && b >= d);
};
const message = (operation: string, parameters: INodeParameters = {}): INodeParameters => ({ resource: 'message', operation, ...parameters });
const room = (operation: string, parameters: INodeParameters = {}): INodeParameters => ({ resource: 'room', operation, ...parameters });
const subscription = (operation: string, parameters: INodeParameters = {}): INodeParameters => ({ resource: 'subscription', operation, ...parameters });
const byUsername = (value: string) => ({ __rl: true, mode: 'username', value });
const general = (s: MatrixServer) => s.fake.fixtures.rooms.general;
const threadRoot = (s: MatrixServer) => {
	const root = s.message(general(s), 'thread root');
	s.message(general(s), 'a reply', 'alice', { tmid: root._id });
	return root;
};
const always = (...endpoints: string[]) => () => endpoints;

const CASES: Case[] = [
	// ---------------------------------------------------------------- message
	{ name: 'message › send', setup: (s) => message('send', { roomId: rl(general(s)), text: 'matrix send' }), endpoints: always('chat.postMessage') },
	{
		name: 'message › send (message ID, Parse URLs off, alias)',
		setup: (s) => message('send', { roomId: rl(general(s)), text: 'https://example.com', options: { messageId: `matrix-${s.version.replace(/\./g, '-')}`, parseUrls: false, alias: 'Matrix' } }),
		endpoints: always('chat.sendMessage'),
	},
	{ name: 'message › send (thread reply)', setup: (s) => message('send', { roomId: rl(general(s)), text: 'reply', options: { threadMessageId: threadRoot(s)._id } }), endpoints: always('chat.postMessage') },
	{ name: 'message › get', setup: (s) => message('get', { messageId: s.message(general(s))._id }), endpoints: always('chat.getMessage') },
	{ name: 'message › update', setup: (s) => message('update', { roomId: rl(general(s)), messageId: s.message(general(s))._id, text: 'edited' }), endpoints: always('chat.update') },
	{ name: 'message › delete', as: 'admin', setup: (s) => message('delete', { roomId: rl(general(s)), messageId: s.message(general(s))._id }), endpoints: always('chat.delete') },
	{ name: 'message › add reaction', setup: (s) => message('addReaction', { messageId: s.message(general(s))._id, emoji: 'thumbsup' }), endpoints: always('chat.react') },
	{
		name: 'message › remove reaction',
		setup: (s) => message('removeReaction', { messageId: s.message(general(s), 'reacted', 'alice', { reactions: { ':tada:': { usernames: ['bot'] } } })._id, emoji: ':tada:' }),
		endpoints: always('chat.react'),
	},
	{ name: 'message › pin', setup: (s) => message('pin', { messageId: s.message(s.room('c')._id)._id }), endpoints: always('chat.pinMessage') },
	{ name: 'message › unpin', setup: (s) => message('unpin', { messageId: s.message(s.room('c')._id, 'pinned', 'bot', { pinned: true })._id }), endpoints: always('chat.unPinMessage') },
	{ name: 'message › star', setup: (s) => message('star', { messageId: s.message(general(s))._id }), endpoints: always('chat.starMessage') },
	{ name: 'message › unstar', setup: (s) => message('unstar', { messageId: s.message(general(s))._id }), endpoints: always('chat.unStarMessage') },
	{ name: 'message › follow thread', setup: (s) => message('followThread', { messageId: threadRoot(s)._id }), endpoints: always('chat.followMessage') },
	{ name: 'message › unfollow thread', setup: (s) => message('unfollowThread', { messageId: threadRoot(s)._id }), endpoints: always('chat.unfollowMessage') },
	{ name: 'message › report', setup: (s) => message('report', { messageId: s.message(general(s), 'spam', 'alice')._id, description: 'Spam' }), endpoints: always('chat.reportMessage') },
	{ name: 'message › search', setup: (s) => message('search', { roomId: rl(general(s)), searchText: 'matrix', returnAll: true }), endpoints: always('chat.search') },
	{ name: 'message › get many (channel)', setup: (s) => message('getMany', { roomId: rl(general(s)), returnAll: false, limit: 5 }), endpoints: always('channels.history') },
	{ name: 'message › get many (group)', setup: (s) => message('getMany', { roomId: rl(s.fake.fixtures.rooms.privateGroup), returnAll: true }), endpoints: always('groups.history') },
	{ name: 'message › get many (direct)', setup: (s) => message('getMany', { roomId: rl(s.fake.fixtures.rooms.dmBotAlice), returnAll: true }), endpoints: always('dm.history') },
	{ name: 'message › get mentioned', setup: (s) => message('getMentioned', { roomId: rl(general(s)), returnAll: true }), endpoints: always('chat.getMentionedMessages') },
	{ name: 'message › get pinned', setup: (s) => message('getPinned', { roomId: rl(general(s)), returnAll: true }), endpoints: always('chat.getPinnedMessages') },
	{ name: 'message › get starred', setup: (s) => message('getStarred', { roomId: rl(general(s)), returnAll: true }), endpoints: always('chat.getStarredMessages') },
	{ name: 'message › get read receipts', setup: (s) => message('getReadReceipts', { messageId: s.message(general(s))._id }), endpoints: always('chat.getMessageReadReceipts') },
	{ name: 'message › get threads', setup: (s) => message('getThreads', { roomId: rl(general(s)), returnAll: true }), endpoints: always('chat.getThreadsList') },
	{ name: 'message › get thread messages', setup: (s) => message('getThreadMessages', { messageId: threadRoot(s)._id, returnAll: true }), endpoints: always('chat.getThreadMessages') },

	// ---------------------------------------------------------------- room
	{ name: 'room › create', setup: (s) => room('create', { roomType: 'c', name: `matrix-create-${s.version.replace(/\./g, '-')}`, members: 'alice' }), endpoints: always('channels.create') },
	{ name: 'room › create (private)', setup: (s) => room('create', { roomType: 'p', name: `matrix-private-${s.version.replace(/\./g, '-')}` }), endpoints: always('groups.create') },
	{ name: 'room › create discussion', setup: () => room('createDiscussion', { roomId: rl('GENERAL'), discussionName: 'Matrix incident', options: { reply: 'first', users: 'alice' } }), endpoints: always('rooms.createDiscussion') },
	{ name: 'room › get', setup: (s) => room('get', { roomId: rl(s.room('c')._id) }), endpoints: always('rooms.info') },
	{ name: 'room › get many', setup: () => room('getMany', { returnAll: true }), endpoints: always('rooms.get') },
	{ name: 'room › get many (admin)', as: 'admin', setup: () => room('getManyAdmin', { returnAll: true }), endpoints: always('rooms.adminRooms') },
	{ name: 'room › get members', setup: (s) => room('getMembers', { roomId: rl(s.room('c')._id), returnAll: true }), endpoints: always('channels.members') },
	{ name: 'room › get roles', setup: (s) => room('getRoles', { roomId: rl(s.room('c')._id) }), endpoints: (v) => (at(v, '7.10') ? ['rooms.roles'] : ['channels.roles']) },
	{ name: 'room › get roles (private)', setup: (s) => room('getRoles', { roomId: rl(s.room('p')._id) }), endpoints: (v) => (at(v, '7.10') ? ['rooms.roles'] : ['groups.roles']) },
	{ name: 'room › update', setup: (s) => room('update', { roomId: rl(s.room('c')._id), updateFields: { roomTopic: 'Matrix topic', readOnly: true } }), endpoints: always('rooms.saveRoomSettings') },
	{ name: 'room › add member', setup: (s) => room('addMember', { roomId: rl(s.room('c', [])._id), userSelection: 'one', userId: byUsername('bob') }), endpoints: always('channels.invite') },
	{ name: 'room › remove member', setup: (s) => room('removeMember', { roomId: rl(s.room('p', ['bob'])._id), userSelection: 'one', userId: byUsername('bob') }), endpoints: always('groups.kick') },
	{ name: 'room › add role', setup: (s) => room('addRole', { roomId: rl(s.room('c')._id), userId: byUsername('alice'), role: 'moderator' }), endpoints: always('channels.addModerator') },
	{
		name: 'room › remove role',
		setup: (s) => {
			const target = s.room('p');
			s.fake.state.getSubscription(target._id, s.user('alice')._id)!.roles = ['moderator'];
			return room('removeRole', { roomId: rl(target._id), userId: byUsername('alice'), role: 'moderator' });
		},
		endpoints: always('groups.removeModerator'),
	},
	{ name: 'room › archive', setup: (s) => room('archive', { roomId: rl(s.room('c')._id) }), endpoints: always('rooms.changeArchivationState') },
	{
		name: 'room › unarchive',
		as: 'admin',
		setup: (s) => {
			const target = s.room('p');
			target.archived = true;
			return room('unarchive', { roomId: rl(target._id) });
		},
		endpoints: always('rooms.changeArchivationState'),
	},
	{ name: 'room › favorite', setup: () => room('favorite', { roomId: rl('GENERAL') }), endpoints: always('rooms.favorite') },
	{ name: 'room › unfavorite', setup: () => room('unfavorite', { roomId: rl('#general', 'name') }), endpoints: always('rooms.favorite') },
	// rooms.hide: 7.4+; older servers close the room per type
	{ name: 'room › hide', setup: (s) => room('hide', { roomId: rl(s.room('c')._id) }), endpoints: (v) => (at(v, '7.4') ? ['rooms.hide'] : ['channels.close']) },
	{ name: 'room › hide (private)', setup: (s) => room('hide', { roomId: rl(s.room('p')._id) }), endpoints: (v) => (at(v, '7.4') ? ['rooms.hide'] : ['groups.close']) },
	// rooms.open: 7.9+
	{
		name: 'room › open',
		setup: (s) => {
			const target = s.room('c');
			s.fake.state.getSubscription(target._id, s.user('bot')._id)!.open = false;
			return room('open', { roomId: rl(target._id) });
		},
		endpoints: (v) => (at(v, '7.9') ? ['rooms.open'] : ['channels.open']),
	},
	// rooms.join: 8.6+
	{ name: 'room › join', as: 'bob', setup: (s) => room('join', { roomId: rl(s.room('c')._id) }), endpoints: (v) => (at(v, '8.6') ? ['rooms.join'] : ['channels.join']) },
	{ name: 'room › leave', as: 'alice', setup: (s) => room('leave', { roomId: rl(s.room('c')._id) }), endpoints: always('rooms.leave') },
	// rooms.muteUser / rooms.unmuteUser: 6.8+
	{ name: 'room › mute user', setup: (s) => room('muteUser', { roomId: rl(s.room('c')._id), userId: byUsername('alice') }), endpoints: always('rooms.muteUser') },
	{
		name: 'room › unmute user',
		setup: (s) => {
			const target = s.room('c');
			target.muted = ['alice'];
			return room('unmuteUser', { roomId: rl(target._id), userId: byUsername('alice') });
		},
		endpoints: always('rooms.unmuteUser'),
	},
	{
		name: 'room › clean history',
		as: 'admin',
		setup: (s) => {
			const target = s.room('c');
			s.message(target._id, 'old', 'bot', { ts: new Date(Date.now() - 3 * 86_400_000) });
			return room('cleanHistory', { roomId: rl(target._id), range: 'olderThan', olderThan: 1, olderThanUnit: 'days' });
		},
		endpoints: always('rooms.cleanHistory'),
	},
	{ name: 'room › delete', as: 'admin', setup: (s) => room('delete', { roomId: rl(s.room('c')._id) }), endpoints: always('rooms.delete') },
	{ name: 'room › notify activity', setup: (s) => room('notifyActivity', { roomId: rl(general(s)), activity: 'typing' }), endpoints: always() },

	// ---------------------------------------------------------------- subscription
	{ name: 'subscription › get', setup: () => subscription('get', { roomId: rl('GENERAL') }), endpoints: always('subscriptions.getOne') },
	{ name: 'subscription › get many', setup: () => subscription('getMany', { returnAll: true }), endpoints: always('subscriptions.get') },
	{ name: 'subscription › mark as read', setup: () => subscription('markAsRead', { roomId: rl('GENERAL'), options: { readThreads: true } }), endpoints: always('subscriptions.read') },
	{ name: 'subscription › mark as unread', setup: () => subscription('markAsUnread', { roomId: rl('GENERAL') }), endpoints: always('subscriptions.unread') },
];

const rejected = (server: MatrixServer) =>
	server.fake.requests.filter((request) => {
		const body = request.status === 400 ? JSON.stringify(request) : '';
		return /invalid-params/.test(body);
	});

describe.each(MATRIX_VERSIONS)('Rocket.Chat %s', (version) => {
	const server = () => servers.get(version)!;

	beforeEach(() => server().fake.clearRequests());

	it.each(CASES.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
		const s = server();
		const { items, error } = await runRocketChat({ parameters: entry.setup(s), credentials: s.as(entry.as ?? 'bot') });
		expect(error).toBeUndefined();
		expect(Array.isArray(items)).toBe(true);
		for (const endpoint of entry.endpoints(version)) {
			const calls = s.requestsTo(endpoint);
			expect({ endpoint, statuses: calls.map((call) => call.status) }).toEqual({ endpoint, statuses: expect.arrayContaining([200]) });
		}
		expect(rejected(s)).toEqual([]);
	});

	it('room › get members (order by role)', async () => {
		const s = server();
		const { items, error } = await runRocketChat({
			parameters: room('getMembers', { roomId: rl(s.room('p')._id), returnAll: true, options: { orderByRole: true } }),
			credentials: s.as('bot'),
		});
		// rooms.membersOrderedByRole: 7.3+; older servers get a clear error instead of an unordered list
		if (at(version, '7.3')) {
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.username)).toEqual(expect.arrayContaining(['bot', 'alice']));
			expect(s.requestsTo('rooms.membersOrderedByRole').map((call) => call.status)).toEqual([200]);
		} else {
			expect(error?.description).toBe('Ordering members by role needs Rocket.Chat 7.3 or later (rooms.membersOrderedByRole). Turn off "Order by Role" on older servers.');
		}
		expect(rejected(s)).toEqual([]);
	});

	it('room › upload file, then download it', async () => {
		const s = server();
		const bytes = Buffer.from(`matrix upload ${version}\n`);
		const items: INodeExecutionData[] = [binaryItem(bytes, 'matrix.txt', 'text/plain')];
		const result = await runChain(
			[
				{ name: 'Upload', parameters: room('uploadFile', { roomId: rl(general(s)), options: { message: 'matrix file' } }) },
				{ name: 'Download', parameters: room('downloadFile', { messageId: '={{ $json.messageId }}', binaryPropertyName: 'file' }) },
			],
			s.as('bot'),
			items,
		);
		expect(result.error).toBeUndefined();
		const downloaded = result.output('Download')[0];
		expect(Buffer.from(downloaded.binary!.file.data, 'base64').equals(bytes)).toBe(true);
		// rooms.media + rooms.mediaConfirm from 6.10 (rooms.upload is gone in 8.0)
		expect(s.requestsTo('rooms.media/:rid').map((call) => call.status)).toEqual([200]);
		expect(s.requestsTo('rooms.mediaConfirm/:rid/:fileId').map((call) => call.status)).toEqual([200]);
		expect(s.requestsTo('rooms.upload/:rid')).toEqual([]);
		expect(rejected(s)).toEqual([]);
	});
});
