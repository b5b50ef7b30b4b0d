/**
 * Randomized schedules for the Rocket.Chat Trigger's "each new message starts one execution" promise.
 *
 * `generateSchedule(seed)` draws, from a seeded generator, a server with 1–20 rooms and a real server's
 * timing (clocks of several instances with different offsets, messages that become visible late, repeated
 * milliseconds, a lowered `API_Upper_Count_Limit`) and a list of steps: bursts of messages (thread replies,
 * system messages, the user's own), edits, deletes, joins and leaves, dropped sockets, a server that goes
 * away and comes back, n8n restarts (graceful, or a crash that loses the static-data write still in
 * flight), 429s and 5xx answers, and n8n failing to start an execution.
 *
 * `runSchedule(schedule)` plays it against the fake Rocket.Chat with the trigger running in n8n-core's
 * TriggerContext (real HTTP, quickjs), with n8n's executions table modelled by `ExecutionStore` (a
 * deduplication key is refused the second time, as in n8n 2.41), and returns the anomalies the checker
 * finds: a message that must be emitted and was not (lost), one emitted twice, one emitted though it must
 * not be (before activation, while the user was not a member, filtered out).
 */
import type { IDataObject } from 'n8n-workflow';

import { FakeRocketChat, type FakeMessage, type FakeRoom, type FakeUser } from '../../fake';
import { enableRealtime, type FakeRealtime } from '../../fake/realtime';
import { patCredentials } from '../../harness/fixtures';
import { activateTrigger, type ActiveTrigger, ExecutionStore } from '../../harness/trigger';

// ---------------------------------------------------------------- random

export function random(seed: number): () => number {
	let state = seed >>> 0 || 0x9e3779b9;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const int = (rand: () => number, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const chance = (rand: () => number, p: number) => rand() < p;

// ---------------------------------------------------------------- schedules

export type Mode = 'realtime' | 'polling';
export type Author = 'alice' | 'bob' | 'bot';

export type Step =
	| { kind: 'post'; room: number; author: Author; count: number; thread?: boolean; system?: boolean; lateMs?: number }
	| { kind: 'edit'; pick: number }
	| { kind: 'delete'; pick: number }
	| { kind: 'join'; room: number }
	| { kind: 'leave'; room: number }
	| { kind: 'drop' }
	| { kind: 'serverAway'; ms: number }
	| { kind: 'n8nRestart'; crash: boolean; downMs: number }
	| { kind: 'fault'; endpoint: string; status: number; times: number }
	| { kind: 'countLimit'; limit: number }
	| { kind: 'wait'; ms: number };

export interface Schedule {
	seed: number;
	mode: Mode;
	rooms: number;
	/** Rooms (by index) the user is not a member of at the start. */
	notJoined: number[];
	skewsMs: number[];
	/** Max visibility delay of a message (ms). */
	maxLateMs: number;
	countLimit: number;
	includeEdits: boolean;
	includeOwnMessages: boolean;
	maxInFlight: number;
	/** Chance that n8n fails to start an execution (its database busy). */
	startFailure: number;
	steps: Step[];
}

export function generateSchedule(seed: number, forceMode?: Mode): Schedule {
	const rand = random(seed);
	const mode: Mode = forceMode ?? (seed % 2 === 0 ? 'realtime' : 'polling');
	const rooms = chance(rand, 0.15) ? int(rand, 10, 20) : int(rand, 1, 6);
	const notJoined = Array.from({ length: rooms }, (_, index) => index).filter(() => chance(rand, 0.2));
	const skew = chance(rand, 0.5) ? int(rand, 1, 250) : 0;
	const skewsMs = skew ? [0, skew, -skew] : [0];
	const maxLateMs = chance(rand, 0.5) ? int(rand, 1, 300) : 0;
	const countLimit = [100, 100, 20, 7, 3][int(rand, 0, 4)];
	const steps: Step[] = [];
	const length = int(rand, 6, 22);
	for (let index = 0; index < length; index++) {
		const roll = rand();
		const room = int(rand, 0, rooms - 1);
		if (roll < 0.5) {
			const author: Author = chance(rand, 0.1) ? 'bot' : chance(rand, 0.5) ? 'alice' : 'bob';
			steps.push({
				kind: 'post',
				room,
				author,
				count: chance(rand, 0.25) ? int(rand, 5, 40) : int(rand, 1, 4),
				...(chance(rand, 0.15) && { thread: true }),
				...(chance(rand, 0.08) && { system: true }),
				...(maxLateMs && chance(rand, 0.5) && { lateMs: int(rand, 1, maxLateMs) }),
			});
		} else if (roll < 0.58) steps.push({ kind: 'edit', pick: int(rand, 0, 1_000_000) });
		else if (roll < 0.62) steps.push({ kind: 'delete', pick: int(rand, 0, 1_000_000) });
		else if (roll < 0.67) steps.push({ kind: 'join', room });
		else if (roll < 0.7) steps.push({ kind: 'leave', room });
		else if (roll < 0.76) steps.push(mode === 'realtime' ? { kind: 'drop' } : { kind: 'wait', ms: 50 });
		else if (roll < 0.79) steps.push({ kind: 'serverAway', ms: int(rand, 100, 1200) });
		else if (roll < 0.85) steps.push({ kind: 'n8nRestart', crash: chance(rand, 0.5), downMs: int(rand, 0, 600) });
		else if (roll < 0.9) {
			const endpoint = ['rooms.get', 'subscriptions.get', 'channels.history', 'groups.history', 'chat.syncMessages', 'subscriptions.getOne'][int(rand, 0, 5)];
			steps.push({ kind: 'fault', endpoint, status: [429, 500, 502, 503][int(rand, 0, 3)], times: int(rand, 1, 3) });
		} else if (roll < 0.92) steps.push({ kind: 'countLimit', limit: [100, 20, 5, 2][int(rand, 0, 3)] });
		else steps.push({ kind: 'wait', ms: int(rand, 10, 700) });
	}
	return {
		seed,
		mode,
		rooms,
		notJoined,
		skewsMs,
		maxLateMs,
		countLimit,
		includeEdits: chance(rand, 0.4),
		includeOwnMessages: chance(rand, 0.2),
		maxInFlight: int(rand, 1, 6),
		startFailure: chance(rand, 0.2) ? 0.15 : 0,
		steps,
	};
}

// ---------------------------------------------------------------- running

export interface Anomaly {
	kind: 'lost' | 'duplicate' | 'unexpected' | 'error';
	detail: string;
}

export interface ScheduleResult {
	seed: number;
	mode: Mode;
	anomalies: Anomaly[];
	messages: number;
	executions: number;
	/** What the trigger logged (for a failing seed). */
	logs?: string[];
}

/** Late Message Window of the runs (s): above the largest clock offset plus visibility delay drawn. */
const LATE_WINDOW_S = 2;

interface PostRecord {
	message: FakeMessage;
	roomIndex: number;
	/** The user's subscription to the room when the message was posted (undefined: not a member). */
	subscriptionId?: string;
	/** Whether the trigger was active when it was posted (else n8n was down). */
	eligibleAuthor: boolean;
	system: boolean;
	/** Wall-clock time of the post. */
	postedAt: number;
}

function fixtureUser(fake: FakeRocketChat, name: 'bot' | 'alice' | 'bob'): FakeUser {
	const found = fake.state.getUser(fake.fixtures[name].userId);
	if (!found) throw new Error(`no fixture user ${name}`);
	return found;
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Runs so far in this process (each gets its own workflow id). */
let runCount = 0;

/** `extraFilters`: filters the checker does not model (only to show that the checker catches losses). */
export async function runSchedule(schedule: Schedule, extraFilters: IDataObject = {}): Promise<ScheduleResult> {
	const rand = random(schedule.seed ^ 0x5bd1e995);
	const fake = await FakeRocketChat.start({ upperCountLimit: schedule.countLimit });
	const realtime: FakeRealtime = enableRealtime(fake, { pingIntervalMs: 0 });
	const anomalies: Anomaly[] = [];
	const store = new ExecutionStore();
	const posts: PostRecord[] = [];
	/** Joins of the user after the start: room and server time of the subscription. */
	const joins: Array<{ rid: string; ts: number }> = [];
	/** Edits: `<id>@<editedAt>`, room, wall-clock time, whether the user was a member then, whether the author passes. */
	const editLog: Array<{ key: string; editedAt: number; rid: string; at: number; member: boolean; eligibleAuthor: boolean }> = [];
	let trigger: ActiveTrigger | undefined;
	const bot = fixtureUser(fake, 'bot');
	const users = { bot, alice: fixtureUser(fake, 'alice'), bob: fixtureUser(fake, 'bob') };
	try {
		fake.state.setTiming({ instanceSkewsMs: schedule.skewsMs, random: rand, visibilityDelayMs: 0 });
		const rooms: FakeRoom[] = [];
		for (let index = 0; index < schedule.rooms; index++) {
			const members = [users.bob, ...(schedule.notJoined.includes(index) ? [] : [bot])];
			const room = fake.state.createRoom(index % 3 === 2 ? 'p' : 'c', `s${schedule.seed}-${index}`, users.alice, members);
			// History from before the activation: never emitted.
			fake.state.postMessage(room._id, users.alice, `before ${index}`, { ts: new Date(Date.now() - 5000) });
			rooms.push(room);
		}
		// One id per run (a seed may run several times at once; n8n's scheduled tasks are grouped by workflow).
		const workflowId = `wf-seed-${schedule.seed}-${++runCount}`;
		const parameters = {
			receiveVia: schedule.mode,
			pollInterval: 1,
			pollUnit: 'seconds',
			roomScope: 'all',
			filters: { includeEdits: schedule.includeEdits, includeOwnMessages: schedule.includeOwnMessages, ...extraFilters },
			options: { reconnectDelay: 0.05, reconnectMaxDelay: 0.3, pingInterval: 1, lateMessageWindow: LATE_WINDOW_S, maxInFlight: schedule.maxInFlight },
		};
		const execution = {
			durationMs: () => int(rand, 0, 30),
			saveDelayMs: () => int(rand, 0, 40),
			beforeStart: () => {
				if (schedule.startFailure && chance(rand, schedule.startFailure)) throw new Error('SQLITE_BUSY: database is locked');
			},
		};
		const activate = async (staticData?: IDataObject) =>
			await activateTrigger({
				parameters,
				credentials: patCredentials(fake, fake.fixtures.bot),
				workflowId,
				staticData,
				store,
				execution,
			});
		trigger = await activate();
		// Where each room stood at the activation (its last message or change; later messages stamped earlier by a
		// slower clock are not new).
		const startLm = new Map(
			rooms.map((room) => {
				const state = fake.state.rooms.get(room._id);
				return [room._id, Math.max(state?.lm?.getTime() ?? 0, state?._updatedAt.getTime() ?? 0)];
			}),
		);

		const current = () => trigger;
		const earlierLogs: ActiveTrigger['logs'] = [];
		for (const step of schedule.steps) {
			switch (step.kind) {
				case 'post': {
					const room = rooms[step.room];
					if (!fake.state.rooms.has(room._id)) break;
					const author = users[step.author];
					if (!fake.state.getSubscription(room._id, author._id) && step.author !== 'bot') fake.state.addMember(room._id, author);
					if (!fake.state.getSubscription(room._id, author._id)) break;
					fake.state.setTiming({ visibilityDelayMs: step.lateMs ? () => int(rand, 0, step.lateMs as number) : 0 });
					const roots = posts.filter((entry) => entry.message.rid === room._id && !entry.message.tmid && !entry.system);
					for (let index = 0; index < step.count; index++) {
						const root = step.thread && roots.length ? roots[int(rand, 0, roots.length - 1)].message : undefined;
						const message = fake.state.postMessage(room._id, author, `seed ${schedule.seed} ${posts.length}`, {
							...(root && { tmid: root._id }),
							...(step.system && { t: 'uj' }),
						});
						const subscription = fake.state.getSubscription(room._id, bot._id);
						posts.push({ message, roomIndex: step.room, subscriptionId: subscription?._id, eligibleAuthor: step.author !== 'bot' || schedule.includeOwnMessages, system: !!step.system, postedAt: Date.now() });
					}
					fake.state.setTiming({ visibilityDelayMs: 0 });
					break;
				}
				case 'edit': {
					const candidates = posts.filter((entry) => fake.state.getMessage(entry.message._id) && !entry.system);
					if (!candidates.length) break;
					const entry = candidates[step.pick % candidates.length];
					const target = entry.message;
					const edited = fake.state.editMessage(target._id, users.alice, `${target.msg} (edited)`);
					editLog.push({
						key: `${target._id}@${edited.editedAt?.getTime()}`,
						editedAt: edited.editedAt?.getTime() ?? 0,
						rid: target.rid,
						at: Date.now(),
						member: !!fake.state.getSubscription(target.rid, bot._id),
						eligibleAuthor: entry.eligibleAuthor,
					});
					break;
				}
				case 'delete': {
					const candidates = posts.filter((entry) => fake.state.getMessage(entry.message._id));
					if (!candidates.length) break;
					fake.state.deleteMessage(candidates[step.pick % candidates.length].message._id);
					break;
				}
				case 'join':
					if (fake.state.rooms.has(rooms[step.room]._id) && !fake.state.getSubscription(rooms[step.room]._id, bot._id)) {
						const subscription = fake.state.addMember(rooms[step.room]._id, bot);
						joins.push({ rid: subscription.rid, ts: subscription.ts.getTime() });
					}
					break;
				case 'leave':
					if (fake.state.rooms.has(rooms[step.room]._id)) fake.state.removeMember(rooms[step.room]._id, bot._id);
					break;
				case 'drop':
					realtime.dropAll();
					break;
				case 'serverAway':
					await realtime.goDown();
					await sleep(step.ms);
					await realtime.comeUp();
					break;
				case 'n8nRestart': {
					const running = current() as ActiveTrigger;
					await running.close({ crash: step.crash });
					earlierLogs.push(...running.logs, { level: 'info', message: `---- n8n restarted (crash: ${step.crash})` });
					await sleep(step.downMs);
					trigger = await activate(running.savedStaticData());
					break;
				}
				case 'fault':
					fake.inject({
						endpoint: step.endpoint,
						status: step.status,
						times: step.times,
						...(step.status === 429 && { headers: { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.now() + 150) } }),
						body: step.status === 429 ? { success: false, error: 'Error, too many requests. Please slow down. You must wait 1 seconds before trying this endpoint again. [error-too-many-requests]' } : '<html><body>Bad Gateway</body></html>',
						...(step.status !== 429 && { contentType: 'text/html' }),
					});
					break;
				case 'countLimit':
					fake.upperCountLimit = step.limit;
					break;
				case 'wait':
					await sleep(step.ms);
					break;
			}
			await sleep(int(rand, 0, 60));
		}
		await fake.state.settled();

		// ---------------------------------------------------------- what must and may be emitted
		const finalSubscription = (rid: string) => fake.state.getSubscription(rid, bot._id);
		const membershipReads = fake.requests
			.filter((request) => request.endpoint === 'subscriptions.get' && request.status === 200)
			.map((request) => new Date(request.at).getTime());
		const leaves = fake.state.subscriptionTrash
			.filter((entry) => entry.userId === bot._id && entry.rid)
			// `_deletedAt` is a server time (clocks up to ±250 ms off): a second of slack either way.
			.map((entry) => ({
				rid: entry.rid as string,
				at: entry._deletedAt.getTime() - 1000,
				seenAt: membershipReads.find((time) => time > entry._deletedAt.getTime() + 1000) ?? Infinity,
			}));
		// Include Edits delivers edits made after the room's start, also of messages from before it (an edit is
		// an event of its own): one made while the user was a member, stamped after a joining (a clock ahead),
		// or made after a leave the trigger could not know of yet, may be emitted.
		const editMayBeEmitted = (key: string) =>
			editLog.some(
				(edit) =>
					edit.key === key &&
					edit.eligibleAuthor &&
					(edit.member ||
						joins.some((join) => join.rid === edit.rid && join.ts <= edit.editedAt) ||
						leaves.some((leave) => leave.rid === edit.rid && leave.at <= edit.at && edit.at <= leave.seenAt)),
			);
		const mustIds = new Set<string>();
		const mayIds = new Set<string>();
		const lastEdit = new Map<string, number>();
		for (const entry of posts) {
			const message = entry.message;
			const stored = fake.state.getMessage(message._id);
			const passes = entry.eligibleAuthor && !entry.system;
			// Posted before a join but stamped after it (a clock ahead, or a late insert): by the server's
			// times it came after the joining, so it may be delivered.
			const stampedAfterJoin = joins.some((join) => join.rid === message.rid && join.ts <= message.ts.getTime());
			// Posted after a leave the trigger could not know of yet: REST shows a leave at the next
			// subscriptions.get, and a history read between the two still returns the message.
			const beforeLeaveSeen = leaves.some(
				(leave) => leave.rid === message.rid && leave.at <= entry.postedAt && entry.postedAt <= leave.seenAt,
			);
			if (!passes || (!entry.subscriptionId && !stampedAfterJoin && !beforeLeaveSeen)) continue;
			// May: posted while the user was a member. Must: also not deleted, the user still a member through
			// the same subscription, and stamped after the room's start (its last message at the activation,
			// or the time of joining) — a slower instance's clock can stamp a later message before it.
			mayIds.add(message._id);
			const subscription = finalSubscription(message.rid);
			const stillMember = entry.subscriptionId !== undefined && subscription?._id === entry.subscriptionId;
			const ts = message.ts.getTime();
			const afterStart = ts > (startLm.get(message.rid) ?? 0) && (!subscription || ts >= subscription.ts.getTime());
			if (stored && stillMember && afterStart) {
				mustIds.add(message._id);
				// Its last edit too, when stamped after the room's start (by the server's times, as messages).
				const roomStart = Math.max((startLm.get(message.rid) ?? 0) + 1, subscription?.ts.getTime() ?? 0);
				if (schedule.includeEdits && stored.editedAt && stored.editedAt.getTime() >= roomStart) lastEdit.set(message._id, stored.editedAt.getTime());
			}
		}

		// ---------------------------------------------------------- wait for them
		// Delivered as new: an edit item of a message does not stand for the message itself.
		const emittedIds = () => new Set(store.json().filter((item) => item.isEdit !== true).map((item) => String(item.id)));
		const editTimes = () => {
			const times = new Map<string, Set<number>>();
			for (const item of store.json()) {
				const editedAt = item.editedAt === undefined ? undefined : new Date(item.editedAt as string | Date).getTime();
				if (editedAt === undefined) continue;
				const set = times.get(String(item.id)) ?? new Set<number>();
				set.add(editedAt);
				times.set(String(item.id), set);
			}
			return times;
		};
		const complete = () => {
			const ids = emittedIds();
			for (const id of mustIds) if (!ids.has(id)) return false;
			const edits = editTimes();
			for (const [id, at] of lastEdit) if (!edits.get(id)?.has(at)) return false;
			return true;
		};
		// Until everything is there, or nothing new (no execution, no emit) came for 20 s: a failed start is
		// emitted again after up to 8 s, and a loaded host is slow.
		let lastProgress = Date.now();
		let progress = -1;
		while (!complete() && Date.now() - lastProgress < 20_000) {
			await sleep(50);
			const now = store.executions.length + (current() as ActiveTrigger).emits.length;
			if (now !== progress) {
				progress = now;
				lastProgress = Date.now();
			}
		}
		// A little longer, for anything emitted twice or too much.
		await sleep(schedule.mode === 'polling' ? 1300 : 400);
		for (const error of (current() as ActiveTrigger).errors) anomalies.push({ kind: 'error', detail: `emitError: ${error.message}` });

		// ---------------------------------------------------------- check
		const seenNew = new Map<string, number>();
		const seenEdit = new Map<string, number>();
		for (const item of store.json()) {
			const id = String(item.id);
			if (item.isEdit === true) {
				const key = `${id}@${new Date(item.editedAt as string | Date).getTime()}`;
				seenEdit.set(key, (seenEdit.get(key) ?? 0) + 1);
				if (!schedule.includeEdits) anomalies.push({ kind: 'unexpected', detail: `edit ${key} emitted with Include Edits off` });
				else if (!mayIds.has(id) && !editMayBeEmitted(key)) anomalies.push({ kind: 'unexpected', detail: `edit ${key} of a message that must not be emitted, made while the user was not a member` });
			} else {
				seenNew.set(id, (seenNew.get(id) ?? 0) + 1);
				if (!mayIds.has(id)) anomalies.push({ kind: 'unexpected', detail: `message ${id} (${String(item.text)}) must not be emitted` });
			}
		}
		for (const [key, count] of [...seenNew, ...seenEdit]) if (count > 1) anomalies.push({ kind: 'duplicate', detail: `${key} emitted ${count} times` });
		for (const id of mustIds) if (!seenNew.has(id)) anomalies.push({ kind: 'lost', detail: `message ${id} (${fake.state.getMessage(id)?.msg}) was not emitted` });
		const edits = editTimes();
		for (const [id, at] of lastEdit) if (!edits.get(id)?.has(at)) anomalies.push({ kind: 'lost', detail: `the last edit (${new Date(at).toISOString()}) of ${id} was not emitted` });
		const logs = anomalies.length ? [...earlierLogs, ...(current() as ActiveTrigger).logs].map((entry) => `${entry.level}: ${entry.message}`) : undefined;
		if (logs && (process.env.SCHEDULE_DEBUG || process.env.CI)) {
			logs.push(`steps: ${JSON.stringify(schedule.steps)}`);
			logs.push(`settings: ${JSON.stringify({ ...schedule, steps: undefined })}`);
			logs.push(`rooms: ${JSON.stringify([...fake.state.rooms.values()].map((room) => [room._id, room.name, room.t]))}`);
			for (const entry of posts) logs.push(`post ${entry.message._id} room ${entry.message.rid} ts ${entry.message.ts.getTime()} sub ${entry.subscriptionId} must ${mustIds.has(entry.message._id)} emitted ${seenNew.has(entry.message._id)}`);
			for (const item of store.json()) logs.push(`emitted ${String(item.id)} isEdit ${String(item.isEdit)} editedAt ${String(item.editedAt)} text ${String(item.text)}`);
			logs.push(`static data: ${JSON.stringify((current() as ActiveTrigger).staticData())}`);
			logs.push(`requests: ${fake.requests.map((request) => `${request.endpoint}?${JSON.stringify(request.query)}=${request.status}`).join('\n')}`);
		}
		return { seed: schedule.seed, mode: schedule.mode, anomalies, messages: posts.length, executions: store.executions.length, logs };
	} catch (error) {
		anomalies.push({ kind: 'error', detail: (error as Error).stack ?? String(error) });
		return { seed: schedule.seed, mode: schedule.mode, anomalies, messages: posts.length, executions: store.executions.length };
	} finally {
		await trigger?.close().catch(() => undefined);
		realtime.close();
		await fake.stop();
	}
}

/** Runs seeds with at most `concurrency` schedules at once. */
export async function runSeeds(seeds: number[], concurrency: number, onResult?: (result: ScheduleResult) => void): Promise<ScheduleResult[]> {
	const results: ScheduleResult[] = [];
	let next = 0;
	const worker = async () => {
		while (next < seeds.length) {
			const seed = seeds[next++];
			const result = await runSchedule(generateSchedule(seed));
			results.push(result);
			onResult?.(result);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
	return results.sort((a, b) => a.seed - b.seed);
}
