import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator, simplifyOption } from '../../../shared/descriptions';
import { archivedRoomInfo, isArchivedRoomError, resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor, simplifyRoom } from './common';

const show = showFor('get');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room to get (channel, private group or direct message)' }),
	simplifyOption(show),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const roomId = await resolveRoomId.call(this, itemIndex);
	const request = {
		itemIndex,
		hints: {
			byErrorType: {
				'error-room-not-found': `No room with ID "${roomId}". It may have been deleted; check the ID or pick the room from the list.`,
			},
		},
	};
	const body: IDataObject = await rocketChatApiRequest
		.call(this, { endpoint: 'rooms.info', qs: { roomId }, ...request })
		.catch(async (error: unknown) => {
			// rooms.info refuses archived rooms; channels.info / groups.info answer them (without team or parent).
			if (!isArchivedRoomError(error)) throw error;
			return { room: await archivedRoomInfo((next) => rocketChatApiRequest.call(this, next), { roomId }, request) };
		});
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const room = (body.room ?? {}) as IDataObject;
	const out: IDataObject = simplify ? simplifyRoom(room) : { ...room };
	// Rocket.Chat 6.13+ adds the team of a team room and the parent room of a discussion.
	if (body.team) out.team = body.team;
	if (body.parent) out.parent = body.parent;
	return [out];
}
