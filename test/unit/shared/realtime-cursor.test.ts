/**
 * The Rocket.Chat Trigger's cursor (dedupe window, floors, saved form) and its message filters.
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { Cursor, WINDOW } from '../../../nodes/RocketChatTrigger/cursor';
import { parseRegex, passesFilters, readFilters } from '../../../nodes/RocketChatTrigger/filters';

const node = { name: 'Rocket.Chat Trigger', type: 'n8n-nodes-rocketchat.rocketChatTrigger', typeVersion: 1, position: [0, 0], parameters: {}, id: 'n' } as INode;

describe('Cursor', () => {
	it('treats a message as new once; the same id again is seen', () => {
		const cursor = new Cursor();
		cursor.addRoom('r', 1000);
		const message = { id: 'm1', rid: 'r', ts: 1000 };
		expect(cursor.classify(message, 0)).toBe('new');
		cursor.record(message);
		expect(cursor.classify(message, 0)).toBe('seen');
		expect(cursor.catchUpFrom('r')).toBe(1000);
	});

	it('never treats messages older than the room floor as new (they predate the trigger)', () => {
		const cursor = new Cursor();
		cursor.addRoom('r', 5000);
		expect(cursor.classify({ id: 'old', rid: 'r', ts: 4999 }, 0)).toBe('seen');
		expect(cursor.classify({ id: 'late', rid: 'r', ts: 5000 }, 0)).toBe('new');
	});

	it('accepts a late message older than the newest one while it is within the window', () => {
		const cursor = new Cursor();
		cursor.addRoom('r', 0);
		cursor.record({ id: 'b', rid: 'r', ts: 200 });
		expect(cursor.classify({ id: 'a', rid: 'r', ts: 100 }, 0)).toBe('new');
	});

	it('starts an unknown room at the given start', () => {
		const cursor = new Cursor();
		expect(cursor.classify({ id: 'x', rid: 'new-room', ts: 99 }, 100)).toBe('seen');
		expect(cursor.classify({ id: 'y', rid: 'new-room', ts: 100 }, 100)).toBe('new');
	});

	it('raises the floor when the window overflows, so evicted ids can never come back', () => {
		const cursor = new Cursor();
		cursor.addRoom('r', 0);
		for (let index = 0; index <= WINDOW; index++) cursor.record({ id: `m${index}`, rid: 'r', ts: 1000 + index });
		const saved = cursor.toJSON() as { rooms: Record<string, { floor: number; seen: unknown[] }> };
		expect(saved.rooms.r.seen).toHaveLength(WINDOW);
		expect(saved.rooms.r.floor).toBe(1001);
		expect(cursor.classify({ id: 'm0', rid: 'r', ts: 1000 }, 0)).toBe('seen');
		expect(cursor.classify({ id: `m${WINDOW}`, rid: 'r', ts: 1000 + WINDOW }, 0)).toBe('seen');
	});

	it('tells edits apart: a new editedAt of a known message is an edit, once', () => {
		const cursor = new Cursor();
		cursor.addRoom('r', 0);
		cursor.record({ id: 'm', rid: 'r', ts: 10 });
		const edited = { id: 'm', rid: 'r', ts: 10, editedAt: 20 };
		expect(cursor.classify(edited, 0)).toBe('edit');
		cursor.record(edited);
		expect(cursor.classify(edited, 0)).toBe('seen');
		expect(cursor.classify({ ...edited, editedAt: 30 }, 0)).toBe('edit');
	});

	it('does not report edits made before the trigger started', () => {
		const cursor = new Cursor();
		cursor.addRoom('r', 1000);
		expect(cursor.classify({ id: 'old', rid: 'r', ts: 10, editedAt: 999 }, 0)).toBe('seen');
		expect(cursor.classify({ id: 'old', rid: 'r', ts: 10, editedAt: 1000 }, 0)).toBe('edit');
	});

	it('survives a save and load through static data', () => {
		const cursor = new Cursor();
		cursor.advanceSync(500);
		cursor.addRoom('r', 100);
		cursor.record({ id: 'm', rid: 'r', ts: 150, editedAt: 160 });
		const loaded = Cursor.load(JSON.parse(JSON.stringify(cursor.toJSON())));
		expect(loaded.initialized).toBe(true);
		expect(loaded.sync).toBe(500);
		expect(loaded.classify({ id: 'm', rid: 'r', ts: 150, editedAt: 160 }, 0)).toBe('seen');
		expect(loaded.catchUpFrom('r')).toBe(150);
		expect(loaded.toJSON()).toEqual(cursor.toJSON());
	});

	it('starts afresh from unreadable static data', () => {
		expect(Cursor.load(undefined).initialized).toBe(false);
		expect(Cursor.load({ v: 99, sync: 5 }).initialized).toBe(false);
		expect(Cursor.load('garbage').roomIds()).toEqual([]);
	});

	it('moves the watermark only forward and skips history on request', () => {
		const cursor = new Cursor();
		cursor.advanceSync(100);
		cursor.advanceSync(50);
		expect(cursor.sync).toBe(100);
		cursor.addRoom('r', 0);
		cursor.skipBefore('r', 700);
		expect(cursor.catchUpFrom('r')).toBe(700);
		expect(cursor.classify({ id: 'x', rid: 'r', ts: 699 }, 0)).toBe('seen');
	});
});

describe('filters', () => {
	const me = { id: 'me', username: 'bot' };
	const base = { _id: 'm', rid: 'r', msg: 'Hello World', u: { _id: 'alice', username: 'alice' } };

	it('reads defaults: system messages ignored, own messages skipped, all room types', () => {
		const filters = readFilters(node, {});
		expect(filters).toMatchObject({ ignoreSystemMessages: true, includeOwnMessages: false, ignoreBots: false, threads: 'all', includeEdits: false });
		expect([...filters.roomTypes]).toEqual(['c', 'p', 'd']);
		expect(passesFilters(filters, base, me)).toBe(true);
		expect(passesFilters(filters, { ...base, u: { _id: 'me' } }, me)).toBe(false);
		expect(passesFilters(filters, { ...base, t: 'uj' }, me)).toBe(false);
	});

	it('parses /pattern/flags and bare patterns, and explains an invalid one', () => {
		expect(parseRegex(node, '/hello/i')?.test('HELLO')).toBe(true);
		expect(parseRegex(node, 'hello')?.test('HELLO')).toBe(false);
		expect(parseRegex(node, '  ')).toBeUndefined();
		expect(() => parseRegex(node, '[')).toThrow(NodeOperationError);
	});

	it('combines text, mention, thread and bot filters', () => {
		const filters = readFilters(node, { textContains: 'world', textRegex: '/^hello/i', onlyMentions: true, threads: 'replies', ignoreBots: true });
		const reply = { ...base, tmid: 'root', mentions: [{ _id: 'me', username: 'bot' }] };
		expect(passesFilters(filters, reply, me)).toBe(true);
		expect(passesFilters(filters, { ...reply, tmid: undefined }, me)).toBe(false);
		expect(passesFilters(filters, { ...reply, mentions: [] }, me)).toBe(false);
		expect(passesFilters(filters, { ...reply, msg: 'Hello there' }, me)).toBe(false);
		expect(passesFilters(filters, { ...reply, bot: { i: 'x' } }, me)).toBe(false);
	});
});
