import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, jsonParse, updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, roomLocator, simplifyOption } from '../../../shared/descriptions';
import { findDirectMessage, resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import { serverVersion, versionAtLeast } from '../../../shared/version';
import { attachmentsBuilder, attachmentsFromBuilder, attachmentsFromJson, validateAttachments } from './attachments';
import { getMessageById, rethrow, showFor, simplifyMessage, SIZE_HINT, withHint } from './common';

const show = showFor('send');

const properties: INodeProperties[] = [
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'options',
		default: 'room',
		options: [
			{ name: 'Room', value: 'room', description: 'A channel, private group or existing direct message' },
			{ name: 'User', value: 'user', description: 'A user, as a direct message (created when needed)' },
		],
		description: 'Whether to post into a room or send a direct message to a user',
	},
	{
		...roomLocator({ description: 'The room to post the message in' }),
		displayOptions: { show: { sendTo: ['room'] } },
	},
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. alice or @alice',
		description: 'Username of the person to send a direct message to (with or without @)',
		displayOptions: { show: { sendTo: ['user'] } },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		typeOptions: { rows: 4 },
		placeholder: 'e.g. Deploy of v1.5 finished :tada:',
		description: 'Text of the message (Markdown, @mentions and :emoji: work). May be empty when the message has attachments.',
	},
	{
		displayName: 'Attachments',
		name: 'attachmentsMode',
		type: 'options',
		default: 'none',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Using Fields Below', value: 'builder' },
			{ name: 'Using JSON', value: 'json' },
		],
		description: 'Whether to add rich attachments, built with fields or given as JSON',
	},
	{
		...attachmentsBuilder,
		displayOptions: { show: { attachmentsMode: ['builder'] } },
	},
	{
		displayName: 'Attachments (JSON)',
		name: 'attachmentsJson',
		type: 'json',
		default: '[\n  {\n    "title": "",\n    "text": ""\n  }\n]',
		description:
			'A JSON array of attachments. Keys: color, text, ts, title, title_link, title_link_download, author_name, author_link, author_icon, image_url, thumb_url, audio_url, video_url, message_link, collapsed, fields [{title, value, short}], actions and the *_type/*_size/image_dimensions/image_preview/button_alignment keys.',
		displayOptions: { show: { attachmentsMode: ['json'] } },
	},
	simplifyOption(show),
	optionsCollection([
		{
			displayName: 'Alias',
			name: 'alias',
			type: 'string',
			default: '',
			description: 'Name shown instead of the sender\'s (needs the "message-impersonate" permission, default roles bot and app)',
		},
		{
			displayName: 'Also Send to Room',
			name: 'tshow',
			type: 'boolean',
			default: false,
			description: 'Whether a thread reply is also shown in the room (needs Thread Message ID)',
		},
		{
			displayName: 'Avatar URL',
			name: 'avatar',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/bot.png',
			description: 'Image shown instead of the sender\'s avatar (needs the "message-impersonate" permission)',
		},
		{
			displayName: 'Custom Fields',
			name: 'customFields',
			type: 'json',
			default: '{}',
			description: 'A JSON object stored with the message (Rocket.Chat 6.8+; the server must allow the fields under Message_CustomFields)',
		},
		{
			displayName: 'Emoji',
			name: 'emoji',
			type: 'string',
			default: '',
			placeholder: ':robot:',
			description: 'Emoji shown instead of the sender\'s avatar, e.g. :robot:',
		},
		{
			displayName: 'Message ID',
			name: 'messageId',
			type: 'string',
			default: '',
			placeholder: 'e.g. order-1234-shipped',
			description:
				'Your own unique ID for the message. A send retried with the same ID never posts twice: Rocket.Chat stores one message with this ID (letters, digits, - and _).',
		},
		{
			displayName: 'Parse URLs',
			name: 'parseUrls',
			type: 'boolean',
			default: true,
			description:
				'Whether Rocket.Chat adds link previews for URLs in the text. Turning it off needs a server before 7.4 or from 7.9.8 (7.4 – 7.9 refuse the parameter), or a Message ID.',
		},
		{
			displayName: 'Thread Message ID',
			name: 'tmid',
			type: 'string',
			default: '',
			placeholder: 'e.g. aobEdbYhXfu5hkeqG',
			description: 'ID of a message in the same room: the new message is posted as a reply in its thread',
		},
	]),
];

export const description = updateDisplayOptions({ show }, properties);

const MESSAGE_ID_REGEX = /^[A-Za-z0-9_-]{1,100}$/;

interface Target {
	roomId?: string;
	channel?: string;
	username?: string;
}

/** The direct-message room with `username`: an existing subscription, else `dm.create` (which also returns an existing one). */
async function directRoomWith(this: IExecuteFunctions, username: string, itemIndex: number): Promise<string> {
	const found = await findDirectMessage.call(this, username, itemIndex);
	if (found) return found._id;
	const created = await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: 'dm.create',
		body: { username },
		itemIndex,
		idempotent: true,
		hints: { byErrorType: { 'error-invalid-user': `No user "${username}" exists. Check the username.` } },
	});
	const room = (created.room ?? {}) as IDataObject;
	return String(room._id ?? room.rid);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const node = this.getNode();
	const sendTo = this.getNodeParameter('sendTo', itemIndex, 'room') as string;
	const text = String(this.getNodeParameter('text', itemIndex, '') ?? '');
	const mode = this.getNodeParameter('attachmentsMode', itemIndex, 'none') as string;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	// ---- validate everything before any request
	let attachments: IDataObject[] = [];
	if (mode === 'builder') {
		attachments = validateAttachments(this, attachmentsFromBuilder(this.getNodeParameter('attachments', itemIndex, {}) as IDataObject), itemIndex);
	} else if (mode === 'json') {
		const parsed = attachmentsFromJson(this, this.getNodeParameter('attachmentsJson', itemIndex, '[]'), itemIndex);
		attachments = validateAttachments(this, parsed, itemIndex);
	}
	if (!text.trim() && attachments.length === 0) {
		throw new NodeOperationError(node, 'The message has no text and no attachment', {
			itemIndex,
			description: 'Enter a Text, or add at least one attachment. Rocket.Chat does not post empty messages.',
		});
	}

	let customFields: IDataObject | undefined;
	if (options.customFields !== undefined && options.customFields !== '' && options.customFields !== '{}') {
		const parsed = typeof options.customFields === 'string' ? safeJson(options.customFields) : options.customFields;
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
			throw new NodeOperationError(node, 'Custom Fields must be a JSON object', {
				itemIndex,
				description: 'Enter an object such as {"ticket": "OPS-12"}, or remove the option.',
			});
		}
		if (Object.keys(parsed).length) customFields = parsed as IDataObject;
	}

	const tmid = String(options.tmid ?? '').trim();
	const tshow = options.tshow === true;
	if (tshow && !tmid) {
		throw new NodeOperationError(node, 'Also Send to Room needs a Thread Message ID', {
			itemIndex,
			description: 'Set Thread Message ID to the message whose thread you reply in, or turn Also Send to Room off.',
		});
	}
	if (tmid && /\s/.test(tmid)) {
		throw new NodeOperationError(node, `"${tmid}" is not a message ID`, { itemIndex, description: 'Thread Message ID takes the _id of a message, e.g. aobEdbYhXfu5hkeqG.' });
	}
	const messageId = String(options.messageId ?? '').trim();
	if (messageId && !MESSAGE_ID_REGEX.test(messageId)) {
		throw new NodeOperationError(node, `"${messageId.slice(0, 60)}" cannot be used as a Message ID`, {
			itemIndex,
			description: 'Use 1 to 100 letters, digits, - or _, e.g. order-1234-shipped or a UUID.',
		});
	}

	// ---- the target
	const target: Target = {};
	if (sendTo === 'user') {
		const username = String(this.getNodeParameter('username', itemIndex, '') ?? '').trim().replace(/^@/, '');
		if (!username || /\s/.test(username)) {
			throw new NodeOperationError(node, username ? `"${username}" is not a username` : 'No username given', {
				itemIndex,
				description: 'Enter the username of the person (e.g. alice or @alice), not the display name.',
			});
		}
		target.username = username;
		// Threads need `roomId` (servers from 7.4 refuse `channel` with `tmid`); chat.sendMessage needs `rid`.
		if (tmid || messageId) target.roomId = await directRoomWith.call(this, username, itemIndex);
		else target.channel = `@${username}`;
	} else {
		target.roomId = await resolveRoomId.call(this, itemIndex, 'roomId');
	}

	if (tmid) {
		const root = await getMessageById.call(this, tmid, itemIndex, 'thread message');
		if (root.rid !== target.roomId) {
			throw new NodeOperationError(node, `The thread message "${tmid}" is in another room`, {
				itemIndex,
				description: `The thread's message is in room "${String(root.rid)}", not in "${target.roomId}". Send to the thread's room, or use a Thread Message ID from this room.`,
			});
		}
	}

	const hints = {
		byErrorType: {
			'error-message-size-exceeded': `${SIZE_HINT} This text has ${text.length} characters.`,
			'invalid-channel': target.username
				? `No user "${target.username}" exists, or a direct message with them is not allowed. Check the username.`
				: 'The room does not exist or the user cannot post there. Check the room, or pick it from the list.',
			'invalid-room': 'The user of these credentials must join this room before posting in it.',
			'error-not-allowed': 'The user of these credentials may not post in this room (not a member, or threads are disabled on the server).',
		},
	};

	const fields: IDataObject = {};
	if (options.alias) fields.alias = String(options.alias);
	if (options.emoji) fields.emoji = String(options.emoji);
	if (options.avatar) fields.avatar = String(options.avatar);
	if (attachments.length) fields.attachments = attachments;
	if (customFields) fields.customFields = customFields;

	let message: IDataObject;
	if (messageId || tshow) {
		// chat.sendMessage: the only endpoint that takes a client `_id` and `tshow`.
		message = await sendMessage.call(this, {
			itemIndex,
			messageId,
			roomId: target.roomId as string,
			body: {
				message: {
					...(messageId && { _id: messageId }),
					rid: target.roomId,
					msg: text,
					...(tmid && { tmid }),
					...(tshow && { tshow: true }),
					...fields,
				},
				...(options.parseUrls === false && { previewUrls: [] }),
			},
			hints,
		});
	} else {
		const body: IDataObject = { ...(target.roomId ? { roomId: target.roomId } : { channel: target.channel }), text, ...fields };
		if (tmid) body.tmid = tmid;
		// Rocket.Chat parses URLs unless told not to: only `false` is sent, and only to servers that accept it.
		if (options.parseUrls === false) {
			await checkParseUrlsAccepted.call(this, itemIndex);
			body.parseUrls = false;
		}
		const answer = await impersonationHint.call(
			this,
			rocketChatApiRequest.call(this, { method: 'POST', endpoint: 'chat.postMessage', body, itemIndex, hints }),
		);
		message = (answer.message ?? {}) as IDataObject;
	}
	return [simplify ? simplifyMessage(message) : message];
}

/**
 * Rocket.Chat 7.4 added a schema to `chat.postMessage` without `parseUrls` (400 `invalid-params`); it was
 * put back in 7.9.8. `/api/info` gives only `major.minor` to non-admins, so 7.9 counts as refusing.
 */
async function checkParseUrlsAccepted(this: IExecuteFunctions, itemIndex: number): Promise<void> {
	const version = await serverVersion.call(this, itemIndex);
	if (!version.text || !versionAtLeast(version, '7.4') || versionAtLeast(version, '7.9.8')) return;
	throw new NodeOperationError(this.getNode(), `Parse URLs cannot be turned off on Rocket.Chat ${version.text}`, {
		itemIndex,
		description:
			'Rocket.Chat 7.4 to 7.9 refuses the parseUrls parameter of chat.postMessage (7.9.8 and later accept it again). Remove the Parse URLs option, or set a Message ID (chat.sendMessage sends the message without link previews).',
	});
}

function safeJson(text: string): unknown {
	try {
		return jsonParse(text);
	} catch {
		return undefined;
	}
}

async function impersonationHint(this: IExecuteFunctions, promise: Promise<IDataObject>): Promise<IDataObject> {
	return await withHint.call(
		this,
		promise,
		/Not enough permission/,
		'Alias and Avatar URL need the "message-impersonate" permission (default roles bot and app). Remove them, or use a bot account.',
	);
}

/**
 * `chat.sendMessage`. With the caller's `_id` it is marked idempotent, so the transport repeats it after
 * a lost connection; Rocket.Chat never stores a second message with the same `_id`. When that answer is
 * not a normal success (e.g. a retry after the first attempt was stored), the message is looked up by
 * its ID and returned.
 */
async function sendMessage(
	this: IExecuteFunctions,
	args: { itemIndex: number; messageId: string; roomId: string; body: IDataObject; hints: { byErrorType: Record<string, string> } },
): Promise<IDataObject> {
	const request = impersonationHint.call(
		this,
		rocketChatApiRequest.call(this, {
			method: 'POST',
			endpoint: 'chat.sendMessage',
			body: args.body,
			itemIndex: args.itemIndex,
			idempotent: !!args.messageId,
			hints: args.hints,
		}),
	);
	if (!args.messageId) return ((await request).message ?? {}) as IDataObject;

	let failure: unknown;
	try {
		const message = (await request).message as IDataObject | undefined;
		if (message && message._id) return message;
	} catch (error) {
		if (!(error instanceof NodeApiError)) rethrow(this.getNode(), error);
		failure = error;
	}
	let stored: IDataObject;
	try {
		stored = await getMessageById.call(this, args.messageId, args.itemIndex);
	} catch (lookupError) {
		return rethrow(this.getNode(), failure ?? lookupError);
	}
	if (stored.rid !== args.roomId) {
		throw new NodeOperationError(this.getNode(), `The Message ID "${args.messageId}" is already used by a message in another room`, {
			itemIndex: args.itemIndex,
			description: 'Message IDs are unique on the whole server. Use a new ID for a new message (e.g. include the room or a timestamp).',
		});
	}
	return stored;
}
