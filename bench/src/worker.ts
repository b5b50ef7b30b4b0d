/**
 * The fake Rocket.Chat in a worker thread (or a child process). The benchmarks run the node in the main thread and the
 * server here, so that the server's work does not count in the node's heap and both sides run in
 * parallel as a client and a remote server would. The main thread drives the server by messages
 * (`{id, method, args}` → `{id, result}` or `{id, error}`), see `remote.ts`.
 */
import { rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { parentPort } from 'node:worker_threads';

import { FakeRocketChat, type FakeOptions, type FakeUser, type RateLimitRule, type RoomType } from '../../test/fake';
import { enableRealtime, type FakeRealtime } from '../../test/fake/realtime';

/** The main side: the parent thread, or the parent process (started with `fork`, advanced serialization). */
interface Channel {
	onMessage(listener: (message: { id: number; method: keyof WorkerMethods; args: unknown[] }) => void): void;
	postMessage(message: unknown): void;
}
const thread = parentPort;
const port: Channel | undefined = thread
	? { onMessage: (listener) => void thread.on('message', listener), postMessage: (message) => thread.postMessage(message) }
	: process.send
		? { onMessage: (listener) => void process.on('message', listener), postMessage: (message) => void process.send?.(message) }
		: undefined;
if (!port) throw new Error('worker.ts runs as a worker thread or a forked process');

let fake: FakeRocketChat | undefined;
let realtime: FakeRealtime | undefined;
/** Response body bytes per endpoint, counted as the server writes them. */
const bytesByEndpoint = new Map<string, number>();
/** Message id → `process.hrtime` (ns, as a string) right after the realtime server broadcast it. */
let broadcasts = new Map<string, string>();
let stopBroadcastLog: (() => void) | undefined;

function server(): FakeRocketChat {
	if (!fake) throw new Error('the fake is not started');
	return fake;
}

function user(userId: string): FakeUser {
	const found = server().state.users.get(userId);
	if (!found) throw new Error(`no user ${userId}`);
	return found;
}

function endpointOf(url: string): string {
	const path = url.split('?')[0];
	return path.startsWith('/api/v1/') ? path.slice('/api/v1/'.length) : path;
}

/** Counts the bytes of every response body (what a client downloads). */
function countResponseBytes(instance: FakeRocketChat): void {
	instance.httpServer.prependListener('request', (req, res: ServerResponse) => {
		const endpoint = endpointOf(req.url ?? '/');
		const add = (chunk: unknown) => {
			if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
			const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Buffer).length;
			bytesByEndpoint.set(endpoint, (bytesByEndpoint.get(endpoint) ?? 0) + size);
		};
		const write = res.write.bind(res) as (...args: unknown[]) => boolean;
		const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
		res.write = ((chunk: unknown, ...rest: unknown[]) => {
			add(chunk);
			return write(chunk, ...rest);
		}) as ServerResponse['write'];
		res.end = ((chunk?: unknown, ...rest: unknown[]) => {
			add(chunk);
			return end(chunk, ...rest);
		}) as ServerResponse['end'];
	});
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface RequestSummary {
	method: string;
	endpoint: string;
	rawUrl: string;
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	status: number;
	at: number;
}

const methods = {
	async start(options: FakeOptions = {}) {
		fake = await FakeRocketChat.start(options);
		countResponseBytes(fake);
		return { url: fake.url, fixtures: fake.fixtures };
	},

	async stop() {
		stopBroadcastLog?.();
		realtime?.close();
		await fake?.stop();
		fake = undefined;
		return true;
	},

	enableRealtime(options: { pingIntervalMs?: number } = {}) {
		realtime = enableRealtime(server(), { pingIntervalMs: options.pingIntervalMs ?? 0 });
		// Registered after the realtime server's own listener: runs right after the frames were handed to the sockets.
		stopBroadcastLog?.();
		stopBroadcastLog = server().state.onMessage((change) => {
			if (change.type === 'inserted') broadcasts.set(change.message._id, process.hrtime.bigint().toString());
		});
		return realtime.url;
	},

	realtimeSubscriptions(name?: string) {
		return realtime ? realtime.subscriptions(name).length : 0;
	},

	setRateLimit(options: { enabled?: boolean; default?: RateLimitRule; perEndpoint?: Record<string, RateLimitRule> }) {
		server().setRateLimit(options);
		return true;
	},

	resetRateLimits() {
		server().resetRateLimits();
		return true;
	},

	createRoom(type: RoomType, name: string, creatorId: string, memberIds: string[], backdateMs = 0) {
		const state = server().state;
		const ts = backdateMs ? new Date(Date.now() - backdateMs) : undefined;
		const room = state.createRoom(type, name, user(creatorId), memberIds.map(user), ts ? { ts } : {});
		return room._id;
	},

	/** `count` messages by `userId`, back-dated one `stepMs` apart and ending `endAgoMs` before now (distinct, past timestamps). */
	seedMessages(roomId: string, userId: string, count: number, options: { stepMs?: number; endAgoMs?: number; text?: string } = {}) {
		const state = server().state;
		const author = user(userId);
		const step = options.stepMs ?? 1000;
		const end = Date.now() - (options.endAgoMs ?? 60_000);
		const text = options.text ?? 'Seeded message number';
		for (let index = 0; index < count; index++) {
			state.postMessage(roomId, author, `${text} ${index}`, { ts: new Date(end - (count - 1 - index) * step) });
		}
		return state.messagesOf(roomId).length;
	},

	/** How many rooms the user is a member of. */
	roomCountOf(userId: string) {
		return server().state.subscriptionsOfUser(userId).length;
	},

	/** A full collection of the worker's heap (the process runs with `--expose-gc`), e.g. after seeding. */
	gc() {
		(globalThis as { gc?: () => void }).gc?.();
		return true;
	},

	/** Changes a server setting, e.g. `FileUpload_MaxFileSize`. */
	setSetting(key: string, value: unknown) {
		server().state.settings[key] = value;
		return true;
	},

	/** An upload's size and where its bytes are (a temporary file for big ones). */
	fileInfo(fileId: string) {
		const file = server().state.files.get(fileId);
		return file ? { size: file.size, diskPath: file.diskPath, url: file.url } : undefined;
	},

	/** Removes an upload and its temporary file. */
	deleteFile(fileId: string) {
		const file = server().state.files.get(fileId);
		if (file?.diskPath) rmSync(file.diskPath, { force: true });
		server().state.files.delete(fileId);
		return true;
	},

	messageCount(roomId: string) {
		return server().state.messagesOf(roomId).length;
	},

	/** Posts messages now (as `chat.postMessage` would store them): one per room in `roomIds`, `perRoom` times. */
	postNow(roomIds: string[], userId: string, perRoom = 1, text = 'Polled message') {
		const state = server().state;
		const author = user(userId);
		const ids: string[] = [];
		for (let round = 0; round < perRoom; round++) {
			for (const roomId of roomIds) ids.push(state.postMessage(roomId, author, `${text} ${round}`)._id);
		}
		return ids;
	},

	/**
	 * Posts `count` messages into `roomId`, one every `intervalMs` on a fixed schedule (messages that fall
	 * due together are posted together), and answers each message's broadcast time.
	 */
	async postSchedule(roomId: string, userId: string, count: number, intervalMs: number, text = 'Realtime message') {
		const state = server().state;
		const author = user(userId);
		broadcasts = new Map();
		const start = performance.now();
		const ids: string[] = [];
		while (ids.length < count) {
			const due = Math.min(count, Math.floor((performance.now() - start) / intervalMs) + 1);
			while (ids.length < due) ids.push(state.postMessage(roomId, author, `${text} ${ids.length}`)._id);
			if (ids.length < count) await sleep(Math.max(0, start + ids.length * intervalMs - performance.now()));
		}
		const elapsedMs = performance.now() - start;
		return { elapsedMs, sent: ids.map((id) => [id, broadcasts.get(id) ?? '']) as Array<[string, string]> };
	},

	clearRequests() {
		server().clearRequests();
		bytesByEndpoint.clear();
		return true;
	},

	/** The request log, optionally of one endpoint, without the parts the benchmarks do not need. */
	requests(filter: { endpoint?: string; withBodies?: boolean; withHeaders?: boolean } = {}) {
		return server()
			.requests.filter((request) => !filter.endpoint || request.endpoint === filter.endpoint)
			.map(
				(request): RequestSummary => ({
					method: request.method,
					endpoint: request.endpoint,
					rawUrl: request.rawUrl,
					body: filter.withBodies ? request.body : undefined,
					headers: filter.withHeaders ? { ...request.headers } : {},
					status: request.status,
					at: request.at.getTime(),
				}),
			);
	},

	requestCount(endpoint?: string) {
		return server().requests.filter((request) => !endpoint || request.endpoint === endpoint).length;
	},

	responseBytes(endpoint: string) {
		return bytesByEndpoint.get(endpoint) ?? 0;
	},
};

export type WorkerMethods = typeof methods;

port.onMessage((message) => {
	const handler = methods[message.method] as (...args: unknown[]) => unknown;
	Promise.resolve()
		.then(() => handler(...message.args))
		.then(
			(result) => port.postMessage({ id: message.id, result }),
			(error: Error) => port.postMessage({ id: message.id, error: `${error?.message ?? String(error)}\n${error?.stack ?? ''}` }),
		);
});
