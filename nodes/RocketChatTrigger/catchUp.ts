/**
 * REST reads of the trigger, all through the callback client (usable in socket callbacks and cron
 * ticks, where n8n's authenticated helper is not): who am I, which rooms changed (`rooms.get` with
 * `updatedSince`), one room (`rooms.info`), and a room's history since a time (`channels.history` /
 * `groups.history` / `dm.history` by room type, reference §7 and §13).
 */
import type { IDataObject } from 'n8n-workflow';

import { toMillis } from '../shared/dates';
import { historyEndpoint, iterateHistory } from '../shared/history';
import type { CallbackClient } from '../shared/transport';
import type { Me } from './filters';

export interface RoomInfo {
	_id: string;
	/** `c`, `p`, `d` (or `l`). */
	t: string;
	name?: string;
	fname?: string;
	/** Whether the user is a member (subscribed). */
	member: boolean;
	/** Server time of the room's last change, epoch ms. */
	updatedAt?: number;
	/** Server time of the room's last message, epoch ms. */
	lastMessageAt?: number;
}

export { toMillis };

export function roomFromRest(room: IDataObject, me: Me | undefined, member: boolean): RoomInfo {
	let name = typeof room.name === 'string' ? room.name : undefined;
	if (!name && room.t === 'd' && Array.isArray(room.usernames)) {
		const others = (room.usernames as string[]).filter((username) => username !== me?.username);
		name = (others.length ? others : (room.usernames as string[])).join(', ');
	}
	const lastMessage = room.lastMessage as IDataObject | undefined;
	return {
		_id: String(room._id),
		t: String(room.t ?? ''),
		name,
		fname: typeof room.fname === 'string' ? room.fname : undefined,
		member,
		updatedAt: toMillis(room._updatedAt),
		lastMessageAt: toMillis(room.lm) ?? toMillis(lastMessage?.ts),
	};
}

export async function whoAmI(client: CallbackClient): Promise<Me> {
	const body = await client.request<IDataObject>({ endpoint: 'me' });
	return { id: String(body._id ?? ''), username: String(body.username ?? '') };
}

/** The user's rooms changed after `since` (all of them without), and the rooms deleted since. */
export async function changedRooms(
	client: CallbackClient,
	me: Me | undefined,
	since: number | undefined,
): Promise<{ update: RoomInfo[]; remove: string[] }> {
	const body = await client.request<IDataObject>({
		endpoint: 'rooms.get',
		qs: since === undefined ? undefined : { updatedSince: new Date(since).toISOString() },
	});
	const update = ((body.update ?? []) as IDataObject[]).map((room) => roomFromRest(room, me, true));
	const remove = ((body.remove ?? []) as IDataObject[]).map((room) => String(room._id));
	return { update, remove };
}

/** One room by id (for chosen rooms, which may be public channels the user has not joined). */
export async function getRoom(client: CallbackClient, me: Me | undefined, roomId: string, member: boolean): Promise<RoomInfo> {
	const body = await client.request<IDataObject>({
		endpoint: 'rooms.info',
		qs: { roomId },
		hints: {
			byErrorType: {
				'error-room-not-found': `No room with ID "${roomId}": it was deleted, or the ID is wrong. Choose the room again in Selected Rooms.`,
				'not-allowed': `The user of these credentials cannot see the room "${roomId}" (a private room it is not a member of). Add the user to the room, or remove it from Selected Rooms.`,
				'Not Allowed': `The user of these credentials cannot see the room "${roomId}" (a private room it is not a member of). Add the user to the room, or remove it from Selected Rooms.`,
			},
		},
	});
	return roomFromRest((body.room ?? {}) as IDataObject, me, member);
}

/**
 * The room's messages with `oldest <= ts <= until`, oldest first, at most `maxCount` (the newest ones);
 * `truncated` when there were more. `until` is a server time (the room's `_updatedAt` from rooms.get), so
 * a clock on the n8n host or on another server instance cannot hide messages; without it the server's
 * "now" applies. Read with the shared history pager (time cursor, no skips or repeats while messages
 * arrive, whatever page size the server allows).
 */
export async function historySince(
	client: CallbackClient,
	room: RoomInfo,
	oldest: number,
	maxCount: number,
	showThreadMessages: boolean,
	until?: number,
): Promise<{ messages: IDataObject[]; truncated: boolean }> {
	if (!historyEndpoint(room.t) || maxCount <= 0) return { messages: [], truncated: false };
	const newestFirst: IDataObject[] = [];
	// One more than wanted tells whether there were more.
	for await (const page of iterateHistory((request) => client.request<IDataObject>(request), {
		roomId: room._id,
		roomType: room.t,
		oldest,
		oldestInclusive: true,
		latest: until,
		latestInclusive: true,
		showThreadMessages,
		limit: maxCount + 1,
	})) {
		for (const message of page) newestFirst.push(message);
	}
	const truncated = newestFirst.length > maxCount;
	return { messages: newestFirst.slice(0, maxCount).reverse(), truncated };
}
