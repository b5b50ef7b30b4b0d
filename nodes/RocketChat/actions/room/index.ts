import type { INodeProperties } from 'n8n-workflow';

import * as addMember from './addMember';
import * as addRole from './addRole';
import * as archive from './archive';
import * as cleanHistory from './cleanHistory';
import * as create from './create';
import * as createDiscussion from './createDiscussion';
import * as deleteRoom from './delete';
import * as downloadFile from './downloadFile';
import * as favorite from './favorite';
import * as get from './get';
import * as getMany from './getMany';
import * as getManyAdmin from './getManyAdmin';
import * as getMembers from './getMembers';
import * as getRoles from './getRoles';
import * as hide from './hide';
import * as join from './join';
import * as leave from './leave';
import * as muteUser from './muteUser';
import * as notifyActivity from './notifyActivity';
import * as open from './open';
import * as removeMember from './removeMember';
import * as removeRole from './removeRole';
import * as unarchive from './unarchive';
import * as unfavorite from './unfavorite';
import * as unmuteUser from './unmuteUser';
import * as update from './update';
import * as uploadFile from './uploadFile';

export { addMember, addRole, archive, cleanHistory, create, createDiscussion, deleteRoom as delete, downloadFile, favorite, get, getMany, getManyAdmin, getMembers, getRoles, hide, join, leave, muteUser, notifyActivity, open, removeMember, removeRole, unarchive, unfavorite, unmuteUser, update, uploadFile };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['room'] } },
		options: [
			{
				name: 'Add Member',
				value: 'addMember',
				description: "Add users to a channel or private group",
				action: 'Add members to a room',
			},
			{
				name: 'Add Role',
				value: 'addRole',
				description: "Make a member owner, moderator or leader of a room",
				action: 'Add a role to a room member',
			},
			{
				name: 'Archive',
				value: 'archive',
				description: "Archive a channel or private group",
				action: 'Archive a room',
			},
			{
				name: 'Clean History',
				value: 'cleanHistory',
				description: "Delete the messages of a time range, e.g. everything older than 30 days",
				action: 'Clean the history of a room',
			},
			{
				name: 'Create',
				value: 'create',
				description: "Create a channel, private group or direct message",
				action: 'Create a room',
			},
			{
				name: 'Create Discussion',
				value: 'createDiscussion',
				description: "Create a discussion in a room",
				action: 'Create a discussion',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: "Delete a room with its messages, optionally moving its members to a notice room",
				action: 'Delete a room',
			},
			{
				name: 'Download File',
				value: 'downloadFile',
				description: "Download the file of a message or a file link as binary data",
				action: 'Download a file',
			},
			{
				name: 'Favorite',
				value: 'favorite',
				description: "Mark a room as a favourite",
				action: 'Favorite a room',
			},
			{
				name: 'Get',
				value: 'get',
				description: "Get a room with its settings",
				action: 'Get a room',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: "Get the rooms the user is a member of",
				action: 'Get many rooms',
			},
			{
				name: 'Get Many (Admin)',
				value: 'getManyAdmin',
				description: "Get all rooms of the workspace (needs view-room-administration)",
				action: 'Get many rooms as admin',
			},
			{
				name: 'Get Members',
				value: 'getMembers',
				description: "Get the members of a room",
				action: 'Get members of a room',
			},
			{
				name: 'Get Roles',
				value: 'getRoles',
				description: "Get the owners, moderators and leaders of a room",
				action: 'Get roles in a room',
			},
			{
				name: 'Hide',
				value: 'hide',
				description: "Hide a room from the user's sidebar",
				action: 'Hide a room',
			},
			{
				name: 'Join',
				value: 'join',
				description: "Join a room",
				action: 'Join a room',
			},
			{
				name: 'Leave',
				value: 'leave',
				description: "Leave a room",
				action: 'Leave a room',
			},
			{
				name: 'Mute User',
				value: 'muteUser',
				description: "Stop a member from writing in a room",
				action: 'Mute a user in a room',
			},
			{
				name: 'Notify Activity',
				value: 'notifyActivity',
				description: "Show other members that the user is typing, recording or uploading",
				action: 'Notify activity in a room',
			},
			{
				name: 'Open',
				value: 'open',
				description: "Show a hidden room in the user's sidebar again",
				action: 'Open a room',
			},
			{
				name: 'Remove Member',
				value: 'removeMember',
				description: "Remove users from a channel or private group",
				action: 'Remove members from a room',
			},
			{
				name: 'Remove Role',
				value: 'removeRole',
				description: "Take the owner, moderator or leader role from a member",
				action: 'Remove a role from a room member',
			},
			{
				name: 'Unarchive',
				value: 'unarchive',
				description: "Restore an archived channel or private group",
				action: 'Unarchive a room',
			},
			{
				name: 'Unfavorite',
				value: 'unfavorite',
				description: "Remove a room from the favourites",
				action: 'Unfavorite a room',
			},
			{
				name: 'Unmute User',
				value: 'unmuteUser',
				description: "Let a muted member write in a room again",
				action: 'Unmute a user in a room',
			},
			{
				name: 'Update',
				value: 'update',
				description: "Change the name, topic, type and other settings of a room",
				action: 'Update a room',
			},
			{
				name: 'Upload File',
				value: 'uploadFile',
				description: "Post a file from binary data in a room",
				action: 'Upload a file to a room',
			},
		],
		default: 'get',
	},
	...addMember.description,
	...addRole.description,
	...archive.description,
	...cleanHistory.description,
	...create.description,
	...createDiscussion.description,
	...deleteRoom.description,
	...downloadFile.description,
	...favorite.description,
	...get.description,
	...getMany.description,
	...getManyAdmin.description,
	...getMembers.description,
	...getRoles.description,
	...hide.description,
	...join.description,
	...leave.description,
	...muteUser.description,
	...notifyActivity.description,
	...open.description,
	...removeMember.description,
	...removeRole.description,
	...unarchive.description,
	...unfavorite.description,
	...unmuteUser.description,
	...update.description,
	...uploadFile.description,
];
