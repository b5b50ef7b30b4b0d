/**
 * The fake Rocket.Chat server: routing, authentication, validation, rate limiter, paging, fault injection
 * and a request log, on node:http.
 *
 * Request pipeline (order as in `apps/meteor/server/api/ApiClass.ts` @0358e0dc and
 * `@rocket.chat/http-router` `Router.ts`):
 *   fault injection (a proxy in front of the server)
 *   → route lookup (unknown route: 404 outside the JSON envelope)
 *   → authentication (401 `You must be logged in to do this.`)
 *   → route permissions (403 `... [error-unauthorized]`)
 *   → typed routes: query then body validation (400) → rate limiter (429) → handler
 *   → legacy routes: rate limiter (429) → validation (400 `... [invalid-params]`) → handler
 */
import { rmSync } from 'node:fs';
import * as http from 'node:http';
import type { Socket } from 'node:net';

import { ApiFailure, internalError, isRouteResult, meteorError, PERMISSION_DENIED_BODY, UNAUTHORIZED_BODY, type RouteResult } from './errors';
import { registerDefaultHandlers } from './handlers';
import { headerValue, type BodyKind, type Pagination, paginationFromQuery, parseBody, parseMultipart, parseQueryString } from './request';
import { seedDefaults, type Fixtures } from './seed';
import { FakeState, type FakeUser } from './state';
import { lineOf, runUpstream, type AjvValidate, type ServerLine, upstreamRule, upstreamValidator, versionAtLeast } from './upstream';
import { type CoerceMode, isPlainObject, joinErrorMessages, type Schema, validate } from './validation';

export { ApiFailure, apiFailure, failure, forbidden, internalError, meteorError, notFound, respond, unauthorized, unavailable } from './errors';
export type { RouteResult } from './errors';
export { FakeState } from './state';
export type { FakeUser, FakeRoom, FakeSubscription, FakeMessage, FakeFile } from './state';
export type { Schema } from './validation';
export type { Fixtures, FixtureUser } from './seed';
export type { Pagination, BodyKind, MultipartData, MultipartFile } from './request';
export { paginateItems, sortItems, parseMultipart } from './request';

export interface RateLimitRule {
	calls: number;
	windowMs: number;
	/** Permissions that also bypass this rule (route `rateLimiterOptions.bypassPermissions`). */
	bypassPermissions?: string[];
}

export interface FakeOptions {
	/** Default 0 = a free port; the server always listens on 127.0.0.1. */
	port?: number;
	/** Full server version, default '8.8.1'. */
	version?: string;
	rateLimit?: {
		enabled?: boolean;
		default?: RateLimitRule;
		perEndpoint?: Record<string, RateLimitRule>;
		bypassRoles?: string[];
	};
	/** Default true: seed the default fixtures. */
	seed?: boolean;
	/** `API_Upper_Count_Limit`, default 100. */
	upperCountLimit?: number;
	/** `API_Default_Count`, default 50. */
	defaultCount?: number;
	/** `API_Allow_Infinite_Count`, default true. */
	allowInfiniteCount?: boolean;
}

export interface LoggedRequest {
	method: string;
	/** Path without the query string, exactly as received (not decoded). */
	path: string;
	/** The request target exactly as received, to check client-side encoding. */
	rawUrl: string;
	query: Record<string, unknown>;
	body: unknown;
	headers: http.IncomingHttpHeaders;
	/** Response status; 0 while pending or when the connection was dropped. */
	status: number;
	/** The matched route's path (e.g. `rooms.media/:rid`), else the path after `/api/v1/`, else the path. */
	endpoint: string;
	at: Date;
}

export interface FaultSpec {
	method?: string;
	/** Route path (`chat.postMessage`, `rooms.media/:rid`), the endpoint as requested, the full path, or `*`. */
	endpoint: string;
	/** How many requests it applies to; default 1. */
	times?: number;
	status?: number;
	body?: string | object;
	contentType?: string;
	headers?: Record<string, string>;
	/** Drop the connection without an answer. */
	destroySocket?: boolean;
	/**
	 * Let the request reach its handler (its changes to the state happen), then drop the connection
	 * instead of sending the answer: a response lost on its way back. Other fields are ignored.
	 */
	dropResponse?: boolean;
	/** Wait before answering; alone (no status/body/destroySocket) the request then proceeds normally. */
	delayMs?: number;
	/**
	 * Let the request reach its handler, send the answer's headers (with the full Content-Length) and the
	 * first `cutAfterBytes` bytes of its body, then drop the connection: a download cut off mid-way.
	 */
	cutAfterBytes?: number;
}

export interface RouteContext {
	method: string;
	/** The route path as registered (`subscriptions.getOne`, `rooms.media/:rid`, `/api/info`). */
	endpoint: string;
	/** Request path without query. */
	path: string;
	/** Values of `:name` path segments (decoded). */
	params: Record<string, string>;
	/** Parsed query; coerced by the route's query schema when it has one. */
	query: Record<string, unknown>;
	/** Parsed body (JSON value, form object, text, `{}` when empty or multipart); coerced by the body schema. */
	body: unknown;
	bodyKind: BodyKind;
	rawBody: Buffer;
	headers: http.IncomingHttpHeaders;
	/** The request; routes with `streamBody` read the body from it themselves. */
	req: http.IncomingMessage;
	/** Replaces what the request log shows as the body (streamed routes log a summary). */
	logBody(body: unknown): void;
	/** Set when `X-User-Id`/`X-Auth-Token` authenticated. */
	user?: FakeUser;
	/** The plain `X-Auth-Token` that authenticated `user`. */
	authToken?: string;
	state: FakeState;
	server: FakeRocketChat;
	/** §5.1 paging: offset, count (default 50, clamped to 100, 0 = unlimited), sort (400 `error-invalid-sort`). */
	paginate(): Pagination;
	/** Global roles plus the user's room roles in `roomId`. */
	hasPermission(permission: string, roomId?: string): boolean;
}


export interface RouteDef {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	/** Endpoint under /api/v1/ (`subscriptions.getOne`, `rooms.media/:rid`), or an absolute path with `absolute: true`. */
	path: string;
	absolute?: boolean;
	/** Default true. */
	auth?: boolean;
	query?: Schema;
	body?: Schema;
	/**
	 * How a schema failure is answered:
	 * - `'legacy'` (default; routes registered with `addRoute` + `validateParams`): counted by the rate
	 *   limiter first, then 400 `{success:false, error:"<messages> [invalid-params]", errorType:"invalid-params"}`;
	 * - `'typed'` (routes registered with `API.v1.get/post` and `query`/`body` validators, validated by
	 *   `@rocket.chat/http-router` before the rate limiter): 400
	 *   `{success:false, errorType:"error-invalid-params", error:"<messages>"}` for the query and
	 *   `{success:false, errorType:"invalid-params", error:"<messages>"}` for the body, no suffix.
	 */
	validationStyle?: 'legacy' | 'typed';
	/** All required (`permissionsRequired`), else 403. */
	permissions?: string[];
	/**
	 * The handler reads the request body from `ctx.req` as it arrives (uploads), like the server's
	 * multipart handling; the pipeline neither buffers nor parses it (`rawBody` is empty).
	 */
	streamBody?: boolean;
	/** Route rule (`rateLimiterOptions`), or false for no limit. Absolute routes are never limited. */
	rateLimit?: RateLimitRule | false;
	/**
	 * A plain object (or nothing) is a success: 200 with `success: true` added. Return a `RouteResult`
	 * (an object with only `status`/`body`/`headers`/`raw`/`contentType`, or made with `respond()`) to send
	 * an exact answer; throw an `ApiFailure` (`failure()`, `meteorError()`, …) for errors.
	 */
	handler(ctx: RouteContext): RouteResult | Promise<RouteResult> | unknown;
	/**
	 * The route's `body` schema is exact for the configured version and also applies after the line's
	 * rest-typings validator (for releases whose schema differs from the line's typings).
	 */
	exactBodySchema?: boolean;
}

interface ResponseSpec {
	status: number;
	headers: Record<string, string>;
	body?: unknown;
	raw?: Buffer | string;
	stream?: () => NodeJS.ReadableStream;
	contentType?: string;
}

interface RegisteredRoute {
	def: RouteDef;
	segments: string[];
	hasParams: boolean;
}

interface LimiterState {
	rule: RateLimitRule;
	windowStart: number;
	counters: Map<string, number>;
}

interface NormalizedRateLimit {
	enabled: boolean;
	default: RateLimitRule;
	perEndpoint: Record<string, RateLimitRule>;
	bypassRoles: string[];
}

const V1_PREFIX = '/api/v1/';

/** `API_Enable_Rate_Limiter_Limit_Calls_Default` / `_Time_Default` (`apps/meteor/server/settings/rate.ts`). */
export const DEFAULT_RATE_LIMIT_RULE: RateLimitRule = { calls: 10, windowMs: 60000 };
/** `chat.sendMessage` `rateLimiterOptions` (`apps/meteor/server/api/v1/chat.ts` @01d81c2c). */
export const DEFAULT_PER_ENDPOINT_LIMITS: Readonly<Record<string, RateLimitRule>> = {
	'chat.sendMessage': { calls: 5, windowMs: 1000, bypassPermissions: ['send-many-messages'] },
};
/** Default roles of `api-bypass-rate-limit`. */
export const DEFAULT_BYPASS_ROLES: readonly string[] = ['admin', 'bot', 'app'];

const PROXY_PAGES: Record<number, string> = {
	// nginx's answer to a body above `client_max_body_size` (1 MB by default); Rocket.Chat itself never sends 413.
	413: '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
	502: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
	503: '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
	504: '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
};

function normalizeRateLimit(options: FakeOptions['rateLimit'] = {}): NormalizedRateLimit {
	return {
		enabled: options.enabled ?? true,
		default: options.default ?? { ...DEFAULT_RATE_LIMIT_RULE },
		perEndpoint: { ...DEFAULT_PER_ENDPOINT_LIMITS, ...(options.perEndpoint ?? {}) },
		bypassRoles: [...(options.bypassRoles ?? DEFAULT_BYPASS_ROLES)],
	};
}

function splitSegments(path: string): string[] {
	return path.split('/');
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) {
		chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
	}
	return Buffer.concat(chunks);
}

export class FakeRocketChat {
	readonly httpServer: http.Server;
	readonly state = new FakeState();
	readonly requests: LoggedRequest[] = [];
	readonly version: string;
	/** The rest-typings line the version validates with (6.x → rt6, 7.x → rt7, 8.x → rt8). */
	readonly line: ServerLine;
	/** `API_Upper_Count_Limit` (an admin may change it while the server runs). */
	upperCountLimit: number;
	readonly defaultCount: number;
	readonly allowInfiniteCount: boolean;

	private readonly routes: RegisteredRoute[] = [];
	private readonly faults: FaultSpec[] = [];
	private readonly limiters = new Map<string, LimiterState>();
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
	private readonly bodyErrorIsInvalidParams: boolean;
	private rateLimitConfig: NormalizedRateLimit;
	private seededFixtures: Fixtures | undefined;
	private listeningPort = 0;
	private closed = false;

	/** Creates, seeds and starts a server on 127.0.0.1. */
	static async start(options: FakeOptions = {}): Promise<FakeRocketChat> {
		const server = new FakeRocketChat(options);
		if (options.seed !== false) {
			server.seededFixtures = seedDefaults(server.state);
		}
		await server.listen(options.port ?? 0);
		return server;
	}

	constructor(options: FakeOptions = {}) {
		this.version = options.version ?? '8.8.1';
		this.line = lineOf(this.version);
		// http-router 7.9.4 (Rocket.Chat 7.10.0, PR #36535): a failed body validator answers `invalid-params`
		this.bodyErrorIsInvalidParams = versionAtLeast(this.version, '7.10');
		this.upperCountLimit = options.upperCountLimit ?? 100;
		this.defaultCount = options.defaultCount ?? 50;
		this.allowInfiniteCount = options.allowInfiniteCount ?? true;
		this.rateLimitConfig = normalizeRateLimit(options.rateLimit);
		this.httpServer = http.createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => {
				console.error('fake Rocket.Chat: request failed', error);
				if (!res.headersSent && !res.destroyed) {
					res.writeHead(500, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify({ success: false, error: 'Internal server error' }));
				}
			});
		});
		this.httpServer.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		registerDefaultHandlers(this);
	}

	/** Starts listening (done by `start()`); resolves with the port. */
	async listen(port = 0): Promise<number> {
		await new Promise<void>((resolve, reject) => {
			this.httpServer.once('error', reject);
			this.httpServer.listen(port, '127.0.0.1', () => {
				this.httpServer.off('error', reject);
				resolve();
			});
		});
		const address = this.httpServer.address();
		this.listeningPort = typeof address === 'object' && address ? address.port : port;
		this.state.siteUrl = this.url;
		return this.listeningPort;
	}

	get port(): number {
		return this.listeningPort;
	}

	/** `http://127.0.0.1:<port>` (no trailing slash). */
	get url(): string {
		return `http://127.0.0.1:${this.listeningPort}`;
	}

	/** Credentials and room ids of the default seed. */
	get fixtures(): Fixtures {
		if (!this.seededFixtures) throw new Error('the fake was started with seed: false; no fixtures');
		return this.seededFixtures;
	}

	/** Seeds the default fixtures into a server created with `seed: false`. */
	seed(): Fixtures {
		this.seededFixtures ??= seedDefaults(this.state);
		return this.seededFixtures;
	}

	clearRequests(): void {
		this.requests.length = 0;
	}

	/** Registers (or replaces) a route. */
	route(def: RouteDef): void {
		const path = def.absolute ? def.path : def.path.replace(/^\/+/, '');
		const normalized: RouteDef = { ...def, path };
		const existing = this.routes.findIndex((route) => route.def.method === def.method && route.def.path === path && !!route.def.absolute === !!def.absolute);
		const entry: RegisteredRoute = { def: normalized, segments: splitSegments(path), hasParams: path.split('/').some((segment) => segment.startsWith(':')) };
		if (existing >= 0) this.routes[existing] = entry;
		else this.routes.push(entry);
	}

	/** Replaces the limiter configuration (defaults fill what is not given) and resets the counters. */
	setRateLimit(options: FakeOptions['rateLimit']): void {
		this.rateLimitConfig = normalizeRateLimit(options);
		this.resetRateLimits();
	}

	resetRateLimits(): void {
		this.limiters.clear();
	}

	/** Queues a fault for matching requests (see `FaultSpec`). */
	inject(fault: FaultSpec): void {
		this.faults.push({ ...fault, times: fault.times ?? 1 });
	}

	clearFaults(): void {
		this.faults.length = 0;
	}

	/** Closes the server and every socket (keep-alive and upgraded ones included). */
	async stop(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		for (const file of this.state.files.values()) {
			if (file.diskPath) rmSync(file.diskPath, { force: true });
		}
		for (const pending of this.timers) {
			clearTimeout(pending.timer);
			pending.resolve();
		}
		this.timers.clear();
		await new Promise<void>((resolve) => {
			if (!this.httpServer.listening) {
				resolve();
				return;
			}
			this.httpServer.close(() => resolve());
			this.httpServer.closeAllConnections();
			for (const socket of this.sockets) socket.destroy();
		});
	}

	// ---------------------------------------------------------------- pipeline

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const rawUrl = req.url ?? '/';
		const queryIndex = rawUrl.indexOf('?');
		const path = queryIndex >= 0 ? rawUrl.slice(0, queryIndex) : rawUrl;
		const queryString = queryIndex >= 0 ? rawUrl.slice(queryIndex + 1) : '';
		let query: Record<string, unknown> = {};
		let queryInvalid = false;
		try {
			query = parseQueryString(queryString);
		} catch {
			queryInvalid = true;
		}
		const match = this.match(method, path);
		// A streamed route reads its body itself; an answer given before that (401, 429, a fault) leaves it
		// unread, and Node discards it, as the server does when it answers early.
		const streamed = match?.route.def.streamBody === true;
		const rawBody = streamed ? Buffer.alloc(0) : await readBody(req);
		const body = streamed
			? { kind: 'multipart' as BodyKind, value: {}, invalidJson: false }
			: parseBody(headerValue(req.headers, 'content-type'), rawBody);
		const entry: LoggedRequest = {
			method,
			path,
			rawUrl,
			query,
			body: streamed ? { streamed: true } : body.kind === 'multipart' ? summarizeMultipart(req.headers, rawBody) : body.value,
			headers: req.headers,
			status: 0,
			endpoint: match ? match.route.def.path : path.startsWith(V1_PREFIX) ? path.slice(V1_PREFIX.length) : path,
			at: new Date(),
		};
		this.requests.push(entry);

		const fault = this.takeFault(method, path, match?.route.def.path);
		if (fault && !fault.dropResponse && fault.cutAfterBytes === undefined) {
			if (fault.delayMs) await this.sleep(fault.delayMs);
			if (this.closed) return;
			if (fault.destroySocket) {
				req.socket.destroy();
				return;
			}
			if (fault.status !== undefined || fault.body !== undefined || !fault.delayMs) {
				this.write(res, entry, faultResponse(fault));
				return;
			}
		}

		let spec: ResponseSpec;
		if (!match) {
			spec =
				method === 'OPTIONS' && path.startsWith('/api/')
					? { status: 200, headers: {}, raw: 'OK', contentType: 'text/plain; charset=UTF-8' }
					: { status: 404, headers: {}, raw: '404 Not Found', contentType: 'text/plain; charset=UTF-8' };
		} else if (queryInvalid) {
			spec = { status: 400, headers: {}, body: { success: false, error: 'Invalid query parameters' } };
		} else {
			spec = await this.dispatch(req, match.route, match.params, path, query, body, rawBody, (logged) => (entry.body = logged));
		}
		if (fault?.dropResponse) {
			req.socket.destroy();
			return;
		}
		if (fault?.cutAfterBytes !== undefined) {
			this.writeCut(res, entry, spec, fault.cutAfterBytes);
			return;
		}
		this.write(res, entry, spec);
	}

	private async dispatch(
		req: http.IncomingMessage,
		route: RegisteredRoute,
		params: Record<string, string>,
		path: string,
		rawQuery: Record<string, unknown>,
		body: ReturnType<typeof parseBody>,
		rawBody: Buffer,
		logBody: (body: unknown) => void,
	): Promise<ResponseSpec> {
		const def = route.def;
		const userId = headerValue(req.headers, 'x-user-id');
		const token = headerValue(req.headers, 'x-auth-token');
		const user = userId && token ? this.state.authenticate(userId, token) : undefined;

		if (def.auth !== false && !user) {
			return { status: 401, headers: {}, body: { ...UNAUTHORIZED_BODY } };
		}
		if (def.permissions?.length && !def.permissions.every((permission) => this.state.hasPermission(user, permission))) {
			return { status: 403, headers: {}, body: { ...PERMISSION_DENIED_BODY } };
		}
		if (body.invalidJson) {
			// The server's body parser swallows the error and validates `{}`; the fake rejects malformed JSON
			// outright so a client bug shows up as such.
			return { status: 400, headers: {}, body: { success: false, error: 'Invalid JSON body' } };
		}

		const headers: Record<string, string> = {};
		let query = rawQuery;
		let bodyValue = body.value;
		try {
			const plan = this.validationPlan(def);
			const run = (part: 'query' | 'body'): ResponseSpec | undefined => {
				const check = plan.checks[part];
				if (!check) return undefined;
				const result = check(part === 'query' ? query : bodyValue);
				if (!result.valid) {
					if (plan.style !== 'typed') throw meteorError('invalid-params', result.message);
					const errorType = part === 'query' || !this.bodyErrorIsInvalidParams ? 'error-invalid-params' : 'invalid-params';
					return { status: 400, headers, body: { success: false, errorType, error: result.message } };
				}
				if (part === 'query') query = result.value as Record<string, unknown>;
				else bodyValue = result.value;
				return undefined;
			};

			if (plan.style === 'typed') {
				const failed = run('query') ?? run('body');
				if (failed) return failed;
			}

			const limited = this.enforceRateLimit(def, req.method ?? 'GET', user, req.socket.remoteAddress ?? '127.0.0.1', headers);
			if (limited) return limited;

			if (plan.style !== 'typed') {
				run('query');
				run('body');
			}

			const ctx: RouteContext = {
				method: (req.method ?? 'GET').toUpperCase(),
				endpoint: def.path,
				path,
				params,
				query,
				body: bodyValue,
				bodyKind: body.kind,
				rawBody,
				headers: req.headers,
				req,
				logBody,
				user,
				authToken: user ? token : undefined,
				state: this.state,
				server: this,
				paginate: () =>
					paginationFromQuery(query, {
						upperCountLimit: this.upperCountLimit,
						defaultCount: this.defaultCount,
						allowInfiniteCount: this.allowInfiniteCount,
					}),
				hasPermission: (permission: string, roomId?: string) => this.state.hasPermission(user, permission, roomId),
			};
			const output = await def.handler(ctx);
			return this.toResponse(output, headers);
		} catch (error) {
			if (error instanceof ApiFailure) {
				return { status: error.status, headers: { ...headers, ...error.headers }, body: error.body };
			}
			console.error(`fake Rocket.Chat: handler of ${def.method} ${def.path} threw`, error);
			const failure = internalError();
			return { status: failure.status, headers, body: failure.body };
		}
	}

	/**
	 * How this server version validates a route: the rest-typings validator of its line where the route
	 * uses one (`upstream.ts`), nothing where that version's route validates nothing, else the route's own
	 * schema (a schema the server defines in its source).
	 */
	private validationPlan(def: RouteDef): { style: 'legacy' | 'typed'; checks: Partial<Record<'query' | 'body', Check>> } {
		const rule = upstreamRule(def.method, def.path, this.line);
		if (rule === null) return { style: def.validationStyle ?? 'legacy', checks: {} };
		if (rule === undefined) {
			const checks: Partial<Record<'query' | 'body', Check>> = {};
			if (def.query) checks.query = ownSchemaCheck(def.query, 'array');
			if (def.body) checks.body = ownSchemaCheck(def.body, true);
			return { style: def.validationStyle ?? 'legacy', checks };
		}
		const checks: Partial<Record<'query' | 'body', Check>> = {};
		if (rule.query) checks.query = upstreamCheck(upstreamValidator(this.line, rule.query));
		if (rule.body) checks.body = upstreamCheck(upstreamValidator(this.line, rule.body));
		if (def.body && rule.body && def.exactBodySchema) {
			// A release of the line validated with an older schema than the line's typings (e.g.
			// chat.postMessage without parseUrls on 7.4 – 7.9.7): the route's own schema for this version too.
			const line = checks.body as Check;
			const own = ownSchemaCheck(def.body, true);
			checks.body = (data) => {
				const first = line(data);
				return first.valid ? own(first.value) : first;
			};
		}
		return { style: rule.style, checks };
	}

	/** `enforceRateLimit` with Meteor `RateLimiter` semantics (fixed window per route, counted per client IP). */
	private enforceRateLimit(def: RouteDef, method: string, user: FakeUser | undefined, ip: string, headers: Record<string, string>): ResponseSpec | undefined {
		const config = this.rateLimitConfig;
		if (def.absolute || !config.enabled || def.rateLimit === false) return undefined;
		const rule = config.perEndpoint[def.path] ?? def.rateLimit ?? config.default;
		if (user && (this.state.hasAnyRole(user, config.bypassRoles) || (rule.bypassPermissions ?? []).some((permission) => this.state.hasPermission(user, permission)))) {
			return undefined;
		}
		const key = `/api/v1/${def.path}${method.toLowerCase()}`;
		const now = Date.now();
		let limiter = this.limiters.get(key);
		if (!limiter || limiter.rule !== rule) {
			limiter = { rule, windowStart: now, counters: new Map() };
			this.limiters.set(key, limiter);
		}
		if (now - limiter.windowStart > rule.windowMs) {
			limiter.counters.clear();
			limiter.windowStart = now;
		}
		const invocations = (limiter.counters.get(ip) ?? 0) + 1;
		limiter.counters.set(ip, invocations);
		const timeToReset = Math.max(0, rule.windowMs - (now - limiter.windowStart));
		const allowed = invocations <= rule.calls;
		headers['X-RateLimit-Limit'] = String(rule.calls);
		headers['X-RateLimit-Remaining'] = String(allowed ? rule.calls - invocations : 0);
		headers['X-RateLimit-Reset'] = String(now + timeToReset);
		if (allowed) return undefined;
		const seconds = Math.ceil(timeToReset / 1000);
		return {
			status: 429,
			headers,
			body: {
				success: false,
				error: `Error, too many requests. Please slow down. You must wait ${seconds} seconds before trying this endpoint again. [error-too-many-requests]`,
			},
		};
	}

	private toResponse(output: unknown, headers: Record<string, string>): ResponseSpec {
		if (isRouteResult(output)) {
			const status = output.status ?? 200;
			const merged = { ...headers, ...(output.headers ?? {}) };
			if (output.raw !== undefined || output.stream !== undefined) {
				return { status, headers: merged, raw: output.raw, stream: output.stream, contentType: output.contentType ?? 'application/octet-stream' };
			}
			if (typeof output.body === 'string' && output.contentType && !/json/i.test(output.contentType)) {
				return { status, headers: merged, raw: output.body, contentType: output.contentType };
			}
			return { status, headers: merged, body: output.body, contentType: output.contentType };
		}
		if (output === undefined) return { status: 200, headers, body: { success: true } };
		if (isPlainObject(output)) return { status: 200, headers, body: { ...output, success: true } };
		return { status: 200, headers, body: output };
	}

	private write(res: http.ServerResponse, entry: LoggedRequest, spec: ResponseSpec): void {
		entry.status = spec.status;
		if (res.destroyed || res.headersSent) return;
		if (spec.stream !== undefined) {
			res.writeHead(spec.status, { 'Content-Type': spec.contentType ?? 'application/octet-stream', ...spec.headers });
			const source = spec.stream();
			source.on('error', () => res.destroy());
			res.on('close', () => (source as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.());
			source.pipe(res);
			return;
		}
		if (spec.raw !== undefined) {
			res.writeHead(spec.status, { 'Content-Type': spec.contentType ?? 'text/plain; charset=UTF-8', ...spec.headers });
			res.end(spec.raw);
			return;
		}
		const text = spec.body === undefined ? '' : JSON.stringify(spec.body);
		res.writeHead(spec.status, {
			'Content-Type': spec.contentType ?? 'application/json',
			'Cache-Control': 'no-store',
			Pragma: 'no-cache',
			...spec.headers,
		});
		res.end(text);
	}

	/** Sends the headers and the first `bytes` bytes of the body, then drops the connection. */
	private writeCut(res: http.ServerResponse, entry: LoggedRequest, spec: ResponseSpec, bytes: number): void {
		entry.status = spec.status;
		if (res.destroyed || res.headersSent) return;
		const cut = () => {
			res.socket?.destroy();
			res.destroy();
		};
		const head = (length: number | undefined) =>
			res.writeHead(spec.status, {
				'Content-Type': spec.contentType ?? (spec.raw !== undefined || spec.stream !== undefined ? 'application/octet-stream' : 'application/json'),
				...(length !== undefined && { 'Content-Length': String(length) }),
				...spec.headers,
			});
		if (spec.stream !== undefined) {
			head(undefined);
			const source = spec.stream();
			let sent = 0;
			source.on('data', (chunk: Buffer) => {
				if (res.destroyed) return;
				const room = bytes - sent;
				if (chunk.length >= room) {
					res.write(chunk.subarray(0, room), cut);
					(source as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
					return;
				}
				sent += chunk.length;
				res.write(chunk);
			});
			source.on('end', cut);
			return;
		}
		const full = spec.raw !== undefined ? Buffer.from(spec.raw) : Buffer.from(spec.body === undefined ? '' : JSON.stringify(spec.body));
		head(full.length);
		res.write(full.subarray(0, Math.min(bytes, full.length)), cut);
	}

	private match(method: string, path: string): { route: RegisteredRoute; params: Record<string, string> } | undefined {
		const isV1 = path.startsWith(V1_PREFIX);
		const v1Segments = isV1 ? splitSegments(path.slice(V1_PREFIX.length)) : undefined;
		const absoluteSegments = splitSegments(path);
		const candidates = [...this.routes.filter((route) => !route.hasParams), ...this.routes.filter((route) => route.hasParams)];
		for (const route of candidates) {
			if (route.def.method !== method) continue;
			const segments = route.def.absolute ? absoluteSegments : v1Segments;
			if (!segments || segments.length !== route.segments.length) continue;
			const params: Record<string, string> = {};
			let matched = true;
			for (let i = 0; i < segments.length; i++) {
				const expected = route.segments[i];
				if (expected.startsWith(':')) {
					if (segments[i] === '') {
						matched = false;
						break;
					}
					try {
						params[expected.slice(1)] = decodeURIComponent(segments[i]);
					} catch {
						matched = false;
						break;
					}
				} else if (expected !== segments[i]) {
					matched = false;
					break;
				}
			}
			if (matched) return { route, params };
		}
		return undefined;
	}

	private takeFault(method: string, path: string, routePath: string | undefined): FaultSpec | undefined {
		const requested = path.startsWith(V1_PREFIX) ? path.slice(V1_PREFIX.length) : undefined;
		const index = this.faults.findIndex(
			(fault) =>
				(!fault.method || fault.method.toUpperCase() === method) &&
				(fault.endpoint === '*' || fault.endpoint === routePath || fault.endpoint === requested || fault.endpoint === path),
		);
		if (index < 0) return undefined;
		const fault = this.faults[index];
		const remaining = (fault.times ?? 1) - 1;
		if (remaining <= 0) this.faults.splice(index, 1);
		else fault.times = remaining;
		return fault;
	}

	private sleep(ms: number): Promise<void> {
		return new Promise<void>((resolve) => {
			const pending = {
				timer: setTimeout(() => {
					this.timers.delete(pending);
					resolve();
				}, ms),
				resolve,
			};
			this.timers.add(pending);
		});
	}
}

function faultResponse(fault: FaultSpec): ResponseSpec {
	const status = fault.status ?? 502;
	const headers = fault.headers ?? {};
	if (fault.body !== undefined && typeof fault.body === 'object') {
		return { status, headers, raw: JSON.stringify(fault.body), contentType: fault.contentType ?? 'application/json' };
	}
	const text = (typeof fault.body === 'string' ? fault.body : undefined) ?? PROXY_PAGES[status] ?? `<html><head><title>${status}</title></head><body><h1>${status}</h1></body></html>\r\n`;
	return { status, headers, raw: text, contentType: fault.contentType ?? 'text/html' };
}

function summarizeMultipart(headers: http.IncomingHttpHeaders, rawBody: Buffer): unknown {
	const parsed = parseMultipart({ headers, rawBody });
	if (!parsed) return { multipart: true, bytes: rawBody.length };
	return {
		fields: parsed.fields,
		files: parsed.files.map((file) => ({ field: file.field, filename: file.filename, contentType: file.contentType, size: file.data.length })),
	};
}

type Check = (data: unknown) => { valid: true; value: unknown } | { valid: false; message: string };

function ownSchemaCheck(schema: Schema, coerce: CoerceMode): Check {
	return (data) => {
		const result = validate(schema, data, coerce);
		return result.valid ? { valid: true, value: result.value } : { valid: false, message: joinErrorMessages(result.errors) };
	};
}

/** The server joins AJV messages with "\n " (`ApiClass.ts` `validateParams`, `http-router` `Router.ts`). */
function upstreamCheck(validator: AjvValidate): Check {
	return (data) => {
		const result = runUpstream(validator, data);
		return result.valid ? result : { valid: false, message: result.messages.join('\n ') };
	};
}
