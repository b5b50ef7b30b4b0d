import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoom } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { resolveUser, userLocator } from '../../../shared/users';
import { showFor, typePrefix } from './common';

const ROLE_SUFFIX: Record<string, string> = { owner: 'Owner', moderator: 'Moderator', leader: 'Leader' };
const ROLE_PERMISSION: Record<string, string> = { owner: 'set-owner', moderator: 'set-moderator', leader: 'set-leader' };

/** Add Role and Remove Role: the room, the user and the role. */
export function roleDescription(operation: 'addRole' | 'removeRole'): INodeProperties[] {
	const adding = operation === 'addRole';
	return updateDisplayOptions({ show: showFor(operation) }, [
		roomLocator({ description: `The channel or private group in which to ${adding ? 'give' : 'take away'} the role` }),
		userLocator({ description: `The member who ${adding ? 'gets' : 'loses'} the role` }),
		{
			displayName: 'Role',
			name: 'role',
			type: 'options',
			default: 'moderator',
			options: [
				{ name: 'Leader', value: 'leader', description: 'Shown at the top of the room as its leader' },
				{ name: 'Moderator', value: 'moderator', description: 'May moderate messages and members' },
				{ name: 'Owner', value: 'owner', description: 'May change every setting of the room' },
			],
			description: `The room role to ${adding ? 'give' : 'take away'}`,
		},
	]);
}

export async function changeRole(
	this: IExecuteFunctions,
	itemIndex: number,
	adding: boolean,
): Promise<IDataObject[]> {
	const role = this.getNodeParameter('role', itemIndex, 'moderator') as string;
	const suffix = ROLE_SUFFIX[role];
	const room = await resolveRoom.call(this, itemIndex);
	const prefix = typePrefix.call(this, room, itemIndex, { allowDirect: false, action: 'Room roles' });
	const user = await resolveUser.call(this, itemIndex, 'userId');
	await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: `${prefix}.${adding ? 'add' : 'remove'}${suffix}`,
		body: { roomId: room._id, userId: user._id },
		itemIndex,
		hints: {
			permission: ROLE_PERMISSION[role],
			byErrorType: {
				[`error-user-already-${role}`]: `@${user.username} already is ${role} of this room.`,
				[`error-user-not-${role}`]: `@${user.username} is not ${role} of this room.`,
				'error-user-not-in-room': `@${user.username} is not a member of this room: add the user first (Room › Add Member).`,
				'error-remove-last-owner': 'This is the last owner of the room: make another member owner first.',
				'error-not-allowed': `The user of these credentials may not change room roles here: it needs the "${ROLE_PERMISSION[role]}" permission (admins and room owners).`,
			},
		},
	});
	return [{ success: true, roomId: room._id, userId: user._id, username: user.username, role, [adding ? 'added' : 'removed']: true }];
}
