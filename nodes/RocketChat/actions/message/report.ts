import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { rocketChatApiRequest } from '../../../shared/transport';
import { messageIdParameter, readMessageId, showFor } from './common';

const properties: INodeProperties[] = [
	messageIdParameter('ID of the message to report to the server\'s moderators'),
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 2 },
		placeholder: 'e.g. Spam link',
		description: 'Why the message is reported (shown to the moderators)',
	},
];

export const description = updateDisplayOptions({ show: showFor('report') }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const messageId = readMessageId.call(this, itemIndex);
	const reason = String(this.getNodeParameter('description', itemIndex, '') ?? '').trim();
	if (!reason) {
		throw new NodeOperationError(this.getNode(), 'No description given', {
			itemIndex,
			description: 'Rocket.Chat needs a reason for a report: enter a Description, e.g. "Spam link".',
		});
	}
	await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: 'chat.reportMessage',
		body: { messageId, description: reason },
		itemIndex,
		hints: {
			byErrorType: {
				'error-invalid-message': `Check the message ID: no message "${messageId}" exists.`,
				// reportMessage answers this for an unknown message and for one in a room the user cannot access.
				'error-invalid-message_id': `No message "${messageId}" that the user of these credentials can see: check the ID, or whether the user can access the message's room.`,
				'error-not-allowed': 'The user of these credentials cannot access the message\'s room.',
			},
		},
	});
	return [{ success: true, messageId, reported: true }];
}
