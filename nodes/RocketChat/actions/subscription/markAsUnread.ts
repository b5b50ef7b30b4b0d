import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';

const show = { resource: ['subscription'], operation: ['markAsUnread'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Mark From',
		name: 'from',
		type: 'options',
		default: 'room',
		options: [
			{
				name: 'Room',
				value: 'room',
				description: 'Mark the whole room as unread',
			},
			{
				name: 'Message',
				value: 'message',
				description: 'Mark as unread from a message on (that message is the first unread one)',
			},
		],
	},
	{
		...roomLocator({ description: 'The room to mark as unread' }),
		displayOptions: { show: { from: ['room'] } },
	},
	{
		displayName: 'First Unread Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. aobEdbYhXfu5hkeqG',
		description: 'ID of the message that becomes the first unread one of its room',
		displayOptions: { show: { from: ['message'] } },
	},
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const from = this.getNodeParameter('from', itemIndex, 'room') as string;
	if (from === 'message') {
		const messageId = String(this.getNodeParameter('messageId', itemIndex, '')).trim();
		if (!messageId) {
			throw new NodeOperationError(this.getNode(), 'No message ID given', {
				itemIndex,
				description: 'Enter the ID of the first unread message, e.g. {{ $json._id }} from a Get Many of messages.',
			});
		}
		await rocketChatApiRequest.call(this, {
			method: 'POST',
			endpoint: 'subscriptions.unread',
			body: { firstUnreadMessage: { _id: messageId } },
			itemIndex,
			idempotent: true,
		});
		return [{ success: true, messageId, unread: true }];
	}
	const roomId = await resolveRoomId.call(this, itemIndex);
	await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: 'subscriptions.unread',
		body: { roomId },
		itemIndex,
		idempotent: true,
		hints: {
			byErrorType: {
				'error-no-message-for-unread': `The room "${roomId}" has no messages, so there is nothing to mark unread.`,
			},
		},
	});
	return [{ success: true, roomId, unread: true }];
}
