/**
 * The trigger's cursor, kept in the workflow's static data (`getWorkflowStaticData('node').cursor`) so
 * that a restarted workflow continues where it stopped. All times are server times (epoch ms taken from
 * Rocket.Chat's own `ts` / `_updatedAt`), never the n8n host's clock.
 *
 *   {
 *     v: 1,
 *     sync: <ms>,            // rooms.get watermark: rooms updated after it may hold unseen messages
 *     rooms: {
 *       <rid>: {
 *         last: <ms>,        // newest message ts processed; catch-up asks for ts >= last (inclusive)
 *         floor: <ms>,       // messages older than this are never new (predate the trigger or left the window)
 *         seen: [[id, ts]],  // window of processed message ids (newest WINDOW), for dedupe at equal times
 *         edits?: [[id@editedAt, editedAt]], editFloor?: <ms>   // same for edits
 *       }
 *     }
 *   }
 *
 * A message is new when its id is not in `seen` and its `ts` is not below `floor`. Evicting the oldest
 * entry of a full window raises `floor` above it, so an evicted id can never come back as new. Every
 * processed message is recorded (also those the filters drop), so windows and `last` move on.
 */
import type { IDataObject } from 'n8n-workflow';

export const WINDOW = 100;

export type Decision = 'new' | 'edit' | 'seen';

export interface MessageKey {
	id: string;
	rid: string;
	/** Epoch ms. */
	ts: number;
	/** Epoch ms of the last edit, if edited. */
	editedAt?: number;
}

class TimeWindow {
	private readonly entries = new Map<string, number>();

	constructor(
		entries: unknown,
		public floor: number,
		private readonly capacity = WINDOW,
	) {
		if (Array.isArray(entries)) {
			for (const entry of entries) {
				if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number') {
					this.entries.set(entry[0], entry[1]);
				}
			}
		}
	}

	has(key: string): boolean {
		return this.entries.has(key);
	}

	isNew(key: string, time: number): boolean {
		return time >= this.floor && !this.entries.has(key);
	}

	add(key: string, time: number): void {
		this.entries.set(key, time);
		while (this.entries.size > this.capacity) {
			let oldestKey: string | undefined;
			let oldest = Infinity;
			for (const [entryKey, entryTime] of this.entries) {
				if (entryTime < oldest) {
					oldest = entryTime;
					oldestKey = entryKey;
				}
			}
			if (oldestKey === undefined) break;
			this.entries.delete(oldestKey);
			this.floor = Math.max(this.floor, oldest + 1);
		}
	}

	toJSON(): Array<[string, number]> {
		return [...this.entries.entries()].sort((a, b) => a[1] - b[1]);
	}
}

class RoomCursor {
	last: number;
	readonly seen: TimeWindow;
	readonly edits: TimeWindow;

	constructor(data: IDataObject) {
		const floor = Number(data.floor) || 0;
		this.last = Number(data.last) || floor;
		this.seen = new TimeWindow(data.seen, floor);
		this.edits = new TimeWindow(data.edits, Number(data.editFloor) || floor);
	}

	toJSON(): IDataObject {
		const out: IDataObject = { last: this.last, floor: this.seen.floor, seen: this.seen.toJSON() as unknown as IDataObject[] };
		const edits = this.edits.toJSON();
		if (edits.length || this.edits.floor !== this.seen.floor) {
			out.edits = edits as unknown as IDataObject[];
			out.editFloor = this.edits.floor;
		}
		return out;
	}
}

export class Cursor {
	sync?: number;
	private readonly rooms = new Map<string, RoomCursor>();

	/** Reads the cursor from static data (anything unreadable starts a new one). */
	static load(data: unknown): Cursor {
		const cursor = new Cursor();
		if (data && typeof data === 'object' && (data as IDataObject).v === 1) {
			const record = data as IDataObject;
			if (typeof record.sync === 'number') cursor.sync = record.sync;
			const rooms = (record.rooms ?? {}) as Record<string, IDataObject>;
			for (const [rid, room] of Object.entries(rooms)) {
				if (room && typeof room === 'object') cursor.rooms.set(rid, new RoomCursor(room));
			}
		}
		return cursor;
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
		if (!this.rooms.has(rid)) this.rooms.set(rid, new RoomCursor({ floor: start, last: start }));
	}

	dropRoom(rid: string): void {
		this.rooms.delete(rid);
	}

	/** Where a catch-up of the room starts (inclusive), or undefined for an unknown room. */
	catchUpFrom(rid: string): number | undefined {
		return this.rooms.get(rid)?.last;
	}

	/**
	 * Skips the room's history before `time` (Max Catch-Up Age / Count): those messages are not
	 * delivered, and cannot come back as new.
	 */
	skipBefore(rid: string, time: number): void {
		const room = this.rooms.get(rid);
		if (!room) return;
		room.seen.floor = Math.max(room.seen.floor, time);
		room.edits.floor = Math.max(room.edits.floor, time);
		room.last = Math.max(room.last, time);
	}

	/** Moves the rooms.get watermark forward (never back). */
	advanceSync(time: number): void {
		if (!Number.isFinite(time)) return;
		this.sync = this.sync === undefined ? time : Math.max(this.sync, time);
	}

	/**
	 * Whether the message is new, a new edit of a message, or already processed. A room the cursor does
	 * not know yet starts at `start`.
	 */
	classify(message: MessageKey, start: number): Decision {
		this.addRoom(message.rid, start);
		const room = this.rooms.get(message.rid) as RoomCursor;
		if (room.seen.isNew(message.id, message.ts)) return 'new';
		if (message.editedAt !== undefined && room.edits.isNew(editKey(message), message.editedAt)) return 'edit';
		return 'seen';
	}

	/** Records the message as processed (call before emitting it). */
	record(message: MessageKey): void {
		this.addRoom(message.rid, message.ts);
		const room = this.rooms.get(message.rid) as RoomCursor;
		if (room.seen.isNew(message.id, message.ts)) {
			room.seen.add(message.id, message.ts);
			room.last = Math.max(room.last, message.ts);
		}
		if (message.editedAt !== undefined && room.edits.isNew(editKey(message), message.editedAt)) {
			room.edits.add(editKey(message), message.editedAt);
		}
	}

	toJSON(): IDataObject {
		const rooms: IDataObject = {};
		for (const [rid, room] of this.rooms) rooms[rid] = room.toJSON();
		const out: IDataObject = { v: 1, rooms };
		if (this.sync !== undefined) out.sync = this.sync;
		return out;
	}
}

function editKey(message: MessageKey): string {
	return `${message.id}@${message.editedAt}`;
}
