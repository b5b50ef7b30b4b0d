import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listAll, listParameters, readListOptions } from '../../../shared/lists';
import { messageIdParameter, outputMessages, readMessageId, showFor, THREAD_HINTS } from './common';

const show = showFor('getThreadMessages');

const properties: INodeProperties[] = [
	messageIdParameter('ID of the thread\'s first message; its replies are returned, oldest first', 'Thread Message ID'),
	...listParameters(show),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { limit, simplify } = readListOptions.call(this, itemIndex);
	const tmid = readMessageId.call(this, itemIndex, 'thread message');
	const messages = await listAll.call(
		this,
		{ endpoint: 'chat.getThreadMessages', qs: { tmid }, itemIndex, hints: THREAD_HINTS },
		'messages',
		limit,
	);
	return outputMessages(messages, simplify);
}
