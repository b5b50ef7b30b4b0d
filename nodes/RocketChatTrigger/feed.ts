/**
 * The message feed shared by both modes: which rooms to watch, the REST catch-up, and the one path every
 * message takes (realtime push, catch-up page, poll) — scope, dedupe against the cursor, filters, output,
 * then one `emit` per message. Work runs one task at a time, so messages of a room are delivered in the
 * order they were processed and the cursor is never raced.
 *
 * Exactly once, with n8n's help:
 * - every emit carries a deduplication key (workflow, node, room, message, and the edit time for edits):
 *   n8n refuses a second execution with the same key, so a message emitted again after a crash, or by a
 *   second main, never runs twice;
 * - the cursor saved in static data (which n8n writes with each emit, without waiting) only covers
 *   messages whose execution n8n has confirmed (`donePromise`), in emit order: after a crash the rest is
 *   read and emitted again, and the key makes the repeat harmless;
 * - at most Max Executions in Flight run at once: a long backlog drains at the speed n8n can take, and live
 *   messages wait behind the catch-up in order.
 */
import type {
	IBinaryKeyData,
	IDataObject,
	INodeExecutionData,
	IRun,
	ITriggerFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { fromEjson, pause } from '../shared/realtime';
import { lookUpRoom, parseRoomLocator } from '../shared/rooms';
import type { CallbackClient } from '../shared/transport';
import type { RoomInfo, SubscriptionRef } from './catchUp';
import { allSubscriptions, changedRooms, changedSubscriptions, editedSince, getRoom, historySince, joinedAt, roomFromRest, toMillis, whoAmI } from './catchUp';
import type { MessageKey } from './cursor';
import { Cursor } from './cursor';
import type { Me, MessageFilters } from './filters';
import { passesFilters } from './filters';
import { asEditItems, downloadFiles, item, messageJson } from './output';
import { ProblemReporter } from './problems';

/** Default of Late Message Window: how late (after its `ts`) a message may become visible, in ms. */
export const DEFAULT_OVERLAP_MS = 60_000;
/** Default of Max Executions in Flight. */
export const DEFAULT_MAX_IN_FLIGHT = 5;
/** First and longest wait before emitting again a message whose execution n8n could not start. */
const EMIT_RETRY_MS = 1000;
const EMIT_RETRY_MAX_MS = 8000;
/** First and longest wait before reading again when the user joined a room (the read failed). */
const JOIN_RETRY_MS = 500;
const JOIN_RETRY_MAX_MS = 8000;

export interface FeedSettings {
	scope: 'all' | 'selected';
	/** Room locators of Selected Rooms, as given. */
	targets: Array<{ raw: unknown }>;
	filters: MessageFilters;
	simplify: boolean;
	downloadAttachments: boolean;
	/** 0: no age limit. */
	maxCatchUpAgeMs: number;
	maxCatchUpCount: number;
	/** Late Message Window (ms). */
	overlapMs: number;
	/** Max Executions in Flight. */
	maxInFlight: number;
}

export interface RoomHint {
	roomParticipant?: boolean;
	roomType?: string;
	roomName?: string;
}

/** Failures that retrying cannot fix: wrong credentials, a chosen room gone or out of reach, bad input. */
export function isFatal(error: unknown): boolean {
	if (error instanceof NodeOperationError) return true;
	if (error instanceof NodeApiError) {
		const status = Number(error.httpCode);
		return status === 400 || status === 401 || status === 403 || status === 404;
	}
	const kind = (error as { kind?: string }).kind;
	if (kind === 'method' || kind === 'nosub') {
		const code = String((error as { code?: string }).code ?? '');
		return code === '403' || code === 'not-allowed' || code === 'error-user-is-not-activated';
	}
	if (error instanceof Error && /^Rocket\.Chat login failed/.test(error.message)) return !/could not reach/.test(error.message);
	return false;
}

function statusOf(error: unknown): string {
	return error instanceof NodeApiError ? String(error.httpCode ?? '') : '';
}

/** What the saved cursor waits for: a message's execution, or a watermark move after a catch-up. */
interface Handover {
	key?: MessageKey;
	sync?: number;
	retry?: { rid: string; value: boolean };
	drop?: string;
	start?: { rid: string; at: number; subscription?: string };
	skip?: { rid: string; before: number };
	edits?: { rid: string; until: number };
	done: boolean;
}

export class MessageFeed {
	me?: Me;
	readonly rooms = new Map<string, RoomInfo>();
	readonly selected = new Set<string>();
	/** What has been processed (in memory). */
	readonly cursor: Cursor;
	/** What is saved: the processed messages whose executions n8n has confirmed, in order. */
	readonly durable: Cursor;
	prepared = false;
	stopped = false;
	/** Messages emitted since activation. */
	emitted = 0;

	private queue: Promise<void> = Promise.resolve();
	private holding = false;
	private held: Array<{ message: IDataObject; hint?: RoomHint }> = [];
	private readonly handovers: Handover[] = [];
	private inFlight = 0;
	private slotFreed?: () => void;
	/** Messages whose execution n8n could not start and that are emitted again: their edits wait for them. */
	private readonly retrying = new Map<string, Promise<void>>();
	/** Subscription id per room, to tell a re-join from the old membership. */
	private readonly subscriptionOf = new Map<string, string>();
	readonly problems: ProblemReporter;

	/** The REST client for callbacks; replaced by `renewClient()` to log in afresh. */
	client: CallbackClient;

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly clientFactory: () => CallbackClient,
		readonly settings: FeedSettings,
		/** The node's static data; undefined in manual mode (nothing is saved, the cursor stays in memory). */
		private readonly store: IDataObject | undefined,
		/** Manual mode: stop after the first emitted message. */
		private readonly manual: boolean,
	) {
		this.cursor = Cursor.load(store?.cursor, settings.overlapMs);
		this.durable = this.cursor.clone();
		const subscriptions = (store?.subscriptions ?? {}) as IDataObject;
		for (const [rid, id] of Object.entries(subscriptions)) if (typeof id === 'string') this.subscriptionOf.set(rid, id);
		this.client = clientFactory();
		this.problems = new ProblemReporter(ctx);
	}

	/** A new REST client, so that username/password credentials log in again (e.g. after the session expired). */
	renewClient(): void {
		this.client = this.clientFactory();
	}

	/** Runs `task` after every task queued before it; resolves or rejects with it. */
	enqueue<T>(task: () => Promise<T>): Promise<T> {
		const run = this.queue.then(task);
		this.queue = run.then(
			() => undefined,
			() => undefined,
		);
		return run;
	}

	/**
	 * Reads who the user is and the rooms to watch; on the first activation, starts each room after its
	 * last message so that only later messages count as new.
	 */
	async prepare(): Promise<void> {
		await this.client.session();
		this.me = await whoAmI(this.client);
		const all = await changedRooms(this.client, this.me, undefined);
		for (const room of all.update) this.rooms.set(room._id, room);
		if (this.settings.scope === 'selected') await this.resolveTargets(all.update);
		if (!this.cursor.initialized) {
			let newest: number | undefined;
			for (const room of this.watchedRooms()) {
				// `lm` is the ts of the message inserted last, not the newest ts (a late insert moves it back);
				// the room's `_updatedAt` is at least as late as every insert it saw.
				const start = Math.max(room.lastMessageAt ?? 0, room.updatedAt ?? 0) + 1;
				this.startRoom(room._id, start);
			}
			for (const room of all.update) newest = Math.max(newest ?? 0, room.updatedAt ?? 0);
			// A user without any room: no server time to start from, so the host's clock it is.
			this.cursor.advanceSync(newest || Date.now());
			this.handOver({ sync: newest || Date.now() });
		}
		if (this.settings.scope === 'all') await this.learnMemberships();
		this.prepared = true;
	}

	/** Realtime subscriptions: `__my_messages__` for all rooms, else one per chosen room. */
	subscriptionParams(): unknown[][] {
		if (this.settings.scope === 'all') return [['__my_messages__', false]];
		return [...this.selected].map((rid) => [rid, false]);
	}

	/** Pushed messages wait while a catch-up runs, then go through in arrival order. */
	hold(): void {
		this.holding = true;
	}

	release(): void {
		if (!this.holding) return;
		this.holding = false;
		const held = this.held;
		this.held = [];
		for (const entry of held) this.processLater(entry.message, entry.hint);
	}

	private processLater(message: IDataObject, hint: RoomHint | undefined): void {
		void this.enqueue(async () => await this.process(message, hint, true)).catch((error) => {
			if (isFatal(error)) this.fail(error);
			else this.report(`could not process message ${String(message._id)}`, error);
		});
	}

	/** Drops what waits (the connection it came from is gone; the next catch-up fetches it again). */
	discardHeld(): void {
		this.held = [];
		this.holding = false;
	}

	/** A `changed` frame of `stream-room-messages`. */
	onPushed(args: unknown[]): void {
		if (this.stopped) return;
		const message = fromEjson(args[0]);
		if (!message || typeof message !== 'object') return;
		const hint = args[1] && typeof args[1] === 'object' ? (args[1] as RoomHint) : undefined;
		const entry = { message: message as IDataObject, hint };
		if (this.holding) {
			this.held.push(entry);
			return;
		}
		this.processLater(entry.message, entry.hint);
	}

	/**
	 * Delivers what was missed: memberships changed since the watermark (`subscriptions.get`: joins start
	 * at the time of joining, a left room is forgotten), rooms changed since it (`rooms.get`), rooms whose
	 * last read failed; then each room's history from its cursor, oldest first, within Max Catch-Up Age /
	 * Count. A room whose read fails keeps its place and is read again next time.
	 */
	async catchUp(): Promise<void> {
		if (!this.prepared) await this.prepare();
		const since = this.cursor.sync !== undefined ? this.cursor.sync - this.settings.overlapMs : undefined;
		if (since !== undefined && this.settings.scope === 'all') await this.followMemberships(since);
		const changed = await changedRooms(this.client, this.me, since);
		for (const rid of changed.remove) {
			this.rooms.delete(rid);
			if (this.settings.scope === 'all') this.forgetRoom(rid);
		}
		let newest: number | undefined;
		const candidates = new Map<string, RoomInfo>();
		for (const room of changed.update) {
			this.rooms.set(room._id, room);
			if (room.updatedAt !== undefined) newest = Math.max(newest ?? 0, room.updatedAt);
			if (this.inScope(room)) candidates.set(room._id, room);
		}
		for (const rid of this.cursor.roomsToRetry()) {
			const room = this.rooms.get(rid);
			if (room && this.inScope(room)) candidates.set(rid, room);
		}
		if (this.settings.scope === 'selected') {
			// Chosen rooms the user has not joined do not show in rooms.get: always look at them.
			for (const rid of this.selected) {
				const room = this.rooms.get(rid);
				if (room && !room.member) candidates.set(rid, room);
			}
		}
		for (const room of candidates.values()) {
			if (this.stopped) return;
			if (!this.settings.filters.roomTypes.has(room.t)) continue;
			const failure = await this.catchUpRoom(room).then(
				() => undefined,
				(error: Error) => error,
			);
			if (!failure) {
				if (this.cursor.roomsToRetry().includes(room._id)) this.setRetry(room._id, false);
				continue;
			}
			if (this.stopped) return;
			const status = statusOf(failure);
			if (this.settings.scope === 'all' && ['400', '403', '404'].includes(status)) {
				// All My Rooms: a room deleted or left meanwhile does not stop the others; one the user is
				// still a member of is read again.
				const stillMember = await joinedAt(this.client, room._id).then(
					(subscription) => !!subscription,
					() => true,
				);
				if (!stillMember) {
					this.report(`could not catch up room ${room.name ?? room._id}; the user is no longer a member, so it is left out`, failure);
					this.forgetRoom(room._id);
					continue;
				}
				this.report(`could not catch up room ${room.name ?? room._id}; it is read again shortly`, failure);
				this.setRetry(room._id, true);
				continue;
			}
			if (status === '403') {
				// A chosen public channel whose history the user may not read is still streamed.
				this.report(`could not catch up room ${room.name ?? room._id}`, failure);
				continue;
			}
			if (isFatal(failure)) throw failure;
			this.report(`could not catch up room ${room.name ?? room._id}; it is read again shortly`, failure);
			this.setRetry(room._id, true);
		}
		if (newest !== undefined) {
			this.cursor.advanceSync(newest);
			this.handOver({ sync: newest });
		}
	}

	/** One message from any source. */
	async process(raw: IDataObject, hint: RoomHint | undefined, live: boolean): Promise<void> {
		if (this.stopped) return;
		const message = raw;
		const rid = typeof message.rid === 'string' ? message.rid : undefined;
		const id = typeof message._id === 'string' ? message._id : undefined;
		const ts = toMillis(message.ts);
		if (!rid || !id || ts === undefined) return;

		let room = this.rooms.get(rid);
		if (hint) {
			if (!room) {
				room = { _id: rid, t: String(hint.roomType ?? ''), name: hint.roomName, member: hint.roomParticipant === true };
				this.rooms.set(rid, room);
			} else if (typeof hint.roomParticipant === 'boolean') {
				if (room.member && !hint.roomParticipant && this.settings.scope === 'all') this.forgetRoom(rid);
				room.member = hint.roomParticipant;
			}
		}
		if (!room || !this.inScope(room)) return;
		if (!this.settings.filters.roomTypes.has(room.t)) return;
		const author = (message.u ?? {}) as IDataObject;
		if (room.t === 'd' && !room.name && typeof author.username === 'string' && author.username !== this.me?.username) {
			// A direct message that started after activation: name it after the other user.
			room.name = author.username;
		}
		if (live && !this.cursor.hasRoom(rid)) {
			// A room joined after activation: messages count from the time of joining.
			await this.startJoinedRoom(room, ts);
		}

		const key: MessageKey = { id, rid, ts, editedAt: toMillis(message.editedAt), live };
		const decision = this.cursor.classify(key, ts);
		if (decision === 'seen') return;
		this.cursor.record(key);
		const deliver =
			(decision === 'new' || this.settings.filters.includeEdits) &&
			passesFilters(this.settings.filters, message, this.me) &&
			!(this.manual && this.emitted > 0);
		if (!deliver) {
			this.handOver({ key });
			return;
		}

		const json = messageJson(message, room, this.settings.simplify, this.client.server, decision === 'edit');
		let binary: IBinaryKeyData | undefined;
		if (this.settings.downloadAttachments) {
			// The message counts as delivered either way: a file that cannot be fetched is reported in the item.
			binary = await downloadFiles(this.ctx, this.client, message).catch((error: Error) => {
				json.downloadError = error.message;
				this.report(`could not download the files of message ${id}`, error);
				return undefined;
			});
		}
		if (this.stopped) return;
		await this.emit([[item(json, binary)]], key, decision === 'edit');
	}

	/** A fatal problem: stop, and let n8n deactivate the workflow (it retries the activation later). */
	fail(error: unknown): void {
		if (this.stopped) return;
		this.stopped = true;
		const failure =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.ctx.getNode(), (error as Error)?.message ?? String(error), {
						description: describeFatal(error),
					});
		this.ctx.emitError(failure);
	}

	/** A problem the trigger survives: logged, and shown in n8n's executions list (at most once an hour each). */
	report(what: string, error: unknown): void {
		this.problems.report(what, error);
	}

	/** Rooms in scope that are known now. */
	watchedRooms(): RoomInfo[] {
		return [...this.rooms.values()].filter((room) => this.inScope(room));
	}

	/** Whether some room's last read failed (the runner catches up again soon). */
	get hasRoomsToRetry(): boolean {
		return this.cursor.roomsToRetry().length > 0;
	}

	/**
	 * Waits (at most `ms`) for the executions in flight to finish, so that the cursor n8n saves when it
	 * deactivates the workflow already covers them (a later one is emitted again and refused by its key).
	 */
	async drain(ms: number): Promise<void> {
		if (this.inFlight === 0) return;
		await pause(ms, () => this.inFlight === 0, 20);
	}

	/** Executions emitted and not finished yet. */
	get executionsInFlight(): number {
		return this.inFlight;
	}

	// ---------------------------------------------------------------- emitting

	private deduplicationKey(key: MessageKey, edit: boolean): string {
		const workflowId = String(this.ctx.getWorkflow().id ?? '');
		const nodeId = this.ctx.getNode().id;
		return ['rocketchat', workflowId, nodeId, key.rid, key.id, ...(edit ? [String(key.editedAt)] : [])].join(':');
	}

	/**
	 * One execution per message. Waits for a free slot first (Max Executions in Flight); the cursor saved
	 * in static data moves past the message only once n8n reports the execution done (or refused as a
	 * duplicate). When n8n could not start the execution (e.g. its database was busy), the same emit is
	 * repeated (1 s, doubling to 8 s) until n8n takes it; the deduplication key keeps a repeat from running twice,
	 * and a later edit of the same message waits until it is done.
	 */
	private async emit(data: INodeExecutionData[][], key: MessageKey, edit: boolean): Promise<void> {
		if (this.manual) {
			this.emitted++;
			this.handOver({ key });
			this.ctx.emit(data);
			return;
		}
		// An edit reaches n8n after the message it edits even when n8n could not start that one at once.
		const pending = this.retrying.get(key.id);
		if (pending) await pending;
		while (this.inFlight >= Math.max(1, this.settings.maxInFlight) && !this.stopped) {
			await new Promise<void>((resolve) => (this.slotFreed = resolve));
		}
		if (this.stopped) return;
		const handover: Handover = { key, done: false };
		this.handovers.push(handover);
		this.inFlight++;
		this.emitted++;
		let settled = false;
		let retried: (() => void) | undefined;
		let retrying: Promise<void> | undefined;
		const finish = () => {
			if (settled) return;
			settled = true;
			if (retried) {
				if (this.retrying.get(key.id) === retrying) this.retrying.delete(key.id);
				retried();
			}
			this.inFlight--;
			handover.done = true;
			this.settleHandovers();
			const wake = this.slotFreed;
			this.slotFreed = undefined;
			wake?.();
		};
		// Until n8n takes it: giving up would lose the message (the slot stays taken meanwhile, so a database
		// that stays down holds the trigger back instead of skipping messages).
		const dispatch = (payload: INodeExecutionData[][], asEdit: boolean, attempt: number) => {
			// n8n resolves it with `undefined` when it refused the emit as a duplicate (its type does not say so).
			const done = this.ctx.helpers.createDeferredPromise<IRun>();
			done.promise.then(
				(run: IRun | undefined) => {
					if (run === undefined && !asEdit && this.editRefusedAsNew(key)) {
						// n8n refused the message as one it already ran (a delivery the saved cursor did not cover
						// yet): that run may have had the text before this edit, so the edit is delivered as an edit.
						dispatch(asEditItems(payload), true, 1);
						return;
					}
					finish();
				},
				(error: Error) => {
					if (settled || this.stopped) return;
					if (!retried) {
						retrying = new Promise<void>((resolve) => (retried = resolve));
						this.retrying.set(key.id, retrying);
					}
					this.report(`n8n could not start the execution for message ${key.id}; trying again`, error);
					void sleep(Math.min(EMIT_RETRY_MS * 2 ** (attempt - 1), EMIT_RETRY_MAX_MS)).then(() => {
						if (!settled && !this.stopped) dispatch(payload, asEdit, attempt + 1);
					});
				},
			);
			this.ctx.emit(payload, undefined, done, this.deduplicationKey(key, asEdit));
		};
		dispatch(data, edit, 1);
	}

	/** Whether a message n8n refused as already run carries an edit that is to be delivered. */
	private editRefusedAsNew(key: MessageKey): boolean {
		return this.settings.filters.includeEdits && key.editedAt !== undefined && !this.stopped;
	}

	/** Queues a change of the saved cursor behind the executions emitted before it. */
	private handOver(change: Omit<Handover, 'done'>): void {
		this.handovers.push({ ...change, done: true });
		this.settleHandovers();
	}

	/** Applies to the saved cursor every change at the head of the queue whose execution is done. */
	private settleHandovers(): void {
		let changed = false;
		while (this.handovers.length && this.handovers[0].done) {
			const change = this.handovers.shift() as Handover;
			changed = true;
			if (change.start) {
				this.durable.dropRoom(change.start.rid);
				this.durable.addRoom(change.start.rid, change.start.at);
			}
			if (change.key) this.durable.record(change.key);
			if (change.sync !== undefined) this.durable.advanceSync(change.sync);
			if (change.retry) {
				this.durable.addRoom(change.retry.rid, this.cursor.readFrom(change.retry.rid) ?? 0);
				this.durable.setRetry(change.retry.rid, change.retry.value);
			}
			if (change.skip) this.durable.skipBefore(change.skip.rid, change.skip.before);
			if (change.edits) this.durable.editsReadUntil(change.edits.rid, change.edits.until);
			if (change.drop) this.durable.dropRoom(change.drop);
		}
		if (changed) this.persist();
	}

	/** Writes the saved cursor into the node's static data (n8n stores it with the next emit). */
	private persist(): void {
		if (!this.store) return;
		this.store.cursor = this.durable.toJSON();
		this.store.subscriptions = Object.fromEntries(this.subscriptionOf);
	}

	// ---------------------------------------------------------------- rooms

	private startRoom(rid: string, at: number, subscription?: string): void {
		this.cursor.dropRoom(rid);
		this.cursor.addRoom(rid, at);
		if (subscription) this.subscriptionOf.set(rid, subscription);
		this.handOver({ start: { rid, at, subscription } });
	}

	private forgetRoom(rid: string): void {
		if (!this.cursor.hasRoom(rid)) return;
		this.cursor.dropRoom(rid);
		this.subscriptionOf.delete(rid);
		this.handOver({ drop: rid });
	}

	private setRetry(rid: string, value: boolean): void {
		this.cursor.setRetry(rid, value);
		this.handOver({ retry: { rid, value } });
	}

	/** Joins (a new subscription: start at its `ts`) and leaves (forget the room) since `since`. */
	private async followMemberships(since: number): Promise<void> {
		const changes = await changedSubscriptions(this.client, since);
		const removed = new Set(changes.remove);
		for (const [rid, subscription] of this.subscriptionOf) {
			if (removed.has(subscription)) {
				this.forgetRoom(rid);
				const room = this.rooms.get(rid);
				if (room) room.member = false;
			}
		}
		for (const subscription of changes.update) this.followMembership(subscription);
	}

	/**
	 * Every membership of the user, once per activation: which subscription each watched room was started
	 * with, so that a later leave (`remove` of `subscriptions.get`, which names only the subscription) is
	 * recognised however long the membership stayed unchanged before. A room left while the trigger was not
	 * running is forgotten; one joined again starts at the new joining.
	 */
	private async learnMemberships(): Promise<void> {
		const subscriptions = await allSubscriptions(this.client);
		const member = new Set(subscriptions.map((subscription) => subscription.rid));
		for (const rid of this.cursor.roomIds()) if (!member.has(rid)) this.forgetRoom(rid);
		for (const subscription of subscriptions) if (this.cursor.hasRoom(subscription.rid)) this.followMembership(subscription);
	}

	private followMembership(subscription: SubscriptionRef): void {
		const known = this.subscriptionOf.get(subscription.rid);
		if (known === subscription._id && this.cursor.hasRoom(subscription.rid)) return;
		if (known === undefined && this.cursor.hasRoom(subscription.rid) && subscription.ts < (this.cursor.startOf(subscription.rid) as number)) {
			// The membership the room was started with (at the activation, before subscriptions were
			// followed): remember which one it is. One that began after the room's start is a new joining
			// (a leave the saved cursor did not record yet), so the room starts again at its time.
			this.subscriptionOf.set(subscription.rid, subscription._id);
			return;
		}
		this.startRoom(subscription.rid, subscription.ts, subscription._id);
	}

	/** A room first seen live: messages count from the time the user joined it (or from this message). */
	private async startJoinedRoom(room: RoomInfo, ts: number): Promise<void> {
		let start = ts;
		let subscription: string | undefined;
		if (room.member) {
			const joined = await this.readJoining(room);
			if (joined) {
				// From the joining on: a pushed update of an older message (an edit, a reaction) is not new.
				start = joined.ts;
				subscription = joined._id;
			}
		}
		this.startRoom(room._id, start, subscription);
	}

	/**
	 * When the user joined the room. A failure that may pass (5xx, 429, a lost connection) is retried while
	 * the room's live messages wait: starting the room at the first message instead would take a message
	 * stamped a little earlier by a server instance whose clock is behind for one from before the joining.
	 */
	private async readJoining(room: RoomInfo): Promise<SubscriptionRef | undefined> {
		for (let attempt = 0; ; attempt++) {
			try {
				return await joinedAt(this.client, room._id);
			} catch (error) {
				this.report(`could not read when the user joined room ${room.name ?? room._id}`, error);
				if (isFatal(error) || this.stopped) return undefined;
				await sleep(Math.min(JOIN_RETRY_MS * 2 ** attempt, JOIN_RETRY_MAX_MS));
				if (this.stopped) return undefined;
			}
		}
	}

	private async catchUpRoom(room: RoomInfo): Promise<void> {
		if (!this.cursor.hasRoom(room._id)) {
			const joined = room.member ? await joinedAt(this.client, room._id) : undefined;
			this.startRoom(room._id, joined?.ts ?? Math.max(room.lastMessageAt ?? 0, room.updatedAt ?? 0, 0) + 1, joined?._id);
		}
		let from = this.cursor.readFrom(room._id) as number;
		if (this.settings.maxCatchUpAgeMs > 0) {
			const ageFloor = Date.now() - this.settings.maxCatchUpAgeMs;
			if (from < ageFloor) {
				this.skip(room._id, ageFloor);
				from = ageFloor;
			}
		}
		// Up to past the newest server time known for the room: a message stamped by an instance whose
		// clock is ahead can be later than "now" on the instance that answers.
		const until = Math.max(Date.now(), room.updatedAt ?? 0, room.lastMessageAt ?? 0) + this.settings.overlapMs;
		const { messages, truncated } = await historySince(
			this.client,
			room,
			from,
			Math.max(1, this.settings.maxCatchUpCount) + this.cursor.knownSince(room._id, from),
			this.settings.filters.threads !== 'topLevel',
			until,
		);
		if (truncated && messages.length) {
			const oldest = toMillis(messages[0].ts) as number;
			this.report(
				`room ${room.name ?? room._id} had more than ${this.settings.maxCatchUpCount} missed messages; delivering the newest ${messages.length}`,
				undefined,
			);
			this.skip(room._id, oldest);
		}
		for (const message of messages) {
			if (this.stopped) return;
			await this.process(message, undefined, false);
		}
		if (this.settings.filters.includeEdits) await this.catchUpEdits(room);
	}

	/** Edits made while nobody listened (`chat.syncMessages`): each edit once, as an edit. */
	private async catchUpEdits(room: RoomInfo): Promise<void> {
		const from = this.cursor.editsFrom(room._id) as number;
		const { messages, until } = await editedSince(this.client, room._id, from);
		for (const message of messages) {
			if (this.stopped) return;
			if (toMillis(message.editedAt) === undefined) continue;
			await this.process(message, undefined, false);
		}
		if (until !== undefined) {
			this.cursor.editsReadUntil(room._id, until);
			this.handOver({ edits: { rid: room._id, until } });
		}
	}

	private skip(rid: string, before: number): void {
		this.cursor.skipBefore(rid, before);
		this.handOver({ skip: { rid, before } });
	}

	private inScope(room: RoomInfo): boolean {
		if (this.settings.scope === 'selected') return this.selected.has(room._id);
		return room.member;
	}

	/** Resolves Selected Rooms (IDs, #names, @users, URLs) to room IDs, checking each is reachable. */
	private async resolveTargets(myRooms: RoomInfo[]): Promise<void> {
		this.selected.clear();
		for (const target of this.settings.targets) {
			const parsed = parseRoomLocator(target.raw);
			if (parsed.kind === 'invalid') {
				throw new NodeOperationError(this.ctx.getNode(), `${parsed.message} in Selected Rooms`, { description: parsed.hint });
			}
			if (!parsed.value) continue;
			let room: RoomInfo | undefined;
			if (parsed.kind === 'user') {
				const wanted = parsed.value.toLowerCase();
				room = myRooms.find((candidate) => candidate.t === 'd' && (candidate.name ?? '').toLowerCase().split(', ').includes(wanted));
				if (!room) {
					throw new NodeOperationError(this.ctx.getNode(), `No direct message with @${parsed.value} found`, {
						description: `The user of these credentials has no direct message with @${parsed.value}. Send one first, or check the username in Selected Rooms.`,
					});
				}
			} else if (parsed.kind === 'name') {
				const info = await lookUpRoom((request) => this.client.request(request), { roomName: parsed.value }, {
					hints: {
						byErrorType: {
							'error-room-not-found': `No room named "${parsed.value}" that this user can see. Check the name in Selected Rooms, or pick the room from the list.`,
						},
					},
				});
				const found = roomFromRest(info, this.me, false);
				room = myRooms.find((candidate) => candidate._id === found._id) ?? found;
			} else {
				room = myRooms.find((candidate) => candidate._id === parsed.value) ?? (await getRoom(this.client, this.me, parsed.value, false));
			}
			this.rooms.set(room._id, room);
			this.selected.add(room._id);
		}
		if (!this.selected.size) {
			throw new NodeOperationError(this.ctx.getNode(), 'No room chosen in Selected Rooms', {
				description: 'Add at least one room under Selected Rooms, or set Rooms to All My Rooms.',
			});
		}
	}
}

function describeFatal(error: unknown): string {
	const kind = (error as { kind?: string }).kind;
	const code = String((error as { code?: string }).code ?? '');
	if (kind === 'method' && code === '403') {
		return 'Rocket.Chat refused the token of these credentials on its Realtime API. Check the User ID and Personal Access Token (a deleted token stops working), or the username and password.';
	}
	if (kind === 'nosub') {
		return 'Rocket.Chat refused to stream one of the chosen rooms: it was deleted, or the user of these credentials cannot see it.';
	}
	return 'Check the credentials and the rooms chosen in the trigger, then activate the workflow again.';
}
