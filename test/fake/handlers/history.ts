/**
 * Room history: `channels.history` (public channels), `groups.history` (private groups), `dm.history` and
 * its older alias `im.history` (direct messages).
 *
 * Sources: `apps/meteor/app/lib/server/methods/getChannelHistory.ts` @014c0860 (`latest` defaults to now;
 * `oldest` absent → `ts < latest` (`<=` with `inclusive`), else `oldest < ts < latest` (`<=`/`>=` with
 * `inclusive`); newest first; `skip: offset`, `limit: count`; thread replies only with
 * `showThreadMessages`; hidden messages never), the routes in `apps/meteor/app/api/server/v1/channels.ts`,
 * `groups.ts`, `im.ts` (string flags compared with `=== 'true'`; no readable room → `API.v1.forbidden()`,
 * 403 `{success:false, error:"unauthorized"}`), reference §5.1 (`count` clamp, no `total`), §7 (one
 * endpoint per room type). The room lookups answer `error-room-not-found` for a room of another type
 * (`findChannelByIdOrName`, `findPrivateGroupByIdOrName`, `findDirectMessageRoom`).
 *
 * `wrapHistory()` (and `historyHandler(type)`, `historySchema()`) let tests wrap a route (e.g. post
 * messages between pages).
 */
import { meteorError } from '../errors';
import type { FakeRocketChat, RouteContext } from '../server';
import type { FakeMessage, FakeRoom, FakeUser, RoomType } from '../state';
import type { Schema } from '../validation';
import { restMessageFor } from './chat';

function single(value: unknown): string | undefined {
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

const flag: Schema = { type: 'string' };

export function historySchema(withRoomName: boolean): Schema {
	return {
		type: 'object',
		properties: {
			roomId: { type: 'string' },
			...(withRoomName && { roomName: { type: 'string' } }),
			latest: { type: 'string' },
			oldest: { type: 'string' },
			inclusive: flag,
			unreads: flag,
			showThreadMessages: flag,
			offset: { type: 'number' },
			count: { type: 'number' },
			sort: { type: 'string' },
		},
		additionalProperties: false,
	};
}

const NOT_FOUND_TEXT: Record<RoomType, string> = {
	c: 'The required "roomId" or "roomName" param provided does not match any channel',
	p: 'The required "roomId" or "roomName" param provided does not match any group',
	d: 'The required "roomId" or "username" params provided does not match any direct message',
};

function findRoom(ctx: RouteContext, type: RoomType): FakeRoom {
	const roomId = single(ctx.query.roomId);
	const roomName = single(ctx.query.roomName);
	if (!roomId && !roomName) {
		if (type === 'd') throw meteorError('error-room-param-not-provided', 'Query param "roomId" is required');
		throw meteorError('error-roomid-param-not-provided', 'The parameter "roomId" or "roomName" is required');
	}
	const room = roomId ? ctx.state.rooms.get(roomId) : ctx.state.findRoomByName(String(roomName));
	const user = ctx.user as FakeUser;
	// Private groups and direct messages are found only among the caller's rooms.
	const member = room ? !!ctx.state.getSubscription(room._id, user._id) : false;
	if (!room || room.t !== type || (type !== 'c' && !member)) throw meteorError('error-room-not-found', NOT_FOUND_TEXT[type]);
	return room;
}

function parseDate(value: string | undefined, name: string): Date | undefined {
	if (value === undefined || value === '') return undefined;
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) throw meteorError('error-invalid-date', `Invalid date for "${name}"`, { method: 'getChannelHistory' });
	return date;
}

/** The handler of `<type>.history`. */
export function historyHandler(type: RoomType) {
	return (ctx: RouteContext): Record<string, unknown> => {
		const room = findRoom(ctx, type);
		const user = ctx.user as FakeUser;
		// canReadRoom: members, or anyone who may preview a public channel.
		const canRead = !!ctx.state.getSubscription(room._id, user._id) || (room.t === 'c' && ctx.state.hasPermission(user, 'preview-c-room'));
		if (!canRead) return { status: 403, body: { success: false, error: 'unauthorized' } };

		const { offset, count } = ctx.paginate();
		const latest = parseDate(single(ctx.query.latest), 'latest') ?? new Date();
		const oldest = parseDate(single(ctx.query.oldest), 'oldest');
		const inclusive = single(ctx.query.inclusive) === 'true';
		const showThreadMessages = single(ctx.query.showThreadMessages) === 'true';
		const upper = latest.getTime();
		const lower = oldest?.getTime();

		const inRange = (message: FakeMessage): boolean => {
			const ts = message.ts.getTime();
			if (inclusive ? ts > upper : ts >= upper) return false;
			if (lower !== undefined && (inclusive ? ts < lower : ts <= lower)) return false;
			return true;
		};
		const matching = ctx.state
			.messagesOf(room._id)
			.filter((message) => !message._hidden && (showThreadMessages || !message.tmid || message.tshow === true) && inRange(message))
			.sort((a, b) => b.ts.getTime() - a.ts.getTime());
		const slice = count === 0 ? matching.slice(offset) : matching.slice(offset, offset + count);
		const messages = slice.map((message) => restMessageFor(message, user._id));

		if (single(ctx.query.unreads) === 'true') {
			let firstUnread: Record<string, unknown> | undefined;
			let unreadNotLoaded = 0;
			const last = slice[slice.length - 1];
			if (oldest && last && last.ts.getTime() > oldest.getTime()) {
				const older = matching.filter((message) => message.ts.getTime() > oldest.getTime() && message.ts.getTime() < last.ts.getTime());
				unreadNotLoaded = older.length;
				const first = older[older.length - 1];
				if (first) firstUnread = restMessageFor(first, user._id);
			}
			return { messages, ...(firstUnread && { firstUnread }), unreadNotLoaded };
		}
		return { messages };
	};
}

const HISTORY_ROUTES: Record<RoomType, { path: string; withRoomName: boolean; typed: boolean }> = {
	c: { path: 'channels.history', withRoomName: true, typed: true },
	p: { path: 'groups.history', withRoomName: true, typed: false },
	d: { path: 'dm.history', withRoomName: false, typed: false },
};

function routeHistory(server: FakeRocketChat, type: RoomType, handler: (ctx: RouteContext) => Record<string, unknown>): void {
	const { path, withRoomName, typed } = HISTORY_ROUTES[type];
	server.route({ method: 'GET', path, ...(typed && { validationStyle: 'typed' as const }), query: historySchema(withRoomName), handler });
}

/**
 * For tests: the history route of a room type answered by `handler`, which gets the real handler and the
 * number of the call (e.g. to post messages between pages); `restore()` puts the real route back.
 */
export function wrapHistory(
	server: FakeRocketChat,
	type: RoomType,
	handler: (ctx: RouteContext, original: (ctx: RouteContext) => Record<string, unknown>, call: number) => Record<string, unknown>,
): { restore(): void } {
	const original = historyHandler(type);
	let calls = 0;
	routeHistory(server, type, (ctx) => handler(ctx, original, ++calls));
	return { restore: () => routeHistory(server, type, original) };
}

export function register(server: FakeRocketChat): void {
	for (const type of ['c', 'p', 'd'] as const) routeHistory(server, type, historyHandler(type));
	server.route({ method: 'GET', path: 'im.history', query: historySchema(false), handler: historyHandler('d') });
}
