import type { IDataObject } from 'n8n-workflow';

import { FakeRocketChat, type FakeMessage, type FakeRoom, type FakeUser } from '../../fake';
import { patCredentials } from '../../harness/fixtures';
import { rl, runRocketChat } from '../../harness/run';

const DAY = 24 * 60 * 60 * 1000;

// Several workflows per test: allow for a loaded machine.
jest.setTimeout(60_000);

let fake: FakeRocketChat;

beforeAll(async () => {
	fake = await FakeRocketChat.start();
});

afterAll(async () => {
	await fake.stop();
});

beforeEach(() => {
	fake.clearRequests();
	fake.setRateLimit({ enabled: true });
});

const requestsTo = (endpoint: string) => fake.requests.filter((r) => r.endpoint === endpoint);
const user = (username: string): FakeUser => fake.state.findUserByUsername(username)!;
const asAdmin = () => patCredentials(fake, fake.fixtures.admin);
let counter = 0;
const freshRoom = (type: 'c' | 'p' = 'c', owner = 'admin'): FakeRoom =>
	fake.state.createRoom(type, `clean-${Date.now().toString(36)}-${++counter}`, user(owner), [user('alice'), user('bob')]);
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const post = (roomId: string, by: string, text: string, days: number, extra: Partial<FakeMessage> = {}) =>
	fake.state.postMessage(roomId, user(by), text, { ts: daysAgo(days), ...extra });
const ids = (roomId: string) => new Set(fake.state.messagesOf(roomId).map((m) => m._id));
const clean = (roomId: string, parameters: IDataObject = {}) => ({ resource: 'room', operation: 'cleanHistory', roomId: rl(roomId), ...parameters });

/** A room with old messages of every kind (pinned, thread, file, discussion, other users) and recent ones. */
function mixedRoom(type: 'c' | 'p' = 'c') {
	const room = freshRoom(type);
	const plain = post(room._id, 'alice', 'old plain', 50);
	const pinned = post(room._id, 'bob', 'old pinned', 49, { pinned: true });
	const root = post(room._id, 'alice', 'old thread root', 48);
	const reply = post(room._id, 'bob', 'old thread reply', 47, { tmid: root._id });
	const upload = fake.state.addUpload(room._id, user('alice'), { name: 'old.txt', type: 'text/plain', data: 'old file', uploadedAt: daysAgo(46) });
	const withFile = fake.state.postFileMessage(room._id, user('alice'), upload._id, { ts: daysAgo(46) });
	const discussion = post(room._id, 'admin', 'old discussion start', 45, { drid: 'SomeDiscussionId1' });
	const recent = [post(room._id, 'alice', 'recent 1', 5), post(room._id, 'bob', 'recent 2', 1)];
	return { room, plain, pinned, root, reply, withFile, upload, discussion, recent, old: [plain, pinned, root, reply, withFile, discussion] };
}

describe('Room › Clean History', () => {
	it('"Older Than 30 days" (the defaults): Dry Run changes nothing and counts what the real run then removes', async () => {
		const room = freshRoom();
		const old = [45, 40, 35, 31].map((days) => post(room._id, 'alice', `old ${days}`, days)._id);
		const recent = [29, 5, 1].map((days) => post(room._id, 'bob', `recent ${days}`, days)._id);
		const before = ids(room._id);

		const dry = await runRocketChat({ parameters: clean(room._id, { dryRun: true }), credentials: asAdmin() });
		expect(dry.error).toBeUndefined();
		expect(dry.items[0].json).toMatchObject({ roomId: room._id, dryRun: true, count: 4, messages: 4, files: 0 });
		expect(ids(room._id)).toEqual(before);
		expect(requestsTo('rooms.cleanHistory')).toHaveLength(0);
		const history = requestsTo('channels.history');
		expect(history.length).toBeGreaterThan(0);
		// The same range as the real run: exclusive bounds sent as inclusive ones a millisecond inside.
		expect(history[0].query).toMatchObject({ roomId: room._id, oldest: '1970-01-01T00:00:00.001Z', inclusive: 'true', showThreadMessages: 'true' });

		const real = await runRocketChat({ parameters: clean(room._id), credentials: asAdmin() });
		expect(real.error).toBeUndefined();
		expect(real.items[0].json).toMatchObject({ roomId: room._id, dryRun: false, count: 4, batches: 1 });
		expect(real.items[0].json.count).toBe(dry.items[0].json.count);
		const after = ids(room._id);
		for (const id of old) expect(after.has(id)).toBe(false);
		for (const id of recent) expect(after.has(id)).toBe(true);

		const body = requestsTo('rooms.cleanHistory')[0].body as IDataObject;
		expect(body).toMatchObject({ roomId: room._id, oldest: '1970-01-01T00:00:00.000Z', inclusive: false, limit: 1000 });
		const latest = Date.parse(String(body.latest));
		expect(Math.abs(latest - (Date.now() - 30 * DAY))).toBeLessThan(60_000);
	});

	const cases: Array<[string, IDataObject, (r: ReturnType<typeof mixedRoom>) => FakeMessage[]]> = [
		['no options (discussions kept)', {}, (r) => r.old.filter((m) => m !== r.discussion)],
		['Exclude Pinned', { excludePinned: true }, (r) => r.old.filter((m) => m !== r.pinned && m !== r.discussion)],
		['Ignore Threads', { ignoreThreads: true }, (r) => r.old.filter((m) => m !== r.root && m !== r.reply && m !== r.discussion)],
		['Ignore Discussions off', { ignoreDiscussion: false }, (r) => r.old],
		['Only From Users', { users: 'bob' }, (r) => [r.pinned, r.reply]],
		['Limit', { maxMessages: 2 }, (r) => [r.plain, r.pinned]],
	];

	it.each(cases)('with %s the dry-run count equals the real run and exactly the expected messages go', async (_label, options, expected) => {
		const mixed = mixedRoom();
		const gone = new Set(expected(mixed).map((m) => m._id));
		const before = ids(mixed.room._id);
		const dry = await runRocketChat({ parameters: clean(mixed.room._id, { dryRun: true, options }), credentials: asAdmin() });
		expect(dry.error).toBeUndefined();
		expect(ids(mixed.room._id)).toEqual(before);
		const real = await runRocketChat({ parameters: clean(mixed.room._id, { options }), credentials: asAdmin() });
		expect(real.error).toBeUndefined();
		expect(real.items[0].json.count).toBe(gone.size);
		expect(dry.items[0].json.count).toBe(real.items[0].json.count);
		const after = ids(mixed.room._id);
		for (const id of before) expect(after.has(id)).toBe(!gone.has(id));
	});

	it('keeps discussion rooms by default; with Ignore Discussions off the Dry Run lists the ones the run erases', async () => {
		const room = freshRoom();
		const discussion = fake.state.createRoom('c', `disc-${Date.now().toString(36)}-${++counter}`, user('admin'), [user('alice')], { prid: room._id });
		const start = post(room._id, 'admin', 'Incident review', 40, { t: 'discussion-created', drid: discussion._id });
		for (const text of ['first', 'second', 'third']) fake.state.postMessage(discussion._id, user('alice'), text);
		expect(fake.state.getMessage(start._id)?.dcount).toBe(3);
		post(room._id, 'alice', 'old plain', 41);

		const kept = await runRocketChat({ parameters: clean(room._id), credentials: asAdmin() });
		expect(kept.error).toBeUndefined();
		expect(requestsTo('rooms.cleanHistory')[0].body).toMatchObject({ ignoreDiscussion: true });
		expect(fake.state.rooms.get(discussion._id)).toBeDefined();
		expect(fake.state.getMessage(start._id)).toBeDefined();

		const dry = await runRocketChat({ parameters: clean(room._id, { dryRun: true, options: { ignoreDiscussion: false } }), credentials: asAdmin() });
		expect(dry.error).toBeUndefined();
		expect(dry.items[0].json.discussions).toEqual([{ roomId: discussion._id, name: 'Incident review', messages: 3 }]);
		expect(fake.state.rooms.get(discussion._id)).toBeDefined();

		const erased = await runRocketChat({ parameters: clean(room._id, { options: { ignoreDiscussion: false } }), credentials: asAdmin() });
		expect(erased.error).toBeUndefined();
		expect(fake.state.rooms.get(discussion._id)).toBeUndefined();
		expect(fake.state.messagesOf(discussion._id)).toHaveLength(0);
	});

	it('Files Only removes the files, keeps the messages, and the dry run counts the files', async () => {
		const mixed = mixedRoom('p');
		const dry = await runRocketChat({ parameters: clean(mixed.room._id, { dryRun: true, options: { filesOnly: true } }), credentials: asAdmin() });
		expect(dry.items[0].json).toMatchObject({ count: 1, messages: 0, files: 1 });
		expect(requestsTo('groups.history').length).toBeGreaterThan(0);
		expect(fake.state.files.has(mixed.upload._id)).toBe(true);

		const real = await runRocketChat({ parameters: clean(mixed.room._id, { options: { filesOnly: true } }), credentials: asAdmin() });
		expect(real.items[0].json.count).toBe(1);
		expect(fake.state.files.has(mixed.upload._id)).toBe(false);
		expect(fake.state.getMessage(mixed.withFile._id)?.file).toBeUndefined();
		expect(ids(mixed.room._id).size).toBe(mixed.old.length + mixed.recent.length);
	});

	it('Between Dates removes only the messages inside the range (Inclusive includes the ends)', async () => {
		const room = freshRoom();
		const edges = [40, 35].map((days) => post(room._id, 'alice', `edge ${days}`, days));
		const inside = post(room._id, 'alice', 'inside', 37);
		const outside = [post(room._id, 'alice', 'before', 41), post(room._id, 'alice', 'after', 34)];
		const range = { range: 'between', oldest: edges[0].ts.toISOString(), latest: edges[1].ts.toISOString() };

		const exclusive = await runRocketChat({ parameters: clean(room._id, range), credentials: asAdmin() });
		expect(exclusive.items[0].json).toMatchObject({ count: 1, oldest: range.oldest, latest: range.latest });
		expect(fake.state.getMessage(inside._id)).toBeUndefined();
		expect(edges.every((m) => fake.state.getMessage(m._id))).toBe(true);

		const dry = await runRocketChat({ parameters: clean(room._id, { ...range, dryRun: true, options: { inclusive: true } }), credentials: asAdmin() });
		expect(dry.items[0].json.count).toBe(2);
		const inclusive = await runRocketChat({ parameters: clean(room._id, { ...range, options: { inclusive: true } }), credentials: asAdmin() });
		expect(inclusive.items[0].json.count).toBe(2);
		expect(edges.some((m) => fake.state.getMessage(m._id))).toBe(false);
		expect(outside.every((m) => fake.state.getMessage(m._id))).toBe(true);
	});

	it('cleans a big room in batches until the server deletes nothing more, and stops at Limit', async () => {
		const room = freshRoom();
		for (let i = 0; i < 25; i++) post(room._id, 'alice', `bulk ${i}`, 60 - i / 10);
		const all = await runRocketChat({ parameters: clean(room._id, { options: { batchSize: 10 } }), credentials: asAdmin() });
		expect(all.items[0].json).toMatchObject({ count: 25, batches: 3 });
		expect(requestsTo('rooms.cleanHistory').map((r) => (r.body as IDataObject).limit)).toEqual([10, 10, 10]);

		fake.clearRequests();
		const second = freshRoom();
		for (let i = 0; i < 25; i++) post(second._id, 'alice', `bulk ${i}`, 60 - i / 10);
		const capped = await runRocketChat({ parameters: clean(second._id, { options: { batchSize: 5, maxMessages: 12 } }), credentials: asAdmin() });
		expect(capped.items[0].json).toMatchObject({ count: 12, batches: 3 });
		expect(requestsTo('rooms.cleanHistory').map((r) => (r.body as IDataObject).limit)).toEqual([5, 5, 2]);
		expect(fake.state.messagesOf(second._id)).toHaveLength(13);
	});

	it('waits for the rate limiter between batches', async () => {
		const room = freshRoom('c', 'alice');
		fake.state.permissions['clean-channel-history'].push('owner');
		try {
			for (let i = 0; i < 6; i++) post(room._id, 'bob', `bulk ${i}`, 40);
			fake.setRateLimit({ enabled: true, perEndpoint: { 'rooms.cleanHistory': { calls: 2, windowMs: 800 } } });
			const started = Date.now();
			const { items, error } = await runRocketChat({
				parameters: clean(room._id, { options: { batchSize: 2 } }),
				credentials: patCredentials(fake, fake.fixtures.alice),
			});
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ count: 6 });
			expect(fake.state.messagesOf(room._id)).toHaveLength(0);
			expect(requestsTo('rooms.cleanHistory').filter((r) => r.status === 200)).toHaveLength(4);
			expect(Date.now() - started).toBeGreaterThanOrEqual(700);
		} finally {
			fake.state.permissions['clean-channel-history'] = ['admin'];
		}
	});

	it('without clean-channel-history the server text comes with the permission hint', async () => {
		const room = freshRoom('c', 'alice');
		post(room._id, 'alice', 'old', 40);
		const { error } = await runRocketChat({ parameters: clean(room._id), credentials: patCredentials(fake, fake.fixtures.alice) });
		expect(error?.message).toBe('Not allowed [error-not-allowed]');
		expect(error?.description).toMatch(/"clean-channel-history"/);
		expect(fake.state.messagesOf(room._id)).toHaveLength(1);
	});

	it('refuses an empty or reversed range before any request', async () => {
		const reversed = await runRocketChat({
			parameters: clean('GENERAL', { range: 'between', oldest: '2024-05-02T00:00:00Z', latest: '2024-05-01T00:00:00Z' }),
			credentials: asAdmin(),
		});
		expect(reversed.error?.message).toBe('Oldest is after Latest');
		const missing = await runRocketChat({ parameters: clean('GENERAL', { range: 'between', latest: '={{ "" }}' }), credentials: asAdmin() });
		expect(missing.error?.message).toBe('No end of the range given in "Latest"');
		expect(requestsTo('rooms.cleanHistory')).toHaveLength(0);
		expect(requestsTo('channels.history')).toHaveLength(0);
	});
});
