import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { toIsoDate } from '../../../shared/dates';

import { changedRoomFilters, returnAllOrLimit, simplifyOption } from '../../../shared/descriptions';
import { applyLimit } from '../../../shared/paging';
import { rocketChatApiRequest } from '../../../shared/transport';
import { simplifySubscription } from './common';

const show = { resource: ['subscription'], operation: ['getMany'] };

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
				'subscriptions',
				'Only subscriptions changed after this date and time (new messages, reads, joins), e.g. the last run of a schedule',
			),
			{
				displayName: 'Only Unread',
				name: 'onlyUnread',
				type: 'boolean',
				default: false,
				description: 'Whether to return only subscriptions with unread messages or an alert',
			},
			{
				displayName: 'Include Removed',
				name: 'includeRemoved',
				type: 'boolean',
				default: false,
				description:
					'Whether to also return subscriptions removed since Updated Since (rooms left or deleted), each with removed: true. Rocket.Chat gives only the subscription\'s _id and _deletedAt for these, not the room: keep the _id of earlier results to tell which room it was.',
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
		endpoint: 'subscriptions.get',
		qs: updatedSince ? { updatedSince } : undefined,
		itemIndex,
	});
	let subscriptions = ((body.update ?? []) as IDataObject[]).filter(
		(sub) => roomTypes.length === 0 || roomTypes.includes(String(sub.t)),
	);
	if (filters.onlyUnread === true) {
		subscriptions = subscriptions.filter(
			(sub) => Number(sub.unread ?? 0) > 0 || sub.alert === true || Number(sub.userMentions ?? 0) > 0,
		);
	}
	const results: IDataObject[] = subscriptions.map((sub) => (simplify ? simplifySubscription(sub) : sub));
	if (filters.includeRemoved === true) {
		for (const removed of (body.remove ?? []) as IDataObject[]) {
			results.push({ ...removed, removed: true });
		}
	}
	return applyLimit(results, returnAll, limit);
}
