import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { messageIdParameter, showFor } from './common';
import { postOnMessage } from './simple';

const properties: INodeProperties[] = [
	messageIdParameter('ID of the thread\'s first message (the thread to follow)', 'Thread Message ID'),
];

export const description = updateDisplayOptions({ show: showFor('followThread') }, properties);

export const THREAD_HINTS = {
	byErrorType: {
		'error-invalid-message': 'Check the Thread Message ID: no message with this ID exists.',
		'error-not-allowed': 'Threads are turned off on this server (Threads_enabled), or the user cannot access the thread\'s room.',
	},
};

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { messageId } = await postOnMessage.call(this, itemIndex, 'chat.followMessage', 'mid', THREAD_HINTS, 'thread message');
	return [{ success: true, messageId, following: true }];
}
