import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { messageIdParameter, NOT_FOUND_HINT, showFor } from './common';
import { postOnMessage } from './simple';

const properties: INodeProperties[] = [messageIdParameter('ID of the message to star for the user of these credentials')];

export const description = updateDisplayOptions({ show: showFor('star') }, properties);

export const STAR_HINTS = {
	byErrorType: {
		'error-message-not-found': NOT_FOUND_HINT,
		'error-action-not-allowed': 'Starring is turned off on this server (Message_AllowStarring). Ask an admin to turn it on.',
	},
};

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { messageId } = await postOnMessage.call(this, itemIndex, 'chat.starMessage', 'messageId', STAR_HINTS);
	return [{ success: true, messageId, starred: true }];
}
