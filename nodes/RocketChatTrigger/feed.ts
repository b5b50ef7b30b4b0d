/**
 * The message feed shared by both modes: which rooms to watch, the REST catch-up, and the one path every
 * message takes (realtime push, catch-up page, poll) — scope, dedupe against the cursor, filters, output,
 * cursor saved, then one `emit` per message. Work runs one task at a time, so messages of a room are
 * delivered in the order they were processed and the cursor is never raced.
 */
import type { IBinaryKeyData, IDataObject, INodeExecutionData, INodeParameterResourceLocator, ITriggerFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { fromEjson } from '../shared/realtime';
import { lookUpRoom, parseRoomLocator } from '../shared/rooms';
import type { CallbackClient } from '../shared/transport';
import type { RoomInfo } from './catchUp';
import { changedRooms, getRoom, historySince, roomFromRest, toMillis, whoAmI } from './catchUp';
import { Cursor } from './cursor';
import type { Me, MessageFilters } from './filters';
import { passesFilters } from './filters';
import { downloadFiles, item, messageJson } from './output';

/**
 * rooms.get asks for rooms updated this long before the watermark: the watermark is the newest room
 * change seen, and server instances whose clocks differ (or same-millisecond updates) can stamp a later
 * change with an earlier time. Rooms changed within the margin are looked at again (one history call each).
 */
const SYNC_MARGIN_MS = 60_000;
/** A message seen live moves the watermark to this long before its time (late broadcasts). */
const LIVE_SYNC_LAG_MS = 60_000;

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

const ROOM_URL = /\/((?:channel|group|direct)\/[^/?#\s]+)/;

export class MessageFeed {
	me?: Me;
	readonly rooms = new Map<string, RoomInfo>();
	readonly selected = new Set<string>();
	readonly cursor: Cursor;
	prepared = false;
	stopped = false;
	/** Messages emitted since activation. */
	emitted = 0;

	/** Per room, the `_updatedAt` of the last catch-up that read its history: unchanged means nothing new. */
	private readonly caughtUpAt = new Map<string, number>();

	private queue: Promise<void> = Promise.resolve();
	private holding = false;
	private held: Array<{ message: IDataObject; hint?: RoomHint }> = [];

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
		this.cursor = Cursor.load(store?.cursor);
		this.client = clientFactory();
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
	 * Reads who the user is and the rooms to watch; on the first activation, sets the cursor to the
	 * rooms' latest server times so that only later messages count as new.
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
				const start = Math.max(room.updatedAt ?? 0, room.lastMessageAt ?? 0);
				if (start > 0) this.cursor.addRoom(room._id, start + 1);
				if (start > 0) newest = Math.max(newest ?? 0, start);
			}
			for (const room of all.update) newest = Math.max(newest ?? 0, room.updatedAt ?? 0);
			// A user without any room: no server time to start from, so the host's clock it is.
			this.cursor.advanceSync(newest || Date.now());
			this.persist();
		}
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
			else this.ctx.logger.warn(`Rocket.Chat Trigger: could not process message ${String(message._id)}: ${(error as Error).message}`);
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
	 * Delivers what was missed: rooms changed since the watermark (`rooms.get`), then each room's
	 * history from its cursor, oldest first, within Max Catch-Up Age / Count.
	 */
	async catchUp(): Promise<void> {
		if (!this.prepared) await this.prepare();
		const since = this.cursor.sync !== undefined ? this.cursor.sync - SYNC_MARGIN_MS : undefined;
		const changed = await changedRooms(this.client, this.me, since);
		for (const rid of changed.remove) {
			this.rooms.delete(rid);
			if (this.settings.scope === 'all') this.cursor.dropRoom(rid);
		}
		let newest: number | undefined;
		const candidates = new Map<string, RoomInfo>();
		const changedIds = new Set(changed.update.map((room) => room._id));
		for (const room of changed.update) {
			this.rooms.set(room._id, room);
			if (room.updatedAt !== undefined) newest = Math.max(newest ?? 0, room.updatedAt);
			if (this.inScope(room)) candidates.set(room._id, room);
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
			// rooms.get repeats every room changed within SYNC_MARGIN_MS: skip the history of a room whose
			// _updatedAt (fresh from this rooms.get) is exactly the one its history was last read at; a new
			// message changes it. Unjoined chosen rooms are not in rooms.get: always read.
			const fresh = changedIds.has(room._id) ? room.updatedAt : undefined;
			if (fresh !== undefined && this.caughtUpAt.get(room._id) === fresh) continue;
			const failure = await this.catchUpRoom(room, since).then(
				() => undefined,
				(error: Error) => error,
			);
			if (!failure) {
				if (fresh !== undefined) this.caughtUpAt.set(room._id, fresh);
				continue;
			}
			const status = failure instanceof NodeApiError ? String(failure.httpCode) : '';
			// All My Rooms: a room deleted or left meanwhile does not stop the others. A chosen room whose
			// history the user may not read (an unjoined channel without preview-c-room) is still streamed.
			if ((this.settings.scope === 'all' && ['400', '403', '404'].includes(status)) || status === '403') {
				this.ctx.logger.warn(`Rocket.Chat Trigger: could not catch up room ${room.name ?? room._id}: ${failure.message}`);
				continue;
			}
			throw failure;
		}
		if (newest !== undefined) this.cursor.advanceSync(newest);
		this.persist();
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

		if (live && this.prepared) this.cursor.advanceSync(ts - LIVE_SYNC_LAG_MS);
		const key = { id, rid, ts, editedAt: toMillis(message.editedAt) };
		const start = this.cursor.sync !== undefined ? this.cursor.sync - SYNC_MARGIN_MS : ts;
		const decision = this.cursor.classify(key, start);
		if (decision === 'seen') return;
		this.cursor.record(key);
		if (decision === 'edit' && !this.settings.filters.includeEdits) return;
		if (!passesFilters(this.settings.filters, message, this.me)) return;
		if (this.manual && this.emitted > 0) return;

		const json = messageJson(message, room, this.settings.simplify, this.client.server, decision === 'edit');
		let binary: IBinaryKeyData | undefined;
		if (this.settings.downloadAttachments) {
			// The message counts as delivered either way: a file that cannot be fetched is reported in the item.
			binary = await downloadFiles(this.ctx, this.client, message).catch((error: Error) => {
				json.downloadError = error.message;
				this.ctx.logger.warn(`Rocket.Chat Trigger: could not download the files of message ${id}: ${error.message}`);
				return undefined;
			});
		}
		if (this.stopped) return;
		this.persist();
		this.emitted++;
		const data: INodeExecutionData[][] = [[item(json, binary)]];
		this.ctx.emit(data);
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

	/** Saves the cursor into the node's static data (n8n stores it with the next emit). */
	persist(): void {
		if (this.store) this.store.cursor = this.cursor.toJSON();
	}

	/** Rooms in scope that are known now. */
	watchedRooms(): RoomInfo[] {
		return [...this.rooms.values()].filter((room) => this.inScope(room));
	}

	private inScope(room: RoomInfo): boolean {
		if (this.settings.scope === 'selected') return this.selected.has(room._id);
		return room.member;
	}

	private async catchUpRoom(room: RoomInfo, since: number | undefined): Promise<void> {
		this.cursor.addRoom(room._id, since ?? (room.updatedAt ?? Date.now()));
		let from = this.cursor.catchUpFrom(room._id) as number;
		if (this.settings.maxCatchUpAgeMs > 0) {
			const ageFloor = Date.now() - this.settings.maxCatchUpAgeMs;
			if (from < ageFloor) {
				this.cursor.skipBefore(room._id, ageFloor);
				from = ageFloor;
			}
		}
		// Up to the room's last change as rooms.get just reported it (server time); later messages come
		// with the stream or the next poll, which sees the room changed again.
		const until = room.member && room.updatedAt !== undefined ? Math.max(room.updatedAt, room.lastMessageAt ?? 0) : undefined;
		const { messages, truncated } = await historySince(
			this.client,
			room,
			from,
			Math.max(1, this.settings.maxCatchUpCount),
			this.settings.filters.threads !== 'topLevel',
			until,
		);
		if (truncated && messages.length) {
			const oldest = toMillis(messages[0].ts) as number;
			this.ctx.logger.warn(
				`Rocket.Chat Trigger: room ${room.name ?? room._id} had more than ${this.settings.maxCatchUpCount} missed messages; delivering the newest ${messages.length}`,
			);
			this.cursor.skipBefore(room._id, oldest);
		}
		for (const message of messages) {
			if (this.stopped) return;
			await this.process(message, undefined, false);
		}
	}

	/** Resolves Selected Rooms (IDs, #names, @users, URLs) to room IDs, checking each is reachable. */
	private async resolveTargets(myRooms: RoomInfo[]): Promise<void> {
		this.selected.clear();
		for (const target of this.settings.targets) {
			const locator = target.raw as INodeParameterResourceLocator | string;
			const rawValue = typeof locator === 'string' ? locator : String(locator?.value ?? '');
			const extracted = typeof locator === 'object' && locator?.mode === 'url' ? (ROOM_URL.exec(rawValue)?.[1] ?? rawValue) : rawValue;
			const parsed = parseRoomLocator(locator, extracted);
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
