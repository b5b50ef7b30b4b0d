/**
 * The Rocket.Chat Trigger's cursor: per-room start and read position, the overlap a read goes back, ids
 * remembered over a time window (not a count), edits, and the saved form.
 */
import { Cursor } from '../../../nodes/RocketChatTrigger/cursor';

const OVERLAP = 1000;

describe('Cursor', () => {
	it('treats a message as new once; the same id again is seen', () => {
		const cursor = new Cursor(OVERLAP);
		cursor.addRoom('r', 1000);
		const message = { id: 'm1', rid: 'r', ts: 1000 };
		expect(cursor.classify(message, 0)).toBe('new');
		cursor.record(message);
		expect(cursor.classify(message, 0)).toBe('seen');
	});

	it('never treats messages before the room start as new (they predate the trigger or the joining)', () => {
		const cursor = new Cursor(OVERLAP);
		cursor.addRoom('r', 5000);
		expect(cursor.classify({ id: 'old', rid: 'r', ts: 4999 }, 0)).toBe('seen');
		expect(cursor.classify({ id: 'late', rid: 'r', ts: 5000 }, 0)).toBe('new');
	});

	it('reads from the overlap before the newest ts, never before the start', () => {
		const cursor = new Cursor(OVERLAP);
		cursor.addRoom('r', 10_000);
		expect(cursor.readFrom('r')).toBe(10_000);
		cursor.record({ id: 'a', rid: 'r', ts: 20_000 });
		expect(cursor.readFrom('r')).toBe(19_000);
		expect(cursor.readFrom('unknown')).toBeUndefined();
	});

	it('delivers a late message stamped before the newest one, within the overlap', () => {
		const cursor = new Cursor(OVERLAP);
		cursor.addRoom('r', 0);
		cursor.record({ id: 'b', rid: 'r', ts: 5000 });
		expect(cursor.classify({ id: 'a', rid: 'r', ts: 4100 }, 0)).toBe('new');
		expect(cursor.classify({ id: 'too-late', rid: 'r', ts: 3999 }, 0)).toBe('seen');
	});

	it('remembers every id within the overlap however many there are (a busy room loses nothing)', () => {
		const cursor = new Cursor(OVERLAP);
		cursor.addRoom('r', 0);
		// 5,000 messages within one overlap: a count-bounded window would forget the first ones.
		for (let index = 0; index < 5000; index++) cursor.record({ id: `m${index}`, rid: 'r', ts: 10_000 + (index % 500) });
		expect(cursor.classify({ id: 'm0', rid: 'r', ts: 10_000 }, 0)).toBe('seen');
		expect(cursor.classify({ id: 'late', rid: 'r', ts: 10_001 }, 0)).toBe('new');
		expect(cursor.knownSince('r', 10_000)).toBe(5000);
	});

	it('forgets ids only once they are older than the overlap', () => {
		const cursor = new Cursor(OVERLAP);
		cursor.addRoom('r', 0);
		cursor.record({ id: 'a', rid: 'r', ts: 1000 });
		cursor.record({ id: 'b', rid: 'r', ts: 1900 });
		expect(cursor.toJSON()).toMatchObject({ rooms: { r: { seen: { a: 1000, b: 1900 } } } });
		cursor.record({ id: 'c', rid: 'r', ts: 2500 });
		expect(cursor.toJSON()).toMatchObject({ rooms: { r: { seen: { b: 1900, c: 2500 } } } });
		expect((cursor.toJSON().rooms as Record<string, { seen: object }>).r.seen).not.toHaveProperty('a');
	});

	it('starts an unknown room at the given start', () => {
		const cursor = new Cursor(OVERLAP);
		expect(cursor.classify({ id: 'x', rid: 'new-room', ts: 99 }, 100)).toBe('seen');
		expect(cursor.classify({ id: 'y', rid: 'new-room', ts: 100 }, 100)).toBe('new');
	});

	it('classifies each edit once, by its edit time, also for messages older than the overlap', () => {
		const cursor = new Cursor(OVERLAP);
		cursor.addRoom('r', 0);
		cursor.record({ id: 'm', rid: 'r', ts: 1000 });
		cursor.record({ id: 'n', rid: 'r', ts: 50_000 });
		const edit = { id: 'm', rid: 'r', ts: 1000, editedAt: 60_000, live: true };
		expect(cursor.classify(edit, 0)).toBe('edit');
		cursor.record(edit);
		expect(cursor.classify(edit, 0)).toBe('seen');
		expect(cursor.classify({ ...edit, editedAt: 61_000 }, 0)).toBe('edit');
		// A pushed edit moves the edits read position.
		expect(cursor.editsFrom('r')).toBe(59_000);
	});

	it('an edit read with the history (by ts) does not hide older edits of other messages', () => {
		const cursor = new Cursor(OVERLAP);
		cursor.addRoom('r', 0);
		cursor.record({ id: 'a', rid: 'r', ts: 1000 });
		cursor.record({ id: 'b', rid: 'r', ts: 1001 });
		// A catch-up reads `a` first (edited last), then `b` (edited long before).
		const lastEdit = { id: 'a', rid: 'r', ts: 1000, editedAt: 90_000 };
		expect(cursor.classify(lastEdit, 0)).toBe('edit');
		cursor.record(lastEdit);
		expect(cursor.classify({ id: 'b', rid: 'r', ts: 1001, editedAt: 20_000 }, 0)).toBe('edit');
		expect(cursor.editsFrom('r')).toBe(0);
		// The read of edits moves it.
		cursor.editsReadUntil('r', 90_000);
		expect(cursor.editsFrom('r')).toBe(90_000 - OVERLAP);
	});

	it('survives a save and load through static data (JSON)', () => {
		const cursor = new Cursor(OVERLAP);
		cursor.addRoom('r', 100);
		cursor.record({ id: 'a', rid: 'r', ts: 200, editedAt: 300 });
		cursor.advanceSync(5000);
		cursor.setRetry('r', true);
		const loaded = Cursor.load(JSON.parse(JSON.stringify(cursor.toJSON())), OVERLAP);
		expect(loaded.toJSON()).toEqual(cursor.toJSON());
		expect(loaded.classify({ id: 'a', rid: 'r', ts: 200 }, 0)).toBe('seen');
		expect(loaded.roomsToRetry()).toEqual(['r']);
		expect(loaded.initialized).toBe(true);
	});

	it('takes over the cursor saved by version 0.1 (same positions) and ignores unknown formats', () => {
		const loaded = Cursor.load({ v: 1, sync: 5000, rooms: { r: { last: 3000, floor: 1000, seen: [['a', 3000]] } } }, OVERLAP);
		expect(loaded.sync).toBe(5000);
		expect(loaded.readFrom('r')).toBe(2000);
		expect(loaded.classify({ id: 'a', rid: 'r', ts: 3000 }, 0)).toBe('seen');
		expect(loaded.classify({ id: 'b', rid: 'r', ts: 2500 }, 0)).toBe('new');
		expect(loaded.classify({ id: 'c', rid: 'r', ts: 999 }, 0)).toBe('seen');
		expect(Cursor.load({ v: 9, rooms: { r: {} } }, OVERLAP).initialized).toBe(false);
	});

	it('moves the watermark only forward, and skips history on request', () => {
		const cursor = new Cursor(OVERLAP);
		cursor.advanceSync(100);
		cursor.advanceSync(50);
		expect(cursor.sync).toBe(100);
		cursor.addRoom('r', 0);
		cursor.skipBefore('r', 700);
		expect(cursor.classify({ id: 'x', rid: 'r', ts: 699 }, 0)).toBe('seen');
		expect(cursor.readFrom('r')).toBe(700);
	});
});
