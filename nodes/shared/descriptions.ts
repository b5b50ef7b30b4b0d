import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { roomTypeOptions } from './roomTypes';

/**
 * The room picker shared by every resource: From list (the user's rooms, searchable), By ID,
 * By Name (`#channel`, `private-group`, `@user` for a direct message) and By URL.
 */
export function roomLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Room',
		name: 'roomId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The room (channel, private group or direct message)',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a room...',
				typeOptions: { searchListMethod: 'searchRooms', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. GENERAL or 8Hzm6tt4c9DvaTJZ5',
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'e.g. #general or @alice',
				hint: '#channel or private group name; @username for a direct message',
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'e.g. https://chat.example.com/channel/general',
			},
		],
		...overrides,
	};
}

export function returnAllOrLimit(show: { resource: string[]; operation: string[] }): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

export function simplifyOption(show: { resource: string[]; operation: string[] }): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		displayOptions: { show },
	};
}

/** The "Options" collection of an operation's optional parameters. */
export function optionsCollection(options: INodeProperties[], overrides: Partial<INodeProperties> = {}): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, ...overrides, options };
}

/** The "Filters" collection of a list. */
export function filtersCollection(options: INodeProperties[], overrides: Partial<INodeProperties> = {}): INodeProperties {
	return { displayName: 'Filters', name: 'filters', type: 'collection', placeholder: 'Add Filter', default: {}, ...overrides, options };
}

/** Keeps the named fields that exist, in that order. */
export function pick(source: IDataObject, fields: readonly string[]): IDataObject {
	const out: IDataObject = {};
	for (const field of fields) {
		if (source[field] !== undefined) out[field] = source[field];
	}
	return out;
}

/** Room types a user can filter on (Rocket.Chat's `t`). */
export const ROOM_TYPE_OPTIONS = roomTypeOptions(['c', 'p', 'd', 'l']);

/** The "Updated Since" and "Room Types" filters of lists built from `rooms.get` / `subscriptions.get`. */
export function changedRoomFilters(subject: 'rooms' | 'subscriptions', updatedSinceDescription: string): INodeProperties[] {
	return [
		{
			displayName: 'Updated Since',
			name: 'updatedSince',
			type: 'dateTime',
			default: '',
			description: updatedSinceDescription,
		},
		{
			displayName: 'Room Types',
			name: 'roomTypes',
			type: 'multiOptions',
			default: [],
			description: `Only ${subject === 'rooms' ? 'rooms' : 'subscriptions to rooms'} of these types. Empty: all types.`,
			options: ROOM_TYPE_OPTIONS,
		},
	];
}
