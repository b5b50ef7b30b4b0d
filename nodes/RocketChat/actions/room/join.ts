import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor, simplifyRoom, withFallback } from './common';

const show = showFor('join');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room the user of these credentials joins (a public channel, or a room with a join code)' }),
	{
		displayName: 'Join Code',
		name: 'joinCode',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'Password of the room, when it has one',
	},
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const roomId = await resolveRoomId.call(this, itemIndex);
	const joinCode = String(this.getNodeParameter('joinCode', itemIndex, ''));
	const body: IDataObject = { roomId };
	if (joinCode) body.joinCode = joinCode;
	const hints = {
		byErrorType: {
			'error-code-invalid': 'The join code is wrong: check the Join Code parameter.',
			'error-code-required': 'This room needs a join code: fill in Join Code.',
			'error-not-allowed': 'The room cannot be joined by this user (private rooms need an invitation: use Room › Add Member).',
		},
	};
	const { value, fallback } = await withFallback(
		async () =>
			await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: 'rooms.join',
				body,
				itemIndex,
				idempotent: true,
				hints,
			}),
		// Servers before 8.6: channels.join (public channels only).
		async () =>
			await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: 'channels.join',
				body,
				itemIndex,
				idempotent: true,
				hints,
			}),
	);
	const room = (value.room ?? value.channel ?? { _id: roomId }) as IDataObject;
	return [{ ...simplifyRoom(room), joined: true, ...(fallback && { legacyEndpoint: true }) }];
}
