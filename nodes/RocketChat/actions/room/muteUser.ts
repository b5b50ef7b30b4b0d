import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { resolveUser, userLocator } from '../../../shared/users';
import { showFor } from './common';

const show = showFor('muteUser');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room in which to mute the user' }),
	userLocator({ description: 'The member to mute' }),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const roomId = await resolveRoomId.call(this, itemIndex);
	const user = await resolveUser.call(this, itemIndex, 'userId');
	await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: 'rooms.muteUser',
		body: { roomId, userId: user._id },
		itemIndex,
		// Not repeated after a lost answer: Rocket.Chat mutes (unmutes) again and posts a second notice.
		hints: {
			permission: 'mute-user',
			notFound: 'rooms.muteUser needs Rocket.Chat 6.8 or later.',
			byErrorType: {
				'error-user-not-in-room': `@${user.username} is not a member of this room.`,
				'error-not-allowed':
					'The user of these credentials may not mute members here: it needs the "mute-user" permission (admins, room owners and moderators).',
			},
		},
	});
	return [{ success: true, roomId, userId: user._id, username: user.username, muted: true }];
}
