import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor } from './common';

const show = showFor('unfavorite');

const properties: INodeProperties[] = [roomLocator({ description: 'The room to remove from the favourites of the user of these credentials' })];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const roomId = await resolveRoomId.call(this, itemIndex);
	await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: 'rooms.favorite',
		body: { roomId, favorite: false },
		itemIndex,
		idempotent: true,
		hints: {
			byErrorType: {
				'error-invalid-subscription': `The user is not a member of the room "${roomId}": join it first (Room › Join).`,
			},
		},
	});
	return [{ success: true, roomId, favorite: false }];
}
