import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit, simplifyOption } from '../../../shared/descriptions';
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
			{
				displayName: 'Updated Since',
				name: 'updatedSince',
				type: 'dateTime',
				default: '',
				description:
					'Only subscriptions changed after this date and time (new messages, reads, joins), e.g. the last run of a schedule',
			},
			{
				displayName: 'Room Types',
				name: 'roomTypes',
				type: 'multiOptions',
				default: [],
				description: 'Only subscriptions to rooms of these types. Empty: all types.',
				options: [
					{ name: 'Channel', value: 'c' },
					{ name: 'Private Group', value: 'p' },
					{ name: 'Direct Message', value: 'd' },
					{ name: 'Omnichannel', value: 'l' },
				],
			},
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
					'Whether to also return subscriptions removed since Updated Since (rooms left or deleted), each with removed: true',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

function toIsoDate(this: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const date = new Date(String(value));
	if (Number.isNaN(date.getTime())) {
		throw new NodeOperationError(this.getNode(), `"${String(value)}" is not a date`, {
			itemIndex,
			description: 'Updated Since needs a date and time, e.g. 2024-05-01T12:00:00Z or {{ $now.minus(1, "day") }}',
		});
	}
	return date.toISOString();
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? 0 : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const updatedSince = toIsoDate.call(this, filters.updatedSince, itemIndex);
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
