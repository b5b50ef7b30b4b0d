import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { rocketChatApiRequest } from '../../../shared/transport';
import { isoDate, messageIdParameter, readMessageId, showFor } from './common';

const properties: INodeProperties[] = [messageIdParameter('ID of the message whose readers to get')];

export const description = updateDisplayOptions({ show: showFor('getReadReceipts') }, properties);

/** One item per reader: who read the message and when (an Enterprise feature of Rocket.Chat). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const messageId = readMessageId.call(this, itemIndex);
	const body = await rocketChatApiRequest.call(this, {
		endpoint: 'chat.getMessageReadReceipts',
		qs: { messageId },
		itemIndex,
		hints: {
			byErrorType: {
				'error-action-not-allowed':
					'Read receipts are an Enterprise feature: the server needs a licence with "message-read-receipt" and the setting Message_Read_Receipt_Enabled (with Message_Read_Receipt_Store_Users). Without them Rocket.Chat cannot say who read a message.',
				'error-invalid-message': `Check the message ID: no message "${messageId}" exists.`,
				'error-invalid-room': 'The user of these credentials cannot access the message\'s room.',
			},
		},
	});
	const receipts = (Array.isArray(body.receipts) ? body.receipts : []) as IDataObject[];
	return receipts.map((receipt) => {
		const user = (receipt.user ?? {}) as IDataObject;
		return {
			messageId: receipt.messageId ?? messageId,
			roomId: receipt.roomId,
			userId: receipt.userId ?? user._id,
			username: user.username,
			name: user.name,
			readAt: isoDate(receipt.ts),
		};
	});
}
