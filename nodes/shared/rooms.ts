import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeParameterResourceLocator,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ErrorHints } from './errors';
import { roomTypePath } from './roomTypes';
import type { RocketChatContext, RocketChatRequest } from './transport';
import { rocketChatApiRequest } from './transport';
import { normalizeServerUrl } from './url';

export type RoomType = 'c' | 'p' | 'd' | 'l' | string;

export interface RoomRef {
	_id: string;
	t?: RoomType;
	name?: string;
	fname?: string;
}

export interface RoomTarget {
	/** How the room was given: a known id, a name to look up, or a user for a direct message. */
	kind: 'id' | 'name' | 'user';
	value: string;
}

/** Rocket.Chat room ids: Meteor ids (17 characters), `GENERAL`, and direct-message ids (two user ids). */
const ROOM_ID = /^[A-Za-z0-9_-]{3,}$/;
/** `#channel`, `private-group` or `@username`. */
const ROOM_NAME = /^[#@]?[^\s#@]\S*$/;
/** The room part of a web-app URL: /channel/<name>, /group/<name>, /direct/<rid or username>. */
const ROOM_URL_PATH = /\/(channel|group|direct)\/([^/?#\s]+)/;

/** A room given in a form Rocket.Chat cannot know: what is wrong and how to write it. */
export interface InvalidRoomTarget {
	kind: 'invalid';
	value: string;
	message: string;
	hint: string;
}

export function parseRoomLocator(raw: unknown): RoomTarget | InvalidRoomTarget {
	const locator = raw as INodeParameterResourceLocator | string | undefined;
	const mode = typeof locator === 'object' && locator !== null && '__rl' in locator ? locator.mode : 'id';
	const value = String((typeof locator === 'object' && locator !== null ? locator.value : locator) ?? '').trim();
	if (!value) return { kind: 'id', value: '' };
	if (mode === 'name') {
		if (!ROOM_NAME.test(value)) {
			return { kind: 'invalid', value, message: `"${value}" is not a room name`, hint: 'Enter a room name like #general or private-group, or @username for a direct message.' };
		}
		if (value.startsWith('@')) return { kind: 'user', value: value.slice(1) };
		return { kind: 'name', value: value.replace(/^#/, '') };
	}
	if (mode === 'url') {
		const match = /^https?:\/\/\S+$/.test(value) ? ROOM_URL_PATH.exec(value) : null;
		if (!match) {
			return { kind: 'invalid', value, message: `"${value}" is not a Rocket.Chat room URL`, hint: 'Enter a room URL like https://chat.example.com/channel/general (copy it from the browser while the room is open).' };
		}
		const name = safeDecode(match[2]);
		if (match[1] === 'direct') {
			// /direct/<rid> in current web apps, /direct/<username> in older ones.
			return /^[A-Za-z0-9]{17,}$/.test(name) ? { kind: 'id', value: name } : { kind: 'user', value: name };
		}
		return { kind: 'name', value: name };
	}
	if (!ROOM_ID.test(value)) {
		return { kind: 'invalid', value, message: `"${value}" is not a Rocket.Chat room ID`, hint: 'A room ID looks like GENERAL or 8Hzm6tt4c9DvaTJZ5. To give a name instead, switch the field to By Name (#general, @alice).' };
	}
	return { kind: 'id', value };
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** The room target of a node parameter; a value of the wrong shape fails with the item index and a hint. */
export function roomTargetOf(ctx: IExecuteFunctions, itemIndex: number, parameter = 'roomId'): RoomTarget {
	const target = parseRoomLocator(ctx.getNodeParameter(parameter, itemIndex));
	if (target.kind === 'invalid') throw new NodeOperationError(ctx.getNode(), target.message, { itemIndex, description: target.hint });
	return target;
}

function emptyRoomError(ctx: IExecuteFunctions, itemIndex: number, parameter: string) {
	return new NodeOperationError(ctx.getNode(), `No room given in "${parameter}"`, {
		itemIndex,
		description: 'Choose a room from the list, or enter its ID, name (#channel, @user) or URL.',
	});
}

/**
 * The direct message of the user of these credentials with `username` (any case), found among its
 * subscriptions; undefined when there is none.
 */
export async function findDirectMessage(this: RocketChatContext, username: string, itemIndex: number): Promise<RoomRef | undefined> {
	const body = await rocketChatApiRequest.call(this, { endpoint: 'subscriptions.get', itemIndex });
	const subscriptions = (body.update ?? []) as IDataObject[];
	const wanted = username.toLowerCase();
	const found = subscriptions.find(
		(sub) => sub.t === 'd' && typeof sub.name === 'string' && sub.name.toLowerCase() === wanted,
	);
	return found ? { _id: String(found.rid), t: 'd', name: String(found.name), fname: found.fname as string | undefined } : undefined;
}

async function directMessageWith(ctx: RocketChatContext, username: string, itemIndex: number): Promise<RoomRef> {
	const found = await findDirectMessage.call(ctx, username, itemIndex);
	if (!found) {
		throw new NodeOperationError(ctx.getNode(), `No direct message with @${username} found`, {
			itemIndex,
			description: `The user of these credentials has no direct message with @${username}. Send one first (Message › Send to @${username}), or check the username.`,
		});
	}
	return found;
}

function errorTypeOf(error: unknown): string | undefined {
	const context = (error as { context?: IDataObject } | undefined)?.context;
	return typeof context?.errorType === 'string' ? context.errorType : undefined;
}

/**
 * One room by `{roomId}` or `{roomName}`, archived rooms included. `rooms.info` refuses archived rooms
 * (`findRoomByIdOrName` checks `archived` by default: 400 `error-room-archived`); `channels.info` and
 * `groups.info` look the room up with `checkedArchived: false`, so an archived room is read from the one
 * that matches its type (direct messages cannot be archived).
 */
export async function lookUpRoom(
	send: (request: RocketChatRequest) => Promise<IDataObject>,
	qs: { roomId: string } | { roomName: string },
	request: { itemIndex?: number; hints?: ErrorHints } = {},
): Promise<IDataObject> {
	const body = await send({ endpoint: 'rooms.info', qs, ...request }).catch((error: unknown) => {
		if (!isArchivedRoomError(error)) throw error;
		return undefined;
	});
	return body ? ((body.room ?? {}) as IDataObject) : await archivedRoomInfo(send, qs, request);
}

/** Whether a request failed because the room is archived (`findRoomByIdOrName`'s default check). */
export function isArchivedRoomError(error: unknown): boolean {
	return errorTypeOf(error) === 'error-room-archived';
}

/** An archived room from `channels.info`, else `groups.info` (both look it up with `checkedArchived: false`). */
export async function archivedRoomInfo(
	send: (request: RocketChatRequest) => Promise<IDataObject>,
	qs: { roomId: string } | { roomName: string },
	request: { itemIndex?: number; hints?: ErrorHints } = {},
): Promise<IDataObject> {
	const channel = await send({ endpoint: 'channels.info', qs, ...request }).catch((error: unknown) => {
		// Not a public channel: a private group (groups.info answers error-room-not-found for both
		// unknown groups and groups the user is not in).
		if (errorTypeOf(error) !== 'error-room-not-found') throw error;
		return undefined;
	});
	if (channel) return (channel.channel ?? {}) as IDataObject;
	const group = await send({ endpoint: 'groups.info', qs, ...request });
	return (group.group ?? {}) as IDataObject;
}

async function roomByName(ctx: RocketChatContext, name: string, itemIndex: number): Promise<RoomRef & IDataObject> {
	const room = await lookUpRoom((request) => rocketChatApiRequest.call(ctx, request), { roomName: name }, {
		itemIndex,
		hints: {
			byErrorType: {
				'error-room-not-found': `No room named "${name}" that this user can see. Check the name (without # it must match exactly), or pick the room from the list.`,
				'Not Allowed': `The room "${name}" is private and the user of these credentials is not a member. Add the user to the room, or pick a room from the list.`,
			},
		},
	});
	return room as RoomRef & IDataObject;
}

/** The room's ID, looked up only when the locator gives a name or a user. */
export async function resolveRoomId(
	this: IExecuteFunctions,
	itemIndex: number,
	parameter = 'roomId',
): Promise<string> {
	const target = roomTargetOf(this, itemIndex, parameter);
	if (!target.value) throw emptyRoomError(this, itemIndex, parameter);
	if (target.kind === 'id') return target.value;
	if (target.kind === 'user') return (await directMessageWith(this, target.value, itemIndex))._id;
	return (await roomByName(this, target.value, itemIndex))._id;
}

/** The room with its type and name (one `rooms.info` call), for operations whose endpoint depends on the type. */
export async function resolveRoom(
	this: IExecuteFunctions,
	itemIndex: number,
	parameter = 'roomId',
): Promise<RoomRef & IDataObject> {
	const target = roomTargetOf(this, itemIndex, parameter);
	if (!target.value) throw emptyRoomError(this, itemIndex, parameter);
	if (target.kind === 'name') return await roomByName(this, target.value, itemIndex);
	const roomId = target.kind === 'user' ? (await directMessageWith(this, target.value, itemIndex))._id : target.value;
	const room = await lookUpRoom((request) => rocketChatApiRequest.call(this, request), { roomId }, {
		itemIndex,
		hints: {
			byErrorType: {
				'error-room-not-found': `No room with ID "${roomId}" that this user can see. Check the ID, or pick the room from the list.`,
				'Not Allowed': `The room "${roomId}" is private and the user of these credentials is not a member. Add the user to the room, or pick a room from the list.`,
			},
		},
	});
	return room as RoomRef & IDataObject;
}

export function roomLabel(sub: IDataObject): string {
	const name = String(sub.fname || sub.name || sub.rid || '');
	if (sub.t === 'd') return `@${sub.name ?? name}`;
	if (sub.t === 'p') return `${name} (private)`;
	return `#${name}`;
}

const LIST_PAGE = 100;

/** "From list" search over the rooms the user is subscribed to (no admin rights needed). */
export async function searchRooms(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const credentials = await this.getCredentials('rocketChatApi');
	const server = normalizeServerUrl(credentials.domain);
	const body = await rocketChatApiRequest.call(this, { endpoint: 'subscriptions.get' });
	const wanted = (filter ?? '').trim().replace(/^[#@]/, '').toLowerCase();
	const rooms = ((body.update ?? []) as IDataObject[])
		.filter((sub) => {
			if (!wanted) return true;
			return [sub.name, sub.fname, sub.rid].some(
				(value) => typeof value === 'string' && value.toLowerCase().includes(wanted),
			);
		})
		.sort((a, b) => roomLabel(a).localeCompare(roomLabel(b)));
	const offset = Number(paginationToken ?? 0) || 0;
	const page = rooms.slice(offset, offset + LIST_PAGE);
	return {
		results: page.map((sub) => ({
			name: roomLabel(sub),
			value: String(sub.rid),
			url: `${server}/${roomTypePath(sub.t) ?? 'channel'}/${encodeURIComponent(
				String(sub.t === 'd' ? sub.rid : sub.name ?? sub.rid),
			)}`,
		})),
		paginationToken: offset + LIST_PAGE < rooms.length ? String(offset + LIST_PAGE) : undefined,
	};
}
