/**
 * REST reads of the trigger, all through the callback client (usable in socket callbacks and cron
 * ticks, where n8n's authenticated helper is not): who am I, which rooms changed (`rooms.get` with
 * `updatedSince`), one room (`rooms.info`), and a room's history since a time (`channels.history` /
 * `groups.history` / `dm.history` by room type, reference §7 and §13).
 */
import type { IDataObject } from 'n8n-workflow';

import { toMillis } from '../shared/dates';
import { historyEndpoint, iterateHistory } from '../shared/history';
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

export interface SubscriptionRef {
	/** The subscription's id (a new one each time the user joins). */
	_id: string;
	rid: string;
	/** When the user joined (subscription `ts`), epoch ms. */
	ts: number;
}

function subscriptionRef(raw: IDataObject): SubscriptionRef | undefined {
	const ts = toMillis(raw.ts);
	if (typeof raw._id !== 'string' || typeof raw.rid !== 'string' || ts === undefined) return undefined;
	return { _id: raw._id, rid: raw.rid, ts };
}

/**
 * The user's memberships changed after `since` (`subscriptions.get` with `updatedSince`): `update` holds
 * joins (and other changes), `remove` the ids of subscriptions ended since (left, removed, room deleted;
 * the server sends only `_id` and `_deletedAt` for those).
 */
export async function changedSubscriptions(client: CallbackClient, since: number): Promise<{ update: SubscriptionRef[]; remove: string[] }> {
	const body = await client.request<IDataObject>({ endpoint: 'subscriptions.get', qs: { updatedSince: new Date(since).toISOString() } });
	const update = ((body.update ?? []) as IDataObject[]).map(subscriptionRef).filter((entry): entry is SubscriptionRef => !!entry);
	const remove = ((body.remove ?? []) as IDataObject[]).map((entry) => String(entry._id));
	return { update, remove };
}

/** Every membership of the user (`subscriptions.get` without `updatedSince`). */
export async function allSubscriptions(client: CallbackClient): Promise<SubscriptionRef[]> {
	const body = await client.request<IDataObject>({ endpoint: 'subscriptions.get' });
	return ((body.update ?? []) as IDataObject[]).map(subscriptionRef).filter((entry): entry is SubscriptionRef => !!entry);
}

/** The user's subscription to a room (`subscriptions.getOne`): when they joined; undefined if not a member. */
export async function joinedAt(client: CallbackClient, roomId: string): Promise<SubscriptionRef | undefined> {
	const body = await client.request<IDataObject>({ endpoint: 'subscriptions.getOne', qs: { roomId } });
	const subscription = body.subscription as IDataObject | null | undefined;
	return subscription ? subscriptionRef(subscription) : undefined;
}

/**
 * Messages of a room changed at or after `from` (`chat.syncMessages` with `lastUpdate`, every server
 * line: messages with `_updatedAt > lastUpdate`), oldest change first, and the newest `_updatedAt` read.
 */
export async function editedSince(client: CallbackClient, roomId: string, from: number): Promise<{ messages: IDataObject[]; until?: number }> {
	const body = await client.request<IDataObject>({
		endpoint: 'chat.syncMessages',
		qs: { roomId, lastUpdate: new Date(from - 1).toISOString() },
	});
	const result = (body.result ?? {}) as IDataObject;
	const messages = Array.isArray(result.updated) ? (result.updated as IDataObject[]) : [];
	let until: number | undefined;
	for (const message of messages) {
		const updatedAt = toMillis(message._updatedAt);
		if (updatedAt !== undefined) until = Math.max(until ?? updatedAt, updatedAt);
	}
	messages.sort((a, b) => (toMillis(a.editedAt) ?? 0) - (toMillis(b.editedAt) ?? 0));
	return { messages, until };
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
	// Oldest first; messages sharing a millisecond keep the order the server listed them in.
	const messages = newestFirst.slice(0, maxCount).sort((a, b) => (toMillis(a.ts) ?? 0) - (toMillis(b.ts) ?? 0));
	return { messages, truncated };
}
