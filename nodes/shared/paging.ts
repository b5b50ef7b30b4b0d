import type { IDataObject } from 'n8n-workflow';

import type { RocketChatRequest } from './transport';

/** Rocket.Chat clamps `count` to API_Upper_Count_Limit (100 by default): never ask for more. */
export const PAGE_SIZE = 100;

export type Requester = (request: RocketChatRequest) => Promise<IDataObject>;

export interface OffsetListOptions {
	request: RocketChatRequest;
	/** Key of the array in the answer, e.g. `messages`, `members`, `rooms`. */
	itemsKey: string;
	/** Stop after this many items (Return All off). Undefined: all. */
	limit?: number;
	pageSize?: number;
}

function itemsOf(body: IDataObject, key: string, endpoint: string): IDataObject[] {
	const items = body[key];
	if (items === undefined) return [];
	if (!Array.isArray(items)) {
		throw new Error(`Rocket.Chat's answer to ${endpoint} has no "${key}" list`);
	}
	return items as IDataObject[];
}

/**
 * Pages through an `offset`/`count` list page by page. With `total` in the answers it stops exactly at
 * `total` (even if the server clamps pages to fewer than asked); without it, at the first short page.
 * Honours `limit` by asking only for what is still missing, and never sends `count=0` (which Rocket.Chat
 * reads as "everything").
 */
export async function* iterateOffsetPages(
	send: Requester,
	options: OffsetListOptions,
): AsyncGenerator<IDataObject[], void, undefined> {
	const pageSize = Math.max(1, Math.min(options.pageSize ?? PAGE_SIZE, PAGE_SIZE));
	const limit = options.limit === undefined ? Infinity : Math.max(0, Math.floor(options.limit));
	let offset = Number(options.request.qs?.offset ?? 0) || 0;
	let received = 0;
	while (received < limit) {
		const count = Math.max(1, Math.min(pageSize, limit - received));
		const body = await send({
			...options.request,
			qs: { ...(options.request.qs ?? {}), offset, count },
		});
		let items = itemsOf(body, options.itemsKey, options.request.endpoint);
		if (items.length > limit - received) items = items.slice(0, limit - received);
		received += items.length;
		offset += items.length;
		if (items.length) yield items;
		const total = typeof body.total === 'number' ? body.total : undefined;
		if (items.length === 0) return;
		if (total !== undefined) {
			if (offset >= total) return;
		} else if (items.length < count) {
			return;
		}
	}
}

export async function getAllOffset(send: Requester, options: OffsetListOptions): Promise<IDataObject[]> {
	const all: IDataObject[] = [];
	for await (const page of iterateOffsetPages(send, options)) {
		for (const item of page) all.push(item);
	}
	return all;
}

/** Limit applied to a list the server does not page (e.g. `subscriptions.get`); undefined: Return All. */
export function applyLimit<T>(items: T[], limit: number | undefined): T[] {
	return limit === undefined ? items : items.slice(0, Math.max(0, limit));
}
