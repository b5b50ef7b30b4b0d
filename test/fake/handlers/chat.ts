/**
 * `chat.*` message endpoints: post/send, get, update, delete, react, pin/unpin, star/unstar, search,
 * starred/mentioned/pinned lists, read receipts, threads (messages, list, follow/unfollow), report.
 *
 * Sources (reference `rocketchat-api.md` §6, §7): `apps/meteor/app/api/server/v1/chat.ts` @00daca25
 * (route bodies, envelopes and failure texts), `apps/meteor/app/lib/server/functions/sendMessage.ts`
 * @026bdc00 (attachment `check()`s, `message-impersonate`, the existing-`_id` skip),
 * `apps/meteor/app/lib/server/methods/sendMessage.ts` @026bdc00 (`executeSendMessage`: `tshow` without
 * `tmid`, threads off, size limit, the thread's room wins over `rid`), `ee/server/api/chat.ts`
 * (`chat.getMessageReadReceipts`: `error-action-not-allowed` "This is an enterprise feature" without the
 * `message-read-receipt` licence module). Parameter schemas follow `@rocket.chat/rest-typings` 8.8.1 as
 * listed in the reference (`additionalProperties: false`, so unknown keys are rejected).
 *
 * Choices where the server's behaviour is derived rather than documented (each marked *derived* below):
 * - `chat.sendMessage` with an `_id` that already exists: `sendMessage()` returns nothing, and
 *   `normalizeMessagesForUser([undefined])` then fails reading `starred`, so the route answers
 *   400 `{success:false, error:"Cannot read properties of undefined (reading 'starred')"}`. Nothing is
 *   stored twice. (Reference §7: "the retry's HTTP answer is then not a normal success".)
 * - A thread reply (`tmid`) is stored in the thread's room, whatever room was named (as
 *   `executeSendMessage` does for `chat.sendMessage`; applied to `chat.postMessage` too).
 * - `chat.react` accepts the emoji names in `KNOWN_EMOJI` (the server checks its emoji list and custom
 *   emoji); others fail with `error-not-allowed` "Invalid emoji provided.".
 * - Read receipts: with the licence flag on (`settings.License_message_read_receipt = true`), a member has
 *   read a message when its subscription's `ls` is at or after the message's `ts`; the author always has.
 * - `chat.reportMessage` stores reports per state, readable with `reportsOf(state)`.
 */
import { apiFailure, meteorError } from '../errors';
import type { FakeRocketChat, RouteContext } from '../server';
import { type FakeMessage, type FakeRoom, type FakeState, type FakeUser, toRestMessage, userRef } from '../state';
import type { Schema } from '../validation';
import { versionAtLeast } from './room-admin';

// ---------------------------------------------------------------- helpers

function me(ctx: RouteContext): FakeUser {
	return ctx.user as FakeUser;
}

/** A message as REST returns it to `userId` (`normalizeMessagesForUser` keeps only the caller's star). */
export function restMessageFor(message: FakeMessage, userId: string): Record<string, unknown> {
	const out = toRestMessage(message);
	if (Array.isArray(out.starred)) {
		out.starred = (out.starred as { _id: string }[]).filter((star) => star._id === userId);
	}
	return out;
}

function single(value: unknown): string {
	if (Array.isArray(value)) return value.length ? String(value[0]) : '';
	return value === undefined || value === null ? '' : String(value);
}

function parseSort(ctx: RouteContext): Record<string, 1 | -1> | undefined {
	return ctx.paginate().sort as Record<string, 1 | -1> | undefined;
}

function sortMessages(messages: FakeMessage[], sort: Record<string, 1 | -1>): FakeMessage[] {
	const keys = Object.entries(sort);
	return [...messages].sort((a, b) => {
		for (const [key, direction] of keys) {
			const va = (a as unknown as Record<string, unknown>)[key];
			const vb = (b as unknown as Record<string, unknown>)[key];
			const na = va instanceof Date ? va.getTime() : (va as number | string | undefined);
			const nb = vb instanceof Date ? vb.getTime() : (vb as number | string | undefined);
			if (na === nb) continue;
			if (na === undefined) return 1;
			if (nb === undefined) return -1;
			return (na < nb ? -1 : 1) * direction;
		}
		return 0;
	});
}

/** Offset/count paging with `total`, like `Messages.findPaginated`. */
function page(ctx: RouteContext, messages: FakeMessage[], defaultSort: Record<string, 1 | -1>) {
	const { offset, count } = ctx.paginate();
	const sorted = sortMessages(messages, parseSort(ctx) ?? defaultSort);
	const slice = count === 0 ? sorted.slice(offset) : sorted.slice(offset, offset + count);
	return { slice, offset, total: sorted.length };
}

/** `canSendMessageAsync` → `validateRoomMessagePermissionsAsync`. */
function assertCanSend(state: FakeState, user: FakeUser, room: FakeRoom | undefined): FakeRoom {
	if (!room) throw meteorError('error-invalid-room', 'Invalid room');
	if (!state.canAccessRoom(user, room)) throw meteorError('error-not-allowed', 'error-not-allowed');
	if (room.ro && !state.hasPermission(user, 'post-readonly', room._id) && !(room.unmuted ?? []).includes(user.username)) {
		throw apiFailure("You can't send messages because the room is readonly.");
	}
	if ((room.muted ?? []).includes(user.username)) throw meteorError('You_have_been_muted', '');
	return room;
}

const URL_KEYS = ['thumb_url', 'message_link', 'author_link', 'author_icon', 'title_link', 'image_url', 'audio_url', 'video_url'];
const STRING_KEYS = ['color', 'text', 'button_alignment', 'author_name', 'title', 'image_preview', 'image_type', 'audio_type', 'video_type'];
const NUMBER_KEYS = ['image_size', 'audio_size', 'video_size'];
const BOOLEAN_KEYS = ['collapsed', 'title_link_download'];

function matchError(expected: string, value: unknown, key: string): never {
	const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
	throw apiFailure(`Match error: Expected ${expected}, got ${got} in field ${key}`);
}

/** `validFullURLParam`: a full URL or a path under `/file-upload/`, never `javascript:`. */
function checkFullUrl(value: unknown, key: string): void {
	if (typeof value !== 'string') matchError('string', value, key);
	const full = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value) && !/^javascript:/i.test(value);
	if (!full && !value.startsWith('/file-upload/')) throw apiFailure('Invalid href value provided');
}

/** `validateAttachment` (`objectMaybeIncluding`: listed keys are type-checked, others pass). */
function validateAttachments(attachments: unknown): void {
	if (!Array.isArray(attachments)) return;
	for (const attachment of attachments) {
		if (typeof attachment !== 'object' || attachment === null) continue;
		const a = attachment as Record<string, unknown>;
		for (const key of STRING_KEYS) if (a[key] != null && typeof a[key] !== 'string') matchError('string', a[key], key);
		for (const key of NUMBER_KEYS) if (a[key] != null && typeof a[key] !== 'number') matchError('number', a[key], key);
		for (const key of BOOLEAN_KEYS) if (a[key] != null && typeof a[key] !== 'boolean') matchError('boolean', a[key], key);
		for (const key of URL_KEYS) if (a[key] != null) checkFullUrl(a[key], key);
		if (a.ts != null && typeof a.ts !== 'string' && typeof a.ts !== 'number') matchError('string or number', a.ts, 'ts');
		if (a.fields != null && !Array.isArray(a.fields)) matchError('array', a.fields, 'fields');
		// `validateAttachmentsFields` (`objectMaybeIncluding`): `short`, `title`, `value` are type-checked when
		// present, none is required, and `value` is stored as text.
		for (const field of (a.fields as unknown[] | undefined) ?? []) {
			const f = (field ?? {}) as Record<string, unknown>;
			if (f.title != null && typeof f.title !== 'string') matchError('string', f.title, 'title');
			if (f.short != null && typeof f.short !== 'boolean') matchError('boolean', f.short, 'short');
			if (f.value != null && !['string', 'number', 'boolean'].includes(typeof f.value)) matchError('string, number or boolean', f.value, 'value');
		}
		for (const action of (a.actions as unknown[] | undefined) ?? []) {
			const act = (action ?? {}) as Record<string, unknown>;
			if (act.url != null) checkFullUrl(act.url, 'url');
			if (act.image_url != null) checkFullUrl(act.image_url, 'image_url');
		}
	}
}

/** `validateMessage`: attachments, and `alias`/`avatar` need `message-impersonate`. */
function validateMessage(state: FakeState, user: FakeUser, room: FakeRoom, message: Record<string, unknown>): void {
	if ((message.alias || message.avatar) && !state.hasPermission(user, 'message-impersonate', room._id)) {
		throw apiFailure('Not enough permission');
	}
	validateAttachments(message.attachments);
}

/** The thread root for a reply; the reply goes to the root's room (and to the root of a nested reply). */
function threadTarget(state: FakeState, tmid: string | undefined): { tmid?: string; rid?: string } {
	if (!tmid) return {};
	const parent = state.getMessage(tmid);
	if (!parent) return { tmid };
	return { tmid: parent.tmid ?? tmid, rid: parent.rid };
}

/** A copy of the attachments as stored: `validateAttachmentsFields` turns each field's `value` into text. */
function storedAttachments(attachments: unknown[]): unknown[] {
	return attachments.map((attachment) => {
		if (typeof attachment !== 'object' || attachment === null || !Array.isArray((attachment as { fields?: unknown }).fields)) return attachment;
		const fields = ((attachment as { fields: unknown[] }).fields).map((field) => {
			const f = (field ?? {}) as Record<string, unknown>;
			return f.value === undefined || f.value === null ? f : { ...f, value: String(f.value) };
		});
		return { ...(attachment as Record<string, unknown>), fields };
	});
}

function storeMessage(state: FakeState, user: FakeUser, room: FakeRoom, fields: Record<string, unknown>): FakeMessage {
	const extra: Record<string, unknown> = {};
	for (const key of ['_id', 'alias', 'emoji', 'avatar', 'attachments', 'customFields', 'tmid', 'blocks']) {
		if (fields[key] !== undefined) extra[key] = fields[key];
	}
	if (Array.isArray(extra.attachments)) extra.attachments = storedAttachments(extra.attachments);
	if (fields.tmid && fields.tshow === true) extra.tshow = true;
	if (extra.alias || extra.avatar || extra.emoji) extra.groupable = false;
	const text = typeof fields.msg === 'string' ? fields.msg : '';
	return state.postMessage(room._id, user, text, extra);
}

// ---------------------------------------------------------------- schemas

const stringOrArray: Schema = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const messageExtras: Record<string, Schema> = {
	text: { type: 'string' },
	alias: { type: 'string' },
	emoji: { type: 'string' },
	avatar: { type: 'string' },
	attachments: { type: 'array', items: { type: 'object' } },
	parseUrls: { type: 'boolean' },
	bot: { type: 'object' },
	groupable: { type: 'boolean' },
	customFields: { type: 'object' },
};

/**
 * Whether `chat.postMessage` accepts `parseUrls`. 7.4.0 attached `isChatPostMessageProps`, whose schema had no
 * `parseUrls` (`additionalProperties: false`: 400 `must NOT have additional properties`; issue #35424 for the
 * 7.4.0 change, the schema in the published `@rocket.chat/rest-typings` 7.0.0); PR #36265 put it back: it is in
 * the published rest-typings 7.9.8 and 7.10.0. Earlier 7.9 patches are taken as refusing it.
 */
export function postMessageAcceptsParseUrls(version: string): boolean {
	return !versionAtLeast(version, '7.4') || versionAtLeast(version, '7.9.8');
}

/** `isChatPostMessageProps`: `roomId` (with optional `tmid`) or `channel` (no `tmid` — 7.4+). */
function postMessageSchema(version: string): Schema {
	const extras = { ...messageExtras };
	if (!postMessageAcceptsParseUrls(version)) delete extras.parseUrls;
	return {
		anyOf: [
			{
				type: 'object',
				properties: { roomId: stringOrArray, tmid: { type: 'string' }, ...extras },
				required: ['roomId'],
				additionalProperties: false,
			},
			{
				type: 'object',
				properties: { channel: stringOrArray, ...extras },
				required: ['channel'],
				additionalProperties: false,
			},
		],
	};
}

const sendMessageSchema: Schema = {
	type: 'object',
	properties: {
		message: {
			type: 'object',
			properties: {
				_id: { type: 'string' },
				rid: { type: 'string' },
				tmid: { type: 'string' },
				tshow: { type: 'boolean' },
				msg: { type: 'string' },
				alias: { type: 'string' },
				emoji: { type: 'string' },
				avatar: { type: 'string' },
				attachments: { type: 'array', items: { type: 'object' } },
				blocks: { type: 'array', items: { type: 'object' } },
				customFields: { type: 'object' },
			},
			required: ['rid'],
			additionalProperties: false,
		},
		previewUrls: { type: 'array', items: { type: 'string' } },
	},
	required: ['message'],
	additionalProperties: false,
};

const msgIdQuery: Schema = { type: 'object', properties: { msgId: { type: 'string' } }, required: ['msgId'], additionalProperties: false };

const updateSchema: Schema = {
	type: 'object',
	properties: {
		roomId: { type: 'string' },
		msgId: { type: 'string' },
		text: { type: 'string' },
		previewUrls: { type: 'array', items: { type: 'string' } },
		customFields: { type: 'object' },
	},
	required: ['roomId', 'msgId', 'text'],
	additionalProperties: false,
};

const deleteSchema: Schema = {
	type: 'object',
	properties: { roomId: { type: 'string' }, msgId: { type: 'string' }, asUser: { type: 'boolean' } },
	required: ['roomId', 'msgId'],
	additionalProperties: false,
};

const reactSchema: Schema = {
	anyOf: [
		{
			type: 'object',
			properties: { emoji: { type: 'string' }, messageId: { type: 'string', minLength: 1 }, shouldReact: { type: 'boolean' } },
			required: ['emoji', 'messageId'],
			additionalProperties: false,
		},
		{
			type: 'object',
			properties: { reaction: { type: 'string' }, messageId: { type: 'string', minLength: 1 }, shouldReact: { type: 'boolean' } },
			required: ['reaction', 'messageId'],
			additionalProperties: false,
		},
	],
};

const messageIdBody: Schema = { type: 'object', properties: { messageId: { type: 'string', minLength: 1 } }, required: ['messageId'], additionalProperties: false };
const midBody: Schema = { type: 'object', properties: { mid: { type: 'string' } }, required: ['mid'], additionalProperties: false };

const paging: Record<string, Schema> = { offset: { type: 'number' }, count: { type: 'number' }, sort: { type: 'string' } };

const roomListQuery: Schema = { type: 'object', properties: { roomId: { type: 'string' }, ...paging }, required: ['roomId'], additionalProperties: false };

const searchQuery: Schema = {
	type: 'object',
	properties: { roomId: { type: 'string' }, searchText: { type: 'string' }, offset: { type: 'number' }, count: { type: 'number' } },
	required: ['roomId', 'searchText'],
	additionalProperties: false,
};

const threadMessagesQuery: Schema = { type: 'object', properties: { tmid: { type: 'string' }, ...paging }, required: ['tmid'], additionalProperties: false };

const threadsListQuery: Schema = {
	type: 'object',
	properties: { rid: { type: 'string' }, type: { type: 'string', enum: ['following', 'unread'] }, text: { type: 'string' }, ...paging },
	required: ['rid'],
	additionalProperties: false,
};

const readReceiptsQuery: Schema = { type: 'object', properties: { messageId: { type: 'string' } }, required: ['messageId'], additionalProperties: false };

const reportSchema: Schema = {
	type: 'object',
	properties: { messageId: { type: 'string' }, description: { type: 'string' } },
	required: ['messageId', 'description'],
	additionalProperties: false,
};

// ---------------------------------------------------------------- post / send

/** `processWebhookMessage`: `#name`, `@username` (direct message, created when missing), or a room id/name. */
function roomForChannel(ctx: RouteContext, channel: string, mustBeJoined: boolean): FakeRoom {
	const state = ctx.state;
	const user = me(ctx);
	let room: FakeRoom | undefined;
	if (channel.startsWith('@')) {
		const other = state.findUserByUsername(channel.slice(1));
		if (!other) throw meteorError('invalid-channel');
		room = state.createRoom('d', undefined, user, [other]);
	} else {
		const name = channel.startsWith('#') ? channel.slice(1) : channel;
		room = state.rooms.get(name) ?? state.findRoomByName(name);
	}
	if (!room) throw meteorError('invalid-channel');
	if (!state.getSubscription(room._id, user._id)) {
		// getRoomByNameOrIdWithOptionToJoin joins public channels; other rooms must already be joined.
		if (room.t === 'c' && state.canAccessRoom(user, room)) state.addMember(room._id, user);
		else if (mustBeJoined || room.t !== 'c') throw meteorError('invalid-room', 'Invalid room provided to send a message to, must be joined.');
	}
	return room;
}

async function postMessage(ctx: RouteContext): Promise<Record<string, unknown>> {
	const body = ctx.body as Record<string, unknown>;
	const state = ctx.state;
	const user = me(ctx);
	const max = Number(state.settings.Message_MaxAllowedSize ?? 0);
	if (typeof body.text === 'string' && body.text.length > max) throw apiFailure('error-message-size-exceeded');
	for (const attachment of (body.attachments as Record<string, unknown>[] | undefined) ?? []) {
		if (typeof attachment.text === 'string' && attachment.text.length > max) throw apiFailure('error-message-size-exceeded');
	}
	const targets = ([] as string[]).concat((body.roomId ?? body.channel) as string | string[]);
	if (targets.length === 0) throw meteorError('invalid-channel');
	let first: { message: FakeMessage; channel: string } | undefined;
	for (const target of targets) {
		const thread = threadTarget(state, body.tmid as string | undefined);
		let room = roomForChannel(ctx, thread.rid ?? target, 'roomId' in body);
		room = assertCanSend(state, user, room);
		if (thread.tmid && !state.settings.Threads_enabled) throw meteorError('error-not-allowed', 'not-allowed');
		const fields = { ...body, msg: body.text, tmid: thread.tmid };
		validateMessage(state, user, room, fields);
		const message = storeMessage(state, user, room, fields);
		first ??= { message, channel: target };
	}
	if (!first) throw apiFailure('unknown-error');
	// The route answers after the insert (a visibility delay holds the answer too).
	await state.whenVisible(first.message._id);
	return { ts: Date.now(), channel: first.channel, message: restMessageFor(first.message, user._id) };
}

async function sendMessage(ctx: RouteContext): Promise<Record<string, unknown>> {
	const body = ctx.body as { message: Record<string, unknown> };
	const state = ctx.state;
	const user = me(ctx);
	const message = body.message;
	if (message.tshow && !message.tmid) throw meteorError('invalid-params', 'tshow provided but missing tmid', { method: 'sendMessage' });
	if (message.tmid && !state.settings.Threads_enabled) throw meteorError('error-not-allowed', 'not-allowed', { method: 'sendMessage' });
	if (typeof message.msg === 'string' && message.msg && message.msg.length > Number(state.settings.Message_MaxAllowedSize ?? 0)) {
		throw meteorError('error-message-size-exceeded', 'Message size exceeds Message_MaxAllowedSize', { method: 'sendMessage' });
	}
	const thread = threadTarget(state, message.tmid as string | undefined);
	const room = assertCanSend(state, user, state.rooms.get(thread.rid ?? String(message.rid)));
	const fields = { ...message, tmid: thread.tmid };
	validateMessage(state, user, room, fields);
	if (typeof message._id === 'string' && state.getMessage(message._id)) {
		// *derived*: the insert is skipped and the route fails normalising `undefined` (see the file comment).
		throw apiFailure("Cannot read properties of undefined (reading 'starred')");
	}
	const stored = storeMessage(state, user, room, fields);
	await state.whenVisible(stored._id);
	return { message: restMessageFor(stored, user._id) };
}

// ---------------------------------------------------------------- single message

function getMessage(ctx: RouteContext): Record<string, unknown> {
	const msgId = single(ctx.query.msgId);
	if (!msgId) throw apiFailure('The "msgId" query parameter must be provided.');
	const message = ctx.state.getMessage(msgId);
	const room = message ? ctx.state.rooms.get(message.rid) : undefined;
	// getSingleMessage: unknown message or no access → API.v1.failure() with no text.
	if (!message || !room || !ctx.state.canAccessRoom(me(ctx), room)) throw apiFailure();
	return { message: restMessageFor(message, me(ctx)._id) };
}

/**
 * `chat.syncMessages` with `lastUpdate` (every line; the 7.1+ cursor mode with `type`/`next` is not
 * modelled): `apps/meteor/app/api/server/v1/chat.ts` and `server/publications/messages.ts`
 * `handleWithoutPagination` — messages of the room with `_updatedAt > lastUpdate` (`findForUpdates`: not
 * hidden), newest `ts` first, unbounded (`count` is ignored), plus `deleted` (`{_id, _deletedAt}`) from the
 * trash; no access → `error-not-allowed` from the `messages/get` method.
 */
function syncMessages(ctx: RouteContext): Record<string, unknown> {
	const roomId = single(ctx.query.roomId);
	const lastUpdate = single(ctx.query.lastUpdate);
	if (!roomId) throw meteorError('error-param-required', 'The required "roomId" query param is missing');
	if (!lastUpdate && !single(ctx.query.type)) throw meteorError('error-param-required', 'The "type" or "lastUpdate" parameters must be provided');
	if (!lastUpdate) throw meteorError('error-param-required', 'The "type" or "lastUpdate" parameters must be provided');
	if (Number.isNaN(Date.parse(lastUpdate))) throw meteorError('error-lastUpdate-param-invalid', 'The "lastUpdate" query parameter must be a valid date');
	const room = ctx.state.rooms.get(roomId);
	if (!room || !ctx.state.canAccessRoom(me(ctx), room)) throw meteorError('error-not-allowed', 'Not allowed', { method: 'messages/get' });
	const since = new Date(lastUpdate).getTime();
	const updated = ctx.state
		.messagesOf(room._id)
		.filter((message) => !message._hidden && message._updatedAt.getTime() > since)
		.sort((a, b) => b.ts.getTime() - a.ts.getTime())
		.map((message) => restMessageFor(message, me(ctx)._id));
	const deleted = ctx.state.messageTrash
		.filter((entry) => entry.rid === room._id && entry._deletedAt.getTime() > since)
		.map((entry) => ({ _id: entry._id, _deletedAt: entry._deletedAt.toISOString() }));
	return { result: { updated, deleted } };
}

function update(ctx: RouteContext): Record<string, unknown> {
	const body = ctx.body as { roomId: string; msgId: string; text: string; customFields?: Record<string, unknown> };
	const state = ctx.state;
	const user = me(ctx);
	const message = state.getMessage(body.msgId);
	if (!message) throw apiFailure(`No message found with the id of "${body.msgId}".`);
	if (body.roomId !== message.rid) throw apiFailure('The room id provided does not match where the message is from.');
	// executeUpdateMessage / updateMessage method
	const canEditAny = state.hasPermission(user, 'edit-message', message.rid);
	const editOwn = message.u._id === user._id;
	if (!canEditAny && (!state.settings.Message_AllowEditing || !editOwn)) {
		throw meteorError('error-action-not-allowed', 'Message editing not allowed', { method: 'updateMessage', action: 'Message_editing' });
	}
	if (body.text.length > Number(state.settings.Message_MaxAllowedSize ?? 0)) {
		throw meteorError('error-message-size-exceeded', 'Message size exceeds Message_MaxAllowedSize', { method: 'updateMessage' });
	}
	const edited = state.editMessage(message._id, user, body.text);
	if (body.customFields) edited.customFields = body.customFields;
	return { message: restMessageFor(edited, user._id) };
}

function deleteMessage(ctx: RouteContext): Record<string, unknown> {
	const body = ctx.body as { roomId: string; msgId: string; asUser?: boolean };
	const state = ctx.state;
	const caller = me(ctx);
	const message = state.getMessage(body.msgId);
	if (!message) throw apiFailure(`No message found with the id of "${body.msgId}".`);
	if (body.roomId !== message.rid) throw apiFailure('The room id provided does not match where the message is from.');
	if (body.asUser && message.u._id !== caller._id && !state.hasPermission(caller, 'force-delete-message', message.rid)) {
		throw apiFailure('Unauthorized. You must have the permission "force-delete-message" to delete other\'s message as them.');
	}
	const actor = body.asUser ? state.users.get(message.u._id) : caller;
	if (!actor) throw apiFailure('User not found');
	// canDeleteMessageAsync
	const force = state.hasPermission(actor, 'force-delete-message', message.rid);
	const allowed =
		force ||
		(state.settings.Message_AllowDeleting &&
			(state.hasPermission(actor, 'delete-message', message.rid) ||
				(message.u._id === actor._id && state.hasPermission(actor, 'delete-own-message', message.rid))));
	if (!allowed) throw meteorError('error-action-not-allowed', 'Not allowed', { method: 'deleteMessage', action: 'Delete_message' });
	const ref = { _id: message._id, rid: message.rid, u: { ...message.u } };
	state.deleteMessage(message._id);
	return { _id: ref._id, ts: Date.now().toString(), message: ref };
}

/** Emoji names the fake knows (the server checks its emoji list and custom emoji). */
export const KNOWN_EMOJI = new Set(
	(
		'+1 -1 thumbsup thumbsdown smile smiley grinning joy laughing wink heart heart_eyes tada rocket eyes fire ' +
		'white_check_mark heavy_check_mark x warning coffee bee ant clap pray ok_hand wave thinking thinking_face ' +
		'100 star sparkles zap bug robot sunglasses sob cry rage sweat_smile slight_smile upside_down muscle ' +
		'point_up raised_hands partying_face confused neutral_face hourglass memo bulb lock key bell'
	).split(' '),
);

function react(ctx: RouteContext): undefined {
	const body = ctx.body as { messageId: string; emoji?: string; reaction?: string; shouldReact?: boolean };
	const state = ctx.state;
	const user = me(ctx);
	const message = state.getMessage(body.messageId);
	if (!message) throw meteorError('error-message-not-found', 'The provided "messageId" does not match any existing message.');
	const emoji = body.emoji ?? body.reaction;
	if (!emoji) throw meteorError('error-emoji-param-not-provided', 'The required "emoji" param is missing.');
	const room = state.rooms.get(message.rid);
	if (!room || !state.canAccessRoom(user, room)) throw meteorError('error-not-allowed', 'Not allowed', { method: 'setReaction' });
	const name = emoji.replace(/:/g, '');
	if (!KNOWN_EMOJI.has(name)) throw meteorError('error-not-allowed', 'Invalid emoji provided.', { method: 'setReaction' });
	state.react(message._id, user, `:${name}:`, body.shouldReact);
	return undefined;
}

function requireMessage(state: FakeState, messageId: string): FakeMessage {
	const message = state.getMessage(messageId);
	if (!message) throw meteorError('error-message-not-found', 'The provided "messageId" does not match any existing message.');
	return message;
}

function pin(ctx: RouteContext): Record<string, unknown> {
	const { messageId } = ctx.body as { messageId: string };
	const state = ctx.state;
	const user = me(ctx);
	const message = requireMessage(state, messageId);
	if (!state.settings.Message_AllowPinning) {
		throw meteorError('error-action-not-allowed', 'Message pinning not allowed', { method: 'pinMessage', action: 'Message_pinning' });
	}
	if (!state.hasPermission(user, 'pin-message', message.rid) || !state.getSubscription(message.rid, user._id)) {
		throw meteorError('not-authorized', 'Not Authorized', { method: 'pinMessage' });
	}
	// `pinMessage` (`app/message-pin/server/pinMessage.ts`): an already pinned message is returned as it is,
	// without a new `message_pinned` notice.
	if (message.pinned) return { message: restMessageFor(message, user._id) };
	const system = state.pinMessage(message._id, user);
	return { message: restMessageFor(system, user._id) };
}

function unpin(ctx: RouteContext): undefined {
	const { messageId } = ctx.body as { messageId: string };
	const state = ctx.state;
	const user = me(ctx);
	const message = requireMessage(state, messageId);
	if (!state.settings.Message_AllowPinning) {
		throw meteorError('error-action-not-allowed', 'Message pinning not allowed', { method: 'unpinMessage', action: 'Message_pinning' });
	}
	if (!state.hasPermission(user, 'pin-message', message.rid) || !state.getSubscription(message.rid, user._id)) {
		throw meteorError('not-authorized', 'Not Authorized', { method: 'unpinMessage' });
	}
	state.unpinMessage(message._id);
	return undefined;
}

function star(starred: boolean) {
	return (ctx: RouteContext): undefined => {
		const { messageId } = ctx.body as { messageId: string };
		const state = ctx.state;
		const user = me(ctx);
		const message = requireMessage(state, messageId);
		if (!state.settings.Message_AllowStarring) {
			throw meteorError('error-action-not-allowed', 'Message starring not allowed', { method: 'starMessage', action: 'Message_starring' });
		}
		// starMessage: without a subscription it returns false and the route still answers success.
		if (!state.getSubscription(message.rid, user._id)) return undefined;
		state.starMessage(message._id, user, starred);
		return undefined;
	};
}

// ---------------------------------------------------------------- lists

function accessibleRoom(ctx: RouteContext, roomId: string): FakeRoom | undefined {
	const room = ctx.state.rooms.get(roomId);
	return room && ctx.state.canAccessRoom(me(ctx), room) ? room : undefined;
}

function visible(message: FakeMessage): boolean {
	return !message._hidden;
}

function search(ctx: RouteContext): Record<string, unknown> {
	const roomId = single(ctx.query.roomId);
	const searchText = single(ctx.query.searchText);
	if (!roomId) throw meteorError('error-roomId-param-not-provided', 'The required "roomId" query param is missing.');
	if (!searchText) throw meteorError('error-searchText-param-not-provided', 'The required "searchText" query param is missing.');
	const room = accessibleRoom(ctx, roomId);
	if (!room) throw apiFailure();
	const { offset, count } = ctx.paginate();
	const needle = searchText.toLowerCase();
	const found = ctx.state
		.messagesOf(room._id)
		.filter((message) => visible(message) && !message.t && message.msg.toLowerCase().includes(needle))
		.sort((a, b) => b.ts.getTime() - a.ts.getTime());
	const slice = count === 0 ? found.slice(offset) : found.slice(offset, offset + count);
	return { messages: slice.map((message) => restMessageFor(message, me(ctx)._id)) };
}

function listOf(filter: (message: FakeMessage, user: FakeUser) => boolean, denied: () => never) {
	return (ctx: RouteContext): Record<string, unknown> => {
		const roomId = single(ctx.query.roomId);
		const room = accessibleRoom(ctx, roomId);
		if (!room) denied();
		const user = me(ctx);
		const { slice, offset, total } = page(
			ctx,
			ctx.state.messagesOf(room._id).filter((message) => visible(message) && filter(message, user)),
			{ ts: -1 },
		);
		return { messages: slice.map((message) => restMessageFor(message, user._id)), count: slice.length, offset, total };
	};
}

/** `findStarredMessages` / `findMentionedMessages` throw a plain `Error('error-not-allowed')`. */
const plainNotAllowed = (): never => {
	throw apiFailure('error-not-allowed');
};

function readReceipts(ctx: RouteContext): Record<string, unknown> {
	const state = ctx.state;
	if (state.settings.License_message_read_receipt !== true) {
		throw meteorError('error-action-not-allowed', 'This is an enterprise feature');
	}
	const messageId = single(ctx.query.messageId);
	const message = state.getMessage(messageId);
	if (!message) throw meteorError('error-invalid-message', 'Invalid message', { method: 'getReadReceipts' });
	if (!accessibleRoom(ctx, message.rid)) throw meteorError('error-invalid-room', 'Invalid room', { method: 'getReadReceipts' });
	const receipts = state
		.subscriptionsOfRoom(message.rid)
		.filter((subscription) => subscription.u._id === message.u._id || (subscription.ls && subscription.ls.getTime() >= message.ts.getTime()))
		.map((subscription) => {
			const reader = state.users.get(subscription.u._id);
			const ts = subscription.u._id === message.u._id ? message.ts : (subscription.ls as Date);
			return {
				_id: `${message._id}${subscription.u._id}`,
				roomId: message.rid,
				userId: subscription.u._id,
				messageId: message._id,
				ts,
				...(reader && { user: userRef(reader) }),
			};
		});
	return { receipts };
}

function threadsEnabled(state: FakeState): void {
	if (!state.settings.Threads_enabled) throw meteorError('error-not-allowed', 'Threads Disabled');
}

function threadMessages(ctx: RouteContext): Record<string, unknown> {
	const state = ctx.state;
	threadsEnabled(state);
	const tmid = single(ctx.query.tmid);
	const root = state.getMessage(tmid);
	if (!root?.rid) throw meteorError('error-invalid-message', 'Invalid Message');
	if (!accessibleRoom(ctx, root.rid)) throw meteorError('error-not-allowed', 'Not Allowed');
	const { slice, offset, total } = page(ctx, state.messagesOf(root.rid).filter((message) => message.tmid === tmid), { ts: 1 });
	// chat.getThreadMessages returns the documents without normalisation.
	return { messages: slice.map(toRestMessage), count: slice.length, offset, total };
}

function threadsList(ctx: RouteContext): Record<string, unknown> {
	const state = ctx.state;
	threadsEnabled(state);
	const rid = single(ctx.query.rid);
	const type = ctx.query.type === undefined ? undefined : single(ctx.query.type);
	const text = single(ctx.query.text).toLowerCase();
	const room = accessibleRoom(ctx, rid);
	if (!room) throw meteorError('error-not-allowed', 'Not Allowed');
	const user = me(ctx);
	const unread = new Set(state.getSubscription(room._id, user._id)?.tunread ?? []);
	const threads = state.messagesOf(room._id).filter(
		(message) =>
			visible(message) &&
			message.tcount !== undefined &&
			message.msg.toLowerCase().includes(text) &&
			(type !== 'following' || (message.replies ?? []).includes(user._id)) &&
			(type !== 'unread' || unread.has(message._id)),
	);
	const { slice, offset, total } = page(ctx, threads, { tlm: -1 });
	return { threads: slice.map((message) => restMessageFor(message, user._id)), count: slice.length, offset, total };
}

function follow(following: boolean) {
	return (ctx: RouteContext): undefined => {
		const state = ctx.state;
		const { mid } = ctx.body as { mid: string };
		if (!mid) throw meteorError('error-invalid-params', 'The required "mid" body param is missing.');
		if (!state.settings.Threads_enabled) throw meteorError('error-not-allowed', 'not-allowed', { method: following ? 'followMessage' : 'unfollowMessage' });
		const message = state.getMessage(mid);
		if (!message) throw meteorError('error-invalid-message', 'Invalid message', { method: following ? 'followMessage' : 'unfollowMessage' });
		if (!accessibleRoom(ctx, message.rid)) throw meteorError('error-not-allowed', 'not-allowed', { method: following ? 'followMessage' : 'unfollowMessage' });
		const user = me(ctx);
		const replies = new Set(message.replies ?? []);
		if (following) replies.add(user._id);
		else replies.delete(user._id);
		message.replies = [...replies];
		message._updatedAt = state.now();
		if (!following) {
			const subscription = state.getSubscription(message.rid, user._id);
			if (subscription?.tunread) subscription.tunread = subscription.tunread.filter((id) => id !== message._id);
		}
		return undefined;
	};
}

export interface FakeReport {
	messageId: string;
	description: string;
	reportedBy: string;
	ts: Date;
}

const reports = new WeakMap<FakeState, FakeReport[]>();

/** Reports made with `chat.reportMessage` on this state. */
export function reportsOf(state: FakeState): FakeReport[] {
	let list = reports.get(state);
	if (!list) {
		list = [];
		reports.set(state, list);
	}
	return list;
}

function report(ctx: RouteContext): undefined {
	const { messageId, description } = ctx.body as { messageId: string; description: string };
	if (!messageId) throw apiFailure('The required "messageId" param is missing.');
	if (!description) throw apiFailure('The required "description" param is missing.');
	// reportMessage
	if (!description.trim()) throw meteorError('error-invalid-description', 'Empty description', { method: 'reportMessage' });
	// `server/methods/reportMessage.ts`: an unknown message and one in a room the caller cannot access both
	// answer `error-invalid-message_id` ("Invalid message id").
	const message = ctx.state.getMessage(messageId);
	if (!message || !accessibleRoom(ctx, message.rid)) throw meteorError('error-invalid-message_id', 'Invalid message id', { method: 'reportMessage' });
	reportsOf(ctx.state).push({ messageId, description, reportedBy: me(ctx)._id, ts: ctx.state.now() });
	return undefined;
}

export function register(server: FakeRocketChat): void {
	server.route({
		method: 'POST',
		path: 'chat.postMessage',
		body: postMessageSchema(server.version),
		exactBodySchema: !postMessageAcceptsParseUrls(server.version),
		handler: postMessage,
	});
	server.route({ method: 'POST', path: 'chat.sendMessage', body: sendMessageSchema, handler: sendMessage });
	server.route({ method: 'GET', path: 'chat.getMessage', query: msgIdQuery, handler: getMessage });
	server.route({
		method: 'GET',
		path: 'chat.syncMessages',
		query: {
			type: 'object',
			properties: {
				roomId: { type: 'string' },
				lastUpdate: { type: 'string' },
				count: { type: 'number' },
				next: { type: 'string' },
				previous: { type: 'string' },
				type: { type: 'string', enum: ['UPDATED', 'DELETED'] },
			},
			required: ['roomId'],
			additionalProperties: false,
		},
		handler: syncMessages,
	});
	server.route({ method: 'POST', path: 'chat.update', validationStyle: 'typed', body: updateSchema, handler: update });
	server.route({ method: 'POST', path: 'chat.delete', body: deleteSchema, handler: deleteMessage });
	server.route({ method: 'POST', path: 'chat.react', body: reactSchema, handler: react });
	server.route({ method: 'POST', path: 'chat.pinMessage', validationStyle: 'typed', body: messageIdBody, handler: pin });
	server.route({ method: 'POST', path: 'chat.unPinMessage', validationStyle: 'typed', body: messageIdBody, handler: unpin });
	server.route({ method: 'POST', path: 'chat.starMessage', body: messageIdBody, handler: star(true) });
	server.route({ method: 'POST', path: 'chat.unStarMessage', body: messageIdBody, handler: star(false) });
	server.route({ method: 'GET', path: 'chat.search', query: searchQuery, handler: search });
	server.route({
		method: 'GET',
		path: 'chat.getStarredMessages',
		query: roomListQuery,
		handler: listOf((message, user) => (message.starred ?? []).some((entry) => entry._id === user._id), plainNotAllowed),
	});
	server.route({
		method: 'GET',
		path: 'chat.getMentionedMessages',
		query: roomListQuery,
		handler: listOf((message, user) => (message.mentions ?? []).some((mention) => mention._id === user._id), plainNotAllowed),
	});
	server.route({
		method: 'GET',
		path: 'chat.getPinnedMessages',
		query: roomListQuery,
		handler: listOf(
			(message) => message.pinned === true,
			() => {
				throw meteorError('error-not-allowed', 'Not allowed');
			},
		),
	});
	server.route({ method: 'GET', path: 'chat.getMessageReadReceipts', validationStyle: 'typed', query: readReceiptsQuery, handler: readReceipts });
	server.route({ method: 'GET', path: 'chat.getThreadMessages', query: threadMessagesQuery, handler: threadMessages });
	server.route({ method: 'GET', path: 'chat.getThreadsList', query: threadsListQuery, handler: threadsList });
	server.route({ method: 'POST', path: 'chat.followMessage', body: midBody, handler: follow(true) });
	server.route({ method: 'POST', path: 'chat.unfollowMessage', body: midBody, handler: follow(false) });
	server.route({ method: 'POST', path: 'chat.reportMessage', body: reportSchema, handler: report });
}
