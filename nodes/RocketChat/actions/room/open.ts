import { sidebarOperation } from './pairs';

const operation = sidebarOperation({
	operation: 'open',
	open: true,
	endpoint: 'rooms.open',
	// Servers before 7.9: the per-type endpoint (channels.open, groups.open, dm.open).
	legacyAction: 'open',
	roomDescription: 'The hidden room to show again in the sidebar of the user of these credentials',
	// rooms.open answers success for a user who is not in the room and changes nothing.
	notMember:
		'Open shows a hidden room again in the sidebar of a member; the user of these credentials has no subscription to this room. Join it first (Room › Join), or check the room.',
});

export const description = operation.description;
export const execute = operation.execute;
