import type { IDataObject } from 'n8n-workflow';

import { messageFlagOperation, pinHints } from './simple';

const operation = messageFlagOperation({
	operation: 'pin',
	endpoint: 'chat.pinMessage',
	idDescription: 'ID of the message to pin to its room',
	hints: pinHints('Pinning'),
	state: { pinned: true },
	more: (messageId, answer) => {
		const notice = (answer.message ?? {}) as IDataObject;
		// A message that was already pinned comes back itself: no notice was posted.
		if (notice._id === messageId) return { alreadyPinned: true };
		return notice._id ? { pinNoticeId: notice._id } : {};
	},
});

export const description = operation.description;
export const execute = operation.execute;
