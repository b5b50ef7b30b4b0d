/**
 * The Realtime API (DDP over WebSocket) of the fake Rocket.Chat, on the fake's own HTTP server at
 * `/websocket`, built with the `ws` package.
 *
 *   const fake = await FakeRocketChat.start();
 *   const realtime = enableRealtime(fake);
 *   // ws://127.0.0.1:<port>/websocket
 *
 * Protocol (reference `rocketchat-api.md` §12; Meteor DDP 1; `ee/apps/ddp-streamer/src/Client.ts`,
 * `apps/meteor/server/modules/listeners/listeners.module.ts`, `notifications.module.ts`):
 * - `connect` (version "1") → `{server_id:"0"}` then `connected` with a session id; another version →
 *   `failed`; any other frame before `connect` → `error` "Must connect first".
 * - `ping` → `pong` (echoing `id`); the server also pings after `pingIntervalMs` of silence and closes the
 *   socket (code 4000 "TIMEOUT") when no frame arrives within `pingTimeoutMs` after that.
 * - method `login` with `{resume: <login token or personal access token>}` → `result` with
 *   `{id, token, tokenExpires:{$date}, type:"resume"}` and `updated`; an unknown token → `result` with
 *   error 403 "You've been logged out by the server. Please log in again.".
 * - sub `stream-room-messages` with `__my_messages__` (every room the user can access: joined rooms and
 *   public channels it has not joined, `roomParticipant` false) or a room id (`nosub` with `not-allowed`
 *   when the user cannot access it) → `ready`; every insert and update of a message in the fake state is
 *   pushed as `changed` with `fields.eventName` (`__my_messages__` or the room id) and `fields.args`
 *   (`[message]`, plus `{roomParticipant, roomType, roomName}` on `__my_messages__`); dates are EJSON
 *   `{$date: <epoch ms>}`. Hidden messages are not streamed (6.10+).
 * - sub `stream-notify-room` with `<rid>/<event>` → `ready`; deletions are pushed as
 *   `<rid>/deleteMessage` `[{_id}]`; method `stream-notify-room` with `["<rid>/user-activity", username,
 *   activities[]]` (activities from `user-typing`, `user-recording`, `user-uploading`; `[]` clears)
 *   is relayed to the other subscribers of that event and answered with an empty `result`; a notice from a
 *   non-member or with another name (the display name with `UI_Use_Real_Name`) is dropped silently.
 * - `unsub` → `nosub`.
 *
 * Test controls: `dropAll()` (terminate every socket), `goDown()` / `comeUp()` / `restart()` (close the
 * HTTP server and reopen it on the same port), `setPing()`, `setUnresponsive()` (read frames but answer
 * nothing, like a half-open connection), and the logs `received`, `sent`, `activities`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import { WebSocket, WebSocketServer } from 'ws';

import type { FakeRocketChat } from './server';
import { type FakeMessage, type FakeRoom, type FakeUser, type MessageChange, randomId, toRestMessage } from './state';

export interface RealtimeOptions {
	/** Silence after which the server pings; 0 turns server pings off. Default 15000 (Meteor's heartbeat). */
	pingIntervalMs?: number;
	/** How long the server waits for any frame after its ping before closing. Default 15000. */
	pingTimeoutMs?: number;
}

export interface DdpFrame {
	msg?: string;
	id?: string;
	method?: string;
	name?: string;
	params?: unknown[];
	[key: string]: unknown;
}

export interface LoggedFrame {
	/** The DDP session id (assigned at `connect`; `''` before). */
	session: string;
	/** Sequential number of the socket (1 for the first connection). */
	connection: number;
	frame: DdpFrame;
	at: Date;
}

export interface ActivityEvent {
	roomId: string;
	username: string;
	activities: string[];
	userId: string;
	at: Date;
}

interface Subscription {
	id: string;
	name: string;
	eventName: string;
}

interface Session {
	socket: WebSocket;
	connection: number;
	id: string;
	connected: boolean;
	user?: FakeUser;
	subscriptions: Map<string, Subscription>;
	lastFrameAt: number;
	pingSentAt?: number;
	timer?: NodeJS.Timeout;
}

const MY_MESSAGES = '__my_messages__';
const ACTIVITIES = new Set(['user-typing', 'user-recording', 'user-uploading']);
const LOGGED_OUT = "You've been logged out by the server. Please log in again.";

/** A Meteor error as DDP sends it in `result.error` and `nosub.error`. */
function ddpError(error: string | number, reason: string): Record<string, unknown> {
	return { isClientSafe: true, error, reason, message: `${reason} [${error}]`, errorType: 'Meteor.Error' };
}

/** Dates → EJSON `{$date: ms}`, recursively. */
export function toEjson(value: unknown): unknown {
	if (value instanceof Date) return { $date: value.getTime() };
	if (Array.isArray(value)) return value.map(toEjson);
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) {
			if (inner !== undefined) out[key] = toEjson(inner);
		}
		return out;
	}
	return value;
}

const registry = new WeakMap<FakeRocketChat, FakeRealtime>();

export class FakeRealtime {
	/** Frames the clients sent, in order. */
	readonly received: LoggedFrame[] = [];
	/** Frames the server sent, in order. */
	readonly sent: LoggedFrame[] = [];
	/** `user-activity` notifications received through the `stream-notify-room` method. */
	readonly activities: ActivityEvent[] = [];
	/** Sockets accepted so far (reconnects count). */
	connections = 0;

	private readonly wss = new WebSocketServer({ noServer: true });
	private readonly sessions = new Set<Session>();
	private readonly detach: () => void;
	private pingIntervalMs: number;
	private pingTimeoutMs: number;
	private unresponsive = false;
	private port = 0;
	private down = false;

	constructor(private readonly fake: FakeRocketChat, options: RealtimeOptions = {}) {
		this.pingIntervalMs = options.pingIntervalMs ?? 15000;
		this.pingTimeoutMs = options.pingTimeoutMs ?? 15000;
		const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head);
		fake.httpServer.on('upgrade', onUpgrade);
		const stopListening = fake.state.onMessage((change) => this.onMessageChange(change));
		this.detach = () => {
			fake.httpServer.off('upgrade', onUpgrade);
			stopListening();
		};
		this.port = fake.port;
	}

	/** `ws://127.0.0.1:<port>/websocket`. */
	get url(): string {
		return `${this.fake.url.replace(/^http/, 'ws')}/websocket`;
	}

	/** Open sockets that completed `connect`. */
	get openSessions(): number {
		return [...this.sessions].filter((session) => session.connected).length;
	}

	/** Subscriptions currently open, over all sessions (e.g. to check that a client resubscribed once). */
	subscriptions(name?: string): Array<{ session: string; name: string; eventName: string }> {
		const out: Array<{ session: string; name: string; eventName: string }> = [];
		for (const session of this.sessions) {
			for (const sub of session.subscriptions.values()) {
				if (!name || sub.name === name) out.push({ session: session.id, name: sub.name, eventName: sub.eventName });
			}
		}
		return out;
	}

	/** Frames received with this `msg` (and method/sub name when given). */
	framesReceived(msg: string, name?: string): LoggedFrame[] {
		return this.received.filter((entry) => entry.frame.msg === msg && (!name || entry.frame.method === name || entry.frame.name === name));
	}

	setPing(options: { intervalMs?: number; timeoutMs?: number }): void {
		if (options.intervalMs !== undefined) this.pingIntervalMs = options.intervalMs;
		if (options.timeoutMs !== undefined) this.pingTimeoutMs = options.timeoutMs;
		for (const session of this.sessions) this.schedulePing(session);
	}

	/** Keep sockets open but read frames without answering and push nothing (a half-open connection). */
	setUnresponsive(unresponsive: boolean): void {
		this.unresponsive = unresponsive;
	}

	/** Terminates every socket without a close frame (a lost connection). */
	dropAll(): number {
		const count = this.sessions.size;
		for (const session of [...this.sessions]) session.socket.terminate();
		return count;
	}

	/** The server goes away: every socket is cut and nothing listens on the port until `comeUp()`. */
	async goDown(): Promise<void> {
		if (this.down) return;
		this.down = true;
		this.port = this.fake.port;
		this.dropAll();
		const server = this.fake.httpServer;
		await new Promise<void>((resolve) => {
			if (!server.listening) {
				resolve();
				return;
			}
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	/** Listens again on the same port. */
	async comeUp(): Promise<void> {
		if (!this.down) return;
		await this.fake.listen(this.port);
		this.down = false;
	}

	/** Closes the server, waits `downMs`, and reopens it on the same port. */
	async restart(downMs = 0): Promise<void> {
		await this.goDown();
		if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
		await this.comeUp();
	}

	/** Detaches from the fake and closes every socket. */
	close(): void {
		this.dropAll();
		this.detach();
		this.wss.close();
		registry.delete(this.fake);
	}

	// ---------------------------------------------------------------- connection

	private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
		const path = (request.url ?? '').split('?')[0];
		if (path !== '/websocket' && path !== '/websocket/') {
			socket.destroy();
			return;
		}
		this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
	}

	private accept(socket: WebSocket): void {
		this.connections += 1;
		const session: Session = {
			socket,
			connection: this.connections,
			id: '',
			connected: false,
			subscriptions: new Map(),
			lastFrameAt: Date.now(),
		};
		this.sessions.add(session);
		socket.on('message', (data) => this.onFrame(session, data.toString()));
		socket.on('close', () => this.forget(session));
		socket.on('error', () => this.forget(session));
	}

	private forget(session: Session): void {
		if (session.timer) clearTimeout(session.timer);
		session.timer = undefined;
		this.sessions.delete(session);
	}

	private send(session: Session, frame: DdpFrame): void {
		if (session.socket.readyState !== WebSocket.OPEN) return;
		this.sent.push({ session: session.id, connection: session.connection, frame, at: new Date() });
		session.socket.send(JSON.stringify(frame));
	}

	/** Server heartbeat: ping after `pingIntervalMs` of silence, close after `pingTimeoutMs` more. */
	private schedulePing(session: Session): void {
		if (session.timer) clearTimeout(session.timer);
		session.timer = undefined;
		if (!session.connected || this.pingIntervalMs <= 0) return;
		const check = () => {
			session.timer = undefined;
			if (!this.sessions.has(session)) return;
			const idle = Date.now() - session.lastFrameAt;
			if (session.pingSentAt !== undefined) {
				if (Date.now() - session.pingSentAt >= this.pingTimeoutMs) {
					session.socket.close(4000, 'TIMEOUT');
					return;
				}
			} else if (idle >= this.pingIntervalMs) {
				session.pingSentAt = Date.now();
				if (!this.unresponsive) this.send(session, { msg: 'ping' });
			}
			const wait = session.pingSentAt !== undefined ? this.pingTimeoutMs - (Date.now() - session.pingSentAt) : this.pingIntervalMs - idle;
			session.timer = setTimeout(check, Math.max(5, wait));
			session.timer.unref();
		};
		session.timer = setTimeout(check, this.pingIntervalMs);
		session.timer.unref();
	}

	private onFrame(session: Session, text: string): void {
		let frame: DdpFrame;
		try {
			frame = JSON.parse(text) as DdpFrame;
		} catch {
			this.received.push({ session: session.id, connection: session.connection, frame: { msg: 'unparsable', text }, at: new Date() });
			this.send(session, { msg: 'error', reason: 'Bad request', offendingMessage: text });
			return;
		}
		this.received.push({ session: session.id, connection: session.connection, frame, at: new Date() });
		if (this.unresponsive) return;
		session.lastFrameAt = Date.now();
		session.pingSentAt = undefined;
		if (session.connected) this.schedulePing(session);

		if (!session.connected) {
			if (frame.msg !== 'connect') {
				this.send(session, { msg: 'error', reason: 'Must connect first', offendingMessage: frame });
				return;
			}
			const support = Array.isArray(frame.support) ? frame.support : [];
			if (frame.version !== '1' && !support.includes('1')) {
				this.send(session, { msg: 'failed', version: '1' });
				return;
			}
			session.connected = true;
			session.id = randomId();
			this.send(session, { server_id: '0' });
			this.send(session, { msg: 'connected', session: session.id });
			this.schedulePing(session);
			return;
		}

		switch (frame.msg) {
			case 'ping':
				this.send(session, frame.id === undefined ? { msg: 'pong' } : { msg: 'pong', id: frame.id });
				return;
			case 'pong':
				return;
			case 'method':
				this.onMethod(session, frame);
				return;
			case 'sub':
				this.onSub(session, frame);
				return;
			case 'unsub':
				if (typeof frame.id === 'string') session.subscriptions.delete(frame.id);
				this.send(session, { msg: 'nosub', id: frame.id });
				return;
			case 'connect':
				this.send(session, { msg: 'error', reason: 'Already connected', offendingMessage: frame });
				return;
			default:
				this.send(session, { msg: 'error', reason: 'Bad request', offendingMessage: frame });
		}
	}

	private onMethod(session: Session, frame: DdpFrame): void {
		const id = frame.id;
		const params = Array.isArray(frame.params) ? frame.params : [];
		const fail = (error: string | number, reason: string) => this.send(session, { msg: 'result', id, error: ddpError(error, reason) });
		if (typeof id !== 'string' || typeof frame.method !== 'string') {
			this.send(session, { msg: 'error', reason: 'Bad request', offendingMessage: frame });
			return;
		}
		if (frame.method === 'login') {
			const options = params[0] as Record<string, unknown> | undefined;
			if (!options || typeof options !== 'object' || typeof options.resume !== 'string') {
				fail(400, 'Unrecognized options for login request');
				return;
			}
			const user = this.fake.state.findUserByToken(options.resume);
			if (!user) {
				fail(403, LOGGED_OUT);
				return;
			}
			if (!user.active) {
				fail('error-user-is-not-activated', 'User is not activated');
				return;
			}
			session.user = user;
			const entry = user.services.resume.loginTokens.find((token) => token.hashedToken && !token.type && token.when);
			const expires = new Date((entry?.when ?? new Date()).getTime() + 90 * 24 * 3600 * 1000);
			this.send(session, { msg: 'result', id, result: { id: user._id, token: options.resume, tokenExpires: { $date: expires.getTime() }, type: 'resume' } });
			this.send(session, { msg: 'updated', methods: [id] });
			return;
		}
		if (frame.method === 'stream-notify-room') {
			this.notifyRoom(session, id, params, fail);
			return;
		}
		fail(404, `Method '${frame.method}' not found`);
	}

	/** The `stream-notify-room` method: only `<rid>/user-activity` (and the pre-4.0 `<rid>/typing`) may be emitted by clients. */
	private notifyRoom(session: Session, id: string, params: unknown[], fail: (error: string | number, reason: string) => void): void {
		const user = session.user;
		const [eventName, username, activities] = params;
		if (!user) {
			fail('not-allowed', 'Not allowed');
			return;
		}
		const match = typeof eventName === 'string' ? /^([^/]+)\/(user-activity|typing)$/.exec(eventName) : null;
		const room = match ? this.fake.state.rooms.get(match[1]) : undefined;
		// `notifications.module.ts` `streamRoom.allowWrite`: the notice must carry the caller's username, or its
		// display name with `UI_Use_Real_Name`, and come from a member; the streamer drops a write that is not
		// allowed without an error (the method still answers an empty `result`).
		const expected = this.fake.state.settings.UI_Use_Real_Name ? user.name : user.username;
		if (!match || !room || !this.fake.state.getSubscription(room._id, user._id) || username !== expected) {
			this.send(session, { msg: 'result', id });
			return;
		}
		if (match[2] === 'user-activity') {
			if (!Array.isArray(activities) || activities.some((activity) => typeof activity !== 'string' || !ACTIVITIES.has(activity))) {
				fail('not-allowed', 'Not allowed');
				return;
			}
			this.activities.push({ roomId: room._id, username: user.username, activities: [...(activities as string[])], userId: user._id, at: new Date() });
		}
		this.broadcast('stream-notify-room', eventName as string, [username, activities], (other) => other !== session);
		this.send(session, { msg: 'result', id });
	}

	private onSub(session: Session, frame: DdpFrame): void {
		const id = frame.id;
		const params = Array.isArray(frame.params) ? frame.params : [];
		const refuse = (error: string | number, reason: string) => this.send(session, { msg: 'nosub', id, error: ddpError(error, reason) });
		if (typeof id !== 'string' || typeof frame.name !== 'string') {
			this.send(session, { msg: 'error', reason: 'Bad request', offendingMessage: frame });
			return;
		}
		const eventName = params[0];
		if (frame.name !== 'stream-room-messages' && frame.name !== 'stream-notify-room') {
			refuse(404, `Subscription '${frame.name}' not found`);
			return;
		}
		if (typeof eventName !== 'string' || !session.user) {
			refuse('not-allowed', 'Not allowed');
			return;
		}
		const user = session.user;
		if (frame.name === 'stream-room-messages' && eventName !== MY_MESSAGES) {
			const room = this.fake.state.rooms.get(eventName);
			if (!room || !this.fake.state.canAccessRoom(user, room)) {
				refuse('not-allowed', 'Not allowed');
				return;
			}
		}
		if (frame.name === 'stream-notify-room') {
			const room = this.fake.state.rooms.get(eventName.split('/')[0]);
			if (!room || !this.fake.state.canAccessRoom(user, room)) {
				refuse('not-allowed', 'Not allowed');
				return;
			}
		}
		session.subscriptions.set(id, { id, name: frame.name, eventName });
		this.send(session, { msg: 'ready', subs: [id] });
	}

	// ---------------------------------------------------------------- pushes

	private broadcast(collection: string, eventName: string, args: unknown[], include: (session: Session) => boolean = () => true): void {
		if (this.unresponsive) return;
		for (const session of this.sessions) {
			if (!session.connected || !include(session)) continue;
			for (const sub of session.subscriptions.values()) {
				if (sub.name === collection && sub.eventName === eventName) {
					this.send(session, { msg: 'changed', collection, id: 'id', fields: { eventName, args } });
				}
			}
		}
	}

	private onMessageChange(change: MessageChange): void {
		const message = change.message;
		const room = this.fake.state.rooms.get(message.rid);
		if (!room) return;
		if (change.type === 'deleted') {
			this.broadcast('stream-notify-room', `${room._id}/deleteMessage`, [{ _id: message._id }]);
			return;
		}
		if (message._hidden || this.unresponsive) return;
		for (const session of this.sessions) {
			if (!session.connected || !session.user) continue;
			for (const sub of session.subscriptions.values()) {
				if (sub.name !== 'stream-room-messages') continue;
				if (sub.eventName === MY_MESSAGES) {
					if (!this.fake.state.canAccessRoom(session.user, room)) continue;
					this.send(session, {
						msg: 'changed',
						collection: 'stream-room-messages',
						id: 'id',
						fields: { eventName: MY_MESSAGES, args: [this.messageFor(message), this.roomInfo(room, session.user)] },
					});
				} else if (sub.eventName === room._id && this.fake.state.canAccessRoom(session.user, room)) {
					this.send(session, {
						msg: 'changed',
						collection: 'stream-room-messages',
						id: 'id',
						fields: { eventName: room._id, args: [this.messageFor(message)] },
					});
				}
			}
		}
	}

	private messageFor(message: FakeMessage): unknown {
		return toEjson(toRestMessage(message));
	}

	private roomInfo(room: FakeRoom, user: FakeUser): Record<string, unknown> {
		const info: Record<string, unknown> = {
			roomParticipant: !!this.fake.state.getSubscription(room._id, user._id),
			roomType: room.t,
		};
		if (room.name !== undefined) info.roomName = room.name;
		return info;
	}
}

/** Adds the Realtime API to a running fake (once; later calls return the same instance). */
export function enableRealtime(fake: FakeRocketChat, options: RealtimeOptions = {}): FakeRealtime {
	let realtime = registry.get(fake);
	if (!realtime) {
		realtime = new FakeRealtime(fake, options);
		registry.set(fake, realtime);
	} else if (options.pingIntervalMs !== undefined || options.pingTimeoutMs !== undefined) {
		realtime.setPing({ intervalMs: options.pingIntervalMs, timeoutMs: options.pingTimeoutMs });
	}
	return realtime;
}

/** A new login token (as `/api/v1/login` creates) for a user, e.g. to resume with a login token instead of a PAT. */
export function issueLoginToken(fake: FakeRocketChat, userId: string): string {
	const user = fake.state.users.get(userId);
	if (!user) throw new Error(`no user ${userId}`);
	return fake.state.createLoginToken(user);
}
