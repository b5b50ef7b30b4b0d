import type { IDataObject } from 'n8n-workflow';

import { FakeRocketChat } from '../../fake';
import { reportsOf } from '../../fake/handlers/chat';
import type { FakeMessage, FakeUser } from '../../fake/state';
import { patCredentials } from '../../harness/fixtures';
import { rl, runRocketChat } from '../../harness/run';

let fake: FakeRocketChat;
let bot: FakeUser;
let alice: FakeUser;

beforeAll(async () => {
	fake = await FakeRocketChat.start();
	bot = fake.state.findUserByUsername('bot')!;
	alice = fake.state.findUserByUsername('alice')!;
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
const as = (who: 'bot' | 'alice' | 'bob' | 'admin') => patCredentials(fake, fake.fixtures[who]);
const message = (parameters: IDataObject) => ({ resource: 'message', ...parameters });
function find(roomId: string, text: string): FakeMessage {
	const found = fake.state.messagesOf(roomId).find((m) => m.msg === text);
	if (!found) throw new Error(`fixture message not found: ${text}`);
	return found;
}
const general = () => fake.fixtures.rooms.general;
const threadRoot = () => find(general(), 'Who reviews the release notes for v1.5?');

describe('Message › Add Reaction / Remove Reaction', () => {
	it('adds an emoji given without colons as :name:, idempotently', async () => {
		const target = fake.state.postMessage(general(), alice, 'React to me');
		for (let run = 0; run < 2; run++) {
			const { items, error } = await runRocketChat({
				parameters: message({ operation: 'addReaction', messageId: target._id, emoji: 'thumbsup' }),
				credentials: as('bot'),
			});
			expect(error).toBeUndefined();
			expect(items[0].json).toEqual({ success: true, messageId: target._id, emoji: ':thumbsup:', reacted: true });
		}
		expect(requestsTo('chat.react').map((r) => r.body)).toEqual([
			{ messageId: target._id, emoji: ':thumbsup:', shouldReact: true },
			{ messageId: target._id, emoji: ':thumbsup:', shouldReact: true },
		]);
		expect(fake.state.getMessage(target._id)?.reactions).toEqual({ ':thumbsup:': { usernames: ['bot'] } });
	});

	it('removes the reaction (emoji given with colons)', async () => {
		const target = fake.state.postMessage(general(), alice, 'Unreact me');
		fake.state.react(target._id, bot, ':tada:', true);
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'removeReaction', messageId: target._id, emoji: ':tada:' }),
			credentials: as('bot'),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ success: true, messageId: target._id, emoji: ':tada:', reacted: false });
		expect(fake.state.getMessage(target._id)?.reactions).toBeUndefined();
	});

	it('refuses an emoji character before any request, and explains an emoji the server does not know', async () => {
		const target = fake.state.postMessage(general(), alice, 'Emoji checks');
		const character = await runRocketChat({
			parameters: message({ operation: 'addReaction', messageId: target._id, emoji: '👍' }),
			credentials: as('bot'),
		});
		expect(character.error?.message).toBe('"👍" is not an emoji name');
		expect(fake.requests).toHaveLength(0);

		const unknown = await runRocketChat({
			parameters: message({ operation: 'addReaction', messageId: target._id, emoji: 'no_such_emoji_zz' }),
			credentials: as('bot'),
		});
		expect(unknown.error?.message).toBe('Invalid emoji provided. [error-not-allowed]');
		expect(unknown.error?.description).toMatch(/:no_such_emoji_zz: does not exist/);
	});

	it('Remove Reaction says that the removal was refused', async () => {
		const target = fake.state.postMessage(general(), alice, 'Remove an unknown emoji');
		const { error } = await runRocketChat({
			parameters: message({ operation: 'removeReaction', messageId: target._id, emoji: 'no_such_emoji_zz' }),
			credentials: as('bot'),
		});
		expect(error?.message).toBe('Invalid emoji provided. [error-not-allowed]');
		expect(error?.description).toBe(
			"Rocket.Chat refused to remove the reaction: the emoji :no_such_emoji_zz: does not exist on this server (check its name, e.g. thumbsup), or the user cannot access the message's room.",
		);
	});

	it('reports an unknown message', async () => {
		const { error } = await runRocketChat({
			parameters: message({ operation: 'removeReaction', messageId: 'NoSuchMessage123', emoji: 'tada' }),
			credentials: as('bot'),
		});
		expect(error?.message).toMatch(/does not match any existing message\. \[error-message-not-found\]/);
		expect(error?.description).toMatch(/Check the message ID/);
	});
});

describe('Message › Pin / Unpin', () => {
	it('pins and unpins a message in a room where the user is owner', async () => {
		const target = fake.state.postMessage(fake.fixtures.rooms.privateGroup, alice, 'Pin me');
		const pinned = await runRocketChat({ parameters: message({ operation: 'pin', messageId: target._id }), credentials: as('bot') });
		expect(pinned.error).toBeUndefined();
		expect(pinned.items[0].json).toMatchObject({ success: true, messageId: target._id, pinned: true, pinNoticeId: expect.any(String) });
		expect(fake.state.getMessage(target._id)?.pinned).toBe(true);
		expect(fake.state.getMessage(String(pinned.items[0].json.pinNoticeId))?.t).toBe('message_pinned');

		const unpinned = await runRocketChat({ parameters: message({ operation: 'unpin', messageId: target._id }), credentials: as('bot') });
		expect(unpinned.error).toBeUndefined();
		expect(unpinned.items[0].json).toEqual({ success: true, messageId: target._id, pinned: false });
		expect(fake.state.getMessage(target._id)?.pinned).toBe(false);
		expect(requestsTo('chat.unPinMessage')[0].body).toEqual({ messageId: target._id });
	});

	it('pinning a pinned message posts no second notice and says so', async () => {
		const target = fake.state.postMessage(fake.fixtures.rooms.privateGroup, alice, 'Pin me twice');
		const first = await runRocketChat({ parameters: message({ operation: 'pin', messageId: target._id }), credentials: as('bot') });
		expect(first.items[0].json).toMatchObject({ pinNoticeId: expect.any(String) });
		const notices = () => fake.state.messagesOf(fake.fixtures.rooms.privateGroup).filter((m) => m.t === 'message_pinned').length;
		const before = notices();
		const again = await runRocketChat({ parameters: message({ operation: 'pin', messageId: target._id }), credentials: as('bot') });
		expect(again.error).toBeUndefined();
		// pinMessage returns the pinned message itself: no pin notice ID to report.
		expect((requestsTo('chat.pinMessage').at(-1) as { status: number }).status).toBe(200);
		expect(again.items[0].json).toEqual({ success: true, messageId: target._id, pinned: true, alreadyPinned: true });
		expect(notices()).toBe(before);
	});

	it('names the pin-message permission when the user may not pin, for pin and unpin', async () => {
		const target = fake.state.postMessage(general(), alice, 'Not pinnable by alice');
		for (const operation of ['pin', 'unpin']) {
			const { error } = await runRocketChat({ parameters: message({ operation, messageId: target._id }), credentials: as('alice') });
			expect(error?.message).toBe('Not Authorized [not-authorized]');
			expect(error?.description).toMatch(/"pin-message" permission/);
		}
		expect(fake.state.getMessage(target._id)?.pinned).toBeUndefined();
	});

	it('Unpin speaks of unpinning: the permission hint, and pinning turned off', async () => {
		const target = fake.state.postMessage(general(), alice, 'Not unpinnable by alice');
		const denied = await runRocketChat({ parameters: message({ operation: 'unpin', messageId: target._id }), credentials: as('alice') });
		expect(denied.error?.description).toBe(
			'Unpinning needs the "pin-message" permission in the room (admin, owner, moderator by default) and membership of the room. Ask a room owner or an admin.',
		);
		fake.state.settings.Message_AllowPinning = false;
		try {
			for (const [operation, verb] of [
				['pin', 'Pinning'],
				['unpin', 'Unpinning'],
			]) {
				const { error } = await runRocketChat({ parameters: message({ operation, messageId: target._id }), credentials: as('bot') });
				expect(error?.message).toBe('Message pinning not allowed [error-action-not-allowed]');
				expect(error?.description).toBe(`${verb} is turned off on this server (Message_AllowPinning). Ask an admin to turn it on.`);
			}
		} finally {
			fake.state.settings.Message_AllowPinning = true;
		}
	});
});

describe('Message › Star / Unstar', () => {
	it('stars and unstars a message for the user', async () => {
		const target = fake.state.postMessage(general(), alice, 'Star me');
		const starred = await runRocketChat({ parameters: message({ operation: 'star', messageId: target._id }), credentials: as('bot') });
		expect(starred.items[0].json).toEqual({ success: true, messageId: target._id, starred: true });
		expect(fake.state.getMessage(target._id)?.starred).toEqual([{ _id: bot._id }]);
		const unstarred = await runRocketChat({ parameters: message({ operation: 'unstar', messageId: target._id }), credentials: as('bot') });
		expect(unstarred.items[0].json).toEqual({ success: true, messageId: target._id, starred: false });
		expect(fake.state.getMessage(target._id)?.starred).toEqual([]);
	});

	it('explains that starring is turned off, and reports an unknown message', async () => {
		const target = fake.state.postMessage(general(), alice, 'Star off');
		fake.state.settings.Message_AllowStarring = false;
		try {
			const off = await runRocketChat({ parameters: message({ operation: 'star', messageId: target._id }), credentials: as('bot') });
			expect(off.error?.message).toBe('Message starring not allowed [error-action-not-allowed]');
			expect(off.error?.description).toMatch(/Message_AllowStarring/);
		} finally {
			fake.state.settings.Message_AllowStarring = true;
		}
		const unknown = await runRocketChat({ parameters: message({ operation: 'unstar', messageId: 'NoSuchMessage123' }), credentials: as('bot') });
		expect(unknown.error?.description).toMatch(/Check the message ID/);
	});

	it('Unstar speaks of unstarring when starring is turned off', async () => {
		const target = fake.state.postMessage(general(), alice, 'Unstar off');
		fake.state.settings.Message_AllowStarring = false;
		try {
			const { error } = await runRocketChat({ parameters: message({ operation: 'unstar', messageId: target._id }), credentials: as('bot') });
			expect(error?.message).toBe('Message starring not allowed [error-action-not-allowed]');
			expect(error?.description).toBe('Unstarring is turned off on this server (Message_AllowStarring). Ask an admin to turn it on.');
		} finally {
			fake.state.settings.Message_AllowStarring = true;
		}
	});
});

describe('Message › Search', () => {
	it('finds matching messages, all of them across pages with Return All', async () => {
		const room = fake.state.createRoom('c', 'search-room', bot, [alice]);
		const base = Date.now() - 60_000;
		for (let i = 0; i < 120; i++) fake.state.postMessage(room._id, alice, `needle ${i}`, { ts: new Date(base + i) });
		fake.state.postMessage(room._id, alice, 'haystack only', { ts: new Date(base + 500) });

		const all = await runRocketChat({
			parameters: message({ operation: 'search', roomId: rl('#search-room', 'name'), searchText: 'needle', returnAll: true }),
			credentials: as('bot'),
		});
		expect(all.error).toBeUndefined();
		expect(all.items).toHaveLength(120);
		expect(new Set(all.items.map((i) => i.json._id)).size).toBe(120);
		expect(requestsTo('chat.search').map((r) => [r.query.offset, r.query.count])).toEqual([
			['0', '100'],
			['100', '100'],
		]);

		fake.clearRequests();
		const limited = await runRocketChat({
			parameters: message({ operation: 'search', roomId: rl(room._id), searchText: 'needle', limit: 5 }),
			credentials: as('bot'),
		});
		expect(limited.items.map((i) => i.json.text)).toEqual(['needle 119', 'needle 118', 'needle 117', 'needle 116', 'needle 115']);
		expect(requestsTo('chat.search')[0].query).toEqual({ roomId: room._id, searchText: 'needle', offset: '0', count: '5' });
	});

	it('refuses an empty search text, and explains a room the user cannot read', async () => {
		const empty = await runRocketChat({
			parameters: message({ operation: 'search', roomId: rl(general()), searchText: '  ', returnAll: true }),
			credentials: as('bot'),
		});
		expect(empty.error?.message).toBe('No search text given');
		expect(fake.requests).toHaveLength(0);

		const hidden = await runRocketChat({
			parameters: message({ operation: 'search', roomId: rl(fake.fixtures.rooms.privateGroup), searchText: 'release', returnAll: true }),
			credentials: as('bob'),
		});
		expect(hidden.error?.httpCode).toBe('400');
		expect(hidden.error?.description).toMatch(/cannot read it/);
	});
});

describe('Message › Get Starred / Get Mentioned / Get Pinned', () => {
	it("returns the user's starred messages of a room", async () => {
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'getStarred', roomId: rl(general()), returnAll: true }),
			credentials: as('alice'),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.text)).toEqual(['@alice can you check the dashboard numbers?']);
		expect(requestsTo('chat.getStarredMessages')[0].query).toEqual({ roomId: general(), offset: '0', count: '100' });
	});

	it('returns the messages mentioning the user', async () => {
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'getMentioned', roomId: rl('random', 'name'), returnAll: true, simplify: false }),
			credentials: as('alice'),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.msg)).toEqual(['@alice the lunch order is placed']);
		expect(items[0].json.mentions).toEqual([expect.objectContaining({ username: 'alice' })]);
	});

	it('returns the pinned messages, honouring Limit', async () => {
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'getPinned', roomId: rl(general()), returnAll: false, limit: 1 }),
			credentials: as('bot'),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ pinned: true, text: 'Morning! Standup notes are in the wiki: https://wiki.example.com/standup' });
		expect(requestsTo('chat.getPinnedMessages')[0].query).toMatchObject({ count: '1' });
	});

	it.each(['getStarred', 'getMentioned', 'getPinned'])('%s: a private group the user is not in is refused with a hint', async (operation) => {
		const { error } = await runRocketChat({
			parameters: message({ operation, roomId: rl(fake.fixtures.rooms.privateGroup), returnAll: true }),
			credentials: as('bob'),
		});
		expect(error?.message).toMatch(/error-not-allowed/);
		expect(error?.description).toMatch(/cannot access this room/);
	});
});

describe('Message › Get Read Receipts', () => {
	it('explains that read receipts need an Enterprise licence (the default)', async () => {
		const target = find(general(), 'Hi all, glad to be here');
		const { error } = await runRocketChat({
			parameters: message({ operation: 'getReadReceipts', messageId: target._id }),
			credentials: as('bot'),
		});
		expect(error?.message).toBe('This is an enterprise feature [error-action-not-allowed]');
		expect(error?.description).toMatch(/Enterprise feature.*message-read-receipt/);
	});

	it('returns one item per reader when the server has the licence', async () => {
		const target = find(general(), 'Hi all, glad to be here');
		fake.state.settings.License_message_read_receipt = true;
		try {
			const { items, error } = await runRocketChat({
				parameters: message({ operation: 'getReadReceipts', messageId: target._id }),
				credentials: as('bot'),
			});
			expect(error).toBeUndefined();
			const readers = items.map((i) => i.json.username).sort();
			// Seeded last-seen points: admin, bot and bob read past it; carol never looked; alice wrote it.
			expect(readers).toEqual(['admin', 'alice', 'bob', 'bot']);
			expect(items[0].json).toEqual({
				messageId: target._id,
				roomId: general(),
				userId: expect.any(String),
				username: expect.any(String),
				name: expect.any(String),
				readAt: expect.stringMatching(/Z$/),
			});
		} finally {
			fake.state.settings.License_message_read_receipt = false;
		}
	});
});

describe('Message › Get Thread Messages / Get Threads', () => {
	it('returns the replies of a thread, oldest first', async () => {
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'getThreadMessages', messageId: threadRoot()._id, returnAll: true }),
			credentials: as('bot'),
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.text)).toEqual(['I can take it', 'Thanks @bob, ping me when done']);
		expect(items.every((i) => i.json.tmid === threadRoot()._id)).toBe(true);
		expect(requestsTo('chat.getThreadMessages')[0].query).toEqual({ tmid: threadRoot()._id, offset: '0', count: '100' });
	});

	it('reports an unknown thread, and threads turned off', async () => {
		const unknown = await runRocketChat({
			parameters: message({ operation: 'getThreadMessages', messageId: 'NoSuchThread1234', returnAll: true }),
			credentials: as('bot'),
		});
		expect(unknown.error?.message).toBe('Invalid Message [error-invalid-message]');
		expect(unknown.error?.description).toMatch(/Thread Message ID/);

		fake.state.settings.Threads_enabled = false;
		try {
			const off = await runRocketChat({
				parameters: message({ operation: 'getThreads', roomId: rl(general()), returnAll: true }),
				credentials: as('bot'),
			});
			expect(off.error?.message).toBe('Threads Disabled [error-not-allowed]');
			expect(off.error?.description).toMatch(/Threads_enabled/);
		} finally {
			fake.state.settings.Threads_enabled = true;
		}
	});

	it('lists the threads of a room, all or only those the user follows, filtered by text', async () => {
		const all = await runRocketChat({
			parameters: message({ operation: 'getThreads', roomId: rl(general()), returnAll: true }),
			credentials: as('bob'),
		});
		expect(all.error).toBeUndefined();
		expect(all.items.map((i) => i.json._id)).toEqual([threadRoot()._id]);
		expect(all.items[0].json.threadReplyCount).toBe(2);
		expect(requestsTo('chat.getThreadsList')[0].query).toEqual({ rid: general(), offset: '0', count: '100' });

		fake.clearRequests();
		const following = await runRocketChat({
			parameters: message({ operation: 'getThreads', roomId: rl(general()), type: 'following', text: 'release', returnAll: true }),
			credentials: as('bot'),
		});
		expect(following.items).toHaveLength(0);
		expect(requestsTo('chat.getThreadsList')[0].query).toMatchObject({ type: 'following', text: 'release' });
	});
});

describe('Message › Follow Thread / Unfollow Thread', () => {
	it('follows and unfollows a thread', async () => {
		const root = threadRoot();
		const followed = await runRocketChat({ parameters: message({ operation: 'followThread', messageId: root._id }), credentials: as('bot') });
		expect(followed.items[0].json).toEqual({ success: true, messageId: root._id, following: true });
		expect(fake.state.getMessage(root._id)?.replies).toContain(bot._id);
		expect(requestsTo('chat.followMessage')[0].body).toEqual({ mid: root._id });

		const unfollowed = await runRocketChat({ parameters: message({ operation: 'unfollowThread', messageId: root._id }), credentials: as('bot') });
		expect(unfollowed.items[0].json).toEqual({ success: true, messageId: root._id, following: false });
		expect(fake.state.getMessage(root._id)?.replies).not.toContain(bot._id);
	});

	it.each(['followThread', 'unfollowThread'])('%s: reports an unknown thread message', async (operation) => {
		const { error } = await runRocketChat({ parameters: message({ operation, messageId: 'NoSuchThread1234' }), credentials: as('bot') });
		expect(error?.message).toBe('Invalid message [error-invalid-message]');
		expect(error?.description).toMatch(/Thread Message ID/);
	});
});

describe('Message › Report', () => {
	it('reports a message with a description', async () => {
		const target = fake.state.postMessage(general(), alice, 'Buy cheap watches at http://spam.example');
		const { items, error } = await runRocketChat({
			parameters: message({ operation: 'report', messageId: target._id, description: 'Spam link' }),
			credentials: as('bot'),
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ success: true, messageId: target._id, reported: true });
		expect(reportsOf(fake.state)).toEqual([expect.objectContaining({ messageId: target._id, description: 'Spam link', reportedBy: bot._id })]);
	});

	it('refuses an empty description before any request, and reports an unknown message', async () => {
		const empty = await runRocketChat({
			parameters: message({ operation: 'report', messageId: 'abc', description: '   ' }),
			credentials: as('bot'),
		});
		expect(empty.error?.message).toBe('No description given');
		expect(fake.requests).toHaveLength(0);

		const unknown = await runRocketChat({
			parameters: message({ operation: 'report', messageId: 'NoSuchMessage123', description: 'spam' }),
			credentials: as('bot'),
		});
		// reportMessage: `error-invalid-message_id`, for unknown messages and for rooms the user cannot access.
		expect(unknown.error?.message).toBe('Invalid message id [error-invalid-message_id]');
		expect(unknown.error?.description).toMatch(/No message "NoSuchMessage123" that the user of these credentials can see/);
		const hidden = fake.state.postMessage(fake.fixtures.rooms.privateGroup, alice, 'private words');
		const outsider = await runRocketChat({ parameters: message({ operation: 'report', messageId: hidden._id, description: 'spam' }), credentials: as('bob') });
		expect(outsider.error?.message).toBe('Invalid message id [error-invalid-message_id]');
		expect(outsider.error?.description).toMatch(/can access the message's room/);
	});
});
