import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { pick } from '../../../shared/descriptions';
import { listAll } from '../../../shared/lists';
import { roomTypeName, roomTypePrefix } from '../../../shared/roomTypes';
import type { RoomRef } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import type { UserRef } from '../../../shared/users';
import { lookupUser, parseUsernames, resolveUser } from '../../../shared/users';

export type RoomOperation = { resource: string[]; operation: string[] };

export function showFor(operation: string): RoomOperation {
	return { resource: ['room'], operation: [operation] };
}

/**
 * The endpoint family of a room's type (`channels`, `groups`, `dm`). `allowDirect: false` refuses direct
 * messages (they have no owners, invitations or kicks) with a clear message.
 */
export function typePrefix(
	this: IExecuteFunctions,
	room: RoomRef,
	itemIndex: number,
	options: { allowDirect?: boolean; action?: string } = {},
): string {
	const prefix = roomTypePrefix(room.t);
	const action = options.action ?? 'This operation';
	if (!prefix || (prefix === 'dm' && options.allowDirect === false)) {
		const kind = room.t === 'd' ? 'a direct message' : `a room of type "${String(room.t)}"`;
		throw new NodeOperationError(this.getNode(), `${action} is not available for ${kind}`, {
			itemIndex,
			description:
				room.t === 'd'
					? 'Direct messages have a fixed pair of members and no room roles. Choose a channel or private group.'
					: 'Choose a channel, private group or direct message.',
		});
	}
	return prefix;
}

/** Whether Rocket.Chat answered 404 (an endpoint the server's version does not have). */
export function isNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && String(error.httpCode) === '404';
}

/**
 * Calls the newer endpoint and, when the server answers 404 (an older version), the older one.
 * Answers which was used.
 */
export async function withFallback<T>(
	primary: () => Promise<T>,
	fallback: () => Promise<T>,
): Promise<{ value: T; fallback: boolean }> {
	let usedFallback = false;
	const value = await primary().catch(async (error: unknown) => {
		if (!isNotFound(error)) throw error;
		usedFallback = true;
		return await fallback();
	});
	return { value, fallback: usedFallback };
}

/** Fields kept by Simplify for a room. */
export const ROOM_SIMPLE_FIELDS = [
	'_id',
	'name',
	'fname',
	't',
	'topic',
	'description',
	'announcement',
	'usersCount',
	'msgs',
	'ro',
	'archived',
	'default',
	'featured',
	'broadcast',
	'encrypted',
	'prid',
	'teamId',
	'teamMain',
	'ts',
	'lm',
	'_updatedAt',
] as const;

export function simplifyRoom(room: IDataObject): IDataObject {
	const out = pick(room, ROOM_SIMPLE_FIELDS);
	if (typeof room.t === 'string') out.roomType = roomTypeName(room.t);
	const owner = room.u as IDataObject | undefined;
	if (owner && typeof owner.username === 'string') out.createdBy = owner.username;
	if (room.t === 'd' && Array.isArray(room.usernames)) out.usernames = room.usernames;
	return out;
}

export { toIsoDate } from '../../../shared/dates';

/**
 * Creates a public channel (`channels.create`) or, for type `p`, a private group (`groups.create`), with
 * the `create-c` / `create-p` permission hint; answers the new room.
 */
export async function createChannelOrGroup(
	this: IExecuteFunctions,
	itemIndex: number,
	type: string,
	body: IDataObject,
	byErrorType: Record<string, string>,
): Promise<IDataObject> {
	const t = type === 'p' ? 'p' : 'c';
	const created = await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: `${roomTypePrefix(t)}.create`,
		body,
		itemIndex,
		hints: { permission: `create-${t}`, byErrorType },
	});
	return (created.channel ?? created.group ?? {}) as IDataObject;
}

/** Every member of a room through the type's members endpoint (`channels.members`, `groups.members`, `dm.members`). */
export async function allMembers(
	this: IExecuteFunctions,
	room: RoomRef,
	itemIndex: number,
	extra: { qs?: IDataObject; limit?: number } = {},
): Promise<IDataObject[]> {
	const prefix = typePrefix.call(this, room, itemIndex, { action: 'Listing members' });
	return await listAll.call(
		this,
		{
			endpoint: `${prefix}.members`,
			qs: { roomId: room._id, ...(extra.qs ?? {}) },
			itemIndex,
			hints: { permission: 'view-broadcast-member-list' },
		},
		'members',
		extra.limit,
	);
}

/** The user-choice parameters of Add Member / Remove Member: one user (picker) or a list of usernames. */
export function userSelectionProperties(operation: string, verb: string): INodeProperties[] {
	return [
		{
			displayName: 'Users',
			name: 'userSelection',
			type: 'options',
			default: 'one',
			options: [
				{ name: 'One User', value: 'one', description: `Choose the user to ${verb} with the user picker` },
				{ name: 'List of Usernames', value: 'list', description: `${verb[0].toUpperCase()}${verb.slice(1)} several users given by username` },
			],
			description: `Whether to ${verb} one user chosen with the picker or several users by username`,
			displayOptions: { show: { resource: ['room'], operation: [operation] } },
		},
		{
			displayName: 'Usernames',
			name: 'usernames',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. alice, bob, @carol',
			description: `Usernames to ${verb}, separated by commas, spaces or new lines (a leading @ is ignored)`,
			displayOptions: { show: { resource: ['room'], operation: [operation], userSelection: ['list'] } },
		},
	];
}

/**
 * The users chosen by `userSelectionProperties`: the picked user, or every listed username looked up
 * first (so an unknown username stops the operation before anything changes).
 */
export async function selectedUsers(this: IExecuteFunctions, itemIndex: number): Promise<UserRef[]> {
	const selection = this.getNodeParameter('userSelection', itemIndex, 'one') as string;
	if (selection !== 'list') return [await resolveUser.call(this, itemIndex, 'userId')];
	const usernames = parseUsernames(this.getNodeParameter('usernames', itemIndex, ''));
	if (usernames.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No usernames given', {
			itemIndex,
			description: 'Enter one or more usernames separated by commas, e.g. alice, bob.',
		});
	}
	const users: UserRef[] = [];
	for (const username of usernames) users.push(await lookupUser.call(this, itemIndex, 'username', username));
	return users;
}
