/**
 * trigger: the Rocket.Chat Trigger activated through n8n-core's TriggerContext (test/harness/trigger.ts).
 *
 * - realtime: the fake posts 2,000 messages on a fixed schedule; latency per message = the moment the
 *   node calls `emit` minus the moment the fake's realtime server broadcast the message (both
 *   `process.hrtime`, one clock for both threads).
 * - polling: 200 rooms, 3 of them get a message before each poll; requests per poll cycle (one cycle =
 *   from one `rooms.get` to the next).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { activateTrigger, type ActiveTrigger, waitUntil } from '../../../test/harness/trigger';
import { type RemoteFake, patFor, startRemoteFake } from '../remote';
import { log, median, percentile, round } from '../stats';

export interface TriggerResult {
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	messages: number;
	intervalMs: number;
	maxMs: number;
	runs: number;
	perRun: Array<{ p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number }>;
}

export interface PollingResult {
	rooms: number;
	activeRooms: number;
	/** The worse of the two scenarios below (median over its cycles). */
	requestsPerCycle: number;
	/** Target: 1 + active rooms. */
	targetRequestsPerCycle: number;
	/** The same rooms get the new messages in every cycle. */
	sameActiveRooms: { requestsPerCycle: number; cycles: number[]; idleRequestsPerCycle: number; idleCycles: number[] };
	/** Other rooms get the new messages in each cycle (those of the cycle before are quiet). */
	changingActiveRooms: { requestsPerCycle: number; cycles: number[] };
	pollIntervalMs: number;
}

/** Records when each item (by message id) reached `emit`. */
function timeEmits(trigger: ActiveTrigger): Map<string, bigint> {
	const times = new Map<string, bigint>();
	const emits = trigger.emits;
	const push = emits.push.bind(emits);
	emits.push = (...data: INodeExecutionData[][][]) => {
		const now = process.hrtime.bigint();
		for (const emitted of data) for (const item of emitted[0] ?? []) times.set(String(item.json.id ?? item.json._id), now);
		return push(...data);
	};
	return times;
}

async function waitForCatchUp(fake: RemoteFake): Promise<void> {
	await waitUntil(
		async () => (await fake.requests({ endpoint: 'rooms.get' })).some((request) => request.rawUrl.includes('updatedSince=') && request.status > 0),
		'the catch-up after subscribing',
		30_000,
	);
}

export async function benchRealtime(options: { messages?: number; runs?: number; intervalMs?: number } = {}): Promise<TriggerResult> {
	const messages = options.messages ?? 2000;
	const runs = options.runs ?? 5;
	const intervalMs = options.intervalMs ?? 2;
	const fake = await startRemoteFake();
	let trigger: ActiveTrigger | undefined;
	try {
		await fake.enableRealtime({ pingIntervalMs: 0 });
		const { bot, alice } = fake.fixtures;
		trigger = await activateTrigger({ parameters: { receiveVia: 'realtime', roomScope: 'all' }, credentials: patFor(fake, bot) });
		const active = trigger;
		await waitUntil(async () => (await fake.realtimeSubscriptions('stream-room-messages')) >= 1, 'the realtime subscription', 30_000);
		await waitForCatchUp(fake);
		const emitted = timeEmits(active);

		const runOnce = async () => {
			const { sent } = await fake.postSchedule(fake.fixtures.rooms.general, alice.userId, messages, intervalMs);
			await waitUntil(() => sent.every(([id]) => emitted.has(id)) || active.errors.length > 0, `${messages} emitted messages`, 120_000);
			if (active.errors.length) throw active.errors[0];
			const latencies = sent.map(([id, broadcast]) => Number((emitted.get(id) as bigint) - BigInt(broadcast)) / 1e6);
			return {
				p50Ms: percentile(latencies, 50),
				p95Ms: percentile(latencies, 95),
				p99Ms: percentile(latencies, 99),
				maxMs: Math.max(...latencies),
			};
		};

		await runOnce();
		const perRun = [];
		for (let run = 0; run < runs; run++) {
			const result = await runOnce();
			perRun.push(result);
			log(`realtime run ${run + 1}/${runs}: p50 ${result.p50Ms.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, max ${result.maxMs.toFixed(1)} ms`);
		}
		const total = active.items().length;
		if (total !== messages * (runs + 1)) throw new Error(`realtime: ${total} items emitted instead of ${messages * (runs + 1)}`);
		return {
			p50Ms: round(median(perRun.map((run) => run.p50Ms))),
			p95Ms: round(median(perRun.map((run) => run.p95Ms))),
			p99Ms: round(median(perRun.map((run) => run.p99Ms))),
			messages,
			intervalMs,
			maxMs: round(median(perRun.map((run) => run.maxMs))),
			runs,
			perRun: perRun.map((run) => ({ p50Ms: round(run.p50Ms), p95Ms: round(run.p95Ms), p99Ms: round(run.p99Ms), maxMs: round(run.maxMs) })),
		};
	} finally {
		await trigger?.close();
		await fake.close();
	}
}

/** Requests per poll cycle: the log split at every `rooms.get` with `updatedSince`. */
function cycles(requests: Array<{ endpoint: string; rawUrl: string }>): Array<{ requests: number; history: number }> {
	const out: Array<{ requests: number; history: number }> = [];
	for (const request of requests) {
		const poll = request.endpoint === 'rooms.get' && request.rawUrl.includes('updatedSince=');
		if (poll) out.push({ requests: 0, history: 0 });
		const current = out[out.length - 1];
		if (!current) continue;
		current.requests++;
		if (request.endpoint.endsWith('.history')) current.history++;
	}
	return out;
}

async function pollingScenario(
	fake: RemoteFake,
	roomIds: string[],
	options: { cyclesWanted: number; activeRooms: number; rotate: boolean },
): Promise<{ active: number[]; idle: number[] }> {
	const { bot, alice } = fake.fixtures;
	const trigger = await activateTrigger({
		parameters: { receiveVia: 'polling', pollInterval: 1, pollUnit: 'seconds', roomScope: 'all' },
		credentials: patFor(fake, bot),
	});
	try {
		const polls = async () => (await fake.requests({ endpoint: 'rooms.get' })).filter((request) => request.rawUrl.includes('updatedSince=') && request.status > 0).length;
		await waitUntil(async () => (await polls()) >= 1, 'the first poll', 30_000);
		await fake.clearRequests();
		const activeCycles: number[] = [];
		const marks: number[] = [];
		let expected = 0;
		for (let cycle = 0; cycle < options.cyclesWanted; cycle++) {
			// Right after a poll has answered, so that the next poll sees all of this cycle's messages.
			const before = await polls();
			await waitUntil(async () => (await polls()) > before, 'the next poll', 10_000);
			await new Promise((resolve) => setTimeout(resolve, 100));
			const offset = options.rotate ? (cycle * options.activeRooms) % roomIds.length : 0;
			const active = roomIds.slice(offset, offset + options.activeRooms);
			await fake.postNow(active, alice.userId, 1, `Polled message ${cycle}`);
			expected += active.length;
			marks.push(await polls());
			await trigger.waitForItems(expected, 10_000);
		}
		// The cycle that delivered each batch is the one after the mark.
		const split = cycles(await fake.requests());
		for (const mark of marks) {
			const delivering = split[mark];
			if (delivering) activeCycles.push(delivering.requests);
		}
		const idle = split.filter((_, index) => !marks.includes(index) && index < split.length - 1).map((cycle) => cycle.requests);
		if (trigger.items().length !== expected) throw new Error(`polling: ${trigger.items().length} items instead of ${expected}`);
		return { active: activeCycles, idle };
	} finally {
		await trigger.close();
	}
}

export async function benchPolling(options: { rooms?: number; activeRooms?: number; cycles?: number } = {}): Promise<PollingResult> {
	const roomTotal = options.rooms ?? 200;
	const activeRooms = options.activeRooms ?? 3;
	const cyclesWanted = options.cycles ?? 7;
	const fake = await startRemoteFake();
	try {
		const { bot, alice } = fake.fixtures;
		const existing = await fake.roomCountOf(bot.userId);
		const roomIds: string[] = [];
		for (let index = 0; roomIds.length + existing < roomTotal; index++) {
			roomIds.push(await fake.createRoom(index % 4 === 3 ? 'p' : 'c', `bench-poll-${index}`, alice.userId, [bot.userId], 7 * 86_400_000));
		}
		const rooms = await fake.roomCountOf(bot.userId);
		const same = await pollingScenario(fake, roomIds, { cyclesWanted, activeRooms, rotate: false });
		log(`polling, the same ${activeRooms} rooms active: requests per cycle ${same.active.join(', ')}; polls without new messages ${same.idle.join(', ')}`);
		const changing = await pollingScenario(fake, roomIds, { cyclesWanted, activeRooms, rotate: true });
		log(`polling, ${activeRooms} other rooms active each cycle: requests per cycle ${changing.active.join(', ')}`);
		const sameMedian = median(same.active);
		const changingMedian = median(changing.active);
		return {
			rooms,
			activeRooms,
			requestsPerCycle: Math.max(sameMedian, changingMedian),
			targetRequestsPerCycle: 1 + activeRooms,
			sameActiveRooms: { requestsPerCycle: sameMedian, cycles: same.active, idleRequestsPerCycle: median(same.idle), idleCycles: same.idle },
			changingActiveRooms: { requestsPerCycle: changingMedian, cycles: changing.active },
			pollIntervalMs: 1000,
		};
	} finally {
		await fake.close();
	}
}
