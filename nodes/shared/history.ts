/**
 * The one reader of a room's history (`channels.history` / `groups.history` / `dm.history`, reference §5.1,
 * §7), used by Message › Get Many, Room › Clean History's Dry Run and the trigger's catch-up and sample.
 *
 * The server (`apps/meteor/app/lib/server/methods/getChannelHistory.ts`) answers the messages of the room
 * with `oldest < ts < latest` (`<=` both with `inclusive`), sorted by `{ts: -1}` only, with `skip: offset`
 * and `limit: count`, `count` clamped to API_Upper_Count_Limit (100 by default, lower if an admin says so),
 * and no `total`. Hence:
 * - Paging is by a time cursor: the next page asks for `ts <= T` (`latest` = T, the oldest `ts` seen,
 *   `inclusive=true`), skipping with `offset` the messages of millisecond T already returned. Messages that
 *   arrive meanwhile are newer than T and shift nothing.
 * - The end is the first EMPTY page: a short page only means the server clamps `count`.
 * - Both bounds are sent inclusive (`inclusive` applies to both on the server): an exclusive bound is moved
 *   by one millisecond, the precision of the server's dates.
 * - Within one millisecond the order is MongoDB's, and MongoDB does not keep ties in a fixed order across
 *   queries with different skip/limit (its sort is not stable on duplicate keys, SERVER-51498 "works as
 *   designed"). The `offset` into millisecond T is right only if that order held. Whenever it did not, a
 *   message of T already returned shows up again on the next page (the offset counts distinct messages
 *   returned at T, so any message of T it skipped wrongly displaces one already returned); the page is then
 *   dropped and millisecond T is read again whole (`oldest` = `latest` = T, pages ending on an empty one),
 *   pass after pass with other page sizes until one pass lists it consistently or every message it counts
 *   has been seen; the cursor then moves below T. A server that never settles gets a clear error, never a
 *   silent gap.
 */
import type { IDataObject } from 'n8n-workflow';

import { toMillis } from './dates';
import type { Requester } from './paging';
import { PAGE_SIZE } from './paging';
import { roomTypePrefix } from './roomTypes';
import type { RocketChatRequest } from './transport';

/** The history endpoint of a room type (`channels.history`, `groups.history`, `dm.history`; omnichannel rooms have none). */
export function historyEndpoint(roomType: unknown): string | undefined {
	const prefix = roomTypePrefix(roomType);
	return prefix ? `${prefix}.history` : undefined;
}

export interface HistoryQuery {
	roomId: string;
	/** `c`, `p` or `d`. */
	roomType: string;
	/** Lower bound, epoch ms; none: from the first message. */
	oldest?: number;
	oldestInclusive?: boolean;
	/** Upper bound, epoch ms; none: the server's now. */
	latest?: number;
	latestInclusive?: boolean;
	/** Include replies shown only in their thread. */
	showThreadMessages?: boolean;
	/** At most this many messages (the newest ones). Undefined: all. */
	limit?: number;
	/** Asked before each request; true ends the reading (breaking out of the loop does too). */
	stop?: () => boolean;
	/** Added to every request, e.g. `itemIndex` and `hints`. */
	request?: Omit<RocketChatRequest, 'endpoint' | 'qs'>;
}

/** How often millisecond T is read whole before giving up on a server that keeps reordering it. */
const MAX_BUCKET_PASSES = 5;

function messagesOf(body: IDataObject, endpoint: string): IDataObject[] {
	const messages = body.messages;
	if (messages === undefined) return [];
	if (!Array.isArray(messages)) throw new Error(`Rocket.Chat's answer to ${endpoint} has no "messages" list`);
	return messages as IDataObject[];
}

function millisOf(message: IDataObject, endpoint: string): number {
	const ms = toMillis(message.ts);
	if (ms === undefined) throw new Error(`Rocket.Chat's answer to ${endpoint} has a message without a time ("ts")`);
	return ms;
}

/**
 * The room's messages, newest first, page by page (each yielded page holds only messages not yielded
 * before). Keeps only the ids of the cursor's millisecond in memory.
 */
export async function* iterateHistory(
	send: Requester,
	query: HistoryQuery,
): AsyncGenerator<IDataObject[], void, undefined> {
	const endpoint = historyEndpoint(query.roomType);
	if (!endpoint) throw new Error(`Rooms of type "${query.roomType}" have no history endpoint`);
	const limit = query.limit === undefined ? Infinity : Math.max(0, Math.floor(query.limit));
	const lower = query.oldest === undefined ? undefined : query.oldest + (query.oldestInclusive ? 0 : 1);
	const upper = query.latest === undefined ? undefined : query.latest - (query.latestInclusive ? 0 : 1);
	if (lower !== undefined && upper !== undefined && lower > upper) return;

	const ask = async (latest: number | undefined, oldest: number | undefined, offset: number, count: number) => {
		const qs: IDataObject = { roomId: query.roomId };
		if (oldest !== undefined) qs.oldest = new Date(oldest).toISOString();
		if (latest !== undefined) qs.latest = new Date(latest).toISOString();
		if (oldest !== undefined || latest !== undefined) qs.inclusive = 'true';
		if (query.showThreadMessages) qs.showThreadMessages = 'true';
		if (offset) qs.offset = offset;
		qs.count = Math.max(1, Math.min(PAGE_SIZE, count));
		return messagesOf(await send({ ...query.request, endpoint, qs }), endpoint);
	};
	const stopped = () => query.stop?.() === true;

	let returned = 0;
	// The cursor: messages at or before `cursorMs`, of which those in `bucket` (all at `cursorMs`) are returned.
	let cursorMs = upper;
	let bucket = new Set<string>();
	while (returned < limit && !stopped()) {
		const page = await ask(cursorMs, lower, bucket.size, limit - returned);
		if (page.length === 0) return;

		const reordered =
			bucket.size > 0 && page.some((message) => millisOf(message, endpoint) === cursorMs && bucket.has(String(message._id)));
		if (reordered) {
			// Read millisecond T whole (each pass with another page size, so other queries), then go below it.
			const bucketMs = cursorMs as number;
			for (let pass = 1; ; pass++) {
				const fresh: IDataObject[] = [];
				const passIds = new Set<string>();
				let passCount = 0;
				let repeating = false;
				for (let offset = 0; ; ) {
					if (stopped()) return;
					const part = await ask(bucketMs, bucketMs, offset, Math.ceil(PAGE_SIZE / pass));
					if (part.length === 0) break;
					offset += part.length;
					passCount += part.length;
					const known = passIds.size;
					for (const message of part) {
						const id = String(message._id);
						passIds.add(id);
						if (bucket.has(id) || millisOf(message, endpoint) !== bucketMs) continue;
						bucket.add(id);
						if (returned + fresh.length < limit) fresh.push(message);
					}
					// A page with nothing new in this pass: the server repeats itself; try another pass.
					if (passIds.size === known) {
						repeating = true;
						break;
					}
				}
				if (fresh.length) {
					returned += fresh.length;
					yield fresh;
				}
				if (returned >= limit) return;
				// Complete when this pass listed every message of T once, or all it counted are known.
				if (!repeating && (passIds.size === passCount || bucket.size >= passCount)) break;
				if (pass >= MAX_BUCKET_PASSES) {
					throw new Error(
						`Rocket.Chat listed the messages sent at ${new Date(bucketMs).toISOString()} in a different order on every request; could not read them all`,
					);
				}
			}
			cursorMs = bucketMs - 1;
			bucket = new Set();
			if (lower !== undefined && cursorMs < lower) return;
			continue;
		}

		const fresh: IDataObject[] = [];
		for (const message of page) {
			const ms = millisOf(message, endpoint);
			const id = String(message._id);
			// Newer than asked for: not in the range (a server that ignored `latest`).
			if (cursorMs !== undefined && ms > cursorMs) continue;
			if (ms !== cursorMs) {
				cursorMs = ms;
				bucket = new Set();
			}
			if (bucket.has(id)) continue;
			bucket.add(id);
			fresh.push(message);
			if (returned + fresh.length >= limit) break;
		}
		if (fresh.length === 0) {
			throw new Error(`Rocket.Chat's answer to ${endpoint} has only messages outside the time range asked for`);
		}
		returned += fresh.length;
		yield fresh;
	}
}
