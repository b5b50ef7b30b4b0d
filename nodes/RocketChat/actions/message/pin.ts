import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { messageIdParameter, NOT_FOUND_HINT, showFor } from './common';
import { postOnMessage } from './simple';

const properties: INodeProperties[] = [messageIdParameter('ID of the message to pin to its room')];

export const description = updateDisplayOptions({ show: showFor('pin') }, properties);

export const PIN_HINTS = {
	byErrorType: {
		'error-message-not-found': NOT_FOUND_HINT,
		'not-authorized':
			'Pinning needs the "pin-message" permission in the room (admin, owner, moderator by default) and membership of the room. Ask a room owner or an admin.',
		'error-action-not-allowed': 'Pinning is turned off on this server (Message_AllowPinning). Ask an admin to turn it on.',
	},
};

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { messageId, body } = await postOnMessage.call(this, itemIndex, 'chat.pinMessage', 'messageId', PIN_HINTS);
	const notice = (body.message ?? {}) as IDataObject;
	// A message that was already pinned comes back itself: no notice was posted.
	if (notice._id === messageId) return [{ success: true, messageId, pinned: true, alreadyPinned: true }];
	return [{ success: true, messageId, pinned: true, ...(notice._id ? { pinNoticeId: notice._id } : {}) }];
}
