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
 * - The end is the first page with nothing new (empty, or only the message asked for again, see below): a
 *   short page only means the server clamps `count`.
 * - Both bounds are sent inclusive (`inclusive` applies to both on the server): an exclusive bound is moved
 *   by one millisecond, the precision of the server's dates.
 * - Within millisecond T the `offset` counts messages already returned, so it is right only while they stay where
 *   they were: a message of T deleted meanwhile (Rocket.Chat removes deleted messages) moves the rest up by
 *   one and the offset would skip one; a late insert or another order (MongoDB keeps no fixed order among equal
 *   sort keys across query plans, SERVER-51498 "works as designed") moves them too. So each next page asks
 *   for the last message returned again (`offset` one less) and must start with it, listing nothing of T
 *   returned before. When it does not, millisecond T is read again whole (`oldest` = `latest` = T), pass after
 *   pass with other page sizes, until one pass lists it consistently (each page starting with the last of the
 *   one before, no message twice); the cursor then moves below T. A server that never settles gets a clear
 *   error, never a silent gap.
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
	// The cursor: messages at or before `cursorMs`, of which those in `bucket` (all at `cursorMs`) are returned;
	// `anchor` is the last of them in the server's order, asked for again as the first of the next page.
	let cursorMs = upper;
	let bucket = new Set<string>();
	let anchor: string | undefined;
	// The most messages one answer held: the anchor needs pages of two at least (a server clamping `count` to 1
	// would answer the anchor alone), so until one is seen the offset alone is used.
	const seen = { pageSize: 0 };
	while (returned < limit && !stopped()) {
		const overlap = anchor !== undefined && seen.pageSize >= 2 ? 1 : 0;
		const page = await ask(cursorMs, lower, bucket.size - overlap, limit - returned + overlap);
		seen.pageSize = Math.max(seen.pageSize, page.length);
		if (page.length === 0 && overlap === 0) return;

		// The page must start with the anchor, and list nothing of millisecond T returned before: otherwise
		// messages of T moved (deleted, inserted late, or another order) and the offset may have skipped one.
		const shifted =
			(overlap === 1 && (page.length === 0 || String(page[0]._id) !== anchor)) ||
			page.slice(overlap).some((message) => millisOf(message, endpoint) === cursorMs && bucket.has(String(message._id)));
		if (shifted) {
			const bucketMs = cursorMs as number;
			for await (const fresh of readMillisecond(ask, endpoint, bucketMs, bucket, limit - returned, stopped, seen)) {
				returned += fresh.length;
				yield fresh;
			}
			if (returned >= limit || stopped()) return;
			cursorMs = bucketMs - 1;
			bucket = new Set();
			anchor = undefined;
			if (lower !== undefined && cursorMs < lower) return;
			continue;
		}

		const rest = overlap ? page.slice(1) : page;
		// Nothing after the anchor: the end.
		if (rest.length === 0) return;
		const fresh: IDataObject[] = [];
		for (const message of rest) {
			const ms = millisOf(message, endpoint);
			const id = String(message._id);
			// Newer than asked for: not in the range (a server that ignored `latest`).
			if (cursorMs !== undefined && ms > cursorMs) continue;
			if (ms !== cursorMs) {
				cursorMs = ms;
				bucket = new Set();
			}
			anchor = id;
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

/**
 * Millisecond T read whole (`oldest` = `latest` = T), pass after pass (each with another page size, so other
 * queries), yielding the messages not in `bucket` (which it extends), until one pass lists T consistently:
 * every page starts with the last message of the page before it and no message comes twice. Such a pass saw
 * every message that stayed in T throughout; a message deleted meanwhile may be missing, a later insert is
 * read by the next catch-up's overlap. A server that never lists T consistently gets a clear error.
 */
async function* readMillisecond(
	ask: (latest: number | undefined, oldest: number | undefined, offset: number, count: number) => Promise<IDataObject[]>,
	endpoint: string,
	bucketMs: number,
	bucket: Set<string>,
	limit: number,
	stopped: () => boolean,
	seen: { pageSize: number },
): AsyncGenerator<IDataObject[], void, undefined> {
	let returned = 0;
	for (let pass = 1; ; pass++) {
		const fresh: IDataObject[] = [];
		const passIds = new Set<string>();
		let anchor: string | undefined;
		let clean = true;
		for (let offset = 0; ; ) {
			if (stopped()) return;
			const overlap = anchor !== undefined && seen.pageSize >= 2 ? 1 : 0;
			const part = await ask(bucketMs, bucketMs, offset - overlap, Math.ceil(PAGE_SIZE / pass) + overlap);
			seen.pageSize = Math.max(seen.pageSize, part.length);
			if (overlap && (part.length === 0 || String(part[0]._id) !== anchor)) {
				clean = false;
				break;
			}
			const rest = overlap ? part.slice(1) : part;
			if (rest.length === 0) break;
			offset += rest.length;
			for (const message of rest) {
				const id = String(message._id);
				if (passIds.has(id)) clean = false;
				passIds.add(id);
				anchor = id;
				if (bucket.has(id) || millisOf(message, endpoint) !== bucketMs) continue;
				bucket.add(id);
				if (returned + fresh.length < limit) fresh.push(message);
			}
			if (!clean) break;
		}
		if (fresh.length) {
			returned += fresh.length;
			yield fresh;
		}
		if (returned >= limit || clean) return;
		if (pass >= MAX_BUCKET_PASSES) {
			throw new Error(
				`Rocket.Chat listed the messages sent at ${new Date(bucketMs).toISOString()} in a different order on every request; could not read them all`,
			);
		}
	}
}
