import { memberOperation } from './pairs';

const operation = memberOperation({
	operation: 'removeMember',
	verb: 'remove',
	action: 'Removing members',
	endpoint: 'kick',
	permission: 'remove-user',
	byErrorType: (user) => ({
		'error-user-not-in-room': `@${user.username} is not a member of this room.`,
		'error-not-allowed':
			'The user of these credentials may not remove members here: it needs the "remove-user" permission (admins, room owners and moderators).',
		'error-you-are-last-owner': `@${user.username} is the last owner of the room: make another member owner first (Room › Add Role).`,
	}),
	roomDescription: 'The channel or private group to remove members from',
	userDescription: 'The user to remove from the room',
	done: 'removed',
});

export const description = operation.description;
export const execute = operation.execute;
