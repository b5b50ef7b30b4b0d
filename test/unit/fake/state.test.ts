import { FakeState, hashLoginToken, randomId, seedDefaults, seedTeam, toRestMessage, toRestRoom } from '../../fake';

function setup() {
	const state = new FakeState();
	const ann = state.createUser({ username: 'ann', password: 'pw' });
	const ben = state.createUser({ username: 'ben', password: 'pw' });
	const cat = state.createUser({ username: 'cat', password: 'pw' });
	return { state, ann, ben, cat };
}

describe('fake Rocket.Chat: state', () => {
	it('makes Meteor-style ids and hashes tokens like Accounts._hashLoginToken', () => {
		expect(randomId()).toMatch(/^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/);
		expect(hashLoginToken('abc')).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
	});

	it('stores PATs hashed and typed, and authenticates with them', () => {
		const { state, ann } = setup();
		const pat = state.createPersonalAccessToken(ann, 'n8n');
		const entry = ann.services.resume.loginTokens[0];
		expect(entry).toMatchObject({ type: 'personalAccessToken', name: 'n8n', hashedToken: hashLoginToken(pat), lastTokenPart: pat.slice(-6) });
		expect(entry.when).toBeUndefined();
		expect(JSON.stringify(ann)).not.toContain(pat);
		expect(state.authenticate(ann._id, pat)).toBe(ann);
		expect(state.authenticate(ann._id, `${pat}x`)).toBeUndefined();
	});

	it('updates room and other members on a new message (channel: mentions count as unread)', () => {
		const { state, ann, ben, cat } = setup();
		// Created a second ago: the server's clock repeats milliseconds, so "now" would not be later.
		const room = state.createRoom('c', 'dev', ann, [ben, cat], { ts: new Date(Date.now() - 1000) });
		const before = room._updatedAt.getTime();
		const plain = state.postMessage(room._id, ann, 'hello');
		expect(room).toMatchObject({ msgs: 1, lm: plain.ts, lastMessage: plain });
		expect(room._updatedAt.getTime()).toBeGreaterThan(before);
		expect(state.getSubscription(room._id, ben._id)).toMatchObject({ alert: true, unread: 0 });
		expect(state.getSubscription(room._id, ann._id)).toMatchObject({ alert: false, unread: 0 });

		const mention = state.postMessage(room._id, ann, 'hey @ben and @nobody');
		expect(mention.mentions).toEqual([{ _id: ben._id, username: 'ben', name: 'ben', type: 'user' }]);
		expect(state.getSubscription(room._id, ben._id)).toMatchObject({ unread: 1, userMentions: 1 });
		expect(state.getSubscription(room._id, cat._id)).toMatchObject({ unread: 0, userMentions: 0 });

		state.postMessage(room._id, ben, '@all standup');
		expect(state.getSubscription(room._id, cat._id)).toMatchObject({ unread: 1, groupMentions: 1 });
		expect(state.getSubscription(room._id, ben._id)!.groupMentions).toBe(0);
	});

	it('counts every message with Unread_Count all_messages, and always in DMs', () => {
		const { state, ann, ben } = setup();
		const dm = state.createRoom('d', undefined, ann, [ben]);
		expect(dm._id).toBe([ann._id, ben._id].sort().join(''));
		expect(state.createRoom('d', undefined, ben, [ann])).toBe(dm);
		state.postMessage(dm._id, ann, 'one');
		state.postMessage(dm._id, ann, 'two');
		expect(state.getSubscription(dm._id, ben._id)).toMatchObject({ unread: 2, name: 'ann', t: 'd' });

		state.settings.Unread_Count = 'all_messages';
		const room = state.createRoom('p', 'secret', ann, [ben]);
		state.postMessage(room._id, ann, 'one');
		expect(state.getSubscription(room._id, ben._id)!.unread).toBe(1);
	});

	it('keeps thread replies out of the room unread count and lastMessage', () => {
		const { state, ann, ben, cat } = setup();
		const room = state.createRoom('c', 'dev', ann, [ben, cat]);
		const root = state.postMessage(room._id, ann, 'root');
		const reply = state.postMessage(room._id, ben, 'reply', { tmid: root._id });
		expect(root).toMatchObject({ tcount: 1, replies: [ann._id, ben._id], tlm: reply.ts });
		expect(room.lastMessage).toBe(root);
		expect(room.msgs).toBe(2);
		expect(state.getSubscription(room._id, ann._id)).toMatchObject({ tunread: [root._id], unread: 0 });
		expect(state.getSubscription(room._id, cat._id)!.tunread).toBeUndefined();
		const shown = state.postMessage(room._id, ben, 'also in room', { tmid: root._id, tshow: true });
		expect(room.lastMessage).toBe(shown);
	});

	it('moves removed subscriptions and deleted rooms to the trash', () => {
		const { state, ann, ben } = setup();
		const room = state.createRoom('c', 'dev', ann, [ben]);
		const sub = state.getSubscription(room._id, ben._id)!;
		expect(state.removeMember(room._id, ben._id)).toBe(true);
		expect(state.subscriptionTrash).toEqual([{ _id: sub._id, _deletedAt: expect.any(Date), rid: room._id, userId: ben._id }]);
		expect(room.usersCount).toBe(1);
		state.postMessage(room._id, ann, 'x');
		state.deleteRoom(room._id);
		expect(state.rooms.has(room._id)).toBe(false);
		expect(state.roomTrash.map((entry) => entry._id)).toEqual([room._id]);
		expect(state.messageTrash).toHaveLength(1);
	});

	it('checks permissions with global and room roles', () => {
		const { state, ann, ben } = setup();
		const room = state.createRoom('c', 'dev', ann, [ben]);
		expect(state.hasPermission(ann, 'delete-message', room._id)).toBe(true);
		expect(state.hasPermission(ann, 'delete-message')).toBe(false);
		expect(state.hasPermission(ben, 'delete-message', room._id)).toBe(false);
		state.setRoomRole(room._id, ben._id, 'moderator', true);
		expect(state.hasPermission(ben, 'delete-message', room._id)).toBe(true);
		expect(state.hasPermission(ben, 'delete-c', room._id)).toBe(false);
		expect(state.hasPermission(ben, 'delete-own-message')).toBe(true);
	});

	it('serialises dates as ISO strings and drops undefined keys', () => {
		const { state, ann, ben } = setup();
		const room = state.createRoom('c', 'dev', ann, [ben]);
		const message = state.postMessage(room._id, ann, 'x');
		state.react(message._id, ben, 'tada');
		state.starMessage(message._id, ben, true);
		const json = JSON.parse(JSON.stringify(toRestMessage(message)));
		expect(json).toMatchObject({ _id: message._id, rid: room._id, msg: 'x', u: { _id: ann._id, username: 'ann' }, reactions: { ':tada:': { usernames: ['ben'] } }, starred: [{ _id: ben._id }] });
		expect(json.ts).toBe(message.ts.toISOString());
		expect(Object.keys(json)).not.toContain('tmid');
		const rest = JSON.parse(JSON.stringify(toRestRoom(room)));
		expect(rest.lastMessage._id).toBe(message._id);
		expect(Object.keys(rest).indexOf('lastMessage')).toBe(Object.keys(rest).indexOf('lm') - 1);
	});

	it('stores file messages with /file-upload/ links', () => {
		const { state, ann } = setup();
		const room = state.createRoom('c', 'dev', ann);
		const file = state.addUpload(room._id, ann, { name: 'a b.png', type: 'image/png', data: Buffer.from([1, 2, 3]) });
		const message = state.postFileMessage(room._id, ann, file._id, { description: 'pic' });
		expect(message.file).toEqual({ _id: file._id, name: 'a b.png', type: 'image/png', size: 3, format: 'PNG' });
		expect(message.attachments?.[0]).toMatchObject({ title: 'a b.png', title_link: `/file-upload/${file._id}/a%20b.png`, image_url: `/file-upload/${file._id}/a%20b.png`, description: 'pic' });
	});

	it('seeds the default fixtures in the past', () => {
		const state = new FakeState();
		const started = Date.now();
		const fixtures = seedDefaults(state);
		expect(Object.keys(fixtures).sort()).toEqual(['admin', 'alice', 'bob', 'bot', 'carol2fa', 'rooms']);
		for (const room of state.rooms.values()) expect(room._updatedAt.getTime()).toBeLessThan(started);
		for (const sub of state.subscriptions.values()) expect(sub._updatedAt.getTime()).toBeLessThan(started);
		for (const message of state.messages.values()) expect(message._updatedAt.getTime()).toBeLessThan(started);
		const general = state.messagesOf('GENERAL');
		expect(general.some((message) => message.pinned)).toBe(true);
		expect(general.some((message) => message.t === 'message_pinned')).toBe(true);
		expect(general.some((message) => message.starred?.length)).toBe(true);
		expect(general.some((message) => message.reactions)).toBe(true);
		expect(general.some((message) => message.tcount === 2)).toBe(true);
	});

	it('builds a bigger team deterministically', () => {
		const build = () => {
			const state = new FakeState();
			const result = seedTeam(state, { users: 12, rooms: 5, messagesPerRoom: 150, directMessages: 3, seed: 7 });
			return { state, result };
		};
		const { state, result } = build();
		expect(result.users).toHaveLength(12);
		expect(result.rooms.length).toBeGreaterThanOrEqual(6);
		expect(result.rooms.some((room) => room.t === 'p')).toBe(true);
		expect(result.messages).toBeGreaterThanOrEqual(5 * 150);
		const all = [...state.messages.values()];
		expect(all.some((message) => message.tmid)).toBe(true);
		expect(all.some((message) => message.file)).toBe(true);
		expect(result.files).toBe(state.files.size);
		expect([...state.subscriptions.values()].some((sub) => sub.unread > 0)).toBe(true);
		const again = build();
		expect(again.result.messages).toBe(result.messages);
		expect(again.result.users.map((user) => user.username)).toEqual(result.users.map((user) => user.username));
		expect(state.authenticate(result.users[0]._id, 'x')).toBeUndefined();
		expect(state.checkPassword(result.users[0], result.password)).toBe(true);
	});
});
