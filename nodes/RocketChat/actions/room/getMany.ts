import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changedRoomFilters, filtersCollection } from '../../../shared/descriptions';
import { listParameters, readChangedRooms } from '../../../shared/lists';
import { showFor, simplifyRoom } from './common';

const show = showFor('getMany');

const properties: INodeProperties[] = [
	...listParameters(show),
	filtersCollection([
		...changedRoomFilters(
			'rooms',
			'Only rooms changed after this date and time (new messages, settings), e.g. the last run of a schedule',
		),
		{
			displayName: 'Include Removed',
			name: 'includeRemoved',
			type: 'boolean',
			default: false,
			description:
				'Whether to also return rooms deleted since Updated Since, each as {_id, _deletedAt, removed: true}',
		},
	]),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await readChangedRooms.call(this, itemIndex, { endpoint: 'rooms.get', simplify: simplifyRoom });
}
