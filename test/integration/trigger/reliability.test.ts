/**
 * Rocket.Chat Trigger, Realtime: nothing lost, nothing twice — under load, dropped sockets, a restart of
 * n8n with its saved static data, a server that is away for a while, and a connection that goes silent.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FakeRocketChat, type FakeMessage, type FakeRoom } from '../../fake';
import { enableRealtime, type FakeRealtime } from '../../fake/realtime';
import { patCredentials } from '../../harness/fixtures';
import { activateTrigger, type ActiveTrigger, waitUntil } from '../../harness/trigger';
import { post, triggerParameters, user } from './helpers';

let fake: FakeRocketChat;
let realtime: FakeRealtime;
let rooms: FakeRoom[];
const running: ActiveTrigger[] = [];

beforeAll(async () => {
	fake = await FakeRocketChat.start();
	realtime = enableRealtime(fake, { pingIntervalMs: 0 });
	const alice = user(fake, 'alice');
	const bot = user(fake, 'bot');
	rooms = Array.from({ length: 20 }, (_, index) =>
		fake.state.createRoom(index % 4 === 3 ? 'p' : 'c', `load-${index}`, alice, [bot, user(fake, 'bob')]),
	);
});

afterEach(async () => {
	while (running.length) await running.pop()!.close();
	realtime.setUnresponsive(false);
	realtime.setPing({ intervalMs: 0 });
});

afterAll(async () => {
	realtime.close();
	await fake.stop();
});

async function start(staticData?: IDataObject, options: INodeParameters = {}): Promise<ActiveTrigger> {
	const trigger = await activateTrigger({
		parameters: triggerParameters({ roomScope: 'all', options }),
		credentials: patCredentials(fake, fake.fixtures.bot),
		staticData,
	});
	running.push(trigger);
	await waitUntil(() => realtime.subscriptions('stream-room-messages').length > 0, 'the realtime subscription');
	return trigger;
}

/** Every posted message delivered exactly once, and in `ts` order within each room. */
function expectExactlyOnce(trigger: ActiveTrigger, posted: FakeMessage[]): void {
	const ids = trigger.json().map((item) => String(item.id));
	const wanted = posted.map((message) => message._id);
	const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
	expect(duplicates).toEqual([]);
	expect(ids.filter((id) => wanted.includes(id)).sort()).toEqual([...wanted].sort());
	const perRoom = new Map<string, number[]>();
	for (const item of trigger.json()) {
		const list = perRoom.get(String(item.roomId)) ?? [];
		list.push(Date.parse(String(item.createdAt)));
		perRoom.set(String(item.roomId), list);
	}
	for (const times of perRoom.values()) expect(times).toEqual([...times].sort((a, b) => a - b));
}

/** Posts `count` messages round-robin over `targets`, `perBatch` at a time with a pause between batches. */
async function burst(count: number, targets: FakeRoom[], perBatch: number, pauseMs: number, between?: (batch: number) => void | Promise<void>) {
	const alice = user(fake, 'alice');
	const posted: FakeMessage[] = [];
	for (let index = 0; index < count; index++) {
		posted.push(post(fake, targets[index % targets.length]._id, alice, `message ${index}`));
		if ((index + 1) % perBatch === 0) {
			await between?.((index + 1) / perBatch);
			await new Promise((resolve) => setTimeout(resolve, pauseMs));
		}
	}
	return posted;
}

describe('Rocket.Chat Trigger › Realtime reliability', () => {
	it('delivers 1,000 messages over 20 rooms exactly once, in order per room', async () => {
		const trigger = await start();
		const posted = await burst(1000, rooms, 100, 5);
		await trigger.waitForItems(1000, 60_000);
		expectExactlyOnce(trigger, posted);
		expect(trigger.json()).toHaveLength(1000);
		expect(trigger.errors).toEqual([]);
	}, 90_000);

	it('loses nothing and repeats nothing when the socket drops 5 times during a burst', async () => {
		const trigger = await start();
		const connections = realtime.connections;
		let drops = 0;
		const posted = await burst(500, rooms.slice(0, 10), 20, 25, async (batch) => {
			if (batch % 5 !== 0) return;
			// Drop a live, subscribed socket each time (not one still reconnecting).
			await waitUntil(() => realtime.subscriptions('stream-room-messages').length === 1, 'a subscribed socket to drop');
			drops += realtime.dropAll();
		});
		expect(drops).toBe(5);
		await trigger.waitForItems(500, 60_000);
		expectExactlyOnce(trigger, posted);
		expect(trigger.json()).toHaveLength(500);
		// After the last reconnect one subscription is open: no doubled callbacks.
		await waitUntil(() => realtime.connections - connections >= 5, 'five reconnects');
		await waitUntil(() => realtime.subscriptions('stream-room-messages').length === 1 && realtime.openSessions === 1, 'one live session');
		const last = post(fake, rooms[0]._id, user(fake, 'alice'), 'after the drops');
		await trigger.waitForItems(501);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(trigger.json().filter((item) => item.id === last._id)).toHaveLength(1);
		expect(trigger.errors).toEqual([]);
	}, 90_000);

	it('delivers the 200 messages posted while n8n was stopped once after the restart with the saved static data', async () => {
		const first = await start();
		const before = post(fake, rooms[0]._id, user(fake, 'alice'), 'before the stop');
		await first.waitForItems(1);
		await first.close();
		const saved = first.staticData();
		await waitUntil(() => realtime.openSessions === 0, 'the socket to close');

		const posted = await burst(200, rooms.slice(0, 8), 50, 5);
		const second = await start(saved);
		await second.waitForItems(200, 30_000);
		const live = post(fake, rooms[1]._id, user(fake, 'alice'), 'after the restart');
		await second.waitForItems(201);
		expectExactlyOnce(second, [...posted, live]);
		expect(second.json()).toHaveLength(201);
		expect(second.json().some((item) => item.id === before._id)).toBe(false);
	}, 60_000);

	it('catches up a message stamped ahead of the clock of the instance that answers history', async () => {
		// HA servers with skewed clocks: a message's ts can be later than "now" on the instance serving
		// history. The catch-up reads up to a bound past the room's last message, not the server's "now".
		const first = await start();
		post(fake, rooms[5]._id, user(fake, 'alice'), 'before');
		await first.waitForItems(1);
		await first.close();
		const ahead = post(fake, rooms[5]._id, user(fake, 'alice'), 'from a clock 5 s ahead', { ts: new Date(Date.now() + 5000) });
		const before = fake.requests.length;
		const second = await start(first.staticData());
		await second.waitForItems(1);
		expect(second.json()).toEqual([expect.objectContaining({ id: ahead._id, text: 'from a clock 5 s ahead' })]);
		// The first page of the catch-up after the restart asks up to the highest bound (later pages move `latest`
		// down to the oldest message seen).
		const bounds = fake.requests
			.slice(before)
			.filter((request) => request.endpoint === 'channels.history' && request.query.roomId === rooms[5]._id)
			.map((request) => Date.parse(String(request.query.latest)));
		expect(Math.max(...bounds)).toBeGreaterThanOrEqual(ahead.ts.getTime());
	});

	it('reconnects and catches up when the server comes back after being unreachable', async () => {
		const trigger = await start();
		const alice = user(fake, 'alice');
		post(fake, rooms[2]._id, alice, 'while up');
		await trigger.waitForItems(1);
		const connections = realtime.connections;

		await realtime.goDown();
		const whileDown = Array.from({ length: 30 }, (_, index) => post(fake, rooms[index % 5]._id, alice, `while down ${index}`));
		await new Promise((resolve) => setTimeout(resolve, 800));
		expect(trigger.json()).toHaveLength(1);
		expect(realtime.connections).toBe(connections);
		await realtime.comeUp();

		await trigger.waitForItems(31, 20_000);
		expect(realtime.connections).toBeGreaterThan(connections);
		expectExactlyOnce(trigger, whileDown);
		expect(trigger.errors).toEqual([]);
	}, 40_000);

	it('notices a silent connection by its pings and reconnects', async () => {
		const trigger = await start({}, { pingInterval: 0.2 });
		const alice = user(fake, 'alice');
		post(fake, rooms[3]._id, alice, 'before the silence');
		await trigger.waitForItems(1);
		const connections = realtime.connections;
		const pingsBefore = realtime.framesReceived('ping').length;

		realtime.setUnresponsive(true);
		const lost = post(fake, rooms[3]._id, alice, 'sent into the silence');
		await waitUntil(() => realtime.connections > connections, 'a new connection after the silent one', 10_000);
		expect(realtime.framesReceived('ping').length).toBeGreaterThan(pingsBefore);
		realtime.setUnresponsive(false);

		await trigger.waitForItems(2, 15_000);
		expect(trigger.json()[1]).toMatchObject({ id: lost._id, text: 'sent into the silence' });
		expect(trigger.errors).toEqual([]);
	}, 30_000);

	it('answers the server\'s pings, so the server keeps the connection', async () => {
		realtime.setPing({ intervalMs: 100, timeoutMs: 2000 });
		const trigger = await start({}, { pingInterval: 30 });
		const connections = realtime.connections;
		const pingsSent = realtime.sent.filter((entry) => entry.frame.msg === 'ping').length;
		await waitUntil(() => realtime.sent.filter((entry) => entry.frame.msg === 'ping').length >= pingsSent + 3, 'three server pings');
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(realtime.framesReceived('pong').length).toBeGreaterThanOrEqual(3);
		expect(realtime.connections).toBe(connections);
		post(fake, rooms[4]._id, user(fake, 'alice'), 'still connected');
		await trigger.waitForItems(1);
	});

	it('leaves no socket behind when closed', async () => {
		const trigger = await start();
		expect(realtime.openSessions).toBe(1);
		await trigger.close();
		await waitUntil(() => realtime.openSessions === 0, 'the socket to close');
		const connections = realtime.connections;
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(realtime.connections).toBe(connections);
	});
});
