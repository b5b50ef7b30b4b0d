import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { messageIdParameter, showFor } from './common';
import { THREAD_HINTS } from './followThread';
import { postOnMessage } from './simple';

const properties: INodeProperties[] = [
	messageIdParameter('ID of the thread\'s first message (the thread to stop following)', 'Thread Message ID'),
];

export const description = updateDisplayOptions({ show: showFor('unfollowThread') }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { messageId } = await postOnMessage.call(this, itemIndex, 'chat.unfollowMessage', 'mid', THREAD_HINTS, 'thread message');
	return [{ success: true, messageId, following: false }];
}
