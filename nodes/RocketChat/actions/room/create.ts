import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../../../shared/descriptions';
import { roomTypeOptions } from '../../../shared/roomTypes';
import { rocketChatApiRequest } from '../../../shared/transport';
import { parseUsernames } from '../../../shared/users';
import { createChannelOrGroup, showFor, simplifyRoom } from './common';

const show = showFor('create');

const properties: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'roomType',
		type: 'options',
		default: 'c',
		options: roomTypeOptions(['c', 'p', 'd'], true),
		description: 'The kind of room to create',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. release-planning',
		description: 'Name of the room, without #. Rocket.Chat allows letters, digits, - _ and . by default.',
		displayOptions: { show: { roomType: ['c', 'p'] } },
	},
	{
		displayName: 'Members',
		name: 'members',
		type: 'string',
		default: '',
		placeholder: 'e.g. alice, bob',
		description: 'Usernames to add, separated by commas, spaces or new lines (a leading @ is ignored)',
		displayOptions: { show: { roomType: ['c', 'p'] } },
	},
	{
		displayName: 'Usernames',
		name: 'members',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. alice',
		description:
			'Username(s) to open the direct message with, separated by commas (several users make a group direct message)',
		displayOptions: { show: { roomType: ['d'] } },
	},
	optionsCollection([
		{
			displayName: 'Broadcast',
			name: 'broadcast',
			type: 'boolean',
			default: false,
			description: 'Whether only owners and moderators can write and members can reply only privately',
		},
		{
			displayName: 'Read Only',
			name: 'readOnly',
			type: 'boolean',
			default: false,
			description: 'Whether only users with the "post-readonly" permission (owners, moderators) can write',
		},
		{
			displayName: 'Topic',
			name: 'topic',
			type: 'string',
			default: '',
			description: 'Topic shown in the room header',
		},
	], { displayOptions: { show: { roomType: ['c', 'p'] } } }),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const type = this.getNodeParameter('roomType', itemIndex, 'c') as string;
	const members = parseUsernames(this.getNodeParameter('members', itemIndex, ''));

	if (type === 'd') {
		if (members.length === 0) {
			throw new NodeOperationError(this.getNode(), 'No username given for the direct message', {
				itemIndex,
				description: 'Enter the username of the user to talk to, e.g. alice (several separated by commas).',
			});
		}
		const body = await rocketChatApiRequest.call(this, {
			method: 'POST',
			endpoint: 'dm.create',
			body: members.length === 1 ? { username: members[0] } : { usernames: members.join(',') },
			itemIndex,
			// Creating a direct message that exists returns it: safe to repeat.
			idempotent: true,
			hints: { permission: 'create-d' },
		});
		return [simplifyRoom((body.room ?? {}) as IDataObject)];
	}

	const name = String(this.getNodeParameter('name', itemIndex, '')).trim().replace(/^#/, '');
	if (!name) {
		throw new NodeOperationError(this.getNode(), 'No room name given', {
			itemIndex,
			description: 'Enter a name for the new room, e.g. release-planning.',
		});
	}
	if (/\s/.test(name)) {
		throw new NodeOperationError(this.getNode(), `The room name "${name}" contains spaces`, {
			itemIndex,
			description: 'Rocket.Chat room names cannot contain spaces by default: use - or _ instead, e.g. release-planning.',
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const request: IDataObject = { name };
	if (members.length) request.members = members;
	if (options.readOnly !== undefined) request.readOnly = options.readOnly === true;
	const extraData: IDataObject = {};
	if (options.broadcast !== undefined) extraData.broadcast = options.broadcast === true;
	if (typeof options.topic === 'string' && options.topic !== '') extraData.topic = options.topic;
	if (Object.keys(extraData).length) request.extraData = extraData;

	const room = await createChannelOrGroup.call(this, itemIndex, type, request, {
		'error-duplicate-channel-name': `A room named "${name}" already exists. Choose another name, or use Room › Get to find it.`,
		'error-invalid-room-name': `"${name}" is not a valid room name on this server. Use letters, digits, - _ and . only.`,
	});
	return [simplifyRoom(room)];
}
