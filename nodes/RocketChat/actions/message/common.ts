import type { IDataObject, IExecuteFunctions, INode, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { rocketChatApiRequest } from '../../../shared/transport';

export type Show = { resource: string[]; operation: string[] };

export function showFor(operation: string): Show {
	return { resource: ['message'], operation: [operation] };
}

// ---------------------------------------------------------------- parameters

/** The message ID parameter shared by operations on one message. */
export function messageIdParameter(description: string, displayName = 'Message ID'): INodeProperties {
	return {
		displayName,
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. aobEdbYhXfu5hkeqG',
		description,
	};
}

export function readMessageId(this: IExecuteFunctions, itemIndex: number, what = 'message'): string {
	const raw = this.getNodeParameter('messageId', itemIndex, '');
	const messageId = String(raw ?? '').trim();
	if (!messageId) {
		throw new NodeOperationError(this.getNode(), `No ${what} ID given`, {
			itemIndex,
			description: `Enter the ID of the ${what}, e.g. {{ $json._id }} from a Send or Get Many of messages.`,
		});
	}
	if (/\s/.test(messageId) || messageId.length > 200) {
		throw new NodeOperationError(this.getNode(), `"${messageId.slice(0, 60)}" is not a message ID`, {
			itemIndex,
			description: 'A Rocket.Chat message ID has no spaces, e.g. aobEdbYhXfu5hkeqG. Map the _id field of a message.',
		});
	}
	return messageId;
}

// ---------------------------------------------------------------- output

/** Any date Rocket.Chat sends (ISO string, epoch ms, EJSON `{$date}`) as an ISO string. */
export function isoDate(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let date: Date | undefined;
	if (typeof value === 'number') date = new Date(value);
	else if (typeof value === 'string') date = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
	else if (value instanceof Date) date = value;
	else if (typeof value === 'object' && value !== null && '$date' in value) date = new Date(Number((value as { $date: unknown }).$date));
	if (!date || Number.isNaN(date.getTime())) return typeof value === 'string' ? value : undefined;
	return date.toISOString();
}

/**
 * Simplify: ID, room, text, author, time, edit time, thread, counts, pinned — what a workflow routes on.
 * System messages keep their type `t`.
 */
export function simplifyMessage(message: IDataObject): IDataObject {
	const author = (message.u ?? {}) as IDataObject;
	const reactions = (message.reactions ?? {}) as Record<string, { usernames?: unknown[] }>;
	const out: IDataObject = {
		_id: message._id,
		rid: message.rid,
		text: message.msg ?? '',
		authorId: author._id,
		authorUsername: author.username,
		authorName: author.name,
		ts: isoDate(message.ts),
	};
	if (message.t !== undefined) out.t = message.t;
	if (message.editedAt !== undefined) out.editedAt = isoDate(message.editedAt);
	if (message.tmid !== undefined) out.tmid = message.tmid;
	out.threadReplyCount = typeof message.tcount === 'number' ? message.tcount : 0;
	out.attachmentCount = Array.isArray(message.attachments) ? message.attachments.length : 0;
	out.pinned = message.pinned === true;
	out.reactionCount = Object.values(reactions).reduce(
		(sum, reaction) => sum + (Array.isArray(reaction?.usernames) ? reaction.usernames.length : 0),
		0,
	);
	for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
	return out;
}

export function outputMessages(messages: IDataObject[], simplify: boolean): IDataObject[] {
	return messages.map((message) => (simplify ? simplifyMessage(message) : message));
}

// ---------------------------------------------------------------- requests

/** One message by ID, or an error that says which ID is unknown (`chat.getMessage` answers a bare 400). */
export async function getMessageById(
	this: IExecuteFunctions,
	messageId: string,
	itemIndex: number,
	what = 'message',
): Promise<IDataObject> {
	let body: IDataObject;
	try {
		body = await rocketChatApiRequest.call(this, { endpoint: 'chat.getMessage', qs: { msgId: messageId }, itemIndex });
	} catch (error) {
		if (isBareFailure(error)) throw noMessageError(this, messageId, itemIndex, what);
		return rethrow(this.getNode(), error);
	}
	const message = body.message as IDataObject | undefined;
	if (!message) throw noMessageError(this, messageId, itemIndex, what);
	return message;
}

/** A 400 without any text: how `chat.getMessage` says "unknown, or not visible to you". */
function isBareFailure(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	return error.httpCode === '400' && !error.context.errorType && /^Rocket\.Chat answered 400/.test(error.message);
}

function noMessageError(ctx: IExecuteFunctions, messageId: string, itemIndex: number, what: string): NodeApiError {
	return new NodeApiError(
		ctx.getNode(),
		{ message: `No ${what} with ID "${messageId}"` },
		{
			message: `No ${what} with ID "${messageId}"`,
			description:
				'The message does not exist, was deleted, or is in a room the user of these credentials cannot see. Check the ID (map the _id of a message) and that the user is a member of its room.',
			httpCode: '400',
			itemIndex,
		},
	);
}

/** Throws an error again unchanged (n8n's error classes return an existing instance as it is). */
export function rethrow(node: INode, error: unknown): never {
	if (error instanceof NodeApiError) throw new NodeApiError(node, error as unknown as JsonObject);
	throw new NodeOperationError(node, error as Error);
}

/** Sets the fix-it description of a Rocket.Chat error whose text matches (for errors without an errorType). */
export function addHint(error: unknown, pattern: RegExp, description: string): void {
	if (error instanceof NodeApiError && pattern.test(error.message)) error.description = description;
}

/** Adds a fix-it description to a Rocket.Chat error whose text matches (for errors without an errorType). */
export async function withHint(
	this: IExecuteFunctions,
	promise: Promise<IDataObject>,
	pattern: RegExp,
	description: string,
): Promise<IDataObject> {
	try {
		return await promise;
	} catch (error) {
		addHint(error, pattern, description);
		return rethrow(this.getNode(), error);
	}
}

/**
 * Adds the fix-it text for a message that does not exist or is in another room than the one given
 * (`chat.update` and `chat.delete` say so without an errorType).
 */
export async function withMessageInRoomHint(
	this: IExecuteFunctions,
	promise: Promise<IDataObject>,
	messageId: string,
	roomId: string,
): Promise<IDataObject> {
	return await withHint.call(
		this,
		promise,
		/No message found with the id|does not match where the message is from/,
		`Check the message ID and the room: the message "${messageId}" must exist and be in room "${roomId}".`,
	);
}

export const EDIT_HINT =
	'Rocket.Chat allows editing your own messages (when Message_AllowEditing is on); editing other users\' messages needs the "edit-message" permission (roles admin, owner, moderator by default). Ask an admin, or edit with the author\'s credentials.';

export const DELETE_HINT =
	'Deleting your own messages needs the "delete-own-message" permission and Message_AllowDeleting on; deleting other users\' messages needs "delete-message" (admin, owner, moderator) or "force-delete-message". Ask an admin to grant it (Administration › Permissions).';

export const SIZE_HINT =
	'The text is longer than the server allows: Message_MaxAllowedSize, 5000 characters by default (Administration › Settings › Message). Shorten the text or split it into several messages.';

export const NOT_FOUND_HINT = 'Check the message ID: the message does not exist or was deleted.';

/** The errors of the operations on threads. */
export const THREAD_HINTS = {
	byErrorType: {
		'error-invalid-message': 'Check the Thread Message ID: no message with this ID exists.',
		'error-not-allowed': 'Threads are turned off on this server (Threads_enabled), or the user cannot access the thread\'s room.',
	},
};

// ---------------------------------------------------------------- emoji

/** `:smile:`, `smile` → `:smile:`; refuses text that is not an emoji name. */
export function normalizeEmoji(this: IExecuteFunctions, raw: unknown, itemIndex: number): string {
	const name = String(raw ?? '').trim().replace(/^:+|:+$/g, '');
	if (!name || !/^[\w+-]+$/.test(name)) {
		throw new NodeOperationError(this.getNode(), `"${String(raw ?? '')}" is not an emoji name`, {
			itemIndex,
			description: 'Enter an emoji name such as thumbsup, :tada: or white_check_mark (with or without colons), not the emoji character.',
		});
	}
	return `:${name}:`;
}
