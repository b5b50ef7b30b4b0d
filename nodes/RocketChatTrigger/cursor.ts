/**
 * The trigger's cursor, kept in the workflow's static data (`getWorkflowStaticData('node').cursor`) so
 * that a restarted workflow continues where it stopped. All times are server times (epoch ms taken from
 * Rocket.Chat's own `ts` / `editedAt` / `_updatedAt`), never the n8n host's clock.
 *
 *   {
 *     v: 2,
 *     sync: <ms>,              // rooms.get watermark: the newest room `_updatedAt` seen
 *     rooms: {
 *       <rid>: {
 *         start: <ms>,         // messages before this are never new (activation, joining, Max Catch-Up Age)
 *         read: <ms>,          // newest `ts` read; a catch-up reads from `read - overlap`
 *         seen: {id: ts},      // ids processed with ts >= read - overlap (a time window, not a count)
 *         edits?: {id: editedAt}, editRead?: <ms>,   // the same for edits (by `editedAt`)
 *         retry?: true         // the last read of the room failed: read it again at every catch-up
 *       }
 *     }
 *   }
 *
 * Why an overlap: Rocket.Chat stamps `ts` before it inserts the message, and several server instances
 * have their own clocks, so a message with an older `ts` can become visible after a newer one. Every read
 * goes back `overlap` ms before the newest `ts` seen, and the ids of that span are kept, so such a late
 * message is delivered once and an early one is not delivered again. A message that becomes visible more
 * than `overlap` after its `ts` is out of reach (the option Late Message Window sets it).
 */
import type { IDataObject } from 'n8n-workflow';

export type Decision = 'new' | 'edit' | 'seen';

export interface MessageKey {
	id: string;
	rid: string;
	/** Epoch ms. */
	ts: number;
	/** Epoch ms of the last edit, if edited. */
	editedAt?: number;
	/**
	 * Pushed live (realtime), where edits arrive in the order they were made: its edit time moves the
	 * edits read position. A history read returns messages by `ts`, not by edit time, so an edit it
	 * carries says nothing about older edits of other messages; only a read of edits (`editsReadUntil`)
	 * moves the position then.
	 */
	live?: boolean;
}

function readTimes(value: unknown): Map<string, number> {
	const map = new Map<string, number>();
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		for (const [key, time] of Object.entries(value as IDataObject)) {
			if (typeof time === 'number' && Number.isFinite(time)) map.set(key, time);
		}
	}
	return map;
}

function finite(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

class RoomCursor {
	start: number;
	read: number;
	readonly seen: Map<string, number>;
	edits: Map<string, number>;
	editRead: number;
	retry: boolean;

	constructor(data: IDataObject) {
		this.start = finite(data.start) ?? 0;
		this.read = Math.max(finite(data.read) ?? this.start, this.start);
		this.seen = readTimes(data.seen);
		this.edits = readTimes(data.edits);
		this.editRead = Math.max(finite(data.editRead) ?? this.start, this.start);
		this.retry = data.retry === true;
	}

	toJSON(): IDataObject {
		const out: IDataObject = { start: this.start, read: this.read, seen: Object.fromEntries(this.seen) };
		if (this.edits.size) out.edits = Object.fromEntries(this.edits);
		if (this.editRead !== this.start) out.editRead = this.editRead;
		if (this.retry) out.retry = true;
		return out;
	}
}

export class Cursor {
	sync?: number;
	private readonly rooms = new Map<string, RoomCursor>();

	constructor(
		/** How far before the newest `ts` seen a read starts, and how long ids are remembered (ms). */
		readonly overlapMs: number,
	) {}

	/** Reads the cursor from static data (anything unreadable starts a new one). */
	static load(data: unknown, overlapMs: number): Cursor {
		const cursor = new Cursor(overlapMs);
		if (data && typeof data === 'object' && (data as IDataObject).v === 1) return Cursor.fromVersion1(data as IDataObject, overlapMs);
		if (data && typeof data === 'object' && (data as IDataObject).v === 2) {
			const record = data as IDataObject;
			if (typeof record.sync === 'number') cursor.sync = record.sync;
			const rooms = (record.rooms ?? {}) as Record<string, IDataObject>;
			for (const [rid, room] of Object.entries(rooms)) {
				if (room && typeof room === 'object') cursor.rooms.set(rid, new RoomCursor(room));
			}
		}
		return cursor;
	}

	/** The cursor of version 0.1 (`last`, `floor`, `seen` as pairs): same positions, so nothing is lost or repeated. */
	private static fromVersion1(record: IDataObject, overlapMs: number): Cursor {
		const cursor = new Cursor(overlapMs);
		if (typeof record.sync === 'number') cursor.sync = record.sync;
		for (const [rid, raw] of Object.entries((record.rooms ?? {}) as Record<string, IDataObject>)) {
			if (!raw || typeof raw !== 'object') continue;
			const start = finite(raw.floor) ?? 0;
			const seen: IDataObject = {};
			for (const entry of Array.isArray(raw.seen) ? raw.seen : []) {
				if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number') seen[entry[0]] = entry[1];
			}
			cursor.rooms.set(rid, new RoomCursor({ start, read: finite(raw.last) ?? start, seen }));
		}
		return cursor;
	}

	/** A copy (the state saved with an emit must not change afterwards). */
	clone(): Cursor {
		return Cursor.load(this.toJSON(), this.overlapMs);
	}

	/** True once the starting point was taken from the server (first activation done). */
	get initialized(): boolean {
		return this.sync !== undefined;
	}

	hasRoom(rid: string): boolean {
		return this.rooms.has(rid);
	}

	roomIds(): string[] {
		return [...this.rooms.keys()];
	}

	/** Starts tracking a room: messages at or after `start` are new. Keeps an existing room as it is. */
	addRoom(rid: string, start: number): void {
		if (!this.rooms.has(rid)) this.rooms.set(rid, new RoomCursor({ start, read: start }));
	}

	dropRoom(rid: string): void {
		this.rooms.delete(rid);
	}

	/** Messages of the room before this time are never new (undefined for a room not tracked). */
	startOf(rid: string): number | undefined {
		return this.rooms.get(rid)?.start;
	}

	/** Where a read of the room starts (inclusive): the overlap before the newest `ts` seen, never before its start. */
	readFrom(rid: string): number | undefined {
		const room = this.rooms.get(rid);
		if (!room) return undefined;
		return Math.max(room.start, room.read - this.overlapMs);
	}

	/** How many processed ids of the room have `ts >= from` (a re-read returns them again). */
	knownSince(rid: string, from: number): number {
		const room = this.rooms.get(rid);
		if (!room) return 0;
		let count = 0;
		for (const ts of room.seen.values()) if (ts >= from) count++;
		return count;
	}

	/** Where a read of the room's edits starts (`_updatedAt`, inclusive). */
	editsFrom(rid: string): number | undefined {
		const room = this.rooms.get(rid);
		if (!room) return undefined;
		return Math.max(room.start, room.editRead - this.overlapMs);
	}

	/** Messages before `time` are not delivered (Max Catch-Up Age / Count) and cannot come back as new. */
	skipBefore(rid: string, time: number): void {
		const room = this.rooms.get(rid);
		if (!room || time <= room.start) return;
		room.start = time;
		room.read = Math.max(room.read, time);
		room.editRead = Math.max(room.editRead, time);
		this.prune(room);
	}

	/** Moves the rooms.get watermark forward (never back). */
	advanceSync(time: number): void {
		if (!Number.isFinite(time)) return;
		this.sync = this.sync === undefined ? time : Math.max(this.sync, time);
	}

	/**
	 * Marks a room whose read failed (retried at every catch-up until it succeeds) or succeeded. While it
	 * is marked, messages pushed live do not move its read position, so the retried read still covers the
	 * gap since the failure; once it succeeds the position moves to the newest message processed.
	 */
	setRetry(rid: string, retry: boolean): void {
		const room = this.rooms.get(rid);
		if (!room) return;
		if (room.retry && !retry) {
			for (const ts of room.seen.values()) room.read = Math.max(room.read, ts);
			this.prune(room);
		}
		room.retry = retry;
	}

	roomsToRetry(): string[] {
		return [...this.rooms.entries()].filter(([, room]) => room.retry).map(([rid]) => rid);
	}

	/** A read of the room's edits reached `time` (`_updatedAt` of the newest change read). */
	editsReadUntil(rid: string, time: number): void {
		const room = this.rooms.get(rid);
		if (!room) return;
		room.editRead = Math.max(room.editRead, time);
		this.prune(room);
	}

	/**
	 * Whether the message is new, a new edit of a message, or already processed. A room the cursor does
	 * not know yet starts at `start`.
	 */
	classify(message: MessageKey, start: number): Decision {
		this.addRoom(message.rid, start);
		const room = this.rooms.get(message.rid) as RoomCursor;
		if (message.ts >= room.start && message.ts >= room.read - this.overlapMs && !room.seen.has(message.id)) return 'new';
		if (message.editedAt !== undefined && this.isNewEdit(room, message)) return 'edit';
		return 'seen';
	}

	/** Records the message (and its edit) as processed (see `setRetry` for a room whose read failed). */
	record(message: MessageKey): void {
		this.addRoom(message.rid, message.ts);
		const room = this.rooms.get(message.rid) as RoomCursor;
		if (message.ts >= room.read - this.overlapMs) room.seen.set(message.id, message.ts);
		if (!room.retry) room.read = Math.max(room.read, message.ts);
		if (message.editedAt !== undefined) {
			if (this.isNewEdit(room, message)) room.edits.set(message.id, message.editedAt);
			if (message.live) room.editRead = Math.max(room.editRead, message.editedAt);
		}
		this.prune(room);
	}

	toJSON(): IDataObject {
		const rooms: IDataObject = {};
		for (const [rid, room] of this.rooms) rooms[rid] = room.toJSON();
		const out: IDataObject = { v: 2, rooms };
		if (this.sync !== undefined) out.sync = this.sync;
		return out;
	}

	private isNewEdit(room: RoomCursor, message: MessageKey): boolean {
		const editedAt = message.editedAt as number;
		// By the server's times, as for messages: an edit stamped before the room's start is not new (one made
		// just after it by an instance whose clock is behind cannot be told from one made before it).
		if (editedAt < room.start || editedAt < room.editRead - this.overlapMs) return false;
		// Another edit time is another edit, earlier or later: each server instance stamps `editedAt` with its
		// own clock, so a later edit can carry an earlier time.
		const known = room.edits.get(message.id);
		return known === undefined || editedAt !== known;
	}

	/** Forgets ids older than the overlap: a read never goes back that far, so they cannot come again. */
	private prune(room: RoomCursor): void {
		const floor = room.read - this.overlapMs;
		for (const [id, ts] of room.seen) if (ts < floor || ts < room.start) room.seen.delete(id);
		const editFloor = room.editRead - this.overlapMs;
		for (const [id, editedAt] of room.edits) if (editedAt < editFloor || editedAt < room.start) room.edits.delete(id);
	}
}
