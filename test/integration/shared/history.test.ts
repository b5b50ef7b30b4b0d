/**
 * The shared history pager (nodes/shared/history.ts) through the operations that read history —
 * Message › Get Many and Room › Clean History's Dry Run — on servers whose admins lowered
 * API_Upper_Count_Limit (pages shorter than asked for are not the end), with many messages in one
 * millisecond, and with a server whose order within a millisecond changes between requests.
 */
import type { IDataObject } from 'n8n-workflow';

import { FakeRocketChat, type FakeRoom, type FakeUser } from '../../fake';
import { wrapHistory } from '../../fake/handlers/history';
import { patCredentials } from '../../harness/fixtures';
import { rl, runRocketChat } from '../../harness/run';

jest.setTimeout(90_000);

const DAY = 86_400_000;

function helpers(fake: () => FakeRocketChat) {
	let counter = 0;
	const user = (name: string): FakeUser => fake().state.findUserByUsername(name)!;
	return {
		user,
		requestsTo: (endpoint: string) => fake().requests.filter((request) => request.endpoint === endpoint),
		room: (type: 'c' | 'p' = 'c'): FakeRoom => fake().state.createRoom(type, `history-${++counter}-${Date.now().toString(36)}`, user('admin'), [user('bot'), user('alice')]),
		/** `n` messages one second apart, the newest `endAgoMs` ago. */
		seed: (roomId: string, n: number, endAgoMs = 60_000) =>
			Array.from({ length: n }, (_, k) => fake().state.postMessage(roomId, user(k % 2 ? 'alice' : 'bot'), `message ${k}`, { ts: new Date(Date.now() - endAgoMs - (n - k) * 1000) })),
		getMany: (roomId: string, extra: IDataObject = {}, continueOnFail = false) =>
			runRocketChat({
				parameters: { resource: 'message', operation: 'getMany', roomId: rl(roomId), returnAll: true, simplify: false, ...extra },
				credentials: patCredentials(fake(), fake().fixtures.admin),
				continueOnFail,
			}),
	};
}

/** Requests for `n` messages at one per millisecond with pages of `upper`: the first full, the rest one message less (the anchor). */
function pagesFor(n: number, upper: number): number {
	return upper < 2 ? n : 1 + Math.ceil(Math.max(0, n - upper) / (upper - 1));
}

function expectEachOnce(items: Array<{ json: IDataObject }>, expectedIds: string[]): void {
	const ids = items.map((item) => String(item.json._id));
	expect(new Set(ids).size).toBe(ids.length);
	expect([...ids].sort()).toEqual([...expectedIds].sort());
}

describe.each([20, 7, 1])('history with API_Upper_Count_Limit = %i', (upper) => {
	let fake: FakeRocketChat;
	const h = helpers(() => fake);

	beforeAll(async () => {
		fake = await FakeRocketChat.start({ upperCountLimit: upper });
	});
	afterAll(async () => {
		await fake.stop();
	});
	beforeEach(() => fake.clearRequests());

	it('Get Many with Return All returns every message of a 58-message room once, newest first, ending on an empty page', async () => {
		const room = h.room();
		const posted = h.seed(room._id, 58);
		const { items, error } = await h.getMany(room._id);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(58);
		expectEachOnce(items, posted.map((message) => message._id));
		const times = items.map((item) => Date.parse(String(item.json.ts)));
		expect(times.every((time, k) => k === 0 || time < times[k - 1])).toBe(true);
		const history = h.requestsTo('channels.history');
		// Full pages of whatever size the server allows (each after the first starts with the last message of the
		// one before, to see that nothing moved), then the page with nothing new that ends a list without `total`.
		expect(history).toHaveLength(pagesFor(58, upper) + 1);
		expect(history.every((request) => Number(request.query.count) <= 100)).toBe(true);
	});

	it('Get Many honours Limit: exactly the newest 45 messages', async () => {
		const room = h.room();
		const posted = h.seed(room._id, 58);
		const { items, error } = await h.getMany(room._id, { returnAll: false, limit: 45 });
		expect(error).toBeUndefined();
		expectEachOnce(items, posted.slice(-45).map((message) => message._id));
		// No request beyond the limit: the last one asks only for what is still missing.
		expect(h.requestsTo('channels.history')).toHaveLength(pagesFor(45, upper));
	});

	it("Clean History's Dry Run counts what the real run removes", async () => {
		const room = h.room('p');
		h.seed(room._id, 58, 40 * DAY);
		h.seed(room._id, 5);
		const clean = (dryRun: boolean) =>
			runRocketChat({
				parameters: { resource: 'room', operation: 'cleanHistory', roomId: rl(room._id), dryRun },
				credentials: patCredentials(fake, fake.fixtures.admin),
			});
		const dry = await clean(true);
		expect(dry.error).toBeUndefined();
		expect(dry.items[0].json).toMatchObject({ dryRun: true, count: 58, messages: 58 });
		expect(fake.state.messagesOf(room._id)).toHaveLength(63);
		const real = await clean(false);
		expect(real.error).toBeUndefined();
		expect(real.items[0].json.count).toBe(58);
		expect(fake.state.messagesOf(room._id)).toHaveLength(5);
	});
});

describe('250 messages in one millisecond', () => {
	let fake: FakeRocketChat;
	const h = helpers(() => fake);
	const N = 250;
	let room: FakeRoom;
	let sameMs: string[];
	let around: string[];

	beforeAll(async () => {
		fake = await FakeRocketChat.start({ upperCountLimit: 20 });
		room = h.room();
		const ts = new Date(Date.now() - 3_600_000);
		// Older and newer neighbours, so the millisecond is in the middle of the history.
		around = [
			fake.state.postMessage(room._id, h.user('bot'), 'before', { ts: new Date(ts.getTime() - 1) })._id,
			fake.state.postMessage(room._id, h.user('bot'), 'after', { ts: new Date(ts.getTime() + 1) })._id,
		];
		sameMs = Array.from({ length: N }, (_, k) => fake.state.postMessage(room._id, h.user('alice'), `same ${k}`, { ts })._id);
	});
	afterAll(async () => {
		await fake.stop();
	});
	beforeEach(() => fake.clearRequests());
	let route: { restore(): void } | undefined;
	afterEach(() => route?.restore());
	const wrap = (handler: Parameters<typeof wrapHistory>[2]) => (route = wrapHistory(fake, 'c', handler));

	it('Get Many returns each exactly once, also while new messages are posted between pages', async () => {
		wrap((ctx, original, call) => {
			if (call > 1) fake.state.postMessage(room._id, h.user('bob'), `live ${call}`);
			return original(ctx);
		});
		const { items, error } = await h.getMany(room._id);
		expect(error).toBeUndefined();
		const texts = items.map((item) => String(item.json.msg));
		expect(texts.filter((text) => text.startsWith('live'))).toEqual([]);
		expectEachOnce(items, [...sameMs, ...around]);
		expect(texts[0]).toBe('after');
		expect(texts.at(-1)).toBe('before');
	});

	it('Get Many returns each exactly once from a server whose order within the millisecond changes between requests', async () => {
		// MongoDB keeps no fixed order among equal sort keys (SERVER-51498): here the order of the
		// millisecond's messages turns round from the third request on (e.g. another query plan).
		wrap((ctx, original, call) => {
			const { offset, count } = ctx.paginate();
			const all = original({ ...ctx, paginate: () => ({ offset: 0, count: 0 }) }).messages as IDataObject[];
			const ordered = call < 3 ? all : reverseTies(all);
			return { messages: ordered.slice(offset, offset + count) };
		});
		const inRoom = fake.state.messagesOf(room._id).map((message) => message._id);
		const { items, error } = await h.getMany(room._id);
		expect(error).toBeUndefined();
		expectEachOnce(items, inRoom);
		expect(inRoom).toEqual(expect.arrayContaining([...sameMs, ...around]));
		// The millisecond was read again whole.
		const history = h.requestsTo('channels.history');
		expect(history.some((request) => request.query.oldest !== undefined && request.query.oldest === request.query.latest)).toBe(true);
	});

	it('Get Many returns every remaining message once when messages of the millisecond already returned are deleted between pages', async () => {
		// Rocket.Chat removes a deleted message: the ones after it move up, and an offset alone would skip one.
		const deleted: string[] = [];
		wrap((ctx, original, call) => {
			// Before the 2nd and 4th request: one the first page returned (the millisecond's first and sixth).
			const target = call === 2 ? sameMs[0] : call === 4 ? sameMs[5] : undefined;
			if (target && fake.state.getMessage(target)) {
				fake.state.deleteMessage(target);
				deleted.push(target);
			}
			return original(ctx);
		});
		const remaining = () => fake.state.messagesOf(room._id).map((message) => message._id);
		const { items: got, error } = await h.getMany(room._id);
		expect(error).toBeUndefined();
		expect(deleted).toHaveLength(2);
		const ids = got.map((item) => String(item.json._id));
		// Every message still there is returned, once; a deleted one only if it was listed before it went.
		expect(new Set(ids).size).toBe(ids.length);
		expect(remaining().filter((id) => !ids.includes(id))).toEqual([]);
		expect(ids.filter((id) => !remaining().includes(id)).every((id) => deleted.includes(id))).toBe(true);
	});

	it('fails with a clear error, never a partial list, when the server repeats the same page of the millisecond', async () => {
		// A server that ignores `offset` inside the millisecond.
		wrap((ctx, original) => {
			const { count } = ctx.paginate();
			return { messages: (original({ ...ctx, paginate: () => ({ offset: 0, count: 0 }) }).messages as IDataObject[]).slice(0, count) };
		});
		const failed = await h.getMany(room._id);
		expect(failed.items).toHaveLength(0);
		expect(String(failed.error?.message)).toMatch(/different order on every request; could not read them all/);
		const continued = await h.getMany(room._id, {}, true);
		expect(continued.error).toBeUndefined();
		expect(continued.items).toHaveLength(1);
		expect(String(continued.items[0].json.error)).toMatch(/could not read them all/);
	});
});

/** The same messages with every run of equal `ts` in reverse. */
function reverseTies(messages: IDataObject[]): IDataObject[] {
	const out: IDataObject[] = [];
	const time = (message: IDataObject) => new Date(message.ts as string | Date).getTime();
	for (let start = 0; start < messages.length; ) {
		let end = start;
		while (end < messages.length && time(messages[end]) === time(messages[start])) end++;
		out.push(...messages.slice(start, end).reverse());
		start = end;
	}
	return out;
}
