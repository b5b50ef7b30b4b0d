/**
 * Per-type room routes (`channels.*` for public channels, `groups.*` for private groups, `dm.*` for direct
 * messages), history excluded: create, members, invite, kick, add/remove owner/moderator/leader, roles,
 * archive/unarchive, close/open, and `channels.join`.
 *
 * Sources: `apps/meteor/app/api/server/v1/channels.ts` @2183f358, `groups.ts`, `im.ts` (untyped routes that
 * check their parameters by hand; `findChannelByIdOrName` / `findPrivateGroupByIdOrName` /
 * `findDirectMessageRoom` answer `error-room-not-found` for a room of another type),
 * `app/lib/server/methods/{addUsersToRoom,removeUserFromRoom,createChannel,createPrivateGroup}.ts`,
 * `server/methods/{addRoomOwner,addRoomModerator,addRoomLeader,removeRoomOwner,…}.ts`,
 * reference rocketchat-api.md §8 (parameters, permissions, error codes), OpenAPI `rooms.yaml` examples.
 */
import { apiFailure, forbidden, meteorError } from '../errors';
import type { FakeRocketChat, RouteContext } from '../server';
import { paginateItems, sortItems } from '../request';
import { type FakeRoom, type FakeUser, type RoomType, toRestRoom } from '../state';
import { isPlainObject } from '../validation';

type Family = 'channels' | 'groups' | 'dm';

const FAMILY_TYPE: Record<Family, RoomType> = { channels: 'c', groups: 'p', dm: 'd' };
/** The key of the room in the answer (`{channel}` / `{group}` / `{room}`). */
const ROOM_KEY: Record<Family, string> = { channels: 'channel', groups: 'group', dm: 'room' };

const NOT_FOUND_TEXT: Record<RoomType, string> = {
	c: 'The required "roomId" or "roomName" param provided does not match any channel',
	p: 'The required "roomId" or "roomName" param provided does not match any group',
	d: 'The required "roomId" or "username" params provided does not match any direct message',
};

function single(value: unknown): string | undefined {
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

function params(ctx: RouteContext): Record<string, unknown> {
	if (ctx.method === 'GET') return ctx.query;
	return isPlainObject(ctx.body) ? ctx.body : {};
}

function me(ctx: RouteContext): FakeUser {
	return ctx.user as FakeUser;
}

/** The room of a per-type route: the right type, and for groups and DMs one the caller is in. */
export function findTypedRoom(ctx: RouteContext, family: Family): FakeRoom {
	const type = FAMILY_TYPE[family];
	const source = params(ctx);
	const roomId = single(source.roomId);
	const roomName = single(source.roomName);
	if (!roomId && !roomName) {
		if (type === 'd') throw meteorError('error-room-param-not-provided', 'Body param "roomId" or "username" is required');
		throw meteorError('error-roomid-param-not-provided', 'The parameter "roomId" or "roomName" is required');
	}
	const room = roomId ? ctx.state.rooms.get(roomId) : ctx.state.findRoomByName(String(roomName));
	const member = room ? !!ctx.state.getSubscription(room._id, me(ctx)._id) : false;
	if (!room || room.t !== type || (type !== 'c' && !member)) throw meteorError('error-room-not-found', NOT_FOUND_TEXT[type]);
	return room;
}

/** `getUserFromParams`: `userId` or `username`. */
function targetUser(ctx: RouteContext): FakeUser {
	const source = params(ctx);
	const userId = single(source.userId);
	const username = single(source.username);
	if (!userId && !username) throw meteorError('error-user-param-not-provided', 'The required "userId" or "username" param was not provided');
	const user = userId ? ctx.state.users.get(userId) : ctx.state.findUserByUsername(String(username));
	if (!user) throw meteorError('error-invalid-user', 'The required "userId" or "username" param provided does not match any users');
	return user;
}

function systemMessage(ctx: RouteContext, room: FakeRoom, type: string, about: FakeUser): void {
	ctx.state.postMessage(room._id, me(ctx), about.username, { t: type, groupable: false });
}

// ---------------------------------------------------------------- create

const ROOM_NAME = /^[0-9a-zA-Z-_.]+$/;

function createRoom(family: 'channels' | 'groups') {
	return (ctx: RouteContext): Record<string, unknown> => {
		const type = FAMILY_TYPE[family];
		const user = me(ctx);
		if (!ctx.hasPermission(type === 'c' ? 'create-c' : 'create-p')) throw forbidden();
		const body = params(ctx);
		const name = single(body.name);
		if (!name) throw apiFailure('Body param "name" is required');
		if (body.members !== undefined && (!Array.isArray(body.members) || body.members.some((entry) => typeof entry !== 'string'))) {
			throw apiFailure('Match error: Expected array of strings in field members');
		}
		if (!ROOM_NAME.test(name)) throw meteorError('error-invalid-room-name', `${name} is not a valid room name`, { method: 'createRoom', room_name: name });
		if (ctx.state.findRoomByName(name)) {
			throw meteorError('error-duplicate-channel-name', `A channel with name '${name}' exists`, { method: 'createRoom', channel_name: name });
		}
		const extra = isPlainObject(body.extraData) ? body.extraData : {};
		// createRoom looks the usernames up and skips unknown ones.
		const members = ((body.members as string[] | undefined) ?? [])
			.map((username) => ctx.state.findUserByUsername(username))
			.filter((member): member is FakeUser => !!member);
		const broadcast = extra.broadcast === true;
		const room = ctx.state.createRoom(type, name, user, members, {
			readOnly: body.readOnly === true || broadcast,
			broadcast,
			encrypted: extra.encrypted === true,
			...(typeof extra.topic === 'string' && { topic: extra.topic }),
			excludeSelf: body.excludeSelf === true,
		});
		return { [ROOM_KEY[family]]: toRestRoom(room) };
	};
}

function createDirect(ctx: RouteContext): Record<string, unknown> {
	const user = me(ctx);
	if (!ctx.hasPermission('create-d')) throw meteorError('error-not-allowed', 'Not allowed', { method: 'createDirectMessage' });
	const body = params(ctx);
	const names = single(body.usernames)?.split(',').map((name) => name.trim()).filter(Boolean) ?? (single(body.username) ? [String(body.username)] : []);
	if (names.length === 0) throw apiFailure('Body param "username" or "usernames" is required');
	const others: FakeUser[] = [];
	for (const name of names) {
		const other = ctx.state.findUserByUsername(name);
		if (!other) throw meteorError('error-invalid-user', 'Invalid user', { method: 'createDirectMessage' });
		others.push(other);
	}
	const room = ctx.state.createRoom('d', undefined, user, others);
	return { room: { ...toRestRoom(room), rid: room._id } };
}

// ---------------------------------------------------------------- members

function members(family: Family) {
	return (ctx: RouteContext): Record<string, unknown> => {
		const room = findTypedRoom(ctx, family);
		const user = me(ctx);
		if (!ctx.state.canAccessRoom(user, room)) throw meteorError('error-not-allowed', 'Not allowed');
		if (room.broadcast && !ctx.hasPermission('view-broadcast-member-list', room._id)) throw forbidden();
		const page = ctx.paginate();
		const statuses = ([] as unknown[]).concat(ctx.query.status ?? []).map(String);
		const filter = single(ctx.query.filter)?.toLowerCase();
		const list = ctx.state
			.membersOf(room._id)
			.filter((member) => statuses.length === 0 || statuses.includes(member.status))
			.filter((member) => !filter || member.username.toLowerCase().includes(filter) || member.name.toLowerCase().includes(filter))
			.map((member) => ({ _id: member._id, status: member.status, name: member.name, username: member.username, utcOffset: member.utcOffset }));
		const sorted = sortItems(list, page.sort ?? { username: 1 });
		const { items, total } = paginateItems(sorted, page);
		return { members: items, count: items.length, offset: page.offset, total };
	};
}

/** `addUsersToRoom`: `add-user-to-joined-room` for members, else `add-user-to-any-<t>-room`. */
function invite(family: 'channels' | 'groups') {
	return (ctx: RouteContext): Record<string, unknown> => {
		const room = findTypedRoom(ctx, family);
		const user = me(ctx);
		const member = !!ctx.state.getSubscription(room._id, user._id);
		const allowed =
			(member && ctx.hasPermission('add-user-to-joined-room', room._id)) || ctx.hasPermission(room.t === 'c' ? 'add-user-to-any-c-room' : 'add-user-to-any-p-room');
		if (!allowed) throw meteorError('error-not-allowed', 'Not allowed', { method: 'addUsersToRoom' });
		const source = params(ctx);
		let targets: FakeUser[];
		const ids = source.userIds ?? source.usernames;
		if (Array.isArray(ids)) {
			targets = ids.map((value) => ctx.state.getUser(String(value))).filter((entry): entry is FakeUser => !!entry);
			if (targets.length !== ids.length) throw meteorError('invalid-user-invite-list', 'Cannot invite if no valid users are provided');
		} else {
			targets = [targetUser(ctx)];
		}
		if (room.archived) throw meteorError('error-room-archived', 'The room is archived');
		for (const target of targets) {
			if (ctx.state.getSubscription(room._id, target._id)) continue;
			ctx.state.addMember(room._id, target);
			systemMessage(ctx, room, 'au', target);
		}
		return { [ROOM_KEY[family]]: toRestRoom(room) };
	};
}

function kick(family: 'channels' | 'groups') {
	return (ctx: RouteContext): Record<string, unknown> => {
		const room = findTypedRoom(ctx, family);
		if (!ctx.hasPermission('remove-user', room._id)) throw meteorError('error-not-allowed', 'Not allowed', { method: 'removeUserFromRoom' });
		const target = targetUser(ctx);
		const subscription = ctx.state.getSubscription(room._id, target._id);
		if (!subscription) throw meteorError('error-user-not-in-room', 'User is not in this room', { method: 'removeUserFromRoom' });
		const owners = ctx.state.subscriptionsOfRoom(room._id).filter((entry) => entry.roles?.includes('owner'));
		if (subscription.roles?.includes('owner') && owners.length === 1) {
			throw meteorError('error-you-are-last-owner', 'You are the last owner. Please set new owner before leaving the room.', { method: 'removeUserFromRoom' });
		}
		ctx.state.removeMember(room._id, target._id);
		systemMessage(ctx, room, 'ru', target);
		return { [ROOM_KEY[family]]: toRestRoom(room) };
	};
}

// ---------------------------------------------------------------- room roles

const ROLE_PERMISSION: Record<string, string> = { owner: 'set-owner', moderator: 'set-moderator', leader: 'set-leader' };
const ROLE_MESSAGES: Record<string, [string, string]> = {
	owner: ['new-owner', 'owner-removed'],
	moderator: ['new-moderator', 'moderator-removed'],
	leader: ['new-leader', 'leader-removed'],
};
const ROLE_TEXT: Record<string, string> = { owner: 'an owner', moderator: 'a moderator', leader: 'a leader' };

function roleChange(family: 'channels' | 'groups', role: 'owner' | 'moderator' | 'leader', add: boolean) {
	return (ctx: RouteContext): undefined => {
		const room = findTypedRoom(ctx, family);
		const method = `${add ? 'add' : 'remove'}Room${role[0].toUpperCase()}${role.slice(1)}`;
		if (!ctx.hasPermission(ROLE_PERMISSION[role], room._id)) throw meteorError('error-not-allowed', 'Not allowed', { method });
		const target = targetUser(ctx);
		const subscription = ctx.state.getSubscription(room._id, target._id);
		if (!subscription) throw meteorError('error-user-not-in-room', 'User is not in this room', { method });
		const has = subscription.roles?.includes(role) ?? false;
		if (add && has) throw meteorError(`error-user-already-${role}`, `User is already ${ROLE_TEXT[role]}`, { method });
		if (!add && !has) throw meteorError(`error-user-not-${role}`, `User is not ${ROLE_TEXT[role]}`, { method });
		if (!add && role === 'owner') {
			const owners = ctx.state.subscriptionsOfRoom(room._id).filter((entry) => entry.roles?.includes('owner'));
			if (owners.length === 1) {
				throw meteorError('error-remove-last-owner', 'This is the last owner. Please set a new owner before removing this one.', { method });
			}
		}
		ctx.state.setRoomRole(room._id, target._id, role, add);
		systemMessage(ctx, room, ROLE_MESSAGES[role][add ? 0 : 1], target);
		return undefined;
	};
}

/** Members with room roles, as `channels.roles` / `groups.roles` / `rooms.roles` answer them. */
export function roomRoles(ctx: RouteContext, room: FakeRoom): Record<string, unknown>[] {
	return ctx.state
		.subscriptionsOfRoom(room._id)
		.filter((subscription) => subscription.roles && subscription.roles.length > 0)
		.map((subscription) => {
			const user = ctx.state.users.get(subscription.u._id);
			return {
				_id: subscription._id,
				rid: room._id,
				u: { _id: subscription.u._id, username: subscription.u.username, ...(user && { name: user.name }) },
				roles: [...(subscription.roles ?? [])],
			};
		});
}

function roles(family: 'channels' | 'groups') {
	return (ctx: RouteContext): Record<string, unknown> => {
		const room = findTypedRoom(ctx, family);
		if (!ctx.state.canAccessRoom(me(ctx), room)) throw meteorError('error-not-allowed', 'Not allowed', { method: 'getRoomRoles' });
		return { roles: roomRoles(ctx, room) };
	};
}

// ---------------------------------------------------------------- archive, close/open, join

/** Archives or unarchives: the room and its subscriptions carry `archived`; a system message is posted. */
export function setArchived(ctx: RouteContext, room: FakeRoom, archived: boolean): void {
	room.archived = archived;
	room._updatedAt = ctx.state.now();
	for (const subscription of ctx.state.subscriptionsOfRoom(room._id)) {
		subscription.archived = archived;
		subscription._updatedAt = room._updatedAt;
	}
	ctx.state.postMessage(room._id, me(ctx), '', { t: archived ? 'room-archived' : 'room-unarchived', groupable: false });
}

function archive(family: 'channels' | 'groups', archived: boolean) {
	return (ctx: RouteContext): undefined => {
		const room = findTypedRoom(ctx, family);
		const method = archived ? 'archiveRoom' : 'unarchiveRoom';
		if (!ctx.hasPermission(archived ? 'archive-room' : 'unarchive-room', room._id)) {
			throw meteorError('error-not-authorized', 'Not authorized', { method });
		}
		if (archived && room.archived) throw meteorError('error-room-archived', `The channel, ${room.name}, is archived`);
		if (!archived && !room.archived) throw meteorError('error-room-not-archived', `The channel, ${room.name}, is not archived`);
		setArchived(ctx, room, archived);
		return undefined;
	};
}

function visibility(family: Family, open: boolean) {
	return (ctx: RouteContext): undefined => {
		const room = findTypedRoom(ctx, family);
		const subscription = ctx.state.getSubscription(room._id, me(ctx)._id);
		const label = room.name ?? room._id;
		if (!subscription) throw apiFailure(`The user/callee is not in the channel "${label}".`);
		if (subscription.open === open) throw apiFailure(`The channel, ${label}, is already ${open ? 'open' : 'closed'} to the sender`);
		subscription.open = open;
		subscription._updatedAt = ctx.state.now();
		return undefined;
	};
}

/** `joinRoom`: public channels; a join code when the room has one (`error-code-invalid`). */
export function joinRoom(ctx: RouteContext, room: FakeRoom, joinCode: unknown): void {
	const user = me(ctx);
	if (ctx.state.getSubscription(room._id, user._id)) return;
	if (room.t !== 'c' && !(room.joinCodeRequired && room.joinCode)) throw meteorError('error-not-allowed', 'Not allowed', { method: 'joinRoom' });
	if (room.joinCodeRequired && room.joinCode && joinCode !== room.joinCode && !ctx.hasPermission('join-without-join-code')) {
		throw meteorError(joinCode ? 'error-code-invalid' : 'error-code-required', joinCode ? 'Invalid Room Password' : 'Code required', { method: 'joinRoom' });
	}
	if (room.archived) throw meteorError('error-room-archived', 'The room is archived', { method: 'joinRoom' });
	ctx.state.addMember(room._id, user);
	ctx.state.postMessage(room._id, user, user.username, { t: 'uj', groupable: false });
}

/**
 * `channels.info` (`findChannelByIdOrName({ checkedArchived: false })`: any public channel, archived or not,
 * no membership needed) and `groups.info` (`findPrivateGroupByIdOrName({ checkedArchived: false })`:
 * `error-room-not-found` unless the caller can access the group). `channels.ts` @062f17bf, `groups.ts` @043f0623.
 */
function info(family: 'channels' | 'groups') {
	return (ctx: RouteContext): Record<string, unknown> => {
		const room = findTypedRoom(ctx, family);
		return { [ROOM_KEY[family]]: toRestRoom(room) };
	};
}

function channelsJoin(ctx: RouteContext): Record<string, unknown> {
	const room = findTypedRoom(ctx, 'channels');
	joinRoom(ctx, room, params(ctx).joinCode);
	return { channel: toRestRoom(room) };
}

export function register(server: FakeRocketChat): void {
	server.route({ method: 'POST', path: 'channels.create', handler: createRoom('channels') });
	server.route({ method: 'POST', path: 'groups.create', handler: createRoom('groups') });
	server.route({ method: 'POST', path: 'dm.create', handler: createDirect });
	server.route({ method: 'POST', path: 'im.create', handler: createDirect });
	for (const family of ['channels', 'groups', 'dm'] as const) {
		server.route({ method: 'GET', path: `${family}.members`, handler: members(family) });
		server.route({ method: 'POST', path: `${family}.close`, handler: visibility(family, false) });
		server.route({ method: 'POST', path: `${family}.open`, handler: visibility(family, true) });
	}
	for (const family of ['channels', 'groups'] as const) {
		server.route({ method: 'POST', path: `${family}.invite`, handler: invite(family) });
		server.route({ method: 'POST', path: `${family}.kick`, handler: kick(family) });
		server.route({ method: 'GET', path: `${family}.roles`, handler: roles(family) });
		server.route({ method: 'GET', path: `${family}.info`, handler: info(family) });
		server.route({ method: 'POST', path: `${family}.archive`, handler: archive(family, true) });
		server.route({ method: 'POST', path: `${family}.unarchive`, handler: archive(family, false) });
		for (const role of ['owner', 'moderator', 'leader'] as const) {
			const suffix = `${role[0].toUpperCase()}${role.slice(1)}`;
			server.route({ method: 'POST', path: `${family}.add${suffix}`, handler: roleChange(family, role, true) });
			server.route({ method: 'POST', path: `${family}.remove${suffix}`, handler: roleChange(family, role, false) });
		}
	}
	server.route({ method: 'POST', path: 'channels.join', handler: channelsJoin });
}
