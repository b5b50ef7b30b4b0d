/** The fake's chat.* and *.history endpoints, spoken to over HTTP as a client would. */
import { FakeRocketChat } from '../../fake';
import type { FakeUser } from '../../fake/state';
import { call } from './helpers';

let rc: FakeRocketChat;
let alice: FakeUser;

beforeAll(async () => {
	rc = await FakeRocketChat.start();
	alice = rc.state.findUserByUsername('alice')!;
});

afterAll(async () => {
	await rc.stop();
});

beforeEach(() => {
	rc.clearFaults();
	rc.setRateLimit({ enabled: true });
});

describe('chat.postMessage', () => {
	it('answers {ts (number), channel, message} and stores the message', async () => {
		const res = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.bot, json: { channel: '#general', text: 'hello' } });
		expect(res.status).toBe(200);
		expect(typeof res.json.ts).toBe('number');
		expect(res.json.channel).toBe('#general');
		expect(res.json.message).toMatchObject({ rid: 'GENERAL', msg: 'hello', u: { username: 'bot' } });
		expect(rc.state.getMessage(res.json.message._id)).toBeDefined();
	});

	it('rejects channel + tmid and unknown keys with invalid-params (7.4+ schema)', async () => {
		const root = rc.state.postMessage('GENERAL', alice, 'root');
		const withChannel = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.bot, json: { channel: '#general', text: 'x', tmid: root._id } });
		expect(withChannel.status).toBe(400);
		expect(withChannel.json.errorType).toBe('invalid-params');
		const unknown = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.bot, json: { roomId: 'GENERAL', text: 'x', colour: 'red' } });
		expect(unknown.json).toMatchObject({ success: false, errorType: 'invalid-params' });
		expect(unknown.json.error).toMatch(/must NOT have additional properties/);
	});

	it('applies Message_MaxAllowedSize, the attachment checks and message-impersonate', async () => {
		rc.state.settings.Message_MaxAllowedSize = 10;
		const long = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.bot, json: { roomId: 'GENERAL', text: 'x'.repeat(11) } });
		rc.state.settings.Message_MaxAllowedSize = 5000;
		expect(long.status).toBe(400);
		expect(long.json).toEqual({ success: false, error: 'error-message-size-exceeded' });

		// Fields need neither a title nor a value (validateAttachmentsFields only checks types); values become text.
		const field = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.bot, json: { roomId: 'GENERAL', attachments: [{ fields: [{ title: 't' }, { value: 3 }] }] } });
		expect(field.status).toBe(200);
		expect((field.json.message as { attachments: unknown[] }).attachments).toEqual([{ fields: [{ title: 't' }, { value: '3' }] }]);
		const badValue = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.bot, json: { roomId: 'GENERAL', attachments: [{ fields: [{ value: { x: 1 } }] }] } });
		expect(badValue.json).toEqual({ success: false, error: 'Match error: Expected string, number or boolean, got object in field value' });
		const href = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.bot, json: { roomId: 'GENERAL', attachments: [{ title_link: 'javascript:alert(1)' }] } });
		expect(href.json).toEqual({ success: false, error: 'Invalid href value provided' });
		// Keys the server does not check pass (objectMaybeIncluding).
		const extra = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.bot, json: { roomId: 'GENERAL', attachments: [{ title: 't', custom: 1 }] } });
		expect(extra.status).toBe(200);

		const alias = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.alice, json: { roomId: 'GENERAL', text: 'x', alias: 'Boss' } });
		expect(alias.json).toEqual({ success: false, error: 'Not enough permission' });
	});

	it('@username creates the direct message; an unknown user is invalid-channel; a private group needs membership', async () => {
		const dm = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.bob, json: { channel: '@admin', text: 'hi admin' } });
		expect(dm.status).toBe(200);
		expect(rc.state.getRoom(dm.json.message.rid)?.t).toBe('d');
		const nobody = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.bob, json: { channel: '@nobody', text: 'x' } });
		expect(nobody.json).toEqual({ success: false, error: '[invalid-channel]', errorType: 'invalid-channel' });
		const group = await call(rc, 'POST', 'chat.postMessage', { as: rc.fixtures.bob, json: { roomId: rc.fixtures.rooms.privateGroup, text: 'x' } });
		expect(group.json.errorType).toBe('invalid-room');
	});
});

describe('chat.sendMessage', () => {
	it('stores a client _id once; the same _id again skips the insert and fails normalising', async () => {
		const first = await call(rc, 'POST', 'chat.sendMessage', { as: rc.fixtures.bot, json: { message: { _id: 'client-id-1', rid: 'GENERAL', msg: 'once' } } });
		expect(first.status).toBe(200);
		expect(first.json.message._id).toBe('client-id-1');
		const again = await call(rc, 'POST', 'chat.sendMessage', { as: rc.fixtures.bot, json: { message: { _id: 'client-id-1', rid: 'GENERAL', msg: 'once' } } });
		expect(again.status).toBe(400);
		expect(again.json).toEqual({ success: false, error: "Cannot read properties of undefined (reading 'starred')" });
		expect(rc.state.messagesOf('GENERAL').filter((m) => m._id === 'client-id-1')).toHaveLength(1);
	});

	it('refuses tshow without tmid, and a too long text with the Meteor error', async () => {
		const tshow = await call(rc, 'POST', 'chat.sendMessage', { as: rc.fixtures.bot, json: { message: { rid: 'GENERAL', msg: 'x', tshow: true } } });
		expect(tshow.json).toMatchObject({ errorType: 'invalid-params', error: 'tshow provided but missing tmid [invalid-params]' });
		const long = await call(rc, 'POST', 'chat.sendMessage', { as: rc.fixtures.bot, json: { message: { rid: 'GENERAL', msg: 'x'.repeat(5001) } } });
		expect(long.json).toMatchObject({ errorType: 'error-message-size-exceeded' });
	});

	it('limits users without send-many-messages to 5 requests a second', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) {
			const res = await call(rc, 'POST', 'chat.sendMessage', { as: rc.fixtures.alice, json: { message: { rid: 'GENERAL', msg: `burst ${i}` } } });
			statuses.push(res.status);
		}
		expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
		expect(statuses[5]).toBe(429);
	});

	it('a dropResponse fault runs the handler and then drops the connection', async () => {
		rc.inject({ endpoint: 'chat.sendMessage', dropResponse: true });
		await expect(
			call(rc, 'POST', 'chat.sendMessage', { as: rc.fixtures.bot, json: { message: { _id: 'dropped-1', rid: 'GENERAL', msg: 'lost answer' } } }),
		).rejects.toThrow();
		expect(rc.state.getMessage('dropped-1')?.msg).toBe('lost answer');
		expect(rc.requests.filter((r) => r.endpoint === 'chat.sendMessage').pop()?.status).toBe(0);
	});
});

describe('chat.getMessage, chat.update, chat.delete', () => {
	it('getMessage: an unknown id is a bare 400 {success:false}', async () => {
		const res = await call(rc, 'GET', 'chat.getMessage', { as: rc.fixtures.bot, query: 'msgId=nope' });
		expect(res.status).toBe(400);
		expect(res.json).toEqual({ success: false });
	});

	it('update/delete check the room and the permissions', async () => {
		const own = rc.state.postMessage('GENERAL', alice, 'mine');
		const mismatch = await call(rc, 'POST', 'chat.update', { as: rc.fixtures.alice, json: { roomId: 'random', msgId: own._id, text: 'x' } });
		expect(mismatch.json).toEqual({ success: false, error: 'The room id provided does not match where the message is from.' });
		const edited = await call(rc, 'POST', 'chat.update', { as: rc.fixtures.alice, json: { roomId: 'GENERAL', msgId: own._id, text: 'edited' } });
		expect(edited.json.message).toMatchObject({ msg: 'edited', editedBy: { username: 'alice' } });
		const deleted = await call(rc, 'POST', 'chat.delete', { as: rc.fixtures.alice, json: { roomId: 'GENERAL', msgId: own._id } });
		expect(deleted.json).toMatchObject({ success: true, _id: own._id, ts: expect.stringMatching(/^\d+$/), message: { _id: own._id, rid: 'GENERAL' } });
		const gone = await call(rc, 'POST', 'chat.delete', { as: rc.fixtures.alice, json: { roomId: 'GENERAL', msgId: own._id } });
		expect(gone.json).toEqual({ success: false, error: `No message found with the id of "${own._id}".` });
	});
});

describe('*.history', () => {
	it('answers only for the matching room type, newest first, count clamped to 100, no total', async () => {
		const wrongType = await call(rc, 'GET', 'groups.history', { as: rc.fixtures.bot, query: 'roomId=GENERAL' });
		expect(wrongType.json.errorType).toBe('error-room-not-found');
		const res = await call(rc, 'GET', 'channels.history', { as: rc.fixtures.bot, query: 'roomId=GENERAL&count=500' });
		expect(res.status).toBe(200);
		expect(Object.keys(res.json).sort()).toEqual(['messages', 'success']);
		const times = (res.json.messages as { ts: string }[]).map((m) => Date.parse(m.ts));
		expect(times.every((t, k) => k === 0 || t <= times[k - 1])).toBe(true);
		const aliasRes = await call(rc, 'GET', 'im.history', { as: rc.fixtures.bot, query: `roomId=${rc.fixtures.rooms.dmBotAlice}` });
		expect(aliasRes.status).toBe(200);
		const unknownParam = await call(rc, 'GET', 'channels.history', { as: rc.fixtures.bot, query: 'roomId=GENERAL&limit=5' });
		expect(unknownParam.status).toBe(400);
	});

	it('latest/oldest are exclusive unless inclusive=true; thread-only replies need showThreadMessages=true', async () => {
		const room = rc.state.createRoom('c', 'range-room', rc.state.findUserByUsername('bot')!, []);
		const bot = rc.state.findUserByUsername('bot')!;
		const t0 = Date.parse('2024-05-01T10:00:00.000Z');
		const m = [0, 1, 2].map((i) => rc.state.postMessage(room._id, bot, `m${i}`, { ts: new Date(t0 + i * 1000) }));
		rc.state.postMessage(room._id, bot, 'reply', { ts: new Date(t0 + 1500), tmid: m[0]._id });
		const q = (extra: string) => call(rc, 'GET', 'channels.history', { as: rc.fixtures.bot, query: `roomId=${room._id}&oldest=${m[0].ts.toISOString()}&latest=${m[2].ts.toISOString()}${extra}` });
		expect((await q('')).json.messages.map((x: { msg: string }) => x.msg)).toEqual(['m1']);
		expect((await q('&inclusive=true')).json.messages.map((x: { msg: string }) => x.msg)).toEqual(['m2', 'm1', 'm0']);
		expect((await q('&showThreadMessages=true')).json.messages.map((x: { msg: string }) => x.msg)).toEqual(['reply', 'm1']);
	});

	it('answers 403 unauthorized when the user cannot read the room', async () => {
		const saved = rc.state.permissions['preview-c-room'];
		rc.state.permissions['preview-c-room'] = [];
		try {
			const room = rc.state.createRoom('c', 'closed-room', rc.state.findUserByUsername('admin')!, []);
			const res = await call(rc, 'GET', 'channels.history', { as: rc.fixtures.bob, query: `roomId=${room._id}` });
			expect(res.status).toBe(403);
			expect(res.json).toEqual({ success: false, error: 'unauthorized' });
		} finally {
			rc.state.permissions['preview-c-room'] = saved;
		}
	});
});
