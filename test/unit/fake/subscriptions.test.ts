import { type FakeMessage, type FakeRocketChat, startFakeRocketChat } from '../../fake';
import { call } from './helpers';

function messageByText(rc: FakeRocketChat, roomId: string, text: string): FakeMessage {
	const message = rc.state.messagesOf(roomId).find((candidate) => candidate.msg.startsWith(text));
	if (!message) throw new Error(`no message "${text}" in ${roomId}`);
	return message;
}

describe('fake Rocket.Chat: subscriptions, rooms, users', () => {
	let rc: FakeRocketChat;

	beforeEach(async () => {
		rc = await startFakeRocketChat({ rateLimit: { enabled: false } });
	});

	afterEach(async () => {
		await rc.stop();
	});

	describe('subscriptions.get', () => {
		it("lists all of the caller's subscriptions with seeded unread counts", async () => {
			const { alice } = rc.fixtures;
			const res = await call(rc, 'GET', 'subscriptions.get', { as: alice });
			expect(res.status).toBe(200);
			expect(res.json.remove).toEqual([]);
			const byRoom = Object.fromEntries(res.json.update.map((sub: { rid: string }) => [sub.rid, sub]));
			expect(Object.keys(byRoom).sort()).toEqual(Object.values(rc.fixtures.rooms).sort());
			expect(byRoom.GENERAL).toMatchObject({ name: 'general', t: 'c', unread: 2, userMentions: 1, groupMentions: 1, alert: true, open: true });
			expect(byRoom.GENERAL.u).toEqual({ _id: alice.userId, username: 'alice', name: 'Alice Archer' });
			expect(byRoom[rc.fixtures.rooms.dmBotAlice]).toMatchObject({ name: 'bot', fname: 'Automation Bot', t: 'd', unread: 1 });
			expect(typeof byRoom.GENERAL._updatedAt).toBe('string');
			expect(new Date(byRoom.GENERAL.ls).toISOString()).toBe(byRoom.GENERAL.ls);
		});

		it('returns only what changed after updatedSince, and removed subscriptions', async () => {
			const { alice, bob } = rc.fixtures;
			const since = new Date().toISOString();
			await new Promise((resolve) => setTimeout(resolve, 5));
			const quiet = await call(rc, 'GET', 'subscriptions.get', { as: alice, query: `updatedSince=${encodeURIComponent(since)}` });
			expect(quiet.json).toEqual({ update: [], remove: [], success: true });

			rc.state.postMessage('GENERAL', rc.state.getUser(bob.userId)!, 'ping @alice');
			rc.state.removeMember(rc.fixtures.rooms.random, alice.userId);
			const changed = await call(rc, 'GET', 'subscriptions.get', { as: alice, query: `updatedSince=${encodeURIComponent(since)}` });
			expect(changed.json.update.map((sub: { rid: string }) => sub.rid)).toEqual(['GENERAL']);
			expect(changed.json.update[0]).toMatchObject({ unread: 3, userMentions: 2, alert: true });
			expect(changed.json.remove).toHaveLength(1);
			expect(Object.keys(changed.json.remove[0])).toEqual(['_id', '_deletedAt']);
			expect(Date.parse(changed.json.remove[0]._deletedAt)).toBeGreaterThan(Date.parse(since));
		});

		it('rejects an invalid date with error-roomId-param-invalid', async () => {
			const res = await call(rc, 'GET', 'subscriptions.get', { as: rc.fixtures.alice, query: 'updatedSince=yesterday' });
			expect(res.status).toBe(400);
			expect(res.json).toEqual({
				success: false,
				error: 'The "lastUpdate" query parameter must be a valid date. [error-roomId-param-invalid]',
				errorType: 'error-roomId-param-invalid',
			});
		});
	});

	describe('subscriptions.getOne', () => {
		it('returns the subscription, or null for a room the caller is not in', async () => {
			const { bob } = rc.fixtures;
			const found = await call(rc, 'GET', 'subscriptions.getOne', { as: bob, query: 'roomId=GENERAL' });
			expect(found.json.subscription).toMatchObject({ rid: 'GENERAL', u: { _id: bob.userId } });
			expect(found.json.success).toBe(true);
			const none = await call(rc, 'GET', 'subscriptions.getOne', { as: bob, query: `roomId=${rc.fixtures.rooms.privateGroup}` });
			expect(none.status).toBe(200);
			expect(none.text).toBe('{"subscription":null,"success":true}');
		});

		it('carries room roles', async () => {
			const res = await call(rc, 'GET', 'subscriptions.getOne', { as: rc.fixtures.admin, query: 'roomId=GENERAL' });
			expect(res.json.subscription.roles).toEqual(['owner']);
		});
	});

	describe('subscriptions.read', () => {
		it('marks the room read (rid or roomId)', async () => {
			const { alice } = rc.fixtures;
			const before = Date.now();
			const res = await call(rc, 'POST', 'subscriptions.read', { as: alice, json: { rid: 'GENERAL' } });
			expect(res.status).toBe(200);
			expect(res.text).toBe('{"success":true}');
			const sub = rc.state.getSubscription('GENERAL', alice.userId)!;
			expect(sub).toMatchObject({ unread: 0, alert: false, userMentions: 0, groupMentions: 0 });
			expect(sub.ls!.getTime()).toBeGreaterThanOrEqual(before);
			expect(sub.lr!.getTime()).toBe(sub.ls!.getTime());

			const dm = rc.fixtures.rooms.dmBotAlice;
			expect((await call(rc, 'POST', 'subscriptions.read', { as: alice, json: { roomId: dm, readThreads: true } })).status).toBe(200);
			expect(rc.state.getSubscription(dm, alice.userId)!.unread).toBe(0);
		});

		it('answers error-invalid-subscription for an unknown room or a room the caller is not in', async () => {
			for (const rid of ['nope', rc.fixtures.rooms.privateGroup]) {
				const res = await call(rc, 'POST', 'subscriptions.read', { as: rc.fixtures.bob, json: { rid } });
				expect(res.status).toBe(400);
				expect(res.text).toBe('{"success":false,"error":"error-invalid-subscription"}');
			}
		});

		it('clears thread unread marks with readThreads', async () => {
			const { bob } = rc.fixtures;
			expect(rc.state.getSubscription('GENERAL', bob.userId)!.tunread).toHaveLength(1);
			await call(rc, 'POST', 'subscriptions.read', { as: bob, json: { rid: 'GENERAL', readThreads: 'true' } });
			expect(rc.state.getSubscription('GENERAL', bob.userId)!.tunread).toBeUndefined();
		});
	});

	describe('subscriptions.unread', () => {
		it('marks unread from the last message of a room', async () => {
			const { admin } = rc.fixtures;
			expect(rc.state.getSubscription('GENERAL', admin.userId)!.alert).toBe(false);
			rc.state.setLastSeen('GENERAL', admin.userId, new Date());
			const res = await call(rc, 'POST', 'subscriptions.unread', { as: admin, json: { roomId: 'GENERAL' } });
			expect(res.status).toBe(200);
			const sub = rc.state.getSubscription('GENERAL', admin.userId)!;
			expect(sub.alert).toBe(true);
			expect(sub.ls!.getTime()).toBe(rc.state.getRoom('GENERAL')!.lm!.getTime());
		});

		it("marks unread from another member's message, recounting unread and mentions", async () => {
			const { alice } = rc.fixtures;
			await call(rc, 'POST', 'subscriptions.read', { as: alice, json: { rid: 'GENERAL' } });
			const from = messageByText(rc, 'GENERAL', '@alice can you check');
			const res = await call(rc, 'POST', 'subscriptions.unread', { as: alice, json: { firstUnreadMessage: { _id: from._id } } });
			expect(res.status).toBe(200);
			expect(rc.state.getSubscription('GENERAL', alice.userId)).toMatchObject({ alert: true, unread: 2, userMentions: 1, groupMentions: 1, ls: from.ts });
		});

		it('refuses own or unknown messages and rooms without messages', async () => {
			const { alice } = rc.fixtures;
			const notAllowed = {
				success: false,
				error: 'Not allowed [error-action-not-allowed]',
				errorType: 'error-action-not-allowed',
				details: { method: 'unreadMessages', action: 'Unread_messages' },
			};
			const own = messageByText(rc, 'GENERAL', 'Hi all');
			expect((await call(rc, 'POST', 'subscriptions.unread', { as: alice, json: { firstUnreadMessage: { _id: own._id } } })).json).toEqual(notAllowed);
			expect((await call(rc, 'POST', 'subscriptions.unread', { as: alice, json: { firstUnreadMessage: { _id: 'missing' } } })).json).toEqual(notAllowed);
			const empty = rc.state.createRoom('c', 'empty-room', rc.state.getUser(alice.userId)!);
			const res = await call(rc, 'POST', 'subscriptions.unread', { as: alice, json: { roomId: empty._id } });
			expect(res.status).toBe(400);
			// `unreadMessages`: a room without messages has its own error.
			expect(res.json).toEqual({
				success: false,
				error: 'There are no messages to mark unread [error-no-message-for-unread]',
				errorType: 'error-no-message-for-unread',
				details: { method: 'unreadMessages', action: 'Unread_messages' },
			});
		});

		it('validates the body (roomId or firstUnreadMessage._id)', async () => {
			const res = await call(rc, 'POST', 'subscriptions.unread', { as: rc.fixtures.alice, json: { firstUnreadMessage: {} } });
			expect(res.json).toEqual({
				success: false,
				errorType: 'invalid-params',
				error: "must have required property 'roomId'\n must have required property '_id'\n must match a schema in anyOf",
			});
		});
	});

	describe('rooms.info', () => {
		it('finds a room by id or name', async () => {
			const { bob } = rc.fixtures;
			const byId = await call(rc, 'GET', 'rooms.info', { as: bob, query: 'roomId=GENERAL' });
			expect(byId.status).toBe(200);
			expect(byId.json.room).toMatchObject({ _id: 'GENERAL', name: 'general', fname: 'general', t: 'c', default: true, usersCount: 5 });
			expect(byId.json.room.lastMessage.msg).toBe('Reminder: retro today at 4pm @all');
			expect(byId.json.room.lm).toBe(byId.json.room.lastMessage.ts);
			// public rooms are readable by non-members
			const byName = await call(rc, 'GET', 'rooms.info', { as: bob, query: 'roomName=random' });
			expect(byName.json.room._id).toBe(rc.fixtures.rooms.random);
		});

		it('answers not-allowed for a private group or DM of others', async () => {
			for (const roomId of [rc.fixtures.rooms.privateGroup, rc.fixtures.rooms.dmBotAlice]) {
				const res = await call(rc, 'GET', 'rooms.info', { as: rc.fixtures.bob, query: `roomId=${roomId}` });
				expect(res.status).toBe(400);
				expect(res.text).toBe('{"success":false,"error":"not-allowed","errorType":"Not Allowed"}');
			}
			expect((await call(rc, 'GET', 'rooms.info', { as: rc.fixtures.alice, query: `roomId=${rc.fixtures.rooms.privateGroup}` })).status).toBe(200);
		});

		it('answers the server errors for missing parameters and unknown rooms', async () => {
			const missing = await call(rc, 'GET', 'rooms.info', { as: rc.fixtures.bob });
			expect(missing.json).toEqual({
				success: false,
				error: 'The parameter "roomId" or "roomName" is required [error-roomid-param-not-provided]',
				errorType: 'error-roomid-param-not-provided',
			});
			const unknown = await call(rc, 'GET', 'rooms.info', { as: rc.fixtures.bob, query: 'roomName=nope' });
			expect(unknown.status).toBe(400);
			expect(unknown.json).toEqual({
				success: false,
				error: 'The required "roomId" or "roomName" param provided does not match any channel [error-room-not-found]',
				errorType: 'error-room-not-found',
			});
		});
	});

	describe('rooms.get', () => {
		it("lists the caller's rooms with lastMessage, and changes since a date", async () => {
			const { alice, bob } = rc.fixtures;
			const all = await call(rc, 'GET', 'rooms.get', { as: alice });
			expect(all.json.update.map((room: { _id: string }) => room._id).sort()).toEqual(Object.values(rc.fixtures.rooms).sort());
			const dm = all.json.update.find((room: { t: string }) => room.t === 'd');
			expect(dm.usernames).toEqual(['bot', 'alice']);
			expect(dm.lastMessage.msg).toBe('Done. Anything else?');

			const since = new Date().toISOString();
			await new Promise((resolve) => setTimeout(resolve, 5));
			rc.state.postMessage(rc.fixtures.rooms.random, rc.state.getUser(alice.userId)!, 'new');
			rc.state.deleteRoom(rc.fixtures.rooms.privateGroup);
			const changed = await call(rc, 'GET', 'rooms.get', { as: bob, query: `updatedSince=${encodeURIComponent(since)}` });
			expect(changed.json.update).toEqual([]);
			const mine = await call(rc, 'GET', 'rooms.get', { as: alice, query: `updatedSince=${encodeURIComponent(since)}` });
			expect(mine.json.update.map((room: { _id: string }) => room._id)).toEqual([rc.fixtures.rooms.random]);
			expect(mine.json.remove).toEqual([{ _id: rc.fixtures.rooms.privateGroup, _deletedAt: expect.any(String) }]);
			const bad = await call(rc, 'GET', 'rooms.get', { as: alice, query: 'updatedSince=not-a-date' });
			expect(bad.json.errorType).toBe('error-updatedSince-param-invalid');
		});
	});

	describe('users.info', () => {
		it('shows public fields to others and everything to oneself and admins', async () => {
			const { alice, bob, admin } = rc.fixtures;
			const other = await call(rc, 'GET', 'users.info', { as: bob, query: 'username=alice' });
			expect(other.json.user).toMatchObject({ _id: alice.userId, username: 'alice', name: 'Alice Archer', canViewAllInfo: false });
			expect(other.json.user.emails).toBeUndefined();
			expect(other.json.user.roles).toBeUndefined();
			const asAdmin = await call(rc, 'GET', 'users.info', { as: admin, query: `userId=${alice.userId}` });
			expect(asAdmin.json.user).toMatchObject({ emails: [{ address: 'alice@example.com', verified: true }], roles: ['user'], canViewAllInfo: true });
			expect(asAdmin.text).not.toContain('services');
			const self = await call(rc, 'GET', 'users.info', { as: alice, query: 'username=alice&includeUserRooms=true' });
			expect(self.json.user.rooms.map((room: { rid: string }) => room.rid).sort()).toEqual(Object.values(rc.fixtures.rooms).sort());
		});

		it('answers "User not found." and "Invalid search query."', async () => {
			const missing = await call(rc, 'GET', 'users.info', { as: rc.fixtures.bob, query: 'username=nobody' });
			expect(missing.status).toBe(400);
			expect(missing.text).toBe('{"success":false,"error":"User not found."}');
			const empty = await call(rc, 'GET', 'users.info', { as: rc.fixtures.bob, query: 'userId=' });
			expect(empty.json).toEqual({ success: false, error: 'Invalid search query.' });
		});
	});
});
