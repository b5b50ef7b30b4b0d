import { memberOperation } from './pairs';

const operation = memberOperation({
	operation: 'addMember',
	verb: 'add',
	action: 'Adding members',
	endpoint: 'invite',
	// Inviting a member again changes nothing.
	idempotent: true,
	permission: 'add-user-to-joined-room',
	byErrorType: (_user, room) => ({
		'error-not-allowed': `The user of these credentials may not add members to this room: it needs "add-user-to-joined-room" in the room, or "add-user-to-any-${room.t}-room".`,
	}),
	roomDescription: 'The channel or private group to add members to',
	userDescription: 'The user to add to the room',
	done: 'added',
});

export const description = operation.description;
export const execute = operation.execute;
