import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changedRoomFilters, filtersCollection } from '../../../shared/descriptions';
import { listParameters, readChangedRooms } from '../../../shared/lists';
import { simplifySubscription } from './common';

const show = { resource: ['subscription'], operation: ['getMany'] };

const properties: INodeProperties[] = [
	...listParameters(show),
	filtersCollection([
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
	]),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await readChangedRooms.call(this, itemIndex, {
		endpoint: 'subscriptions.get',
		simplify: simplifySubscription,
		keep: (sub, filters) =>
			filters.onlyUnread !== true || Number(sub.unread ?? 0) > 0 || sub.alert === true || Number(sub.userMentions ?? 0) > 0,
	});
}
