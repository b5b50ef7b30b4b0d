import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { roomLocator, simplifyOption } from '../../../shared/descriptions';
import { resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { EDIT_HINT, messageIdParameter, readMessageId, showFor, simplifyMessage, SIZE_HINT, withMessageInRoomHint } from './common';

const show = showFor('update');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room the message is in' }),
	messageIdParameter('ID of the message to edit'),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		description: 'The new text of the message (replaces the old text; the message is marked as edited)',
	},
	simplifyOption(show),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const messageId = readMessageId.call(this, itemIndex);
	const text = String(this.getNodeParameter('text', itemIndex, '') ?? '');
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	if (!text.trim()) {
		throw new NodeOperationError(this.getNode(), 'No new text given', {
			itemIndex,
			description: 'Enter the new text of the message. To remove a message, use the Delete operation.',
		});
	}
	const roomId = await resolveRoomId.call(this, itemIndex, 'roomId');
	const body = await withMessageInRoomHint.call(
		this,
		rocketChatApiRequest.call(this, {
			method: 'POST',
			endpoint: 'chat.update',
			body: { roomId, msgId: messageId, text },
			itemIndex,
			idempotent: true,
			hints: {
				byErrorType: {
					'error-action-not-allowed': EDIT_HINT,
					'error-message-size-exceeded': `${SIZE_HINT} This text has ${text.length} characters.`,
					'error-message-editing-blocked': 'The message is older than the editing time limit (Message_AllowEditing_BlockEditInMinutes).',
				},
			},
		}),
		messageId,
		roomId,
	);
	const message = (body.message ?? {}) as IDataObject;
	return [simplify ? simplifyMessage(message) : message];
}
