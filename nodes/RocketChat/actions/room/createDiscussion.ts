import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, roomLocator } from '../../../shared/descriptions';
import { resolveRoom, resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { parseUsernames } from '../../../shared/users';
import { showFor, simplifyRoom } from './common';

const show = showFor('createDiscussion');

const properties: INodeProperties[] = [
	roomLocator({ displayName: 'Parent Room', description: 'The room the discussion belongs to' }),
	{
		displayName: 'Name',
		name: 'discussionName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Incident 42 follow-up',
		description: 'Name of the discussion (spaces allowed)',
	},
	optionsCollection([
		{
			displayName: 'Encrypted',
			name: 'encrypted',
			type: 'boolean',
			default: false,
			description:
				'Whether the discussion is end-to-end encrypted (the server must have E2E encryption enabled). Not set: as the parent room. An encrypted discussion cannot have a First Message.',
		},
		{
			displayName: 'First Message',
			name: 'reply',
			type: 'string',
			default: '',
			typeOptions: { rows: 2 },
			description: 'Text of the first message posted in the discussion',
		},
		{
			displayName: 'From Message ID',
			name: 'pmid',
			type: 'string',
			default: '',
			placeholder: 'e.g. aobEdbYhXfu5hkeqG',
			description: 'ID of a message of the parent room the discussion starts from (it is quoted in the discussion)',
		},
		{
			displayName: 'Topic',
			name: 'topic',
			type: 'string',
			default: '',
			description: 'Topic of the discussion (Rocket.Chat 8.0 and later)',
		},
		{
			displayName: 'Users',
			name: 'users',
			type: 'string',
			default: '',
			placeholder: 'e.g. alice, bob',
			description: 'Usernames to invite, separated by commas, spaces or new lines',
		},
	]),
];

export const description = updateDisplayOptions({ show }, properties);

function encryptedReplyError(ctx: IExecuteFunctions, itemIndex: number, why: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), 'An encrypted discussion cannot start with a First Message', {
		itemIndex,
		description: `Rocket.Chat refuses a first message in an encrypted discussion ("Encrypted discussions must not receive an initial reply"), and ${why}. Remove First Message and send it with Message › Send once the discussion exists, or turn Encrypted off.`,
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const name = String(this.getNodeParameter('discussionName', itemIndex, '')).trim();
	if (!name) {
		throw new NodeOperationError(this.getNode(), 'No discussion name given', {
			itemIndex,
			description: 'Enter a name for the discussion, e.g. "Incident 42 follow-up".',
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const reply = typeof options.reply === 'string' && options.reply !== '';
	// Rocket.Chat refuses a first message in an encrypted discussion (it could only be sent in clear text);
	// Encrypted unset means "as the parent room", so the parent is read when a first message is given.
	if (reply && options.encrypted === true) throw encryptedReplyError(this, itemIndex, 'Encrypted is on');
	let prid: string;
	if (reply && options.encrypted === undefined) {
		const parent = await resolveRoom.call(this, itemIndex);
		prid = String(parent._id);
		if (parent.encrypted === true) throw encryptedReplyError(this, itemIndex, 'the parent room is encrypted, so the discussion would be too');
	} else {
		prid = await resolveRoomId.call(this, itemIndex);
	}
	const body: IDataObject = { prid, t_name: name };
	if (reply) body.reply = options.reply;
	if (typeof options.pmid === 'string' && options.pmid.trim() !== '') body.pmid = options.pmid.trim();
	const users = parseUsernames(options.users);
	if (users.length) body.users = users;
	if (options.encrypted !== undefined) body.encrypted = options.encrypted === true;
	if (typeof options.topic === 'string' && options.topic !== '') body.topic = options.topic;

	const response = await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: 'rooms.createDiscussion',
		body,
		itemIndex,
		hints: {
			permission: 'start-discussion',
			byErrorType: {
				'error-action-not-allowed':
					'Discussions are disabled on this server (Administration › Settings › Discussion), or the user may not start one here.',
				'error-invalid-room': `The parent room "${prid}" does not exist or the user cannot see it. Pick the room from the list.`,
			},
		},
	});
	const discussion = (response.discussion ?? {}) as IDataObject;
	const out = simplifyRoom(discussion);
	if (out._id === undefined && typeof discussion.rid === 'string') out._id = discussion.rid;
	return [out];
}
