/**
 * The trigger's catch-up read (`historySince` in nodes/RocketChatTrigger/catchUp.ts, over the shared
 * history pager) on servers whose admins lowered API_Upper_Count_Limit: called as the trigger's callbacks
 * call it (n8n-core's TriggerContext, the transport's callback client, real HTTP), and through a polling
 * trigger restarted after messages were missed.
 */
import { FakeRocketChat, type FakeMessage, type FakeRoom } from '../../fake';
import { wrapHistory } from '../../fake/handlers/history';
import { patCredentials } from '../../harness/fixtures';
import { rl } from '../../harness/run';
import { activateTrigger, type ActiveTrigger, triggerContextFor } from '../../harness/trigger';
import { historySince, type RoomInfo } from '../../../nodes/RocketChatTrigger/catchUp';
import { type CallbackClient, createCallbackClient } from '../../../nodes/shared/transport';
import { post, triggerParameters, user } from './helpers';

jest.setTimeout(60_000);

let counter = 0;
const roomInfo = (room: FakeRoom): RoomInfo => ({ _id: room._id, t: room.t, name: room.name, member: true });

async function clientFor(fake: FakeRocketChat): Promise<CallbackClient> {
	const credentials = patCredentials(fake, fake.fixtures.bot);
	return createCallbackClient(await triggerContextFor(credentials), credentials);
}

function freshRoom(fake: FakeRocketChat): FakeRoom {
	return fake.state.createRoom('c', `catch-up-${++counter}-${Date.now().toString(36)}`, user(fake, 'admin'), [user(fake, 'bot'), user(fake, 'alice')]);
}

/** `n` messages one second apart, the newest a minute ago. */
function seed(fake: FakeRocketChat, roomId: string, n: number): FakeMessage[] {
	return Array.from({ length: n }, (_, k) => post(fake, roomId, user(fake, 'alice'), `missed ${k}`, { ts: new Date(Date.now() - 60_000 - (n - k) * 1000) }));
}

const ids = (messages: Array<{ _id?: unknown }>) => messages.map((message) => String(message._id));

describe.each([20, 7, 1])('historySince with API_Upper_Count_Limit = %i', (upper) => {
	let fake: FakeRocketChat;
	let client: CallbackClient;

	beforeAll(async () => {
		fake = await FakeRocketChat.start({ upperCountLimit: upper });
		client = await clientFor(fake);
	});
	afterAll(async () => {
		await fake.stop();
	});

	it('returns all 50 of 50 missed messages, oldest first, not truncated', async () => {
		const room = freshRoom(fake);
		const posted = seed(fake, room._id, 50);
		const { messages, truncated } = await historySince(client, roomInfo(room), posted[0].ts.getTime(), 500, false);
		expect(truncated).toBe(false);
		expect(ids(messages)).toEqual(ids(posted));
	});

	it('with more than Max Catch-Up Count returns the newest ones and says it truncated', async () => {
		const room = freshRoom(fake);
		const posted = seed(fake, room._id, 50);
		const { messages, truncated } = await historySince(client, roomInfo(room), 0, 30, false);
		expect(truncated).toBe(true);
		expect(ids(messages)).toEqual(ids(posted.slice(-30)));
	});
});

describe('historySince over 250 messages in one millisecond', () => {
	let fake: FakeRocketChat;
	let client: CallbackClient;

	beforeAll(async () => {
		fake = await FakeRocketChat.start({ upperCountLimit: 20 });
		client = await clientFor(fake);
	});
	afterAll(async () => {
		await fake.stop();
	});

	it('returns each exactly once, also while new messages are posted between pages', async () => {
		const room = freshRoom(fake);
		const ts = new Date(Date.now() - 3_600_000);
		const sameMs = Array.from({ length: 250 }, (_, k) => post(fake, room._id, user(fake, 'alice'), `same ${k}`, { ts }));
		const route = wrapHistory(fake, 'c', (ctx, original, call) => {
			if (call > 1) post(fake, room._id, user(fake, 'bob'), `live ${call}`, { ts: new Date(Date.now() + 1000) });
			return original(ctx);
		});
		try {
			// Up to "now" as rooms.get reported it before the read: later messages are the next catch-up's.
			const { messages, truncated } = await historySince(client, roomInfo(room), ts.getTime(), 500, false, Date.now());
			expect(truncated).toBe(false);
			expect(new Set(ids(messages)).size).toBe(250);
			expect([...ids(messages)].sort()).toEqual(ids(sameMs).sort());
			expect(fake.requests.filter((request) => request.endpoint === 'channels.history').length).toBeGreaterThan(250 / 20);
		} finally {
			route.restore();
		}
	});
});

describe('Rocket.Chat Trigger (polling) restarted after 50 missed messages, API_Upper_Count_Limit = 20', () => {
	let fake: FakeRocketChat;
	const running: ActiveTrigger[] = [];

	beforeAll(async () => {
		fake = await FakeRocketChat.start({ upperCountLimit: 20 });
	});
	afterEach(async () => {
		while (running.length) await running.pop()!.close();
	});
	afterAll(async () => {
		await fake.stop();
	});

	it('delivers all 50, each once, oldest first', async () => {
		const room = freshRoom(fake);
		const parameters = triggerParameters({ receiveVia: 'polling', pollInterval: 1, pollUnit: 'seconds', roomScope: 'selected', rooms: { room: [{ roomId: rl(room._id) }] } });
		const credentials = patCredentials(fake, fake.fixtures.bot);
		const first = await activateTrigger({ parameters, credentials });
		running.push(first);
		post(fake, room._id, user(fake, 'alice'), 'before the stop');
		await first.waitForItems(1);
		await first.close();
		running.pop();

		const missed = Array.from({ length: 50 }, (_, k) => post(fake, room._id, user(fake, 'alice'), `missed ${k}`));
		const second = await activateTrigger({ parameters, credentials, staticData: first.staticData() });
		running.push(second);
		await second.waitForItems(50);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		// Each once, oldest first (messages sharing a millisecond have no order on the server).
		expect(second.json().map((item) => String(item.id)).sort()).toEqual(ids(missed).sort());
		const times = second.json().map((item) => Date.parse(String(item.createdAt)));
		expect(times).toEqual([...times].sort((a, b) => a - b));
		expect(second.errors).toEqual([]);
	});
});
