import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { resolveRoomId } from '../../../shared/rooms';
import { roomTypeOptions } from '../../../shared/roomTypes';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor, simplifyRoom } from './common';

const show = showFor('update');

/** System message types a room can hide (`MessageTypesValues` of Rocket.Chat). */
const SYSTEM_MESSAGES = [
	{ name: 'Room Archived', value: 'room-archived' },
	{ name: 'Room Avatar Changed', value: 'room_changed_avatar' },
	{ name: 'Room Privacy Changed', value: 'room_changed_privacy' },
	{ name: 'Room Topic Changed', value: 'room_changed_topic' },
	{ name: 'Room Unarchived', value: 'room-unarchived' },
	{ name: 'User Added', value: 'au' },
	{ name: 'User Joined', value: 'uj' },
	{ name: 'User Left', value: 'ul' },
	{ name: 'User Muted or Unmuted', value: 'mute_unmute' },
	{ name: 'User Removed', value: 'ru' },
	{ name: 'User Role Added', value: 'subscription-role-added' },
	{ name: 'User Role Removed', value: 'subscription-role-removed' },
	{ name: 'Username Changed', value: 'r' },
	{ name: 'Welcome', value: 'wm' },
];

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room to change' }),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Announcement',
				name: 'roomAnnouncement',
				type: 'string',
				default: '',
				description: 'Announcement shown at the top of the room',
			},
			{
				displayName: 'Default',
				name: 'default',
				type: 'boolean',
				default: false,
				description: 'Whether new users join this room automatically (admin only)',
			},
			{
				displayName: 'Description',
				name: 'roomDescription',
				type: 'string',
				default: '',
				description: 'Description of the room',
			},
			{
				displayName: 'Featured',
				name: 'featured',
				type: 'boolean',
				default: false,
				description: 'Whether the room is featured in the directory (only together with Default)',
			},
			{
				displayName: 'Hidden System Messages',
				name: 'systemMessages',
				type: 'multiOptions',
				default: [],
				options: SYSTEM_MESSAGES,
				description: 'System messages not shown in this room',
			},
			{
				displayName: 'Join Code',
				name: 'joinCode',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'Password users must enter to join; an empty value removes it',
			},
			{
				displayName: 'Name',
				name: 'roomName',
				type: 'string',
				default: '',
				description: 'New name of the room, without #',
			},
			{
				displayName: 'React When Read Only',
				name: 'reactWhenReadOnly',
				type: 'boolean',
				default: false,
				description: 'Whether members may react to messages while the room is read only',
			},
			{
				displayName: 'Read Only',
				name: 'readOnly',
				type: 'boolean',
				default: false,
				description: 'Whether only owners and moderators (permission "post-readonly") can write',
			},
			{
				displayName: 'Topic',
				name: 'roomTopic',
				type: 'string',
				default: '',
				description: 'Topic shown in the room header',
			},
			{
				displayName: 'Type',
				name: 'roomType',
				type: 'options',
				default: 'c',
				options: roomTypeOptions(['c', 'p']),
				description: 'Make the room a public channel or a private group',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

const FIELDS = [
	'roomName',
	'roomTopic',
	'roomAnnouncement',
	'roomDescription',
	'readOnly',
	'roomType',
	'reactWhenReadOnly',
	'default',
	'featured',
	'joinCode',
	'systemMessages',
] as const;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	for (const field of FIELDS) {
		if (fields[field] !== undefined) body[field] = fields[field];
	}
	if (typeof body.roomName === 'string') {
		body.roomName = body.roomName.trim().replace(/^#/, '');
		if (!body.roomName) {
			throw new NodeOperationError(this.getNode(), 'The new room name is empty', {
				itemIndex,
				description: 'Enter a name, or remove the Name field to keep the current one.',
			});
		}
	}
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update', {
			itemIndex,
			description: 'Add at least one field under Update Fields (e.g. Topic or Read Only).',
		});
	}
	const rid = await resolveRoomId.call(this, itemIndex);
	await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: 'rooms.saveRoomSettings',
		body: { rid, ...body },
		itemIndex,
		idempotent: true,
		hints: {
			permission: 'edit-room',
			byErrorType: {
				'error-duplicate-channel-name': `A room named "${String(body.roomName)}" already exists. Choose another name.`,
				'error-action-not-allowed':
					'Rocket.Chat refused this change for this room (e.g. Default/Featured need an admin, or the room is managed by a policy).',
			},
		},
	});
	const info = await rocketChatApiRequest.call(this, { endpoint: 'rooms.info', qs: { roomId: rid }, itemIndex });
	return [{ ...simplifyRoom((info.room ?? {}) as IDataObject), updated: Object.keys(body) }];
}
