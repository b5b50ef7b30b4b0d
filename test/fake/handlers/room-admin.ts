/**
 * Type-independent room routes beyond `rooms.info`/`rooms.get`: `rooms.adminRooms`, `rooms.cleanHistory`,
 * `rooms.delete`, `rooms.saveRoomSettings`, `rooms.changeArchivationState`, `rooms.createDiscussion`,
 * `rooms.favorite`, `rooms.leave`, and the version-dependent `rooms.muteUser`/`rooms.unmuteUser` (6.8+),
 * `rooms.membersOrderedByRole` (7.3+), `rooms.hide` (7.4+), `rooms.open` (7.9+), `rooms.roles` (7.10+),
 * `rooms.join` (8.6+). A route the configured server version does not have is not registered, so it
 * answers 404 like an unknown route.
 *
 * Sources: `apps/meteor/server/api/v1/rooms.ts` @04f79fdd, older `apps/meteor/app/api/server/v1/rooms.ts`
 * @0013cdd5, `app/lib/server/functions/cleanRoomHistory.ts` (selection: `oldest < ts < latest`, `<=` with
 * `inclusive`; `excludePinned`; `ignoreDiscussion` keeps messages with `drid`, and without it the discussions
 * started in the range are deleted as whole rooms (`deleteRoom(drid)`; REST default `ignoreDiscussion: false`); `ignoreThreads` keeps
 * messages with `tmid` or `tcount`; `users` by username; `limit` 0 = all; `filesOnly` removes only the
 * files and replaces the attachments, answering the number of messages with files),
 * `app/discussion/server/methods/createDiscussion.ts` @03b67698, `server/methods/{eraseRoom,saveRoomSettings,archiveRoom,createDiscussion,toggleFavorite,leaveRoom,hideRoom,
 * muteUserInRoom}.ts`, rest-typings 8.8.1 validators (`isRoomsCleanHistoryProps`,
 * `isRoomsSaveRoomSettingsProps`, `isRoomsChangeArchivationStateProps`, `isRoomsMuteUnmuteUserProps`),
 * reference rocketchat-api.md §1 (versions), §8, §8.2, §8.3; OpenAPI `rooms.yaml` examples.
 */
import { apiFailure, meteorError, notFound, unauthorized } from '../errors';
import { paginateItems, sortItems } from '../request';
import type { FakeRocketChat, RouteContext } from '../server';
import { type FakeMessage, type FakeUser, randomId, toRestRoom } from '../state';
import { isPlainObject, type Schema } from '../validation';
import { findRoomByIdOrName } from './rooms';
import { joinRoom, roomRoles, setArchived } from './room-types';

import { versionAtLeast } from '../upstream';

export { versionAtLeast };

function me(ctx: RouteContext): FakeUser {
	return ctx.user as FakeUser;
}

function body(ctx: RouteContext): Record<string, unknown> {
	return isPlainObject(ctx.body) ? ctx.body : {};
}

function single(value: unknown): string | undefined {
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

// ---------------------------------------------------------------- rooms.adminRooms

const adminRoomsQuery: Schema = {
	type: 'object',
	properties: {
		filter: { type: 'string' },
		types: { type: 'array', items: { type: 'string' } },
		offset: { type: 'number' },
		count: { type: 'number' },
		sort: { type: 'string' },
	},
	additionalProperties: false,
};

function adminRooms(ctx: RouteContext): Record<string, unknown> {
	// `findAdminRooms` (`app/api/server/lib/rooms.ts`) throws `new Error('error-not-authorized')` without the
	// permission; the API turns a plain Error into 400 `{success:false, error:'error-not-authorized'}`.
	if (!ctx.hasPermission('view-room-administration')) throw apiFailure('error-not-authorized');
	const filter = single(ctx.query.filter)?.toLowerCase();
	const types = ((ctx.query.types as string[] | undefined) ?? []).map(String);
	const wantsDiscussions = types.includes('discussions');
	const wantsTeams = types.includes('teams');
	const plainTypes = types.filter((type) => type !== 'discussions' && type !== 'teams');
	const rooms = [...ctx.state.rooms.values()].filter((room) => {
		if (filter && !(room.name ?? '').toLowerCase().includes(filter) && !(room.fname ?? '').toLowerCase().includes(filter)) return false;
		if (types.length === 0) return true;
		if (room.prid) return wantsDiscussions;
		if (room.teamMain) return wantsTeams || plainTypes.includes(room.t);
		return plainTypes.includes(room.t);
	});
	const page = ctx.paginate();
	const sorted = sortItems(
		rooms.map((room) => ({ ...toRestRoom(room), name: room.name ?? '' })),
		page.sort ?? { default: -1, name: 1 },
	);
	const { items, total } = paginateItems(sorted, page);
	return { rooms: items, count: items.length, offset: page.offset, total };
}

// ---------------------------------------------------------------- rooms.cleanHistory

const cleanHistorySchema: Schema = {
	type: 'object',
	properties: {
		roomId: { type: 'string' },
		latest: { type: 'string' },
		oldest: { type: 'string' },
		inclusive: { type: 'boolean' },
		excludePinned: { type: 'boolean' },
		filesOnly: { type: 'boolean' },
		users: { type: 'array', items: { type: 'string' } },
		limit: { type: 'number' },
		ignoreDiscussion: { type: 'boolean' },
		ignoreThreads: { type: 'boolean' },
	},
	required: ['roomId', 'latest', 'oldest'],
	additionalProperties: false,
};

function hasFile(message: FakeMessage): boolean {
	return !!message.file || (message.files?.length ?? 0) > 0;
}

function cleanHistory(ctx: RouteContext): Record<string, unknown> {
	const params = body(ctx) as {
		roomId: string;
		latest: string;
		oldest: string;
		inclusive?: boolean;
		excludePinned?: boolean;
		filesOnly?: boolean;
		users?: string[];
		limit?: number;
		ignoreDiscussion?: boolean;
		ignoreThreads?: boolean;
	};
	const latest = Date.parse(params.latest);
	const oldest = Date.parse(params.oldest);
	if (Number.isNaN(latest) || Number.isNaN(oldest)) throw meteorError('error-invalid-date', 'Invalid date', { method: 'cleanRoomHistory' });
	const room = ctx.state.rooms.get(params.roomId);
	if (!room) throw meteorError('error-invalid-room', 'Invalid room', { method: 'cleanRoomHistory' });
	// The REST route looks the room up with `findRoomByIdOrName({ params: this.bodyParams })` (archived rooms refused).
	if (room.archived) throw meteorError('error-room-archived', `The channel, ${room.name}, is archived`);
	if (!ctx.hasPermission('clean-channel-history', room._id)) throw meteorError('error-not-allowed', 'Not allowed', { method: 'cleanRoomHistory' });

	const users = new Set((params.users ?? []).map((username) => username.toLowerCase()));
	const limit = Math.max(0, Math.floor(params.limit ?? 0));
	const selected = ctx.state.messagesOf(room._id).filter((message) => {
		const ts = message.ts.getTime();
		if (params.inclusive ? ts < oldest || ts > latest : ts <= oldest || ts >= latest) return false;
		if (params.excludePinned && message.pinned) return false;
		if (params.ignoreDiscussion && message.drid) return false;
		if (params.ignoreThreads && (message.tmid || message.tcount)) return false;
		if (users.size && !users.has(message.u.username.toLowerCase())) return false;
		return true;
	});

	if (params.filesOnly) {
		const withFiles = selected.filter(hasFile);
		const chosen = limit ? withFiles.slice(0, limit) : withFiles;
		for (const message of chosen) {
			for (const file of message.files ?? (message.file ? [message.file] : [])) ctx.state.files.delete(file._id);
			delete message.file;
			delete message.files;
			message.attachments = [{ color: '#FD745E', text: '_File removed by automatic prune_' }];
			message._updatedAt = ctx.state.now();
		}
		return { _id: room._id, count: chosen.length };
	}

	if (!params.ignoreDiscussion) {
		// `findDiscussionByRoomIdPinnedTimestampAndUsers` + `deleteRoom(drid)`: every discussion whose first message
		// is in the range is erased as a whole room (ignoreThreads does not apply to this selection).
		const starts = ctx.state.messagesOf(room._id).filter((message) => {
			const ts = message.ts.getTime();
			if (!message.drid || (params.inclusive ? ts < oldest || ts > latest : ts <= oldest || ts >= latest)) return false;
			if (params.excludePinned && message.pinned) return false;
			return !users.size || users.has(message.u.username.toLowerCase());
		});
		for (const message of limit ? starts.slice(0, limit) : starts) ctx.state.deleteRoom(message.drid as string);
	}
	const chosen = limit ? selected.slice(0, limit) : selected;
	for (const message of chosen) {
		for (const file of message.files ?? (message.file ? [message.file] : [])) ctx.state.files.delete(file._id);
		ctx.state.deleteMessage(message._id);
	}
	return { _id: room._id, count: chosen.length };
}

// ---------------------------------------------------------------- rooms.delete

const DELETE_PERMISSION: Record<string, string> = { c: 'delete-c', p: 'delete-p', d: 'delete-d' };

function deleteRoom(ctx: RouteContext): undefined {
	const roomId = single(body(ctx).roomId);
	if (!roomId) throw apiFailure("The 'roomId' param is required");
	const room = ctx.state.rooms.get(roomId);
	if (!room) throw meteorError('error-invalid-room', 'Invalid room', { method: 'eraseRoom' });
	if (room.teamMain) throw meteorError('error-cannot-delete-team-channel', 'Cannot delete a team channel', { method: 'eraseRoom' });
	if (!ctx.hasPermission(DELETE_PERMISSION[room.t], room._id)) throw meteorError('error-not-allowed', 'Not allowed', { method: 'eraseRoom' });
	// `server/lib/eraseRoom.ts`: a room of a team also needs `delete-team-channel` / `delete-team-group` in the team's main room.
	const teamMain = room.teamId ? [...ctx.state.rooms.values()].find((candidate) => candidate.teamMain && candidate.teamId === room.teamId) : undefined;
	if (teamMain && !ctx.hasPermission(room.t === 'c' ? 'delete-team-channel' : 'delete-team-group', teamMain._id)) {
		throw meteorError('error-not-allowed', 'Not allowed', { method: 'eraseRoom' });
	}
	ctx.state.deleteRoom(room._id);
	if (teamMain) ctx.state.postMessage(teamMain._id, me(ctx), room.name ?? '', { t: 'user-deleted-room-from-team', groupable: false });
	return undefined;
}

// ---------------------------------------------------------------- rooms.saveRoomSettings

const saveRoomSettingsSchema: Schema = {
	type: 'object',
	properties: {
		rid: { type: 'string' },
		roomName: { type: 'string' },
		roomTopic: { type: 'string' },
		roomAnnouncement: { type: 'string' },
		roomDescription: { type: 'string' },
		roomAvatar: { type: 'string', nullable: true },
		roomCustomFields: { type: 'object' },
		roomType: { type: 'string', enum: ['c', 'p'] },
		readOnly: { type: 'boolean' },
		reactWhenReadOnly: { type: 'boolean' },
		systemMessages: { type: 'array', items: { type: 'string' } },
		default: { type: 'boolean' },
		featured: { type: 'boolean' },
		joinCode: { type: 'string' },
		encrypted: { type: 'boolean' },
		favorite: { type: 'object' },
	},
	required: ['rid'],
	additionalProperties: false,
};

const ROOM_NAME = /^[0-9a-zA-Z-_.]+$/;

function saveRoomSettings(ctx: RouteContext): Record<string, unknown> {
	const params = body(ctx);
	const room = ctx.state.rooms.get(String(params.rid));
	if (!room) throw meteorError('error-invalid-room', 'Invalid room', { method: 'saveRoomSettings' });
	const notAllowed = (action: string) => meteorError('error-action-not-allowed', `${action} is not allowed`, { method: 'saveRoomSettings', action });
	if (!ctx.hasPermission('edit-room', room._id)) throw notAllowed('Editing_room');
	if (room.t === 'd') throw meteorError('error-action-not-allowed', 'Editing direct messages is not allowed', { method: 'saveRoomSettings' });
	if ((params.readOnly !== undefined) && !ctx.hasPermission('set-readonly', room._id)) throw notAllowed('Editing_readonly');
	if ((params.reactWhenReadOnly !== undefined) && !ctx.hasPermission('set-react-when-readonly', room._id)) throw notAllowed('Editing_readonly');
	if ((params.default !== undefined || params.featured !== undefined) && !ctx.hasPermission('view-room-administration')) throw notAllowed('Viewing_room_administration');
	if (params.roomType !== undefined && params.roomType !== room.t && !ctx.hasPermission(params.roomType === 'c' ? 'create-c' : 'create-p')) throw notAllowed('Change_Room_Type');
	if (typeof params.roomName === 'string' && params.roomName !== room.name) {
		if (!ROOM_NAME.test(params.roomName)) throw meteorError('error-invalid-room-name', `${params.roomName} is not a valid room name`, { method: 'saveRoomSettings' });
		if (ctx.state.findRoomByName(params.roomName)) {
			throw meteorError('error-duplicate-channel-name', `A channel with name '${params.roomName}' exists`, { method: 'saveRoomSettings', channel_name: params.roomName });
		}
	}
	const now = ctx.state.now();
	const subscriptions = ctx.state.subscriptionsOfRoom(room._id);
	if (typeof params.roomName === 'string' && params.roomName !== room.name) {
		room.name = params.roomName;
		room.fname = params.roomName;
		for (const subscription of subscriptions) {
			subscription.name = params.roomName;
			subscription.fname = params.roomName;
		}
	}
	if (typeof params.roomTopic === 'string') room.topic = params.roomTopic;
	if (typeof params.roomAnnouncement === 'string') room.announcement = params.roomAnnouncement;
	if (typeof params.roomDescription === 'string') room.description = params.roomDescription;
	if (typeof params.readOnly === 'boolean') room.ro = params.readOnly;
	if (typeof params.reactWhenReadOnly === 'boolean') room.reactWhenReadOnly = params.reactWhenReadOnly;
	if (typeof params.default === 'boolean') room.default = params.default;
	if (typeof params.featured === 'boolean') room.featured = params.featured;
	if (typeof params.joinCode === 'string') {
		room.joinCode = params.joinCode || undefined;
		room.joinCodeRequired = !!params.joinCode;
	}
	// `sysMes` is `true` or the list of hidden system message types (`IRoom.sysMes`).
	if (Array.isArray(params.systemMessages)) (room as unknown as { sysMes: unknown }).sysMes = params.systemMessages;
	if (params.roomType === 'c' || params.roomType === 'p') {
		room.t = params.roomType;
		for (const subscription of subscriptions) subscription.t = params.roomType;
	}
	room._updatedAt = now;
	for (const subscription of subscriptions) subscription._updatedAt = now;
	return { rid: room._id };
}

// ---------------------------------------------------------------- rooms.changeArchivationState

const archivationSchema: Schema = {
	type: 'object',
	properties: { rid: { type: 'string' }, action: { type: 'string' } },
	required: ['rid', 'action'],
	additionalProperties: false,
};

function changeArchivationState(ctx: RouteContext): undefined {
	const { rid, action } = body(ctx) as { rid: string; action: string };
	const archive = action === 'archive';
	const method = archive ? 'archiveRoom' : 'unarchiveRoom';
	const room = ctx.state.rooms.get(rid);
	if (!room) throw meteorError('error-invalid-room', 'Invalid room', { method });
	if (!ctx.hasPermission(archive ? 'archive-room' : 'unarchive-room', room._id)) throw meteorError('error-not-authorized', 'Not authorized', { method });
	if (room.t === 'd') throw meteorError('error-direct-message-room', 'Direct Messages can not be archived', { method });
	// `archiveRoom` / `unarchiveRoom` do not look at the state: a repeat archives again and posts another system message.
	setArchived(ctx, room, archive);
	return undefined;
}

// ---------------------------------------------------------------- rooms.createDiscussion

function createDiscussion(ctx: RouteContext): Record<string, unknown> {
	const params = body(ctx);
	const user = me(ctx);
	const allowed = new Set(['prid', 't_name', 'pmid', 'reply', 'users', 'encrypted', ...(versionAtLeast(ctx.server.version, '8.0') ? ['topic'] : [])]);
	const unknown = Object.keys(params).find((key) => !allowed.has(key));
	if (unknown) throw apiFailure(`Match error: Unknown key in field ${unknown}`);
	const prid = single(params.prid);
	const name = single(params.t_name);
	if (!prid) throw meteorError('error-invalid-params', 'Body parameter "prid" is required.');
	if (!name) throw meteorError('error-invalid-params', 'Body parameter "t_name" is required.');
	if (params.users !== undefined && (!Array.isArray(params.users) || params.users.some((entry) => typeof entry !== 'string'))) {
		throw meteorError('error-invalid-params', 'Body parameter "users" must be an array.');
	}
	if (!ctx.state.settings.Discussion_enabled) throw meteorError('error-action-not-allowed', 'You are not allowed to create a discussion', { method: 'createDiscussion' });
	const parent = ctx.state.rooms.get(prid);
	if (!parent) throw meteorError('error-invalid-room', 'Invalid room', { method: 'createDiscussion' });
	if (!ctx.state.canAccessRoom(user, parent) || !(ctx.hasPermission('start-discussion', parent._id) || ctx.hasPermission('start-discussion-other-user', parent._id))) {
		throw meteorError('error-action-not-allowed', 'You are not allowed to create a discussion', { method: 'createDiscussion' });
	}
	// `createDiscussion.ts` (`create`): no nested discussions; `encrypted` not given = the parent's; an
	// encrypted discussion refuses `reply`.
	if (parent.prid) throw meteorError('error-nested-discussion', 'Cannot create nested discussions', { method: 'DiscussionCreation' });
	const encrypted = typeof params.encrypted === 'boolean' ? params.encrypted : parent.encrypted === true;
	if (encrypted && params.reply) {
		throw meteorError('error-invalid-arguments', 'Encrypted discussions must not receive an initial reply.', { method: 'DiscussionCreation' });
	}
	let parentMessage: FakeMessage | undefined;
	if (params.pmid !== undefined) {
		parentMessage = ctx.state.getMessage(String(params.pmid));
		if (!parentMessage || parentMessage.rid !== parent._id) throw meteorError('error-action-not-allowed', 'You are not allowed to create a discussion', { method: 'createDiscussion' });
	}
	const invited = ((params.users as string[] | undefined) ?? [])
		.map((username) => ctx.state.findUserByUsername(username))
		.filter((entry): entry is FakeUser => !!entry);
	const discussion = ctx.state.createRoom(parent.t === 'c' ? 'c' : 'p', randomId(), user, invited, {
		prid: parent._id,
		encrypted,
		...(typeof params.topic === 'string' && { topic: params.topic }),
	});
	discussion.fname = name;
	for (const subscription of ctx.state.subscriptionsOfRoom(discussion._id)) subscription.fname = name;
	if (parentMessage) {
		parentMessage.drid = discussion._id;
		parentMessage.dcount = 0;
		parentMessage._updatedAt = ctx.state.now();
	} else {
		ctx.state.postMessage(parent._id, user, name, { t: 'discussion-created', drid: discussion._id, groupable: false });
	}
	if (typeof params.reply === 'string' && params.reply) ctx.state.postMessage(discussion._id, user, params.reply);
	return { discussion: { ...toRestRoom(discussion), rid: discussion._id } };
}

// ---------------------------------------------------------------- favourites, leave, hide, open, join

const favoriteSchema: Schema = {
	anyOf: [
		{ type: 'object', properties: { roomId: { type: 'string' }, favorite: { type: 'boolean' } }, required: ['roomId', 'favorite'], additionalProperties: false },
		{ type: 'object', properties: { roomName: { type: 'string' }, favorite: { type: 'boolean' } }, required: ['roomName', 'favorite'], additionalProperties: false },
	],
};

function favorite(ctx: RouteContext): undefined {
	const params = body(ctx);
	const room = findRoomByIdOrName(ctx, params);
	const subscription = ctx.state.getSubscription(room._id, me(ctx)._id);
	if (!subscription) throw meteorError('error-invalid-subscription', 'You must be part of a room to favorite it', { method: 'toggleFavorite' });
	subscription.f = params.favorite === true;
	subscription._updatedAt = ctx.state.now();
	return undefined;
}

function leave(ctx: RouteContext): undefined {
	const room = findRoomByIdOrName(ctx, body(ctx));
	const user = me(ctx);
	const subscription = ctx.state.getSubscription(room._id, user._id);
	if (room.t === 'd') throw meteorError('error-not-allowed', 'Not allowed', { method: 'leaveRoom' });
	if (!ctx.hasPermission(room.t === 'c' ? 'leave-c' : 'leave-p')) throw meteorError('error-not-allowed', 'Not allowed', { method: 'leaveRoom' });
	if (!subscription) throw meteorError('error-user-not-in-room', 'You are not in this room', { method: 'leaveRoom' });
	const owners = ctx.state.subscriptionsOfRoom(room._id).filter((entry) => entry.roles?.includes('owner'));
	if (subscription.roles?.includes('owner') && owners.length === 1) {
		throw meteorError('error-you-are-last-owner', 'You are the last owner. Please set new owner before leaving the room.', { method: 'leaveRoom' });
	}
	ctx.state.postMessage(room._id, user, user.username, { t: 'ul', groupable: false });
	ctx.state.removeMember(room._id, user._id);
	return undefined;
}

const roomIdOnly: Schema = { type: 'object', properties: { roomId: { type: 'string' } }, required: ['roomId'], additionalProperties: false };

function hide(ctx: RouteContext): undefined {
	const { roomId } = body(ctx) as { roomId: string };
	const subscription = ctx.state.getSubscription(roomId, me(ctx)._id);
	// rooms.hide answers 401 when the user cannot access the room.
	if (!ctx.state.rooms.get(roomId) || !subscription) throw unauthorized();
	if (!subscription.open) throw apiFailure('error-room-already-hidden');
	subscription.open = false;
	subscription._updatedAt = ctx.state.now();
	return undefined;
}

/**
 * `server/lib/openRoom.ts`: `Subscriptions.openByRoomIdAndUserId` without any check of the room or the
 * membership, so a user who is not in the room (or a room that does not exist) gets 200 and nothing changes.
 */
function open(ctx: RouteContext): undefined {
	const { roomId } = body(ctx) as { roomId: string };
	const subscription = ctx.state.getSubscription(roomId, me(ctx)._id);
	if (!subscription) return undefined;
	subscription.open = true;
	subscription._updatedAt = ctx.state.now();
	return undefined;
}

const joinSchema: Schema = {
	oneOf: [
		{ type: 'object', properties: { roomId: { type: 'string' }, joinCode: { type: 'string' } }, required: ['roomId'], additionalProperties: false },
		{ type: 'object', properties: { roomName: { type: 'string' }, joinCode: { type: 'string' } }, required: ['roomName'], additionalProperties: false },
	],
};

function join(ctx: RouteContext): Record<string, unknown> {
	const params = body(ctx);
	const room = findRoomByIdOrName(ctx, params);
	joinRoom(ctx, room, params.joinCode);
	return { room: toRestRoom(room) };
}

// ---------------------------------------------------------------- roles, mute, members by role

const rolesQuery: Schema = { type: 'object', properties: { rid: { type: 'string' } }, required: ['rid'], additionalProperties: false };

function rolesOfRoom(ctx: RouteContext): Record<string, unknown> {
	const room = ctx.state.rooms.get(String(ctx.query.rid));
	if (!room) throw meteorError('error-invalid-room', 'Invalid room', { method: 'getRoomRoles' });
	if (!ctx.state.canAccessRoom(me(ctx), room)) throw meteorError('error-not-allowed', 'Not allowed', { method: 'getRoomRoles' });
	return { roles: roomRoles(ctx, room) };
}

const muteSchema: Schema = {
	anyOf: [
		{ type: 'object', properties: { roomId: { type: 'string' }, userId: { type: 'string' } }, required: ['roomId', 'userId'], additionalProperties: false },
		{ type: 'object', properties: { roomId: { type: 'string' }, username: { type: 'string' } }, required: ['roomId', 'username'], additionalProperties: false },
	],
};

function mute(muted: boolean) {
	return (ctx: RouteContext): undefined => {
		const params = body(ctx) as { roomId: string; userId?: string; username?: string };
		const method = muted ? 'muteUserInRoom' : 'unmuteUserInRoom';
		const target = params.userId ? ctx.state.users.get(params.userId) : ctx.state.findUserByUsername(String(params.username));
		if (!target) throw meteorError('error-invalid-user', 'The required "userId" or "username" param provided does not match any users');
		const room = ctx.state.rooms.get(params.roomId);
		if (!room) throw meteorError('error-invalid-room', 'Invalid room', { method });
		if (!ctx.hasPermission('mute-user', room._id)) throw meteorError('error-not-allowed', 'Not allowed', { method });
		if (room.t === 'd') throw meteorError('error-not-allowed', 'Not allowed', { method });
		if (!ctx.state.getSubscription(room._id, target._id)) throw meteorError('error-user-not-in-room', 'User is not in this room', { method });
		const list = new Set(room.muted ?? []);
		if (muted) list.add(target.username);
		else list.delete(target.username);
		room.muted = [...list];
		room._updatedAt = ctx.state.now();
		ctx.state.postMessage(room._id, me(ctx), target.username, { t: muted ? 'user-muted' : 'user-unmuted', groupable: false });
		return undefined;
	};
}

const ROLE_PRIORITY: Record<string, number> = { owner: 0, moderator: 1 };

function membersOrderedByRole(ctx: RouteContext): Record<string, unknown> {
	const roomId = single(ctx.query.roomId);
	const roomName = single(ctx.query.roomName);
	const room = roomId ? ctx.state.rooms.get(roomId) : roomName ? ctx.state.findRoomByName(roomName) : undefined;
	if (!room || room.t === 'd' || !ctx.state.canAccessRoom(me(ctx), room)) throw notFound();
	if (room.broadcast && !ctx.hasPermission('view-broadcast-member-list', room._id)) throw unauthorized();
	const statuses = ([] as unknown[]).concat(ctx.query.status ?? []).map(String);
	const filter = single(ctx.query.filter)?.toLowerCase();
	const page = ctx.paginate();
	const members = ctx.state
		.subscriptionsOfRoom(room._id)
		.map((subscription) => ({ subscription, user: ctx.state.users.get(subscription.u._id) }))
		.filter((entry): entry is { subscription: typeof entry.subscription; user: FakeUser } => !!entry.user)
		.filter(({ user }) => statuses.length === 0 || statuses.includes(user.status))
		.filter(({ user }) => !filter || user.username.toLowerCase().includes(filter) || user.name.toLowerCase().includes(filter))
		.map(({ subscription, user }) => {
			const roles = subscription.roles ?? [];
			const rolePriority = Math.min(...roles.map((role) => ROLE_PRIORITY[role] ?? 2), 2);
			return { _id: user._id, username: user.username, name: user.name, status: user.status, _updatedAt: user._updatedAt, roles, rolePriority };
		})
		.sort((a, b) => a.rolePriority - b.rolePriority || a.username.localeCompare(b.username));
	const { items, total } = paginateItems(members, page);
	return { members: items.map(({ rolePriority: _priority, ...member }) => member), count: items.length, offset: page.offset, total };
}

const membersByRoleQuery: Schema = {
	type: 'object',
	properties: {
		roomId: { type: 'string' },
		roomName: { type: 'string' },
		filter: { type: 'string' },
		status: { type: 'array', items: { type: 'string' } },
		offset: { type: 'number' },
		count: { type: 'number' },
		sort: { type: 'string' },
	},
	additionalProperties: false,
};

export function register(server: FakeRocketChat): void {
	const version = server.version;
	server.route({ method: 'GET', path: 'rooms.adminRooms', validationStyle: 'typed', query: adminRoomsQuery, handler: adminRooms });
	server.route({ method: 'POST', path: 'rooms.cleanHistory', body: cleanHistorySchema, handler: cleanHistory });
	server.route({ method: 'POST', path: 'rooms.delete', handler: deleteRoom });
	server.route({ method: 'POST', path: 'rooms.saveRoomSettings', validationStyle: 'typed', body: saveRoomSettingsSchema, handler: saveRoomSettings });
	server.route({ method: 'POST', path: 'rooms.changeArchivationState', body: archivationSchema, handler: changeArchivationState });
	server.route({ method: 'POST', path: 'rooms.createDiscussion', handler: createDiscussion });
	server.route({ method: 'POST', path: 'rooms.favorite', body: favoriteSchema, handler: favorite });
	server.route({ method: 'POST', path: 'rooms.leave', handler: leave });
	if (versionAtLeast(version, '6.8')) {
		server.route({ method: 'POST', path: 'rooms.muteUser', validationStyle: 'typed', body: muteSchema, handler: mute(true) });
		server.route({ method: 'POST', path: 'rooms.unmuteUser', validationStyle: 'typed', body: muteSchema, handler: mute(false) });
	}
	if (versionAtLeast(version, '7.3')) {
		server.route({ method: 'GET', path: 'rooms.membersOrderedByRole', validationStyle: 'typed', query: membersByRoleQuery, handler: membersOrderedByRole });
	}
	if (versionAtLeast(version, '7.4')) server.route({ method: 'POST', path: 'rooms.hide', validationStyle: 'typed', body: roomIdOnly, handler: hide });
	if (versionAtLeast(version, '7.9')) server.route({ method: 'POST', path: 'rooms.open', validationStyle: 'typed', body: roomIdOnly, handler: open });
	if (versionAtLeast(version, '7.10')) server.route({ method: 'GET', path: 'rooms.roles', validationStyle: 'typed', query: rolesQuery, handler: rolesOfRoom });
	if (versionAtLeast(version, '8.6')) server.route({ method: 'POST', path: 'rooms.join', validationStyle: 'typed', body: joinSchema, handler: join });
}
