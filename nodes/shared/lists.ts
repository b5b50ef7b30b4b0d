/**
 * The Get Many side of every operation that lists: its Return All / Limit / Simplify parameters, reading
 * them, and the two kinds of lists Rocket.Chat answers (offset/count pages, and the whole list of
 * `rooms.get` / `subscriptions.get` with `update` and `remove`).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toIsoDate } from './dates';
import { returnAllOrLimit, simplifyOption } from './descriptions';
import { applyLimit, getAllOffset } from './paging';
import type { RocketChatRequest } from './transport';
import { rocketChatApiRequest } from './transport';

/** Return All / Limit / Simplify of a list. */
export function listParameters(show: { resource: string[]; operation: string[] }): INodeProperties[] {
	return [...returnAllOrLimit(show), simplifyOption(show)];
}

/** Return All / Limit (`limit` undefined: all) and Simplify (true where the operation has none). */
export function readListOptions(this: IExecuteFunctions, itemIndex: number): { limit?: number; simplify: boolean } {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	if (limit !== undefined && (!Number.isFinite(limit) || limit < 1)) {
		throw new NodeOperationError(this.getNode(), `Limit must be at least 1 (got ${limit})`, {
			itemIndex,
			description: 'Set Limit to 1 or more, or turn on Return All.',
		});
	}
	return { limit, simplify };
}

/** All (or `limit`) items of an offset/count list. */
export async function listAll(
	this: IExecuteFunctions,
	request: RocketChatRequest,
	itemsKey: string,
	limit: number | undefined,
): Promise<IDataObject[]> {
	return await getAllOffset((next) => rocketChatApiRequest.call(this, next), { request, itemsKey, limit });
}

/**
 * Get Many of `rooms.get` or `subscriptions.get` with the filters of `changedRoomFilters` (Updated Since,
 * Room Types) and Include Removed: the entries that pass, simplified with `simplify` when Simplify is on,
 * then the removed ones as `{..., removed: true}`, cut to Limit.
 */
export async function readChangedRooms(
	this: IExecuteFunctions,
	itemIndex: number,
	options: {
		endpoint: 'rooms.get' | 'subscriptions.get';
		simplify: (entry: IDataObject) => IDataObject;
		/** A further filter of the operation, given the Filters collection. */
		keep?: (entry: IDataObject, filters: IDataObject) => boolean;
	},
): Promise<IDataObject[]> {
	const { limit, simplify } = readListOptions.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const updatedSince = toIsoDate.call(this, filters.updatedSince, itemIndex, 'Updated Since');
	const roomTypes = (filters.roomTypes as string[] | undefined) ?? [];

	const body = await rocketChatApiRequest.call(this, {
		endpoint: options.endpoint,
		qs: updatedSince ? { updatedSince } : undefined,
		itemIndex,
	});
	const results = ((body.update ?? []) as IDataObject[])
		.filter((entry) => roomTypes.length === 0 || roomTypes.includes(String(entry.t)))
		.filter((entry) => !options.keep || options.keep(entry, filters))
		.map((entry) => (simplify ? options.simplify(entry) : entry));
	if (filters.includeRemoved === true) {
		for (const removed of (body.remove ?? []) as IDataObject[]) results.push({ ...removed, removed: true });
	}
	return applyLimit(results, limit);
}
