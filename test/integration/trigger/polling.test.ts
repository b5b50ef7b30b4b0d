/**
 * Rocket.Chat Trigger, Receive Via: Polling — crons registered through n8n-core's ScheduledTaskManager
 * (every tick runs outside n8n's expression isolate, as in real n8n), the same cursor guarantees as
 * realtime, "Listen for test event" with a sample, and the fallback for hosts without WebSocket.
 */
import { Container } from '@n8n/di';
import { ScheduledTaskManager } from 'n8n-core';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FakeRocketChat, type FakeMessage } from '../../fake';
import { enableRealtime, type FakeRealtime } from '../../fake/realtime';
import { patCredentials } from '../../harness/fixtures';
import { rl } from '../../harness/run';
import { activateTrigger, type ActiveTrigger, runTriggerManually, waitUntil } from '../../harness/trigger';
import { post, texts, triggerParameters, user } from './helpers';

let fake: FakeRocketChat;
let realtime: FakeRealtime;
const running: ActiveTrigger[] = [];

const POLL_EVERY_SECOND = { receiveVia: 'polling', pollInterval: 1, pollUnit: 'seconds' };

beforeAll(async () => {
	fake = await FakeRocketChat.start();
	realtime = enableRealtime(fake, { pingIntervalMs: 0 });
});

beforeEach(() => fake.clearRequests());

afterEach(async () => {
	while (running.length) await running.pop()!.close();
});

afterAll(async () => {
	realtime.close();
	await fake.stop();
});

async function start(parameters: INodeParameters = {}, staticData?: IDataObject, credentials = patCredentials(fake, fake.fixtures.bot)): Promise<ActiveTrigger> {
	const trigger = await activateTrigger({ parameters: triggerParameters({ ...POLL_EVERY_SECOND, ...parameters }), credentials, staticData });
	running.push(trigger);
	return trigger;
}

const polls = () => fake.requests.filter((request) => request.endpoint === 'rooms.get' && request.query.updatedSince !== undefined);

function expectOnce(trigger: ActiveTrigger, posted: FakeMessage[]): void {
	const ids = trigger.json().map((item) => String(item.id));
	expect(new Set(ids).size).toBe(ids.length);
	expect([...ids].sort()).toEqual(posted.map((message) => message._id).sort());
}

describe('Rocket.Chat Trigger › Polling', () => {
	it('polls on the cron and delivers each new message once, oldest first per room', async () => {
		const trigger = await start();
		const alice = user(fake, 'alice');
		await waitUntil(() => polls().length >= 1, 'the first poll');
		const first = [post(fake, fake.fixtures.rooms.general, alice, 'one'), post(fake, fake.fixtures.rooms.general, alice, 'two'), post(fake, fake.fixtures.rooms.privateGroup, alice, 'three')];
		await trigger.waitForItems(3);
		const second = Array.from({ length: 40 }, (_, index) => post(fake, index % 2 ? fake.fixtures.rooms.random : fake.fixtures.rooms.dmBotAlice, alice, `batch ${index}`));
		await trigger.waitForItems(43);
		await waitUntil(() => polls().length >= 4, 'two more polls');
		expectOnce(trigger, [...first, ...second]);
		// Oldest first: 'one' and 'two' may share a millisecond, which the server does not order.
		const general = trigger.json().filter((item) => item.roomId === fake.fixtures.rooms.general);
		expect(texts(general).sort()).toEqual(['one', 'two']);
		expect(first[0].ts.getTime() === first[1].ts.getTime() || texts(general)[0] === 'one').toBe(true);
		expect(trigger.json()[0]).toMatchObject({ roomName: 'general', roomType: 'channel' });
		// No WebSocket in polling mode; history by room type, from the cursor on, inclusive.
		expect(realtime.subscriptions()).toEqual([]);
		const history = fake.requests.filter((request) => request.endpoint === 'groups.history');
		expect(history.at(-1)?.query).toMatchObject({ roomId: fake.fixtures.rooms.privateGroup, inclusive: 'true', count: '100' });
		expect(Date.parse(String(history.at(-1)?.query.oldest))).toBeLessThanOrEqual(first[2].ts.getTime());
		expect(trigger.errors).toEqual([]);
	});

	it('delivers what was posted while stopped once after a restart with the saved static data', async () => {
		const alice = user(fake, 'alice');
		const first = await start();
		await waitUntil(() => polls().length >= 1, 'the first poll');
		const early = post(fake, fake.fixtures.rooms.random, alice, 'early');
		await first.waitForItems(1);
		await first.close();
		running.pop();
		const saved = first.staticData();

		const whileStopped = Array.from({ length: 150 }, (_, index) =>
			post(fake, [fake.fixtures.rooms.general, fake.fixtures.rooms.random, fake.fixtures.rooms.privateGroup][index % 3], alice, `stopped ${index}`),
		);
		const second = await start({}, saved);
		await second.waitForItems(150);
		const later = post(fake, fake.fixtures.rooms.general, alice, 'later');
		await second.waitForItems(151);
		await waitUntil(() => polls().length >= 3, 'another poll');
		expectOnce(second, [...whileStopped, later]);
		expect(second.json().some((item) => item.id === early._id)).toBe(false);
	});

	it('delivers exactly Max Catch-Up Count missed messages of a room without a warning; one more: the newest, with a warning', async () => {
		const alice = user(fake, 'alice');
		const options = { options: { maxCatchUpCount: 5 } };
		const first = await start(options);
		await waitUntil(() => polls().length >= 1, 'the first poll');
		await first.close();
		running.pop();

		const exactly = Array.from({ length: 5 }, (_, index) => post(fake, fake.fixtures.rooms.random, alice, `exactly ${index}`));
		const second = await start(options, first.staticData());
		await second.waitForItems(5);
		await waitUntil(() => polls().length >= 3, 'two more polls');
		expectOnce(second, exactly);
		expect(second.failures).toEqual([]);
		expect(second.logs.filter((entry) => entry.level === 'warn')).toEqual([]);
		await second.close();
		running.pop();

		// Another room: the messages just delivered are still inside the Late Message Window of this one.
		const tooMany = Array.from({ length: 6 }, (_, index) => post(fake, fake.fixtures.rooms.general, alice, `too many ${index}`));
		const third = await start(options, second.staticData());
		await third.waitForItems(5);
		await waitUntil(() => third.failures.length >= 1, 'the warning');
		// The newest 5 of the 6 (messages posted in one millisecond have no order among themselves).
		const delivered = third.json().map((item) => String(item.id));
		expect(new Set(delivered).size).toBe(5);
		expect(delivered.every((id) => tooMany.some((message) => message._id === id))).toBe(true);
		expect(third.failures.map((failure) => failure.message)).toEqual([
			'Rocket.Chat Trigger: room general had more than 5 missed messages; delivering the newest 5',
		]);
	});

	it('applies the filters and room scope as in realtime', async () => {
		const alice = user(fake, 'alice');
		const trigger = await start({ roomScope: 'selected', rooms: { room: [{ roomId: rl(fake.fixtures.rooms.random) }] }, filters: { textRegex: '^go' } });
		await waitUntil(() => polls().length >= 1, 'the first poll');
		post(fake, fake.fixtures.rooms.general, alice, 'go (other room)');
		post(fake, fake.fixtures.rooms.random, alice, 'stop');
		post(fake, fake.fixtures.rooms.random, alice, 'go go go');
		await trigger.waitForItems(1);
		await waitUntil(() => polls().length >= 3, 'two more polls');
		expect(texts(trigger.json())).toEqual(['go go go']);
		expect(fake.requests.some((request) => request.endpoint === 'channels.history' && request.query.roomId === fake.fixtures.rooms.general)).toBe(false);
	});

	it('stops with emitError when the token is revoked between polls', async () => {
		const bot = user(fake, 'bot');
		const token = fake.state.createPersonalAccessToken(bot, 'polling');
		const trigger = await start({}, undefined, { ...patCredentials(fake, fake.fixtures.bot), token });
		await waitUntil(() => polls().length >= 1, 'the first poll');
		fake.state.removeToken(bot, token);
		const error = await trigger.waitForError();
		expect(error.message).toBe('You must be logged in to do this.');
		const count = polls().length;
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(polls().length).toBe(count);
	});

	it('answers "Listen for test event" with the latest matching message, leaving no cursor', async () => {
		const alice = user(fake, 'alice');
		post(fake, fake.fixtures.rooms.random, alice, 'sample candidate, older', { ts: new Date(Date.now() - 1000) });
		const newest = post(fake, fake.fixtures.rooms.privateGroup, alice, 'sample candidate, newest');
		post(fake, fake.fixtures.rooms.general, alice, 'not a match');
		const { items, error, staticData } = await runTriggerManually({
			parameters: triggerParameters({ ...POLL_EVERY_SECOND, filters: { textContains: 'sample candidate' } }),
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([expect.objectContaining({ id: newest._id, roomName: 'private-team', roomType: 'private' })]);
		expect(staticData).toEqual({});
	});

	it('says so when no message matches for "Listen for test event"', async () => {
		const { error } = await runTriggerManually({
			parameters: triggerParameters({ ...POLL_EVERY_SECOND, filters: { textContains: 'no message says this' } }),
			credentials: patCredentials(fake, fake.fixtures.bot),
		});
		expect(error?.message).toBe('No message in the watched rooms matches the filters');
		expect(error?.description).toContain('loosen the filters');
	});

	it('falls back to polling (every minute) with a warning when the host has no WebSocket', async () => {
		// The fallback polls every minute; its catch-up at activation is what this test can observe in time:
		// a message posted while the workflow was stopped arrives without any WebSocket.
		const first = await start();
		await waitUntil(() => polls().length >= 1, 'the first poll');
		await first.close();
		running.pop();
		const missed = post(fake, fake.fixtures.rooms.general, user(fake, 'alice'), 'delivered by polling');

		const host = globalThis as { WebSocket?: unknown };
		const saved = host.WebSocket;
		delete host.WebSocket;
		try {
			const connections = realtime.connections;
			const trigger = await activateTrigger({
				parameters: triggerParameters({ receiveVia: 'realtime' }),
				credentials: patCredentials(fake, fake.fixtures.bot),
				staticData: first.staticData(),
				workflowId: 'wf-fallback',
			});
			running.push(trigger);
			expect(trigger.logs).toContainEqual({ level: 'warn', message: expect.stringContaining('no WebSocket client') });
			expect(Container.get(ScheduledTaskManager).hasTarget({ type: 'workflow', id: 'wf-fallback' }, 'n-rc-trigger')).toBe(true);
			await trigger.waitForItems(1);
			expect(trigger.json()).toEqual([expect.objectContaining({ id: missed._id, text: 'delivered by polling' })]);
			expect(realtime.connections).toBe(connections);
		} finally {
			host.WebSocket = saved;
		}
		expect(Container.get(ScheduledTaskManager).hasTarget({ type: 'workflow', id: 'wf-fallback' }, 'n-rc-trigger')).toBe(true);
		await running.pop()!.close();
		expect(Container.get(ScheduledTaskManager).hasTarget({ type: 'workflow', id: 'wf-fallback' }, 'n-rc-trigger')).toBe(false);
	});
});
