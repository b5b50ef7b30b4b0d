import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { listAll, listParameters, readListOptions } from '../../../shared/lists';
import { resolveRoomId } from '../../../shared/rooms';
import { outputMessages, showFor, THREAD_HINTS } from './common';

const show = showFor('getThreads');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room whose threads to get (most recently active first)' }),
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		default: 'all',
		options: [
			{ name: 'All', value: 'all', description: 'Every thread of the room' },
			{ name: 'Following', value: 'following', description: 'Threads the user of these credentials follows' },
			{ name: 'Unread', value: 'unread', description: 'Threads with replies the user has not read' },
		],
		description: 'Which threads to return',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		placeholder: 'e.g. release',
		description: 'Only threads whose first message contains this text',
	},
	...listParameters(show),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { limit, simplify } = readListOptions.call(this, itemIndex);
	const type = this.getNodeParameter('type', itemIndex, 'all') as string;
	const text = String(this.getNodeParameter('text', itemIndex, '') ?? '').trim();
	const rid = await resolveRoomId.call(this, itemIndex, 'roomId');
	const qs: IDataObject = { rid };
	if (type === 'following' || type === 'unread') qs.type = type;
	if (text) qs.text = text;
	const threads = await listAll.call(this, { endpoint: 'chat.getThreadsList', qs, itemIndex, hints: THREAD_HINTS }, 'threads', limit);
	return outputMessages(threads, simplify);
}
