import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { toIsoDate } from '../../../shared/dates';
import { filtersCollection, roomLocator } from '../../../shared/descriptions';
import { historyEndpoint, iterateHistory } from '../../../shared/history';
import { listParameters, readListOptions } from '../../../shared/lists';
import { resolveRoom } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor, simplifyMessage } from './common';

const show = showFor('getMany');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room whose messages to get (newest first)' }),
	...listParameters(show),
	filtersCollection([
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
	]),
];

export const description = updateDisplayOptions({ show }, properties);

/**
 * Room history, newest first, through the shared history pager (time cursor: no skips or repeats while
 * messages arrive, messages of one millisecond and deletions meanwhile included; ends on a page with nothing new whatever page size the
 * server allows). Each page is simplified as it arrives, so its raw messages are garbage once processed.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { limit, simplify } = readListOptions.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const oldestIso = toIsoDate.call(this, filters.oldest, itemIndex, 'Oldest');
	const latestIso = toIsoDate.call(this, filters.latest, itemIndex, 'Latest');
	const oldest = oldestIso ? Date.parse(oldestIso) : undefined;
	const latest = latestIso ? Date.parse(latestIso) : undefined;
	const inclusive = filters.inclusive === true;
	if (oldest !== undefined && latest !== undefined && oldest > latest) {
		throw new NodeOperationError(this.getNode(), 'Oldest is after Latest', {
			itemIndex,
			description: 'Oldest must be earlier than Latest; swap the two dates.',
		});
	}

	const room = await resolveRoom.call(this, itemIndex, 'roomId');
	if (!historyEndpoint(room.t)) {
		throw new NodeOperationError(this.getNode(), `Get Many does not support rooms of type "${String(room.t)}"`, {
			itemIndex,
			description: 'Choose a channel, a private group or a direct message (omnichannel rooms have their own history).',
		});
	}

	const results: IDataObject[] = [];
	for await (const page of iterateHistory((request) => rocketChatApiRequest.call(this, request), {
		roomId: String(room._id),
		roomType: String(room.t),
		oldest,
		oldestInclusive: inclusive,
		latest,
		latestInclusive: inclusive,
		showThreadMessages: filters.showThreadMessages === true,
		limit,
		request: { itemIndex, hints: { permission: room.t === 'c' ? 'preview-c-room' : undefined } },
	})) {
		for (const message of page) results.push(simplify ? simplifyMessage(message) : message);
	}
	return results;
}
