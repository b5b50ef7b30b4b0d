import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor } from './common';

const show = showFor('leave');

const properties: INodeProperties[] = [roomLocator({ description: 'The room the user of these credentials leaves' })];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const roomId = await resolveRoomId.call(this, itemIndex);
	await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: 'rooms.leave',
		body: { roomId },
		itemIndex,
		hints: {
			byErrorType: {
				// leaveRoom checks `leave-<type>`: leave-c for channels, leave-p for private groups; direct messages cannot be left.
				'error-not-allowed':
					'The user may not leave this room: leaving needs the "leave-c" permission for channels or "leave-p" for private groups, and direct messages cannot be left.',
				'error-you-are-last-owner':
					'The user is the last owner of this room: make another member owner first (Room › Add Role), or delete the room.',
				'error-user-not-in-room': `The user is not a member of the room "${roomId}".`,
			},
		},
	});
	return [{ success: true, roomId, left: true }];
}
