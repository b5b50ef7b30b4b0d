import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoom, resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor, typePrefix, withFallback } from './common';

const show = showFor('archive');

const properties: INodeProperties[] = [roomLocator({ description: 'The channel or private group to archive (read only, hidden from the directory)' })];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const rid = await resolveRoomId.call(this, itemIndex);
	const hints = {
		permission: 'archive-room',
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
				body: { rid, action: 'archive' },
				itemIndex,
				hints,
			}),
		// Servers without rooms.changeArchivationState: channels.archive / groups.archive.
		async () => {
			const room = await resolveRoom.call(this, itemIndex);
			const prefix = typePrefix.call(this, room, itemIndex, { allowDirect: false, action: 'Archiving' });
			return await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: `${prefix}.archive`,
				body: { roomId: rid },
				itemIndex,
				hints,
			});
		},
	);
	return [{ success: true, roomId: rid, archived: true, ...(fallback && { legacyEndpoint: true }) }];
}
