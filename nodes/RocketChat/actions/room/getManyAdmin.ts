import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { filtersCollection } from '../../../shared/descriptions';
import { listAll, listParameters, readListOptions } from '../../../shared/lists';
import { roomTypeOption } from '../../../shared/roomTypes';
import { showFor, simplifyRoom } from './common';

const show = showFor('getManyAdmin');

const properties: INodeProperties[] = [
	...listParameters(show),
	filtersCollection([
		{
			displayName: 'Name Contains',
			name: 'filter',
			type: 'string',
			default: '',
			description: 'Only rooms whose name contains this text',
		},
		{
			displayName: 'Room Types',
			name: 'types',
			type: 'multiOptions',
			default: [],
			description: 'Only rooms of these kinds. Empty: all.',
			options: [
				roomTypeOption('c'),
				roomTypeOption('d'),
				{ name: 'Discussion', value: 'discussions' },
				roomTypeOption('l'),
				roomTypeOption('p'),
				{ name: 'Team', value: 'teams' },
			],
		},
	]),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { limit, simplify } = readListOptions.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	if (typeof filters.filter === 'string' && filters.filter.trim()) qs.filter = filters.filter.trim();
	const types = (filters.types as string[] | undefined) ?? [];
	if (types.length) qs.types = types;
	const rooms = await listAll.call(
		this,
		{
			endpoint: 'rooms.adminRooms',
			qs,
			itemIndex,
			hints: {
				permission: 'view-room-administration',
				// findAdminRooms throws a plain Error: 400 {success: false, error: 'error-not-authorized'}.
				byErrorType: {
					'error-not-authorized':
						'The Rocket.Chat user lacks the "view-room-administration" permission (admins by default). Ask an admin to grant it (Administration › Permissions), or use Room › Get Many for the rooms the user is in.',
				},
			},
		},
		'rooms',
		limit,
	);
	return rooms.map((room) => (simplify ? simplifyRoom(room) : room));
}
