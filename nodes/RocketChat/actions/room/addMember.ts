import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoom } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { userLocator } from '../../../shared/users';
import { selectedUsers, showFor, typePrefix, userSelectionProperties } from './common';

const show = showFor('addMember');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The channel or private group to add members to' }),
	...userSelectionProperties('addMember', 'add'),
	{ ...userLocator({ description: 'The user to add to the room' }), displayOptions: { show: { userSelection: ['one'] } } },
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const room = await resolveRoom.call(this, itemIndex);
	const prefix = typePrefix.call(this, room, itemIndex, { allowDirect: false, action: 'Adding members' });
	const users = await selectedUsers.call(this, itemIndex);
	const results: IDataObject[] = [];
	for (const user of users) {
		await rocketChatApiRequest.call(this, {
			method: 'POST',
			endpoint: `${prefix}.invite`,
			body: { roomId: room._id, userId: user._id },
			itemIndex,
			// Inviting a member again changes nothing.
			idempotent: true,
			hints: {
				permission: 'add-user-to-joined-room',
				byErrorType: {
					'error-not-allowed': `The user of these credentials may not add members to this room: it needs "add-user-to-joined-room" in the room, or "add-user-to-any-${room.t}-room".`,
				},
			},
		});
		results.push({ success: true, roomId: room._id, userId: user._id, username: user.username, added: true });
	}
	return results;
}
