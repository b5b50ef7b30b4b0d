import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { roomLocator, simplifyOption } from '../../../shared/descriptions';
import { resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { simplifySubscription } from './common';

const show = { resource: ['subscription'], operation: ['get'] };

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room whose subscription (unread counts, last seen, favourite) to get' }),
	simplifyOption(show),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const roomId = await resolveRoomId.call(this, itemIndex);
	const body = await rocketChatApiRequest.call(this, {
		endpoint: 'subscriptions.getOne',
		qs: { roomId },
		itemIndex,
	});
	const subscription = body.subscription as IDataObject | null | undefined;
	if (!subscription) {
		throw new NodeOperationError(this.getNode(), `The user is not subscribed to the room "${roomId}"`, {
			itemIndex,
			description:
				'Rocket.Chat has no subscription of this user for the room: join the room first (Room › Join), or pick a room from the list.',
		});
	}
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return [simplify ? simplifySubscription(subscription) : subscription];
}
