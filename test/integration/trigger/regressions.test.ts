/**
 * Rocket.Chat Trigger: one named test per way the first cursor model broke "each new message starts one
 * execution" against a real server's timing (late inserts, busy rooms, repeated milliseconds, a lowered
 * count limit, edits while nobody listened, rooms joined later, failing rooms, crashes around emit,
 * invisible problems, bursts after a downtime).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FakeRocketChat, type FakeRoom } from '../../fake';
import { wrapHistory } from '../../fake/handlers/history';
import { enableRealtime, type FakeRealtime } from '../../fake/realtime';
import { patCredentials } from '../../harness/fixtures';
import { activateTrigger, type ActiveTrigger, type ExecutionModel, ExecutionStore, waitUntil } from '../../harness/trigger';
import { post, triggerParameters, user } from './helpers';

let fake: FakeRocketChat;
let realtime: FakeRealtime;
const running: ActiveTrigger[] = [];
let counter = 0;

const POLLING = { receiveVia: 'polling', pollInterval: 1, pollUnit: 'seconds' };

beforeAll(async () => {
	fake = await FakeRocketChat.start();
	realtime = enableRealtime(fake, { pingIntervalMs: 0 });
});

afterEach(async () => {
	while (running.length) await running.pop()!.close();
	fake.clearFaults();
	fake.upperCountLimit = 100;
	fake.state.setTiming({ instanceSkewsMs: [0], visibilityDelayMs: 0, strictClock: false });
});

afterAll(async () => {
	realtime.close();
	await fake.stop();
});

/** A fresh room (alice owner, bot and bob members) so that tests do not see each other's messages. */
function room(type: 'c' | 'p' = 'c', withBot = true): FakeRoom {
	const members = [user(fake, 'bob'), ...(withBot ? [user(fake, 'bot')] : [])];
	return fake.state.createRoom(type, `regression-${Date.now()}-${counter++}`, user(fake, 'alice'), members);
}

async function start(
	parameters: INodeParameters,
	options: { staticData?: IDataObject; store?: ExecutionStore; execution?: ExecutionModel; workflowId?: string } = {},
): Promise<ActiveTrigger> {
	const trigger = await activateTrigger({
		parameters: triggerParameters({ roomScope: 'all', ...parameters }),
		credentials: patCredentials(fake, fake.fixtures.bot),
		...options,
	});
	running.push(trigger);
	return trigger;
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** The ids of the executed messages (deduplicated executions), in order. */
const executedIds = (trigger: ActiveTrigger) => trigger.store.json().map((item) => String(item.id));

/** The items of the executions n8n ran, in order. */
const store = (trigger: ActiveTrigger) => trigger.store.json();

function expectEachOnce(trigger: ActiveTrigger, ids: string[]): void {
	const executed = executedIds(trigger);
	expect(executed.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
	expect(new Set(executed).size).toBe(executed.length);
}

describe('Rocket.Chat Trigger › regressions', () => {
	it('1. late inserts: a message stamped before a newer one but visible after it is delivered (polling)', async () => {
		const target = room();
		const trigger = await start(POLLING);
		await sleep(300);
		// A stamps first but its insert takes 1.5 s; B stamps later and is visible at once.
		fake.state.setTiming({ visibilityDelayMs: (message) => (message.msg === 'A' ? 1500 : 0) });
		const a = post(fake, target._id, user(fake, 'alice'), 'A');
		await sleep(5);
		const b = post(fake, target._id, user(fake, 'bob'), 'B');
		await waitUntil(() => executedIds(trigger).includes(b._id), 'B');
		await fake.state.settled();
		await waitUntil(() => executedIds(trigger).includes(a._id), 'the late A', 8000);
		expectEachOnce(trigger, [a._id, b._id]);
	}, 30_000);

	it('2. busy rooms: after 150 messages, one stamped a few ms after the first still arrives', async () => {
		const target = room();
		const trigger = await start(POLLING);
		await sleep(300);
		fake.state.setTiming({ visibilityDelayMs: (message) => (message.msg === 'late' ? 1500 : 0) });
		const first = post(fake, target._id, user(fake, 'alice'), 'first');
		const late = post(fake, target._id, user(fake, 'bob'), 'late');
		const busy = Array.from({ length: 150 }, (_, index) => post(fake, target._id, user(fake, 'alice'), `busy ${index}`));
		await waitUntil(() => executedIds(trigger).length >= 151, '151 messages', 20_000);
		await fake.state.settled();
		await waitUntil(() => executedIds(trigger).includes(late._id), 'the late message', 8000);
		expectEachOnce(trigger, [first._id, late._id, ...busy.map((message) => message._id)]);
	}, 40_000);

	it('3. same millisecond: a second message with the room unchanged since the last poll is not held back', async () => {
		const target = room();
		const trigger = await start(POLLING);
		await sleep(300);
		const at = new Date();
		const one = post(fake, target._id, user(fake, 'alice'), 'one', { ts: at });
		await waitUntil(() => executedIds(trigger).includes(one._id), 'the first message');
		// Same millisecond, and the room's _updatedAt stays what the last poll saw.
		const two = post(fake, target._id, user(fake, 'bob'), 'two', { ts: at });
		await waitUntil(() => executedIds(trigger).includes(two._id), 'the second message of the millisecond', 5000);
		expectEachOnce(trigger, [one._id, two._id]);
	}, 30_000);

	it('4. lowered API_Upper_Count_Limit: all 50 messages missed while n8n was stopped arrive', async () => {
		const target = room();
		const store = new ExecutionStore();
		const first = await start(POLLING, { store, workflowId: 'wf-regression-4' });
		await sleep(300);
		await first.close();
		running.pop();
		fake.upperCountLimit = 20;
		const missed = Array.from({ length: 50 }, (_, index) => post(fake, target._id, user(fake, 'alice'), `missed ${index}`));
		const second = await start(POLLING, { store, staticData: first.savedStaticData(), workflowId: 'wf-regression-4' });
		await waitUntil(() => executedIds(second).length >= 50, '50 messages', 15_000);
		expectEachOnce(second, missed.map((message) => message._id));
	}, 30_000);

	it('4b. a message deleted while a catch-up pages through its millisecond does not hide another (realtime, lowered count limit)', async () => {
		const target = room();
		const store = new ExecutionStore();
		// Realtime: one catch-up after the restart, nothing re-reads the room later.
		const first = await start({ options: { pingInterval: 30 } }, { store, workflowId: 'wf-regression-4b' });
		await waitUntil(() => realtime.subscriptions('stream-room-messages').length > 0, 'the realtime subscription');
		await first.close();
		running.pop();
		fake.upperCountLimit = 3;
		// Twelve messages in one millisecond while n8n was stopped.
		const at = new Date();
		const missed = Array.from({ length: 12 }, (_, index) => post(fake, target._id, user(fake, 'alice'), `missed ${index}`, { ts: at }));
		// Between the catch-up's first and second page, the first message the first page returned is deleted
		// (Rocket.Chat removes it; the others move up by one).
		let deleted: string | undefined;
		let calls = 0;
		const route = wrapHistory(fake, 'c', (ctx, original) => {
			if (ctx.query.roomId === target._id && ++calls === 2) {
				deleted = missed[0]._id;
				fake.state.deleteMessage(deleted);
			}
			return original(ctx);
		});
		try {
			const second = await start({ options: { pingInterval: 30 } }, { store, staticData: first.savedStaticData(), workflowId: 'wf-regression-4b' });
			await waitUntil(() => executedIds(second).length >= 11, 'the messages', 15_000);
			await sleep(1500);
			expect(deleted).toBe(missed[0]._id);
			const executed = executedIds(second);
			expect(missed.slice(1).map((message) => message._id).filter((id) => !executed.includes(id))).toEqual([]);
			expect(new Set(executed).size).toBe(executed.length);
		} finally {
			route.restore();
		}
	}, 30_000);

	it('5. Include Edits: an edit made while nobody listened is delivered by polling, once', async () => {
		const target = room();
		const message = post(fake, target._id, user(fake, 'alice'), 'typo');
		const trigger = await start({ ...POLLING, filters: { includeEdits: true } });
		await sleep(300);
		fake.state.editMessage(message._id, user(fake, 'alice'), 'fixed');
		await waitUntil(() => trigger.store.json().some((item) => item.isEdit === true), 'the edit', 8000);
		await sleep(1500);
		const edits = trigger.store.json().filter((item) => item.id === message._id);
		expect(edits).toEqual([expect.objectContaining({ isEdit: true, text: 'fixed' })]);
	}, 30_000);

	it('5b. Include Edits: edits made while n8n was stopped arrive, whatever the order of the messages and of their edits', async () => {
		const target = room();
		const store = new ExecutionStore();
		const options = { ...POLLING, filters: { includeEdits: true }, options: { lateMessageWindow: 1 } };
		const first = await start(options, { store, workflowId: 'wf-regression-5b' });
		await sleep(300);
		const earlier = post(fake, target._id, user(fake, 'alice'), 'earlier');
		const later = post(fake, target._id, user(fake, 'bob'), 'later');
		await waitUntil(() => executedIds(first).includes(later._id) && executedIds(first).includes(earlier._id), 'both messages', 8000);
		// n8n writes the static data (the cursor past both) with the next emit.
		const next = post(fake, room()._id, user(fake, 'alice'), 'elsewhere');
		await waitUntil(() => executedIds(first).includes(next._id), 'the next message', 8000);
		await sleep(300);
		const saved = first.savedStaticData();
		await first.close();
		running.pop();
		// The later message is edited first, the earlier one more than the Late Message Window after it.
		const laterEdit = fake.state.editMessage(later._id, user(fake, 'bob'), 'later, edited');
		await sleep(1300);
		const earlierEdit = fake.state.editMessage(earlier._id, user(fake, 'alice'), 'earlier, edited');
		const second = await start(options, { store, staticData: saved, workflowId: 'wf-regression-5b' });
		const editsOf = (id: string) => second.store.json().filter((item) => item.id === id && item.isEdit === true);
		await waitUntil(() => editsOf(earlier._id).length > 0 && editsOf(later._id).length > 0, 'both edits', 8000).catch(() => undefined);
		await sleep(1500);
		const seen = (id: string) => editsOf(id).map((item) => [item.text, new Date(item.editedAt as string).getTime()]);
		expect(seen(later._id)).toEqual([['later, edited', laterEdit.editedAt?.getTime()]]);
		expect(seen(earlier._id)).toEqual([['earlier, edited', earlierEdit.editedAt?.getTime()]]);
	}, 30_000);

	it('6. a room joined after activation emits only messages sent after joining', async () => {
		const target = room('c', false);
		const before = Array.from({ length: 30 }, (_, index) => post(fake, target._id, user(fake, 'alice'), `before joining ${index}`));
		const trigger = await start(POLLING);
		await sleep(300);
		fake.state.addMember(target._id, user(fake, 'bot'));
		await sleep(20);
		const after = post(fake, target._id, user(fake, 'alice'), 'after joining');
		await waitUntil(() => executedIds(trigger).includes(after._id), 'the message after joining', 8000);
		await sleep(1500);
		expect(executedIds(trigger).filter((id) => before.some((message) => message._id === id))).toEqual([]);
		expectEachOnce(trigger, [after._id]);
	}, 30_000);

	it('6b. a room left and joined again while n8n was stopped starts again at the new joining (the saved cursor predates the leave)', async () => {
		const target = room();
		const store = new ExecutionStore();
		const first = await start(POLLING, { store, workflowId: 'wf-regression-6b' });
		await sleep(300);
		// n8n saved the static data at the activation; nothing was emitted since.
		const saved = first.savedStaticData();
		await first.close();
		running.pop();
		fake.state.removeMember(target._id, user(fake, 'bot')._id);
		const outside = post(fake, target._id, user(fake, 'alice'), 'while the user was not a member');
		await sleep(20);
		fake.state.addMember(target._id, user(fake, 'bot'));
		await sleep(20);
		const after = post(fake, target._id, user(fake, 'alice'), 'after joining again');
		const second = await start(POLLING, { store, staticData: saved, workflowId: 'wf-regression-6b' });
		await waitUntil(() => executedIds(second).includes(after._id), 'the message after joining again', 8000);
		await sleep(1500);
		expect(executedIds(second)).not.toContain(outside._id);
		expectEachOnce(second, [after._id]);
	}, 30_000);

	it('6c. a room watched since the activation, left, then joined again between two reads of one poll: nothing from outside the membership', async () => {
		const target = room();
		// The membership has not changed for longer than the Late Message Window when the trigger starts (the
		// user's own message moves the room, not the user's subscription).
		await sleep(1500);
		post(fake, target._id, user(fake, 'bot'), 'the user posts');
		const trigger = await start({ ...POLLING, options: { lateMessageWindow: 1 } }, { workflowId: 'wf-regression-6c' });
		await sleep(300);
		fake.state.removeMember(target._id, user(fake, 'bot')._id);
		const outside = post(fake, target._id, user(fake, 'alice'), 'while the user was not a member');
		// A poll or two see the leave.
		await sleep(2500);
		// The next poll reads the memberships, then the rooms: the user joins again in between.
		const injectedAt = Date.now();
		fake.inject({ endpoint: 'rooms.get', delayMs: 700 });
		await waitUntil(() => fake.requests.some((request) => request.endpoint === 'rooms.get' && request.at.getTime() >= injectedAt), 'the delayed rooms.get', 5000);
		fake.state.addMember(target._id, user(fake, 'bot'));
		await sleep(20);
		const after = post(fake, target._id, user(fake, 'alice'), 'after joining again');
		await waitUntil(() => executedIds(trigger).includes(after._id), 'the message after joining again', 8000);
		await sleep(1500);
		expect(executedIds(trigger)).not.toContain(outside._id);
		expectEachOnce(trigger, [after._id]);
	}, 30_000);

	it('6d. a room joined after activation whose joining cannot be read at once: a message stamped earlier by a slower clock, after the joining, is not lost (realtime)', async () => {
		const target = room('c', false);
		const trigger = await start({ options: { pingInterval: 30 } });
		await waitUntil(() => realtime.subscriptions('stream-room-messages').length > 0, 'the realtime subscription');
		// The user joined 300 ms ago; reading when fails twice (a server error).
		fake.state.addMember(target._id, user(fake, 'bot'), { ts: new Date(Date.now() - 300) });
		fake.inject({ endpoint: 'subscriptions.getOne', status: 500, times: 2 });
		const first = post(fake, target._id, user(fake, 'alice'), 'first after joining');
		// Sent just after it, stamped 50 ms earlier by a server instance whose clock is behind (still after the joining).
		const second = post(fake, target._id, user(fake, 'bob'), 'second, slower clock', { ts: new Date(first.ts.getTime() - 50) });
		await waitUntil(() => executedIds(trigger).includes(first._id) && executedIds(trigger).includes(second._id), 'both messages', 15_000);
		await sleep(500);
		expectEachOnce(trigger, [first._id, second._id]);
	}, 40_000);

	it('7. a room whose read failed is read again: its gap is refilled (realtime)', async () => {
		const failing = room('p');
		const other = room('c');
		// Long pings: no incidental reconnect (and catch-up) other than the one after the server comes back.
		const trigger = await start({ options: { pingInterval: 30 } });
		await waitUntil(() => realtime.subscriptions('stream-room-messages').length > 0, 'the realtime subscription');
		await realtime.goDown();
		const lost = post(fake, failing._id, user(fake, 'alice'), 'in the failing room while disconnected');
		const fine = post(fake, other._id, user(fake, 'alice'), 'in the other room while disconnected');
		// The catch-up after the reconnect cannot read the private group once.
		fake.inject({ endpoint: 'groups.history', status: 403, times: 1, body: { success: false, error: 'unauthorized' } });
		await realtime.comeUp();
		await waitUntil(() => executedIds(trigger).includes(fine._id), 'the other room');
		await waitUntil(() => executedIds(trigger).includes(lost._id), 'the failing room, read again', 15_000);
		expectEachOnce(trigger, [lost._id, fine._id]);
		expect(trigger.failures.some((failure) => /could not catch up room/.test(failure.message))).toBe(true);
	}, 40_000);

	it('7b. a live message in a room whose read failed does not hide the gap before it (realtime)', async () => {
		const target = room('c');
		const trigger = await start({ options: { pingInterval: 30, lateMessageWindow: 1 } });
		await waitUntil(() => realtime.subscriptions('stream-room-messages').length > 0, 'the realtime subscription');
		await realtime.goDown();
		const gap = post(fake, target._id, user(fake, 'alice'), 'sent while disconnected');
		// The catch-up after the reconnect, and the first retry 2 s later, cannot read the room.
		fake.inject({ endpoint: 'channels.history', status: 500, times: 2 });
		await realtime.comeUp();
		await waitUntil(() => trigger.failures.some((failure) => /could not catch up room/.test(failure.message)), 'the failed read');
		// More than the Late Message Window later, a message arrives live before the room is read again.
		await sleep(1200);
		const live = post(fake, target._id, user(fake, 'bob'), 'live, before the retry');
		await waitUntil(() => executedIds(trigger).includes(live._id), 'the live message');
		await waitUntil(() => executedIds(trigger).includes(gap._id), 'the message of the gap, read again', 15_000);
		expectEachOnce(trigger, [gap._id, live._id]);
	}, 40_000);

	it('8a. crash after emit, before n8n started the execution: the message runs after the restart', async () => {
		const target = room();
		const store = new ExecutionStore();
		let refuse = true;
		const first = await start({}, { store, workflowId: 'wf-regression-8a', execution: { beforeStart: () => {
			if (refuse) throw new Error('SQLITE_BUSY: database is locked');
		} } });
		await waitUntil(() => realtime.subscriptions('stream-room-messages').length > 0, 'the realtime subscription');
		const message = post(fake, target._id, user(fake, 'alice'), 'emitted, then n8n died');
		await waitUntil(() => first.emits.length >= 1, 'the emit');
		await sleep(50);
		await first.close({ crash: true });
		running.pop();
		refuse = false;
		const second = await start({}, { store, staticData: first.savedStaticData(), workflowId: 'wf-regression-8a' });
		await waitUntil(() => executedIds(second).includes(message._id), 'the message after the restart', 8000);
		expectEachOnce(second, [message._id]);
	}, 30_000);

	it('8b. crash after the execution ran, before the static data was written: no second execution', async () => {
		const target = room();
		const store = new ExecutionStore();
		const first = await start({}, { store, workflowId: 'wf-regression-8b', execution: { saveDelayMs: 60_000 } });
		await waitUntil(() => realtime.subscriptions('stream-room-messages').length > 0, 'the realtime subscription');
		const message = post(fake, target._id, user(fake, 'alice'), 'ran, then n8n died');
		await waitUntil(() => executedIds(first).includes(message._id), 'the execution');
		await first.close({ crash: true });
		running.pop();
		const second = await start({}, { store, staticData: first.savedStaticData(), workflowId: 'wf-regression-8b' });
		await waitUntil(() => second.emits.length >= 1, 'the repeated emit', 8000);
		await sleep(300);
		expect(store.refused).toBeGreaterThanOrEqual(1);
		expectEachOnce(second, [message._id]);
	}, 30_000);

	it('8c. Include Edits: an edit made while n8n was down reaches n8n though the message itself is refused as already run', async () => {
		const target = room();
		const store = new ExecutionStore();
		const parameters = { ...POLLING, filters: { includeEdits: true } };
		const first = await start(parameters, { store, workflowId: 'wf-regression-8c', execution: { saveDelayMs: 60_000 } });
		await sleep(300);
		const message = post(fake, target._id, user(fake, 'alice'), 'typo');
		await waitUntil(() => executedIds(first).includes(message._id), 'the execution');
		await first.close({ crash: true });
		running.pop();
		// The saved cursor does not cover the message: the next activation reads it again, now edited.
		const edited = fake.state.editMessage(message._id, user(fake, 'alice'), 'fixed');
		const second = await start(parameters, { store, staticData: first.savedStaticData(), workflowId: 'wf-regression-8c' });
		await waitUntil(() => store.refused >= 1, 'the repeated emit, refused', 8000);
		await waitUntil(() => store.json().some((item) => item.isEdit === true), 'the edit', 8000);
		await sleep(1500);
		expect(store.json().filter((item) => item.id === message._id)).toEqual([
			expect.objectContaining({ isEdit: false, text: 'typo' }),
			expect.objectContaining({ isEdit: true, text: 'fixed', editedAt: edited.editedAt?.toISOString() }),
		]);
		expect(second.errors).toEqual([]);
	}, 30_000);

	it('8d. Include Edits: a message whose execution n8n could not start at once reaches n8n before its edit (realtime)', async () => {
		const target = room();
		let refusals = 0;
		const trigger = await start({ filters: { includeEdits: true } }, { execution: { beforeStart: (key) => {
			// The message's own key (no edit time) fails twice, as with a busy database.
			if (key?.split(':').length === 5 && refusals < 2) {
				refusals++;
				throw new Error('SQLITE_BUSY: database is locked');
			}
		} } });
		await waitUntil(() => realtime.subscriptions('stream-room-messages').length > 0, 'the realtime subscription');
		const message = post(fake, target._id, user(fake, 'alice'), 'typo');
		await waitUntil(() => refusals >= 1, 'the failed start');
		const edited = fake.state.editMessage(message._id, user(fake, 'alice'), 'fixed');
		await waitUntil(() => store(trigger).filter((item) => item.id === message._id).length >= 2, 'the message and its edit', 15_000);
		await sleep(300);
		expect(store(trigger).filter((item) => item.id === message._id)).toEqual([
			expect.objectContaining({ isEdit: false, text: 'typo' }),
			expect.objectContaining({ isEdit: true, text: 'fixed', editedAt: edited.editedAt?.toISOString() }),
		]);
		expect(refusals).toBe(2);
	}, 30_000);

	it('9. problems the trigger survives reach the executions list, once per problem', async () => {
		const trigger = await start(POLLING);
		await sleep(300);
		fake.inject({ endpoint: 'rooms.get', status: 502, times: 40, body: '<html>Bad Gateway</html>', contentType: 'text/html' });
		await waitUntil(() => trigger.failures.length >= 1, 'a failed execution recorded', 10_000);
		await sleep(2500);
		expect(trigger.failures).toHaveLength(1);
		expect(trigger.failures[0].message).toMatch(/502|Bad Gateway/);
		expect(trigger.errors).toEqual([]);
	}, 30_000);

	it('10. a burst after a downtime drains with at most Max Executions in Flight running; the log reads well', async () => {
		const target = room();
		const store = new ExecutionStore();
		const first = await start({ options: { maxInFlight: 3 } }, { store, workflowId: 'wf-regression-10' });
		await waitUntil(() => realtime.subscriptions('stream-room-messages').length > 0, 'the realtime subscription');
		await first.close();
		running.pop();
		const missed = Array.from({ length: 60 }, (_, index) => post(fake, target._id, user(fake, 'alice'), `missed ${index}`));
		const second = await start({ options: { maxInFlight: 3 } }, {
			store,
			staticData: first.savedStaticData(),
			workflowId: 'wf-regression-10',
			execution: { durationMs: 20 },
		});
		await waitUntil(() => executedIds(second).length >= 60, '60 executions', 20_000);
		expectEachOnce(second, missed.map((message) => message._id));
		expect(second.peakRunning()).toBeLessThanOrEqual(3);
		expect(second.peakRunning()).toBeGreaterThanOrEqual(2);
		// Live messages wait behind the catch-up, in order.
		realtime.dropAll();
		await waitUntil(() => second.logs.some((entry) => /realtime connection was/.test(entry.message)), 'the reconnect log line');
		const line = second.logs.find((entry) => /realtime connection was/.test(entry.message))!.message;
		expect(line).toMatch(/the realtime connection was (closed|lost|dropped)/);
		expect(line).not.toMatch(/was the connection to/);
	}, 40_000);
});
