import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changedRoomFilters, returnAllOrLimit, simplifyOption } from '../../../shared/descriptions';
import { applyLimit } from '../../../shared/paging';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor, simplifyRoom, toIsoDate } from './common';

const show = showFor('getMany');

const properties: INodeProperties[] = [
	...returnAllOrLimit(show),
	simplifyOption(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
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
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? 0 : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const updatedSince = toIsoDate.call(this, filters.updatedSince, itemIndex, 'Updated Since');
	const roomTypes = (filters.roomTypes as string[] | undefined) ?? [];

	const body = await rocketChatApiRequest.call(this, {
		endpoint: 'rooms.get',
		qs: updatedSince ? { updatedSince } : undefined,
		itemIndex,
	});
	const rooms = ((body.update ?? []) as IDataObject[]).filter(
		(room) => roomTypes.length === 0 || roomTypes.includes(String(room.t)),
	);
	const results = rooms.map((room) => (simplify ? simplifyRoom(room) : room));
	if (filters.includeRemoved === true) {
		for (const removed of (body.remove ?? []) as IDataObject[]) results.push({ ...removed, removed: true });
	}
	return applyLimit(results, returnAll, limit);
}
