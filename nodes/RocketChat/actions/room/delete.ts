import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import type { RoomRef } from '../../../shared/rooms';
import { resolveRoom, roomTargetOf } from '../../../shared/rooms';
import { ROOM_TYPES, roomTypeOptions, roomTypePrefix } from '../../../shared/roomTypes';
import { rocketChatApiRequest } from '../../../shared/transport';
import { allMembers, createChannelOrGroup, showFor, simplifyRoom } from './common';

const show = showFor('delete');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room to delete with all its messages and files' }),
	{
		displayName: 'Preview',
		name: 'preview',
		type: 'boolean',
		default: false,
		description:
			'Whether to only describe what would happen (room, member count, message count, steps) without changing anything',
	},
	{
		displayName: 'Move Members to a Notice Room',
		name: 'moveMembers',
		type: 'boolean',
		default: false,
		description:
			'Whether to first create a read-only room with a notice message and add every member of the deleted room to it',
	},
	{
		displayName: 'Notice Room Name',
		name: 'noticeRoomName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. old-project-moved',
		description: 'Name of the read-only room that receives the members',
		displayOptions: { show: { moveMembers: [true] } },
	},
	{
		displayName: 'Notice Message',
		name: 'noticeMessage',
		type: 'string',
		default: 'This room was deleted. Its members were moved here.',
		typeOptions: { rows: 3 },
		description: 'First message of the notice room, e.g. where the conversation continues',
		displayOptions: { show: { moveMembers: [true] } },
	},
	{
		displayName: 'Notice Room Type',
		name: 'noticeRoomType',
		type: 'options',
		default: 'p',
		options: roomTypeOptions(['c', 'p']),
		description: 'Whether the notice room is a public channel or a private group',
		displayOptions: { show: { moveMembers: [true] } },
	},
];

export const description = updateDisplayOptions({ show }, properties);

async function roomToDelete(this: IExecuteFunctions, itemIndex: number): Promise<RoomRef & IDataObject> {
	return await resolveRoom.call(this, itemIndex).catch((error: unknown) => {
		const errorType = error instanceof NodeApiError ? error.context.errorType : undefined;
		if (errorType === 'error-room-not-found' || errorType === 'error-invalid-room') {
			const given = roomTargetOf(this, itemIndex).value;
			throw new NodeOperationError(this.getNode(), `The room "${given}" does not exist (any more)`, {
				itemIndex,
				description:
					'Nothing was deleted: the room may have been deleted already, or the user of these credentials cannot see it.',
			});
		}
		throw error;
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const preview = this.getNodeParameter('preview', itemIndex, false) as boolean;
	const moveMembers = this.getNodeParameter('moveMembers', itemIndex, false) as boolean;
	let noticeName = '';
	let noticeMessage = '';
	let noticeType = 'p';
	if (moveMembers) {
		noticeName = String(this.getNodeParameter('noticeRoomName', itemIndex, '')).trim().replace(/^#/, '');
		noticeMessage = String(this.getNodeParameter('noticeMessage', itemIndex, ''));
		noticeType = this.getNodeParameter('noticeRoomType', itemIndex, 'p') as string;
		if (!noticeName) {
			throw new NodeOperationError(this.getNode(), 'No name given for the notice room', {
				itemIndex,
				description: 'Enter the name of the read-only room the members move to, e.g. old-project-moved.',
			});
		}
	}

	const room = await roomToDelete.call(this, itemIndex);
	const roomId = room._id;
	const members = moveMembers || preview ? await allMembers.call(this, room, itemIndex) : [];
	const usernames = members.map((member) => String(member.username ?? '')).filter((username) => username !== '');

	const steps: string[] = [];
	if (moveMembers) {
		steps.push(
			`Create the read-only ${ROOM_TYPES[noticeType === 'p' ? 'p' : 'c'].label.toLowerCase()} "${noticeName}" with the ${usernames.length} members`,
		);
		if (noticeMessage) steps.push(`Post the notice message in "${noticeName}"`);
	}
	steps.push(`Delete the room "${String(room.fname ?? room.name ?? roomId)}" (${roomId}) with its messages and files`);

	if (preview) {
		return [
			{
				preview: true,
				room: simplifyRoom(room),
				memberCount: members.length,
				members: usernames,
				messageCount: Number(room.msgs ?? 0),
				steps,
			},
		];
	}

	const result: IDataObject = { deleted: true, roomId, name: room.name ?? room.fname };
	// delete-c, delete-p, delete-d: one permission per type with a REST family.
	const permission = roomTypePrefix(room.t) ? `delete-${String(room.t)}` : 'delete-c';
	if (moveMembers) {
		const notice = await createChannelOrGroup.call(this, itemIndex, noticeType, { name: noticeName, members: usernames, readOnly: true }, {
			'error-duplicate-channel-name': `A room named "${noticeName}" already exists: choose another Notice Room Name. Nothing was deleted.`,
		});
		const noticeRoom: IDataObject = { _id: notice._id, name: notice.name ?? noticeName, members: usernames.length };
		if (noticeMessage) {
			const posted = await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: 'chat.postMessage',
				body: { roomId: String(notice._id), text: noticeMessage },
				itemIndex,
			});
			noticeRoom.messageId = (posted.message as IDataObject | undefined)?._id;
		}
		result.noticeRoom = noticeRoom;
	}

	await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: 'rooms.delete',
		body: { roomId },
		itemIndex,
		hints: {
			permission,
			byErrorType: {
				'error-cannot-delete-team-channel':
					'This is the main room of a team: delete the team instead (Teams › Delete in Rocket.Chat).',
				'error-not-allowed': `The user may not delete this room: it needs the "${permission}" permission (admins; owners for channels and groups)${
					room.teamId ? `, and as a room of a team also "${room.t === 'p' ? 'delete-team-group' : 'delete-team-channel'}" in the team's main room` : ''
				}.`,
			},
		},
	});
	return [result];
}
