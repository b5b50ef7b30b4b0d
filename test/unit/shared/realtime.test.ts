/**
 * The DDP client of nodes/shared/realtime.ts against the fake's DDP server (real sockets on 127.0.0.1),
 * and its helpers.
 */
import { backoffDelay, DdpClient, fromEjson, pause, realtimeUrl, RealtimeError } from '../../../nodes/shared/realtime';
import { FakeRocketChat } from '../../fake';
import { enableRealtime, type FakeRealtime } from '../../fake/realtime';

let fake: FakeRocketChat;
let realtime: FakeRealtime;
const clients: DdpClient[] = [];

beforeAll(async () => {
	fake = await FakeRocketChat.start();
	realtime = enableRealtime(fake, { pingIntervalMs: 0 });
});

afterEach(async () => {
	while (clients.length) await clients.pop()!.close();
	realtime.setUnresponsive(false);
	realtime.setPing({ intervalMs: 0 });
});

afterAll(async () => {
	realtime.close();
	await fake.stop();
});

function client(options: Partial<ConstructorParameters<typeof DdpClient>[0]> = {}): DdpClient {
	const created = new DdpClient({ url: realtimeUrl(fake.url), timeoutMs: 2000, ...options });
	clients.push(created);
	return created;
}

const alice = () => fake.state.getUser(fake.fixtures.alice.userId)!;

describe('DdpClient', () => {
	it('connects, logs in with a PAT, subscribes and receives pushed messages with EJSON dates', async () => {
		const ddp = client();
		const session = await ddp.connect();
		expect(session).toMatch(/^\w{17}$/);
		expect(realtime.received.at(-1)?.frame).toEqual({ msg: 'connect', version: '1', support: ['1'] });
		expect(await ddp.login(fake.fixtures.bot.pat)).toBe(fake.fixtures.bot.userId);
		const pushed: unknown[][] = [];
		ddp.onChanged((changed) => pushed.push(changed.fields.args ?? []));
		const id = await ddp.subscribe('stream-room-messages', ['__my_messages__', false]);
		expect(id).toMatch(/^s\d+$/);
		const message = fake.state.postMessage(fake.fixtures.rooms.random, alice(), 'pushed');
		await pause(2000, () => pushed.length > 0, 10);
		expect(pushed).toHaveLength(1);
		const [sent, info] = pushed[0] as [Record<string, unknown>, Record<string, unknown>];
		expect(sent).toMatchObject({ _id: message._id, msg: 'pushed', ts: { $date: message.ts.getTime() } });
		expect(fromEjson(sent)).toMatchObject({ ts: message.ts.toISOString(), _updatedAt: message._updatedAt.toISOString() });
		expect(info).toEqual({ roomParticipant: true, roomType: 'c', roomName: 'random' });
	});

	it('rejects a refused login token with the DDP error code 403', async () => {
		const ddp = client();
		await ddp.connect();
		const error = (await ddp.login('wrong-token').catch((caught: unknown) => caught)) as RealtimeError;
		expect(error).toBeInstanceOf(RealtimeError);
		expect(error.kind).toBe('method');
		expect(error.code).toBe('403');
		expect(error.message).toBe("You've been logged out by the server. Please log in again.");
	});

	it('rejects a refused subscription with nosub', async () => {
		const secret = fake.state.createRoom('p', `secret-${Date.now()}`, alice());
		const ddp = client();
		await ddp.connect();
		await ddp.login(fake.fixtures.bot.pat);
		const error = (await ddp.subscribe('stream-room-messages', [secret._id, false]).catch((caught: unknown) => caught)) as RealtimeError;
		expect(error.kind).toBe('nosub');
		expect(error.code).toBe('not-allowed');
		expect(realtime.subscriptions()).toEqual([]);
	});

	it('ends the earlier subscription before subscribing the same stream again', async () => {
		const ddp = client();
		await ddp.connect();
		await ddp.login(fake.fixtures.bot.pat);
		const first = await ddp.subscribe('stream-room-messages', ['__my_messages__', false]);
		const second = await ddp.subscribe('stream-room-messages', ['__my_messages__', false]);
		expect(second).not.toBe(first);
		expect(realtime.received.map((entry) => entry.frame).filter((frame) => frame.msg === 'unsub').at(-1)).toEqual({ msg: 'unsub', id: first });
		await pause(1000, () => realtime.subscriptions().length === 1, 10);
		expect(realtime.subscriptions()).toHaveLength(1);
		const pushed: unknown[] = [];
		ddp.onChanged((changed) => pushed.push(changed));
		fake.state.postMessage(fake.fixtures.rooms.general, alice(), 'once');
		await pause(300, () => false, 20);
		expect(pushed).toHaveLength(1);
	});

	it("answers the server's pings with pongs", async () => {
		realtime.setPing({ intervalMs: 50, timeoutMs: 2000 });
		const ddp = client({ pingIntervalMs: 60_000 });
		await ddp.connect();
		await pause(1000, () => realtime.framesReceived('pong').length >= 2, 10);
		expect(realtime.framesReceived('pong').length).toBeGreaterThanOrEqual(2);
		expect(ddp.isOpen).toBe(true);
	});

	it('pings when the server is silent and closes the connection when no answer comes', async () => {
		const ddp = client({ pingIntervalMs: 100, pingTimeoutMs: 150 });
		await ddp.connect();
		await ddp.login(fake.fixtures.bot.pat);
		const pings = realtime.framesReceived('ping').length;
		realtime.setUnresponsive(true);
		const closed = await ddp.closed;
		expect(closed).toMatchObject({ byClient: false, code: 4000 });
		expect(closed.reason).toMatch(/no answer to ping/);
		expect(realtime.framesReceived('ping').length).toBe(pings + 1);
		expect(ddp.isOpen).toBe(false);
		await expect(ddp.call('anything')).rejects.toMatchObject({ kind: 'closed' });
	});

	it('keeps a quiet but healthy connection open with its own pings', async () => {
		const ddp = client({ pingIntervalMs: 50, pingTimeoutMs: 2000 });
		await ddp.connect();
		await pause(400, () => false, 20);
		expect(ddp.isOpen).toBe(true);
		expect(realtime.framesReceived('ping').filter((entry) => entry.session === ddp.session).length).toBeGreaterThanOrEqual(2);
	});

	it('reports a dropped connection through `closed` and fails calls waiting for an answer', async () => {
		const ddp = client();
		await ddp.connect();
		realtime.setUnresponsive(true);
		const pending = ddp.call('login', [{ resume: fake.fixtures.bot.pat }]);
		realtime.dropAll();
		await expect(pending).rejects.toMatchObject({ kind: 'closed' });
		expect((await ddp.closed).byClient).toBe(false);
	});

	it('times out when the server never answers the handshake', async () => {
		realtime.setUnresponsive(true);
		const ddp = client({ timeoutMs: 200 });
		await expect(ddp.connect()).rejects.toMatchObject({ kind: 'timeout' });
		expect(ddp.isOpen).toBe(false);
	});

	it('fails to connect to a port nobody listens on', async () => {
		const ddp = client({ url: 'ws://127.0.0.1:1/websocket' });
		await expect(ddp.connect()).rejects.toMatchObject({ kind: 'connect' });
	});

	it('says so when the host has no WebSocket', async () => {
		const host = globalThis as { WebSocket?: unknown };
		const saved = host.WebSocket;
		delete host.WebSocket;
		try {
			await expect(client().connect()).rejects.toMatchObject({ kind: 'unsupported' });
		} finally {
			host.WebSocket = saved;
		}
	});

	it('closes by the client: `closed` says so and the server sees the socket go', async () => {
		const ddp = client();
		await ddp.connect();
		await pause(500, () => realtime.openSessions === 1, 10);
		await ddp.close();
		expect(await ddp.closed).toMatchObject({ byClient: true, code: 1000 });
		await pause(1000, () => realtime.openSessions === 0, 10);
		expect(realtime.openSessions).toBe(0);
	});
});

describe('helpers', () => {
	it('backoffDelay doubles from the base up to the maximum, with jitter between half and all of it', () => {
		expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, 1000, 30_000, () => 1))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
		expect([0, 1, 5].map((attempt) => backoffDelay(attempt, 1000, 30_000, () => 0))).toEqual([500, 1000, 15000]);
		for (let attempt = 0; attempt < 10; attempt++) {
			const delay = backoffDelay(attempt, 1000, 30_000);
			const cap = Math.min(30_000, 1000 * 2 ** attempt);
			expect(delay).toBeGreaterThanOrEqual(cap / 2);
			expect(delay).toBeLessThanOrEqual(cap);
		}
	});

	it('fromEjson turns {$date} into ISO strings at any depth and leaves the rest', () => {
		expect(fromEjson({ ts: { $date: 0 }, nested: [{ at: { $date: 1_700_000_000_000 } }], other: { $date: 'x' }, n: 1 })).toEqual({
			ts: '1970-01-01T00:00:00.000Z',
			nested: [{ at: '2023-11-14T22:13:20.000Z' }],
			other: { $date: 'x' },
			n: 1,
		});
	});

	it('pause returns as soon as it is told to stop', async () => {
		let stop = false;
		const started = Date.now();
		const waiting = pause(10_000, () => stop, 20);
		stop = true;
		await waiting;
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('realtimeUrl maps the server URL to the /websocket endpoint', () => {
		expect(realtimeUrl('https://chat.example.com/api/v1/')).toBe('wss://chat.example.com/websocket');
		expect(realtimeUrl('http://127.0.0.1:3000')).toBe('ws://127.0.0.1:3000/websocket');
		expect(realtimeUrl('https://example.com/chat')).toBe('wss://example.com/chat/websocket');
	});
});
