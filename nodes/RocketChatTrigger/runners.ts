/**
 * The two ways messages reach the feed: a realtime connection that reconnects by itself, and polling on
 * an n8n cron. Both catch up over REST first (activation, and after every reconnect).
 */
import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { backoffDelay, DdpClient, pause, RealtimeError, realtimeUrl } from '../shared/realtime';
import { historyEndpoint, iterateHistory } from '../shared/history';
import type { RoomInfo } from './catchUp';
import { toMillis } from './catchUp';
import type { MessageFeed } from './feed';
import { isFatal } from './feed';
import { passesFilters } from './filters';
import { item, messageJson } from './output';

export interface RealtimeTiming {
	pingIntervalMs: number;
	reconnectBaseMs: number;
	reconnectMaxMs: number;
}

/** Realtime: first and longest wait before reading rooms whose catch-up failed again. */
const RETRY_BASE_MS = 2000;
const RETRY_MAX_MS = 60_000;

/** How long closing waits for a request in flight (its result is dropped: nothing is emitted after close). */
const STOP_WAIT_MS = 5000;

async function waitAtMost(work: Promise<unknown> | undefined, ms: number): Promise<void> {
	if (!work) return;
	let done = false;
	const finished = work.then(
		() => (done = true),
		() => (done = true),
	);
	await Promise.race([finished, pause(ms, () => done, 50)]);
}

/**
 * Realtime: connect, log in with the resume token, subscribe, catch up (pushed messages wait meanwhile),
 * then stream until the connection ends; reconnect with exponential backoff and jitter. A refused token or
 * room stops the trigger through `emitError`; everything else is retried.
 */
export class RealtimeRunner {
	private client?: DdpClient;
	private loop?: Promise<void>;

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly feed: MessageFeed,
		private readonly timing: RealtimeTiming,
		/** Manual mode: no catch-up, only messages that arrive while listening. */
		private readonly manual: boolean,
		/** Username/password credentials (their session token can expire; a PAT cannot). */
		private readonly usesPassword: boolean,
	) {}

	start(): void {
		this.loop ??= this.run();
	}

	async stop(): Promise<void> {
		this.feed.stopped = true;
		await this.client?.close();
		await waitAtMost(this.loop, STOP_WAIT_MS);
		await this.feed.drain(STOP_WAIT_MS);
	}

	private async login(ddp: DdpClient): Promise<void> {
		const session = await this.feed.client.session();
		const failure = await ddp.login(session.authToken).then(
			() => undefined,
			(error: Error) => error,
		);
		if (!failure) return;
		// A username/password session may have ended: log in again once.
		if (this.usesPassword && failure instanceof RealtimeError && failure.code === '403') {
			this.feed.renewClient();
			await ddp.login((await this.feed.client.session()).authToken);
			return;
		}
		throw failure;
	}

	private async retryFailedRooms(ddp: DdpClient): Promise<void> {
		const feed = this.feed;
		let attempt = 0;
		let open = true;
		void ddp.closed.then(() => (open = false));
		while (open && !feed.stopped && !this.manual && feed.hasRoomsToRetry) {
			await pause(backoffDelay(attempt++, RETRY_BASE_MS, RETRY_MAX_MS), () => !open || feed.stopped);
			if (!open || feed.stopped) return;
			await feed.enqueue(async () => await feed.catchUp()).catch((error) => {
				if (isFatal(error)) feed.fail(error);
				else feed.report('catching up failed rooms failed; retrying', error);
			});
		}
	}

	private async run(): Promise<void> {
		const feed = this.feed;
		let attempt = 0;
		let streamedBefore = false;
		while (!feed.stopped) {
			const ddp = new DdpClient({
				url: realtimeUrl(feed.client.server),
				pingIntervalMs: this.timing.pingIntervalMs,
				pingTimeoutMs: this.timing.pingIntervalMs,
				timeoutMs: Math.min(30_000, Math.max(1000, 2 * this.timing.pingIntervalMs)),
			});
			this.client = ddp;
			let ended: RealtimeError | undefined;
			try {
				if (!feed.prepared) await feed.enqueue(async () => await feed.prepare());
				if (feed.stopped) break;
				await ddp.connect();
				await this.login(ddp);
				feed.hold();
				ddp.onChanged((changed) => {
					if (changed.collection === 'stream-room-messages') feed.onPushed(changed.fields.args ?? []);
				});
				ddp.onSubscriptionEnded((error) => {
					ended = error;
					void ddp.close(error.message);
				});
				for (const params of feed.subscriptionParams()) await ddp.subscribe('stream-room-messages', params);
				if (!this.manual) await feed.enqueue(async () => await feed.catchUp());
				feed.release();
				if (streamedBefore) this.ctx.logger.info('Rocket.Chat Trigger: realtime connection restored and missed messages caught up');
				streamedBefore = true;
				attempt = 0;
				// Rooms whose read failed are read again while the connection lasts (polling does it every tick).
				void this.retryFailedRooms(ddp);
				const closed = await ddp.closed;
				if (feed.stopped) break;
				if (ended && isFatal(ended)) {
					feed.fail(ended);
					break;
				}
				feed.report(`the realtime connection was ${closed.reason}; reconnecting`, undefined);
			} catch (error) {
				feed.discardHeld();
				if (feed.stopped) break;
				if (isFatal(error)) {
					feed.fail(error);
					break;
				}
				feed.report('the realtime connection failed; retrying', error);
			} finally {
				await ddp.close();
			}
			if (feed.stopped) break;
			await pause(backoffDelay(attempt++, this.timing.reconnectBaseMs, this.timing.reconnectMaxMs), () => feed.stopped);
		}
	}
}

/** n8n cron expression (seconds first) for an interval. */
export function cronExpression(interval: number, unit: string): string {
	const every = Math.max(1, Math.min(59, Math.floor(interval)));
	if (unit === 'seconds') return `*/${every} * * * * *`;
	if (unit === 'hours') return `0 0 */${Math.min(23, every)} * * *`;
	return `0 */${every} * * * *`;
}

/** Polling: one catch-up at activation, then one per cron tick; ticks never overlap. */
export class PollingRunner {
	private running?: Promise<void>;

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly feed: MessageFeed,
		private readonly expression: string,
	) {}

	start(): void {
		this.ctx.helpers.registerCron({ expression: this.expression as never }, () => this.tick());
		this.tick();
	}

	tick(): void {
		if (this.running || this.feed.stopped) return;
		const feed = this.feed;
		this.running = feed
			.enqueue(async () => await feed.catchUp())
			.catch((error) => {
				if (feed.stopped) return;
				if (isFatal(error)) feed.fail(error);
				else feed.report('polling failed; retrying at the next poll', error);
			})
			.finally(() => {
				this.running = undefined;
			});
	}

	async stop(): Promise<void> {
		this.feed.stopped = true;
		await waitAtMost(this.running, STOP_WAIT_MS);
		await this.feed.drain(STOP_WAIT_MS);
	}
}

/** How many of a room's newest messages the sample looks through. */
const SAMPLE_DEPTH = 100;

/** The newest of the room's last SAMPLE_DEPTH messages that passes the filters, read page by page. */
async function newestPassing(feed: MessageFeed, room: RoomInfo): Promise<IDataObject | undefined> {
	if (!historyEndpoint(room.t)) return undefined;
	for await (const page of iterateHistory((request) => feed.client.request<IDataObject>(request), {
		roomId: room._id,
		roomType: room.t,
		showThreadMessages: feed.settings.filters.threads !== 'topLevel',
		limit: SAMPLE_DEPTH,
	})) {
		const found = page.find((message) => passesFilters(feed.settings.filters, message, feed.me));
		if (found) return found;
	}
	return undefined;
}

/**
 * "Execute step" (manual mode) with Polling: the latest message of the watched rooms that passes the
 * filters, as a sample. The cursor is not touched.
 */
export async function emitSample(ctx: ITriggerFunctions, feed: MessageFeed): Promise<void> {
	await feed.prepare();
	const rooms = feed
		.watchedRooms()
		.filter((room) => feed.settings.filters.roomTypes.has(room.t))
		.sort((a, b) => (b.lastMessageAt ?? b.updatedAt ?? 0) - (a.lastMessageAt ?? a.updatedAt ?? 0))
		.slice(0, 20);
	let best: { message: IDataObject; room: (typeof rooms)[number]; ts: number } | undefined;
	for (const room of rooms) {
		const message = await newestPassing(feed, room);
		const ts = toMillis(message?.ts) ?? 0;
		if (message && (!best || ts > best.ts)) best = { message, room, ts };
	}
	if (!best) {
		throw new NodeOperationError(ctx.getNode(), 'No message in the watched rooms matches the filters', {
			description: 'Post a message that passes the filters in one of the watched rooms and listen again, or loosen the filters.',
		});
	}
	ctx.emit([[item(messageJson(best.message, best.room, feed.settings.simplify, feed.client.server, false))]]);
}
