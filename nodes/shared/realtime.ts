/**
 * A small client for Rocket.Chat's Realtime API (DDP 1 over WebSocket, `wss://<host>/websocket`), on the
 * global `WebSocket` (Node ≥ 22; Node 20 with `--experimental-websocket`).
 *
 * Frames and semantics (reference `rocketchat-api.md` §12): `connect` → `connected`; method `login` with
 * `{resume: <personal access token or login token>}`; `sub`/`ready`/`nosub`/`unsub`; pushed `changed`
 * frames; `ping`/`pong` in both directions. Nothing is replayed after a reconnect, so callers pair every
 * (re)connect with a REST catch-up.
 *
 * Timing without timers: waits and the keep-alive loop are built on `sleep` from n8n-workflow in short
 * slices that stop as soon as the connection closes, so a closed client leaves nothing running for longer
 * than one slice.
 */
import { sleep } from 'n8n-workflow';

import { websocketUrl } from './url';

/** Why a realtime operation failed. */
export type RealtimeErrorKind =
	| 'unsupported' // no global WebSocket on this host
	| 'connect' // the socket could not be opened or the server refused DDP
	| 'closed' // the connection ended
	| 'timeout' // no answer in time
	| 'dead' // pings went unanswered
	| 'method' // a method answered with an error
	| 'nosub'; // a subscription was refused or ended by the server

export class RealtimeError extends Error {
	constructor(
		message: string,
		readonly kind: RealtimeErrorKind,
		/** The DDP error object of a failed method or subscription (`{error, reason, message}`). */
		readonly ddpError?: { error?: unknown; reason?: unknown; message?: unknown },
	) {
		super(message);
		this.name = 'RealtimeError';
	}

	/** The DDP error code (e.g. 403 for a refused login token). */
	get code(): string | undefined {
		const code = this.ddpError?.error;
		return code === undefined || code === null ? undefined : String(code);
	}
}

export interface DdpChanged {
	collection: string;
	id: string;
	fields: { eventName?: string; args?: unknown[]; [key: string]: unknown };
}

export interface DdpCloseInfo {
	/** True when `close()` ended the connection. */
	byClient: boolean;
	code?: number;
	reason: string;
}

export interface DdpClientOptions {
	/** `ws(s)://host[/prefix]/websocket`; see `realtimeUrl`. */
	url: string;
	/** Send a ping after this much silence, in milliseconds. Default 30000. */
	pingIntervalMs?: number;
	/** Treat the connection as dead when nothing arrives this long after our ping. Default 30000. */
	pingTimeoutMs?: number;
	/** Longest wait for `connected`, a method result or a subscription's `ready`. Default 30000. */
	timeoutMs?: number;
	/** A WebSocket constructor; default the global one. */
	WebSocket?: WebSocketConstructor;
}

export type WebSocketConstructor = new (url: string) => WebSocket;

interface Pending {
	resolve(value: unknown): void;
	reject(error: Error): void;
}

interface SubscriptionRecord {
	id: string;
	key: string;
	name: string;
	ready: boolean;
	pending?: Pending;
}

/** The global WebSocket constructor, if this runtime has one. */
export function globalWebSocket(): WebSocketConstructor | undefined {
	return typeof WebSocket === 'function' ? (WebSocket as unknown as WebSocketConstructor) : undefined;
}

/** The Realtime API address of a server URL (credentials' Server URL, any accepted form). */
export function realtimeUrl(serverUrl: string): string {
	return websocketUrl(serverUrl);
}

/** Exponential backoff with jitter: a random delay between half and all of `min(max, base·2^attempt)`. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
	const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
	return Math.round(cap / 2 + random() * (cap / 2));
}

/** Waits `ms` in slices of at most `sliceMs`, returning early once `stop()` is true. */
export async function pause(ms: number, stop: () => boolean, sliceMs = 100): Promise<void> {
	const deadline = Date.now() + ms;
	while (!stop()) {
		const left = deadline - Date.now();
		if (left <= 0) return;
		await sleep(Math.min(left, sliceMs));
	}
}

/** Converts EJSON values (`{$date: ms}`) into what the REST API sends (ISO strings), recursively. */
export function fromEjson(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(fromEjson);
	if (value && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		const keys = Object.keys(record);
		if (keys.length === 1 && keys[0] === '$date' && typeof record.$date === 'number') {
			return new Date(record.$date).toISOString();
		}
		const out: Record<string, unknown> = {};
		for (const key of keys) out[key] = fromEjson(record[key]);
		return out;
	}
	return value;
}

function openSocket(Impl: WebSocketConstructor, url: string): WebSocket | RealtimeError {
	try {
		return new Impl(url);
	} catch (error) {
		return new RealtimeError(`Could not open ${url}: ${(error as Error).message}`, 'connect');
	}
}

function describeDdpError(error: unknown): string {
	if (error && typeof error === 'object') {
		const record = error as Record<string, unknown>;
		const reason = record.reason ?? record.message ?? record.error;
		if (reason !== undefined) return String(reason);
	}
	return String(error);
}

/**
 * One DDP connection. Create, `connect()`, `login()`, `subscribe()`, listen with `onChanged()`, and
 * `close()` when done; `closed` resolves when the connection ends for any reason. A client is not
 * reused after it closed: make a new one to reconnect.
 */
export class DdpClient {
	/** The DDP session id after `connect()`. */
	session?: string;

	private socket?: WebSocket;
	private readonly pingIntervalMs: number;
	private readonly pingTimeoutMs: number;
	private readonly timeoutMs: number;
	private readonly sliceMs: number;
	private nextId = 1;
	private readonly methods = new Map<string, Pending>();
	private readonly subscriptions = new Map<string, SubscriptionRecord>();
	private readonly listeners = new Set<(changed: DdpChanged) => void>();
	private readonly nosubListeners = new Set<(error: RealtimeError) => void>();
	private connectPending?: Pending;
	private lastFrameAt = Date.now();
	private pingSentAt?: number;
	private finished?: DdpCloseInfo;
	private resolveClosed!: (info: DdpCloseInfo) => void;
	private keepAliveLoop?: Promise<void>;

	/** Resolves once when the connection ends (dropped, dead, refused or closed by `close()`). */
	readonly closed: Promise<DdpCloseInfo>;

	constructor(private readonly options: DdpClientOptions) {
		this.pingIntervalMs = Math.max(10, options.pingIntervalMs ?? 30000);
		this.pingTimeoutMs = Math.max(10, options.pingTimeoutMs ?? 30000);
		this.timeoutMs = Math.max(10, options.timeoutMs ?? 30000);
		this.sliceMs = Math.max(5, Math.min(100, Math.floor(Math.min(this.pingIntervalMs, this.pingTimeoutMs) / 4)));
		this.closed = new Promise<DdpCloseInfo>((resolve) => (this.resolveClosed = resolve));
	}

	get isOpen(): boolean {
		return !this.finished && this.session !== undefined;
	}

	/** Opens the socket and completes the DDP handshake. */
	async connect(): Promise<string> {
		if (this.finished) throw new RealtimeError('This realtime connection is already closed', 'closed');
		const Impl = this.options.WebSocket ?? globalWebSocket();
		if (!Impl) {
			throw new RealtimeError('This n8n host has no WebSocket client (Node.js 22 or newer is needed)', 'unsupported');
		}
		const socket = openSocket(Impl, this.options.url);
		if (socket instanceof RealtimeError) throw socket;
		this.socket = socket;
		const connected = new Promise<unknown>((resolve, reject) => (this.connectPending = { resolve, reject }));
		socket.addEventListener('open', () => {
			this.lastFrameAt = Date.now();
			this.send({ msg: 'connect', version: '1', support: ['1'] });
		});
		socket.addEventListener('message', (event: MessageEvent) => this.onMessage(event.data));
		socket.addEventListener('error', () => {
			this.finish({ byClient: false, reason: 'lost (network error)' });
		});
		socket.addEventListener('close', (event: CloseEvent) => {
			const reason = event.reason ? `closed by the server (${event.code} ${event.reason})` : `closed (${event.code})`;
			this.finish({ byClient: false, code: event.code, reason });
		});
		const failure = await this.withTimeout(connected, `connecting to ${this.options.url}`).then(
			() => undefined,
			(error: Error) => error,
		);
		if (failure) {
			this.abort();
			throw failure;
		}
		this.keepAliveLoop = this.keepAlive();
		return this.session as string;
	}

	/** Calls a DDP method and resolves with its `result`. */
	async call(method: string, params: unknown[] = []): Promise<unknown> {
		this.assertOpen();
		const id = String(this.nextId++);
		const answer = new Promise<unknown>((resolve, reject) => this.methods.set(id, { resolve, reject }));
		this.send({ msg: 'method', method, id, params });
		try {
			return await this.withTimeout(answer, `waiting for the answer to "${method}"`);
		} finally {
			this.methods.delete(id);
		}
	}

	/** `login` with a resume token (personal access token or login token); resolves with the user id. */
	async login(token: string): Promise<string> {
		const result = (await this.call('login', [{ resume: token }])) as { id?: unknown } | undefined;
		return typeof result?.id === 'string' ? result.id : '';
	}

	/**
	 * Subscribes and waits for `ready`. The same name and parameters subscribed again first end the
	 * earlier subscription, so a resubscription never doubles the events.
	 */
	async subscribe(name: string, params: unknown[]): Promise<string> {
		this.assertOpen();
		const key = `${name}\n${JSON.stringify(params)}`;
		for (const existing of [...this.subscriptions.values()]) {
			if (existing.key === key) this.unsubscribe(existing.id);
		}
		const id = `s${this.nextId++}`;
		const record: SubscriptionRecord = { id, key, name, ready: false };
		const ready = new Promise<unknown>((resolve, reject) => (record.pending = { resolve, reject }));
		this.subscriptions.set(id, record);
		this.send({ msg: 'sub', id, name, params });
		const failure = await this.withTimeout(ready, `subscribing to ${name}`).then(
			() => undefined,
			(error: Error) => error,
		);
		if (failure) {
			this.subscriptions.delete(id);
			throw failure;
		}
		return id;
	}

	unsubscribe(id: string): void {
		if (!this.subscriptions.delete(id)) return;
		if (!this.finished) this.send({ msg: 'unsub', id });
	}

	/** Listens to pushed `changed` frames; returns the function that stops listening. */
	onChanged(listener: (changed: DdpChanged) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Called when the server ends a subscription that was ready. */
	onSubscriptionEnded(listener: (error: RealtimeError) => void): () => void {
		this.nosubListeners.add(listener);
		return () => this.nosubListeners.delete(listener);
	}

	/** Closes the connection and waits for the keep-alive loop to stop. */
	async close(reason = 'closed by the client'): Promise<void> {
		if (!this.finished) {
			this.finish({ byClient: true, code: 1000, reason });
			this.abort(1000);
		}
		await this.keepAliveLoop;
	}

	// ---------------------------------------------------------------- internals

	private assertOpen(): void {
		if (this.finished) throw new RealtimeError(`The realtime connection is ${this.finished.reason}`, 'closed');
		if (!this.socket || this.session === undefined) throw new RealtimeError('The realtime connection is not open', 'closed');
	}

	private send(frame: Record<string, unknown>): void {
		const socket = this.socket;
		if (!socket || this.finished || socket.readyState !== 1) return;
		try {
			socket.send(JSON.stringify(frame));
		} catch (error) {
			this.finish({ byClient: false, reason: `lost: sending failed (${(error as Error).message})` });
		}
	}

	private abort(code = 1000): void {
		const socket = this.socket;
		if (!socket) return;
		try {
			if (socket.readyState === 0 || socket.readyState === 1) socket.close(code);
		} catch {
			// The socket is already closing; nothing left to release.
		}
	}

	/** Ends the connection once: rejects what waits, resolves `closed`. */
	private finish(info: DdpCloseInfo): void {
		if (this.finished) return;
		this.finished = info;
		const error = new RealtimeError(`The realtime connection was ${info.reason}`, info.byClient ? 'closed' : 'closed');
		this.connectPending?.reject(new RealtimeError(`Could not connect to ${this.options.url}: ${info.reason}`, 'connect'));
		this.connectPending = undefined;
		for (const pending of this.methods.values()) pending.reject(error);
		this.methods.clear();
		for (const record of this.subscriptions.values()) record.pending?.reject(error);
		this.subscriptions.clear();
		this.resolveClosed(info);
	}

	private async withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
		let settled = false;
		const guard = (async (): Promise<never> => {
			const deadline = Date.now() + this.timeoutMs;
			while (!settled && !this.finished && Date.now() < deadline) {
				await sleep(Math.min(this.sliceMs, Math.max(1, deadline - Date.now())));
			}
			if (!settled && !this.finished) {
				throw new RealtimeError(`No answer from the server after ${Math.round(this.timeoutMs / 1000)} s ${what}`, 'timeout');
			}
			// Closed meanwhile: the promise itself is rejected by finish().
			return await new Promise<never>(() => undefined);
		})();
		try {
			return await Promise.race([promise, guard]);
		} finally {
			settled = true;
			guard.catch(() => undefined);
		}
	}

	/** Pings after silence; ends the connection when a ping stays unanswered. */
	private async keepAlive(): Promise<void> {
		let pingId = 0;
		while (!this.finished) {
			await sleep(this.sliceMs);
			if (this.finished) return;
			const now = Date.now();
			if (this.pingSentAt === undefined) {
				if (now - this.lastFrameAt >= this.pingIntervalMs) {
					this.pingSentAt = now;
					this.send({ msg: 'ping', id: `ping-${++pingId}` });
				}
			} else if (now - this.pingSentAt >= this.pingTimeoutMs) {
				const seconds = Math.round((now - this.lastFrameAt) / 1000);
				this.finish({ byClient: false, code: 4000, reason: `dropped: silent for ${seconds} s (no answer to ping)` });
				this.abort(4000);
				return;
			}
		}
	}

	private onMessage(data: unknown): void {
		if (this.finished) return;
		this.lastFrameAt = Date.now();
		this.pingSentAt = undefined;
		let frame: Record<string, unknown>;
		try {
			frame = JSON.parse(typeof data === 'string' ? data : String(data)) as Record<string, unknown>;
		} catch {
			return;
		}
		switch (frame.msg) {
			case 'connected':
				this.session = String(frame.session ?? '');
				this.connectPending?.resolve(this.session);
				this.connectPending = undefined;
				return;
			case 'failed':
				this.connectPending?.reject(new RealtimeError(`The server does not speak DDP version 1 (it offers ${String(frame.version)})`, 'connect'));
				this.connectPending = undefined;
				return;
			case 'ping':
				this.send(frame.id === undefined ? { msg: 'pong' } : { msg: 'pong', id: frame.id });
				return;
			case 'result': {
				const pending = this.methods.get(String(frame.id));
				if (!pending) return;
				this.methods.delete(String(frame.id));
				if (frame.error) {
					const ddpError = frame.error as RealtimeError['ddpError'];
					pending.reject(new RealtimeError(describeDdpError(frame.error), 'method', ddpError));
				} else {
					pending.resolve(frame.result);
				}
				return;
			}
			case 'ready':
				for (const id of Array.isArray(frame.subs) ? frame.subs : []) {
					const record = this.subscriptions.get(String(id));
					if (record && !record.ready) {
						record.ready = true;
						record.pending?.resolve(undefined);
						record.pending = undefined;
					}
				}
				return;
			case 'nosub': {
				const record = this.subscriptions.get(String(frame.id));
				if (!record) return;
				this.subscriptions.delete(record.id);
				const error = new RealtimeError(
					frame.error ? `The server refused the subscription to ${record.name}: ${describeDdpError(frame.error)}` : `The server ended the subscription to ${record.name}`,
					'nosub',
					frame.error as RealtimeError['ddpError'],
				);
				if (record.pending) {
					record.pending.reject(error);
				} else {
					for (const listener of this.nosubListeners) listener(error);
				}
				return;
			}
			case 'changed':
			case 'added':
				for (const listener of this.listeners) {
					listener({
						collection: String(frame.collection ?? ''),
						id: String(frame.id ?? ''),
						fields: (frame.fields ?? {}) as DdpChanged['fields'],
					});
				}
				return;
			default:
				return;
		}
	}
}

/**
 * Opens a connection, logs in with the resume token, runs `work`, and closes the connection again.
 * For one-off calls such as a typing indicator.
 */
export async function withRealtimeSession<T>(
	options: DdpClientOptions & { token: string },
	work: (client: DdpClient) => Promise<T>,
): Promise<T> {
	const client = new DdpClient(options);
	try {
		await client.connect();
		await client.login(options.token);
		return await work(client);
	} finally {
		await client.close();
	}
}
