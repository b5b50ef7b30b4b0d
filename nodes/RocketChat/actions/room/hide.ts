import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoom, resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor, typePrefix, withFallback } from './common';

const show = showFor('hide');

const properties: INodeProperties[] = [roomLocator({ description: 'The room to hide from the sidebar of the user of these credentials (it comes back with a new message)' })];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const roomId = await resolveRoomId.call(this, itemIndex);
	const { fallback } = await withFallback(
		async () =>
			await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: 'rooms.hide',
				body: { roomId },
				itemIndex,
				idempotent: true,
				hints: { byErrorType: { 'error-room-already-hidden': 'The room is already hidden for this user.' } },
			}).catch((error: Error & { httpCode?: string | null; description?: string | null }) => {
				// rooms.hide answers 401 (not 403) when the user cannot access the room.
				if (String(error.httpCode) === '401') {
					error.description = `The user of these credentials is not a member of the room "${roomId}" (or the credentials are wrong). Pick a room the user is in.`;
				}
				throw error;
			}),
		// Servers before 7.4: the per-type endpoint (channels.close, groups.close, dm.close).
		async () => {
			const room = await resolveRoom.call(this, itemIndex);
			const prefix = typePrefix.call(this, room, itemIndex);
			return await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: `${prefix}.close`,
				body: { roomId },
				itemIndex,
				idempotent: true,
			});
		},
	);
	return [{ success: true, roomId, open: false, ...(fallback && { legacyEndpoint: true }) }];
}
