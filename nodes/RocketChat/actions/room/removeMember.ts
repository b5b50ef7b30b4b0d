import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoom } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { userLocator } from '../../../shared/users';
import { selectedUsers, showFor, typePrefix, userSelectionProperties } from './common';

const show = showFor('removeMember');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The channel or private group to remove members from' }),
	...userSelectionProperties('removeMember', 'remove'),
	{ ...userLocator({ description: 'The user to remove from the room' }), displayOptions: { show: { userSelection: ['one'] } } },
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const room = await resolveRoom.call(this, itemIndex);
	const prefix = typePrefix.call(this, room, itemIndex, { allowDirect: false, action: 'Removing members' });
	const users = await selectedUsers.call(this, itemIndex);
	const results: IDataObject[] = [];
	for (const user of users) {
		await rocketChatApiRequest.call(this, {
			method: 'POST',
			endpoint: `${prefix}.kick`,
			body: { roomId: room._id, userId: user._id },
			itemIndex,
			hints: {
				permission: 'remove-user',
				byErrorType: {
					'error-user-not-in-room': `@${user.username} is not a member of this room.`,
					'error-not-allowed':
						'The user of these credentials may not remove members here: it needs the "remove-user" permission (admins, room owners and moderators).',
					'error-you-are-last-owner': `@${user.username} is the last owner of the room: make another member owner first (Room › Add Role).`,
				},
			},
		});
		results.push({ success: true, roomId: room._id, userId: user._id, username: user.username, removed: true });
	}
	return results;
}
