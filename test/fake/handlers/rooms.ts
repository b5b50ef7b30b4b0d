/**
 * `rooms.info`, `rooms.get`.
 *
 * Source: `apps/meteor/server/api/v1/rooms.ts` @04f79fdd (typed routes without query validators, so any
 * extra query key is ignored): `findRoomByIdOrName` (`error-roomid-param-not-provided`,
 * `error-room-not-found`, and `error-room-archived` for an archived room unless the caller passes
 * `checkedArchived: false` — `rooms.info`, `rooms.favorite`, `rooms.leave`, `rooms.cleanHistory` do not;
 * `apps/meteor/app/api/server/v1/rooms.ts` @0013cdd5), `rooms.info` answering `API.v1.failure('not-allowed', 'Not Allowed')` when the
 * caller cannot access the room (`canAccessRoom`: public rooms for everyone with `view-c-room`, groups and
 * DMs for members), `rooms.get` (`error-updatedSince-param-invalid`; `update` = the caller's subscribed
 * rooms with `_updatedAt > updatedSince`, `remove` = rooms deleted since, `{_id, _deletedAt}`).
 */
import { apiFailure, meteorError } from '../errors';
import type { FakeRocketChat, RouteContext } from '../server';
import { type FakeRoom, type FakeUser, toRestRoom } from '../state';

function single(value: unknown): string {
	if (Array.isArray(value)) return value.length ? String(value[0]) : '';
	return value === undefined || value === null ? '' : String(value);
}

/** `findRoomByIdOrName({ params, checkedArchived })`; `checkedArchived` defaults to true, as on the server. */
export function findRoomByIdOrName(ctx: RouteContext, params: Record<string, unknown>, checkedArchived = true): FakeRoom {
	const hasId = 'roomId' in params;
	const hasName = 'roomName' in params;
	if ((!hasId && !hasName) || (hasId && !params.roomId && hasName && !params.roomName)) {
		throw meteorError('error-roomid-param-not-provided', 'The parameter "roomId" or "roomName" is required');
	}
	const room = hasId ? ctx.state.rooms.get(single(params.roomId)) : ctx.state.findRoomByName(single(params.roomName));
	if (!room) {
		throw meteorError('error-room-not-found', 'The required "roomId" or "roomName" param provided does not match any channel');
	}
	if (checkedArchived && room.archived) {
		throw meteorError('error-room-archived', `The channel, ${room.name}, is archived`);
	}
	return room;
}

function roomsInfo(ctx: RouteContext): Record<string, unknown> {
	const room = findRoomByIdOrName(ctx, ctx.query);
	if (!ctx.state.canAccessRoom(ctx.user, room)) {
		throw apiFailure('not-allowed', 'Not Allowed');
	}
	const parentRoom = room.prid ? ctx.state.rooms.get(room.prid) : undefined;
	return {
		room: toRestRoom(room),
		...(parentRoom && {
			parent: { _id: parentRoom._id, name: parentRoom.name, fname: parentRoom.fname, t: parentRoom.t, ...(parentRoom.prid && { prid: parentRoom.prid }), u: parentRoom.u },
		}),
	};
}

function roomsGet(ctx: RouteContext): Record<string, unknown> {
	const user = ctx.user as FakeUser;
	const updatedSince = ctx.query.updatedSince === undefined ? undefined : single(ctx.query.updatedSince);
	const rooms = ctx.state
		.subscriptionsOfUser(user._id)
		.map((subscription) => ctx.state.rooms.get(subscription.rid))
		.filter((room): room is FakeRoom => !!room);
	if (!updatedSince) {
		return { update: rooms.map(toRestRoom), remove: [] };
	}
	if (Number.isNaN(Date.parse(updatedSince))) {
		throw meteorError('error-updatedSince-param-invalid', 'The "updatedSince" query parameter must be a valid date.');
	}
	const since = new Date(updatedSince).getTime();
	return {
		update: rooms.filter((room) => room._updatedAt.getTime() > since).map(toRestRoom),
		remove: ctx.state.roomTrash.filter((entry) => entry._deletedAt.getTime() > since).map((entry) => ({ _id: entry._id, _deletedAt: entry._deletedAt })),
	};
}

export function register(server: FakeRocketChat): void {
	server.route({ method: 'GET', path: 'rooms.info', validationStyle: 'typed', handler: roomsInfo });
	server.route({ method: 'GET', path: 'rooms.get', validationStyle: 'typed', handler: roomsGet });
}
