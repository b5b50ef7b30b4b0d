import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { listAll, listParameters, readListOptions } from '../../../shared/lists';
import { resolveRoomId } from '../../../shared/rooms';
import { addHint, outputMessages, rethrow, showFor } from './common';

const show = showFor('search');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room to search in' }),
	{
		displayName: 'Search Text',
		name: 'searchText',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. release notes',
		description: 'Words to look for in the messages (Rocket.Chat\'s message search; newest matches first)',
	},
	...listParameters(show),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { limit, simplify } = readListOptions.call(this, itemIndex);
	const searchText = String(this.getNodeParameter('searchText', itemIndex, '') ?? '').trim();
	if (!searchText) {
		throw new NodeOperationError(this.getNode(), 'No search text given', {
			itemIndex,
			description: 'Enter the words to search for. To list all messages of a room, use Get Many.',
		});
	}
	const roomId = await resolveRoomId.call(this, itemIndex, 'roomId');
	let messages: IDataObject[];
	try {
		messages = await listAll.call(this, { endpoint: 'chat.search', qs: { roomId, searchText }, itemIndex }, 'messages', limit);
	} catch (error) {
		// chat.search answers a bare 400 when the room is unknown or not readable by the user.
		addHint(
			error,
			/^Rocket\.Chat answered 400/,
			`The room "${roomId}" does not exist or the user of these credentials cannot read it. Join the room, or pick one from the list.`,
		);
		return rethrow(this.getNode(), error);
	}
	return outputMessages(messages, simplify);
}
