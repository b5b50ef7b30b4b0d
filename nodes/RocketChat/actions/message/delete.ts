import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, roomLocator } from '../../../shared/descriptions';
import { resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { DELETE_HINT, messageIdParameter, readMessageId, showFor, withHint, withMessageInRoomHint } from './common';

const show = showFor('delete');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room the message is in' }),
	messageIdParameter('ID of the message to delete'),
	optionsCollection([
		{
			displayName: 'Delete As User',
			name: 'asUser',
			type: 'boolean',
			default: false,
			description:
				'Whether the deletion is made in the name of the message\'s author (for another user\'s message this needs the "force-delete-message" permission)',
		},
	]),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const messageId = readMessageId.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const roomId = await resolveRoomId.call(this, itemIndex, 'roomId');
	const body: IDataObject = { roomId, msgId: messageId };
	if (options.asUser === true) body.asUser = true;
	await withMessageInRoomHint.call(
		this,
		withHint.call(
			this,
			rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: 'chat.delete',
				body,
				itemIndex,
				hints: { byErrorType: { 'error-action-not-allowed': DELETE_HINT } },
			}),
			/force-delete-message/,
			'Deleting another user\'s message as that user needs the "force-delete-message" permission (admin, owner by default). Turn off Delete As User, or ask an admin to grant it.',
		),
		messageId,
		roomId,
	);
	return [{ deleted: true, messageId, roomId }];
}
