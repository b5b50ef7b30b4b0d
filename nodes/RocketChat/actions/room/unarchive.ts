import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoom, resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor, typePrefix, withFallback } from './common';

const show = showFor('unarchive');

const properties: INodeProperties[] = [roomLocator({ description: 'The archived channel or private group to restore' })];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const rid = await resolveRoomId.call(this, itemIndex);
	const hints = {
		permission: 'unarchive-room',
		byErrorType: {
			'error-room-archived': 'The room is already archived.',
			'error-room-not-archived': 'The room is not archived.',
		},
	};
	const { fallback } = await withFallback(
		async () =>
			await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: 'rooms.changeArchivationState',
				body: { rid, action: 'unarchive' },
				itemIndex,
				hints,
			}),
		// Servers without rooms.changeArchivationState: channels.unarchive / groups.unarchive.
		async () => {
			const room = await resolveRoom.call(this, itemIndex);
			const prefix = typePrefix.call(this, room, itemIndex, { allowDirect: false, action: 'Archiving' });
			return await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: `${prefix}.unarchive`,
				body: { roomId: rid },
				itemIndex,
				hints,
			});
		},
	);
	return [{ success: true, roomId: rid, archived: false, ...(fallback && { legacyEndpoint: true }) }];
}
