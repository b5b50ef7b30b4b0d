import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { toIsoDate } from '../../../shared/dates';
import { roomLocator } from '../../../shared/descriptions';
import { PAGE_SIZE } from '../../../shared/paging';
import { resolveRoom } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { listParameters, readListOptions, showFor, simplifyMessage } from './common';

const show = showFor('getMany');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room whose messages to get (newest first)' }),
	...listParameters(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Include Thread Messages',
				name: 'showThreadMessages',
				type: 'boolean',
				default: false,
				description: 'Whether to include replies posted only in threads (by default only messages shown in the room)',
			},
			{
				displayName: 'Inclusive',
				name: 'inclusive',
				type: 'boolean',
				default: false,
				description: 'Whether messages sent exactly at Oldest or Latest are included',
			},
			{
				displayName: 'Latest',
				name: 'latest',
				type: 'dateTime',
				default: '',
				description: 'Only messages sent before this date and time (default: now)',
			},
			{
				displayName: 'Oldest',
				name: 'oldest',
				type: 'dateTime',
				default: '',
				description: 'Only messages sent after this date and time, e.g. {{ $now.minus(1, "day") }}',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

const HISTORY_ENDPOINT: Record<string, string> = { c: 'channels.history', p: 'groups.history', d: 'dm.history' };


/**
 * Room history, newest first, paged by a time cursor: each page asks for messages at or before the
 * oldest `ts` seen so far (`latest` + `inclusive=true`), skipping with `offset` the ones of that same
 * millisecond already returned, and deduplicating by `_id`. Messages that arrive meanwhile are newer than
 * the cursor, so nothing is skipped or repeated (offset paging over a live history would shift).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { limit, simplify } = readListOptions.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const oldestIso = toIsoDate.call(this, filters.oldest, itemIndex, 'Oldest');
	const oldest = oldestIso ? new Date(oldestIso) : undefined;
	const latestIso = toIsoDate.call(this, filters.latest, itemIndex, 'Latest');
	const latest = latestIso ? new Date(latestIso) : undefined;
	const inclusive = filters.inclusive === true;
	if (oldest && latest && oldest.getTime() > latest.getTime()) {
		throw new NodeOperationError(this.getNode(), 'Oldest is after Latest', {
			itemIndex,
			description: 'Oldest must be earlier than Latest; swap the two dates.',
		});
	}

	const room = await resolveRoom.call(this, itemIndex, 'roomId');
	const endpoint = HISTORY_ENDPOINT[String(room.t)];
	if (!endpoint) {
		throw new NodeOperationError(this.getNode(), `Get Many does not support rooms of type "${String(room.t)}"`, {
			itemIndex,
			description: 'Choose a channel, a private group or a direct message (omnichannel rooms have their own history).',
		});
	}

	const base: IDataObject = { roomId: room._id };
	if (oldest) base.oldest = oldest.toISOString();
	if (filters.showThreadMessages === true) base.showThreadMessages = 'true';

	const seen = new Set<string>();
	// Simplified as each page arrives, so a page's raw messages are garbage once it is processed.
	const results: IDataObject[] = [];
	// Messages returned so far per millisecond, for the offset past the cursor's millisecond.
	const perMs = new Map<number, number>();
	let cursor: { latest: string; offset: number } | undefined;
	const oldestMs = oldest?.getTime();
	for (;;) {
		const wanted = limit === undefined ? PAGE_SIZE : Math.min(PAGE_SIZE, limit - results.length);
		const qs: IDataObject = { ...base, count: Math.max(1, wanted) };
		if (cursor) {
			qs.latest = cursor.latest;
			qs.inclusive = 'true';
			if (cursor.offset) qs.offset = cursor.offset;
		} else {
			if (latest) qs.latest = latest.toISOString();
			if (inclusive) qs.inclusive = 'true';
		}
		const body = await rocketChatApiRequest.call(this, {
			endpoint,
			qs,
			itemIndex,
			hints: { permission: room.t === 'c' ? 'preview-c-room' : undefined },
		});
		const page = (Array.isArray(body.messages) ? body.messages : []) as IDataObject[];
		for (const message of page) {
			const id = String(message._id);
			if (seen.has(id)) continue;
			// Later pages ask with inclusive=true: keep Oldest exclusive when the user wants it so.
			const ms = Date.parse(String(message.ts));
			if (!inclusive && oldestMs !== undefined && ms === oldestMs) continue;
			seen.add(id);
			perMs.set(ms, (perMs.get(ms) ?? 0) + 1);
			results.push(simplify ? simplifyMessage(message) : message);
			if (limit !== undefined && results.length >= limit) break;
		}
		if (limit !== undefined && results.length >= limit) break;
		if (page.length < Number(qs.count)) break;
		const last = page[page.length - 1];
		const lastTs = String(last.ts);
		const lastMs = Date.parse(lastTs);
		// How many messages of that same millisecond were already returned: skip them on the next page.
		const sameMs = perMs.get(lastMs) ?? 0;
		const nextCursor = { latest: new Date(lastMs).toISOString(), offset: sameMs };
		if (cursor && cursor.latest === nextCursor.latest && cursor.offset === nextCursor.offset) break;
		cursor = nextCursor;
	}
	return results;
}
