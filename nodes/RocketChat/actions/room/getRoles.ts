import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoom, resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor, typePrefix, withFallback } from './common';

const show = showFor('getRoles');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room whose owners, moderators and leaders to list' }),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const rid = await resolveRoomId.call(this, itemIndex);
	const { value } = await withFallback(
		async () => await rocketChatApiRequest.call(this, { endpoint: 'rooms.roles', qs: { rid }, itemIndex }),
		// Servers before 7.10: channels.roles / groups.roles.
		async () => {
			const room = await resolveRoom.call(this, itemIndex);
			const prefix = typePrefix.call(this, room, itemIndex, { allowDirect: false, action: 'Room roles' });
			return await rocketChatApiRequest.call(this, { endpoint: `${prefix}.roles`, qs: { roomId: rid }, itemIndex });
		},
	);
	// One item per member with a room role.
	return ((value.roles ?? []) as IDataObject[]).map((entry) => {
		const user = (entry.u ?? {}) as IDataObject;
		return {
			roomId: entry.rid ?? rid,
			userId: user._id,
			username: user.username,
			...(user.name !== undefined && { name: user.name }),
			roles: entry.roles ?? [],
		};
	});
}
