/**
 * REST reads of the trigger, all through the callback client (usable in socket callbacks and cron
 * ticks, where n8n's authenticated helper is not): who am I, which rooms changed (`rooms.get` with
 * `updatedSince`), one room (`rooms.info`), and a room's history since a time (`channels.history` /
 * `groups.history` / `dm.history` by room type, reference §7 and §13).
 */
import type { IDataObject } from 'n8n-workflow';

import { lookUpRoom } from '../shared/rooms';
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

const HISTORY_ENDPOINT: Record<string, string> = { c: 'channels.history', p: 'groups.history', d: 'dm.history' };

/** Rocket.Chat never returns more than 100 per page (API_Upper_Count_Limit). */
const PAGE = 100;

export function toMillis(value: unknown): number | undefined {
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value) {
		const time = Date.parse(value);
		return Number.isNaN(time) ? undefined : time;
	}
	if (value && typeof value === 'object' && typeof (value as IDataObject).$date === 'number') {
		return (value as IDataObject).$date as number;
	}
	return undefined;
}

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
	const room = await lookUpRoom((request) => client.request(request), { roomId }, {
		hints: {
			byErrorType: {
				'error-room-not-found': `No room with ID "${roomId}": it was deleted, or the ID is wrong. Choose the room again in Selected Rooms.`,
				'not-allowed': `The user of these credentials cannot see the room "${roomId}" (a private room it is not a member of). Add the user to the room, or remove it from Selected Rooms.`,
				'Not Allowed': `The user of these credentials cannot see the room "${roomId}" (a private room it is not a member of). Add the user to the room, or remove it from Selected Rooms.`,
			},
		},
	});
	return roomFromRest(room, me, member);
}

/**
 * The room's messages with `oldest <= ts <= until`, oldest first, at most `maxCount` (the newest ones).
 * `until` is a server time (the room's `_updatedAt` from rooms.get), so a clock on the n8n host or on
 * another server instance cannot hide messages; without it the server's "now" applies. The first page
 * is the newest; later pages keep `latest` at the newest message seen and move `offset`, so messages
 * arriving meanwhile neither shift nor repeat pages.
 */
export async function historySince(
	client: CallbackClient,
	room: RoomInfo,
	oldest: number,
	maxCount: number,
	showThreadMessages: boolean,
	until?: number,
): Promise<{ messages: IDataObject[]; truncated: boolean }> {
	const endpoint = HISTORY_ENDPOINT[room.t];
	if (!endpoint || maxCount <= 0) return { messages: [], truncated: false };
	const collected: IDataObject[] = [];
	const ids = new Set<string>();
	let latest: string | undefined;
	let offset = 0;
	let first = true;
	for (;;) {
		const count = PAGE;
		const qs: IDataObject = {
			roomId: room._id,
			oldest: new Date(oldest).toISOString(),
			inclusive: 'true',
			count,
			showThreadMessages: showThreadMessages ? 'true' : 'false',
		};
		if (latest !== undefined) {
			qs.latest = latest;
			qs.offset = offset;
		} else if (until !== undefined) {
			qs.latest = new Date(until).toISOString();
		}
		const body = await client.request<IDataObject>({ endpoint, qs });
		const page = Array.isArray(body.messages) ? (body.messages as IDataObject[]) : [];
		if (first && page.length) latest = String(page[0].ts);
		first = false;
		offset += page.length;
		for (const message of page) {
			const id = String(message._id);
			if (ids.has(id)) continue;
			ids.add(id);
			collected.push(message);
			if (collected.length >= maxCount) break;
		}
		if (collected.length >= maxCount) {
			return { messages: sortAscending(collected), truncated: true };
		}
		if (page.length < count) return { messages: sortAscending(collected), truncated: false };
	}
}

function sortAscending(messages: IDataObject[]): IDataObject[] {
	return messages.sort((a, b) => (toMillis(a.ts) ?? 0) - (toMillis(b.ts) ?? 0));
}
