import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoom, resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor, typePrefix, withFallback } from './common';

const show = showFor('open');

const properties: INodeProperties[] = [roomLocator({ description: 'The hidden room to show again in the sidebar of the user of these credentials' })];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const roomId = await resolveRoomId.call(this, itemIndex);
	// rooms.open answers success for a user who is not in the room and changes nothing: check membership first.
	const membership = await rocketChatApiRequest.call(this, { endpoint: 'subscriptions.getOne', qs: { roomId }, itemIndex });
	if (!membership.subscription) {
		throw new NodeOperationError(this.getNode(), `The user is not a member of the room "${roomId}"`, {
			itemIndex,
			description:
				'Open shows a hidden room again in the sidebar of a member; the user of these credentials has no subscription to this room. Join it first (Room › Join), or check the room.',
		});
	}
	const { fallback } = await withFallback(
		async () =>
			await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: 'rooms.open',
				body: { roomId },
				itemIndex,
				idempotent: true,
			}),
		// Servers before 7.9: the per-type endpoint (channels.open, groups.open, dm.open).
		async () => {
			const room = await resolveRoom.call(this, itemIndex);
			const prefix = typePrefix.call(this, room, itemIndex);
			return await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: `${prefix}.open`,
				body: { roomId },
				itemIndex,
				idempotent: true,
			});
		},
	);
	return [{ success: true, roomId, open: true, ...(fallback && { legacyEndpoint: true }) }];
}
