/**
 * The Rocket.Chat Trigger's message filters.
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseRegex, passesFilters, readFilters } from '../../../nodes/RocketChatTrigger/filters';

const node = { name: 'Rocket.Chat Trigger', type: 'n8n-nodes-rocketchat.rocketChatTrigger', typeVersion: 1, position: [0, 0], parameters: {}, id: 'n' } as INode;

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
