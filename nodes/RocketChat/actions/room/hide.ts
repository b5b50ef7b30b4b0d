import { sidebarOperation } from './pairs';

const operation = sidebarOperation({
	operation: 'hide',
	open: false,
	endpoint: 'rooms.hide',
	// Servers before 7.4: the per-type endpoint (channels.close, groups.close, dm.close).
	legacyAction: 'close',
	roomDescription: 'The room to hide from the sidebar of the user of these credentials (it comes back with a new message)',
	hints: { byErrorType: { 'error-room-already-hidden': 'The room is already hidden for this user.' } },
	// rooms.hide answers 401 (not 403) when the user cannot access the room.
	unauthorized: (roomId) =>
		`The user of these credentials is not a member of the room "${roomId}" (or the credentials are wrong). Pick a room the user is in.`,
});

export const description = operation.description;
export const execute = operation.execute;
