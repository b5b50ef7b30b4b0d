/**
 * The room operations that come in pairs (Archive / Unarchive, Favorite / Unfavorite, Hide / Open,
 * Mute User / Unmute User, Add Member / Remove Member): one factory per pair, called by each operation's
 * file with what differs (name, endpoint, wording). Each factory answers `{ description, execute }`.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import type { ErrorHints } from '../../../shared/errors';
import type { RoomRef } from '../../../shared/rooms';
import { resolveRoom, resolveRoomId } from '../../../shared/rooms';
import { rocketChatApiRequest } from '../../../shared/transport';
import type { UserRef } from '../../../shared/users';
import { resolveUser, userLocator } from '../../../shared/users';
import { selectedUsers, showFor, typePrefix, userSelectionProperties, withFallback } from './common';

export interface RoomOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]>;
}

function describe(operation: string, properties: INodeProperties[]): INodeProperties[] {
	return updateDisplayOptions({ show: showFor(operation) }, properties);
}

/**
 * Archive / Unarchive. `rooms.changeArchivationState` does not look at the room's state: archiving an archived
 * room archives it again and posts a second system message (`archiveRoom`/`unarchiveRoom`), so the state is
 * read first and a room already in it is left alone (`changed: false`). A missing permission comes back as
 * 400 `error-not-authorized`, not 401/403.
 */
export function archiveOperation(spec: {
	operation: 'archive' | 'unarchive';
	archive: boolean;
	/** The action in errors, e.g. "Unarchiving". */
	verb: string;
	/** Who has the `<operation>-room` permission by default. */
	grantedTo: string;
	roomDescription: string;
}): RoomOperation {
	const action = spec.operation;
	const permission = `${action}-room`;
	const hints: ErrorHints = {
		permission,
		byErrorType: {
			'error-not-authorized': `The Rocket.Chat user lacks the "${permission}" permission for this room (default: ${spec.grantedTo}). Ask an admin to grant it (Administration › Permissions).`,
			'error-room-archived': 'The room is already archived.',
			'error-room-not-archived': 'The room is not archived.',
		},
	};
	return {
		description: describe(action, [roomLocator({ description: spec.roomDescription })]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const room: RoomRef & IDataObject = await resolveRoom.call(this, itemIndex).catch(async (error: unknown) => {
				// Admins may archive rooms they cannot read (a private group or direct message they are not in):
				// then the state is unknown and the server decides.
				const errorType = error instanceof NodeApiError ? String(error.context.errorType ?? '') : '';
				if (!['not-allowed', 'Not Allowed', 'error-room-not-found'].includes(errorType)) throw error;
				return { _id: await resolveRoomId.call(this, itemIndex) };
			});
			const rid = String(room._id);
			if (room.t !== undefined && room.t !== 'd' && (room.archived === true) === spec.archive) {
				return [{ success: true, roomId: rid, archived: spec.archive, changed: false }];
			}
			const { fallback } = await withFallback(
				async () =>
					await rocketChatApiRequest.call(this, {
						method: 'POST',
						endpoint: 'rooms.changeArchivationState',
						body: { rid, action },
						itemIndex,
						hints,
					}),
				// Servers without rooms.changeArchivationState: channels.(un)archive / groups.(un)archive.
				async () => {
					const known = room.t === undefined ? await resolveRoom.call(this, itemIndex) : room;
					const prefix = typePrefix.call(this, known, itemIndex, { allowDirect: false, action: spec.verb });
					return await rocketChatApiRequest.call(this, { method: 'POST', endpoint: `${prefix}.${action}`, body: { roomId: rid }, itemIndex, hints });
				},
			);
			return [{ success: true, roomId: rid, archived: spec.archive, changed: true, ...(fallback && { legacyEndpoint: true }) }];
		},
	};
}

/** Favorite / Unfavorite: `rooms.favorite` with `favorite` true or false (repeating it changes nothing). */
export function favoriteOperation(spec: { operation: 'favorite' | 'unfavorite'; favorite: boolean; roomDescription: string }): RoomOperation {
	return {
		description: describe(spec.operation, [roomLocator({ description: spec.roomDescription })]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const roomId = await resolveRoomId.call(this, itemIndex);
			await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: 'rooms.favorite',
				body: { roomId, favorite: spec.favorite },
				itemIndex,
				idempotent: true,
				hints: {
					byErrorType: {
						'error-invalid-subscription': `The user is not a member of the room "${roomId}": join it first (Room › Join).`,
					},
				},
			});
			return [{ success: true, roomId, favorite: spec.favorite }];
		},
	};
}

/**
 * Hide / Open: the room leaves or comes back to the sidebar of the user of these credentials, with
 * `rooms.<endpoint>` and, on servers that answer it with 404, the per-type `<prefix>.<legacyAction>`
 * (`channels.*`, `groups.*`, `dm.*`).
 */
export function sidebarOperation(spec: {
	operation: 'hide' | 'open';
	open: boolean;
	endpoint: string;
	legacyAction: string;
	roomDescription: string;
	hints?: ErrorHints;
	/** The description of a 401 answer of `endpoint`, for an endpoint that answers 401 when the user cannot access the room. */
	unauthorized?: (roomId: string) => string;
	/**
	 * For an endpoint that answers success for a user who is not in the room and changes nothing: the
	 * membership is checked first, and this is the description of the error when there is none.
	 */
	notMember?: string;
}): RoomOperation {
	return {
		description: describe(spec.operation, [roomLocator({ description: spec.roomDescription })]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const roomId = await resolveRoomId.call(this, itemIndex);
			if (spec.notMember) {
				const membership = await rocketChatApiRequest.call(this, { endpoint: 'subscriptions.getOne', qs: { roomId }, itemIndex });
				if (!membership.subscription) {
					throw new NodeOperationError(this.getNode(), `The user is not a member of the room "${roomId}"`, {
						itemIndex,
						description: spec.notMember,
					});
				}
			}
			const { fallback } = await withFallback(
				async () =>
					await rocketChatApiRequest
						.call(this, { method: 'POST', endpoint: spec.endpoint, body: { roomId }, itemIndex, idempotent: true, hints: spec.hints })
						.catch((error: Error & { httpCode?: string | null; description?: string | null }) => {
							if (spec.unauthorized && String(error.httpCode) === '401') error.description = spec.unauthorized(roomId);
							throw error;
						}),
				async () => {
					const room = await resolveRoom.call(this, itemIndex);
					const prefix = typePrefix.call(this, room, itemIndex);
					return await rocketChatApiRequest.call(this, {
						method: 'POST',
						endpoint: `${prefix}.${spec.legacyAction}`,
						body: { roomId },
						itemIndex,
						idempotent: true,
					});
				},
			);
			return [{ success: true, roomId, open: spec.open, ...(fallback && { legacyEndpoint: true }) }];
		},
	};
}

/**
 * Mute User / Unmute User (`rooms.muteUser` / `rooms.unmuteUser`, Rocket.Chat 6.8+). Not repeated after a
 * lost answer: Rocket.Chat mutes (unmutes) again and posts a second notice.
 */
export function muteOperation(spec: { operation: 'muteUser' | 'unmuteUser'; endpoint: string; muted: boolean; verb: 'mute' | 'unmute' }): RoomOperation {
	return {
		description: describe(spec.operation, [
			roomLocator({ description: `The room in which to ${spec.verb} the user` }),
			userLocator({ description: `The member to ${spec.verb}` }),
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const roomId = await resolveRoomId.call(this, itemIndex);
			const user = await resolveUser.call(this, itemIndex, 'userId');
			await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: spec.endpoint,
				body: { roomId, userId: user._id },
				itemIndex,
				hints: {
					permission: 'mute-user',
					notFound: `${spec.endpoint} needs Rocket.Chat 6.8 or later.`,
					byErrorType: {
						'error-user-not-in-room': `@${user.username} is not a member of this room.`,
						'error-not-allowed': `The user of these credentials may not ${spec.verb} members here: it needs the "mute-user" permission (admins, room owners and moderators).`,
					},
				},
			});
			return [{ success: true, roomId, userId: user._id, username: user.username, muted: spec.muted }];
		},
	};
}

/**
 * Add Member / Remove Member: one request per chosen user to the type's `<prefix>.<endpoint>`
 * (`channels.invite`, `groups.kick`, …); direct messages have no members to add or remove.
 */
export function memberOperation(spec: {
	operation: 'addMember' | 'removeMember';
	verb: 'add' | 'remove';
	/** The action in errors, e.g. "Adding members". */
	action: string;
	endpoint: string;
	/** Whether sending the request again after a lost answer changes nothing. */
	idempotent?: boolean;
	permission: string;
	byErrorType: (user: UserRef, room: RoomRef) => Record<string, string>;
	roomDescription: string;
	userDescription: string;
	/** The output's flag, e.g. `added`. */
	done: string;
}): RoomOperation {
	return {
		description: describe(spec.operation, [
			roomLocator({ description: spec.roomDescription }),
			...userSelectionProperties(spec.operation, spec.verb),
			{ ...userLocator({ description: spec.userDescription }), displayOptions: { show: { userSelection: ['one'] } } },
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const room = await resolveRoom.call(this, itemIndex);
			const prefix = typePrefix.call(this, room, itemIndex, { allowDirect: false, action: spec.action });
			const users = await selectedUsers.call(this, itemIndex);
			const results: IDataObject[] = [];
			for (const user of users) {
				await rocketChatApiRequest.call(this, {
					method: 'POST',
					endpoint: `${prefix}.${spec.endpoint}`,
					body: { roomId: room._id, userId: user._id },
					itemIndex,
					...(spec.idempotent && { idempotent: true }),
					hints: { permission: spec.permission, byErrorType: spec.byErrorType(user, room) },
				});
				results.push({ success: true, roomId: room._id, userId: user._id, username: user.username, [spec.done]: true });
			}
			return results;
		},
	};
}
