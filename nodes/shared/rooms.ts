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

/** Reads a room locator into what it names, without any request. */
export function parseRoomLocator(raw: unknown, extracted: unknown): RoomTarget {
	const locator = (raw ?? {}) as INodeParameterResourceLocator;
	const mode = typeof locator === 'object' && locator !== null && '__rl' in locator ? locator.mode : 'id';
	const value = String((typeof raw === 'string' ? raw : extracted) ?? '').trim();
	if (!value) return { kind: 'id', value: '' };
	if (mode === 'name') {
		if (value.startsWith('@')) return { kind: 'user', value: value.slice(1) };
		return { kind: 'name', value: value.replace(/^#/, '') };
	}
	if (mode === 'url') {
		const match = /^(channel|group|direct)\/(.+)$/.exec(value);
		if (match) {
			const name = decodeURIComponent(match[2]);
			if (match[1] === 'direct') {
				// /direct/<rid> in current web apps, /direct/<username> in older ones.
				return /^[A-Za-z0-9]{17,}$/.test(name) ? { kind: 'id', value: name } : { kind: 'user', value: name };
			}
			return { kind: 'name', value: name };
		}
	}
	return { kind: 'id', value };
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
	const target = parseRoomLocator(
		this.getNodeParameter(parameter, itemIndex),
		this.getNodeParameter(parameter, itemIndex, '', { extractValue: true }),
	);
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
	const target = parseRoomLocator(
		this.getNodeParameter(parameter, itemIndex),
		this.getNodeParameter(parameter, itemIndex, '', { extractValue: true }),
	);
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
