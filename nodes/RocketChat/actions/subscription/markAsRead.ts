import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, roomLocator } from '../../../shared/descriptions';
import { resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';

const show = { resource: ['subscription'], operation: ['markAsRead'] };

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room to mark as read for the user of these credentials' }),
	optionsCollection([
		{
			displayName: 'Read Threads',
			name: 'readThreads',
			type: 'boolean',
			default: false,
			description: 'Whether to also mark the unread thread replies of the room as read',
		},
	]),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const roomId = await resolveRoomId.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const body: IDataObject = { rid: roomId };
	if (options.readThreads !== undefined) body.readThreads = options.readThreads === true;
	await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: 'subscriptions.read',
		body,
		itemIndex,
		idempotent: true,
		hints: {
			byErrorType: {
				'error-invalid-subscription': `The user is not a member of the room "${roomId}": join it first, or pick a room from the list.`,
			},
		},
	});
	return [{ success: true, roomId, read: true }];
}
