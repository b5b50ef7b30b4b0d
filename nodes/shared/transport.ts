import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
	ITriggerFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep, UnexpectedError } from 'n8n-workflow';

import type { ErrorContext, ErrorHints } from './errors';
import { connectionError, mapRocketChatError, parseFailureBody } from './errors';
import { LOGIN_FAILED, loginWithPassword, type RocketChatSession } from './login';
import type { ByteStream, UploadBody, UploadBodyFactory } from './multipart';
import { header, limitsFrom, rateLimitWaitMs, type TransportLimits } from './rateLimit';

export { DEFAULT_LIMITS, rateLimitWaitMs, type TransportLimits } from './rateLimit';
import { buildQueryString, normalizeServerUrl } from './url';

export const CREDENTIAL_TYPE = 'rocketChatApi';

export type RocketChatContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| ITriggerFunctions
	| IPollFunctions
	| IHookFunctions;

export interface RocketChatRequest {
	method?: IHttpRequestMethods;
	/** Endpoint under /api/v1/, e.g. `chat.postMessage` or `rooms.media/<rid>`. */
	endpoint: string;
	/** Absolute path on the server instead of an endpoint, e.g. `/api/info` or `/file-upload/<id>/<name>`. */
	path?: string;
	qs?: IDataObject;
	body?: IDataObject | FormData;
	/**
	 * A streamed body (file uploads), opened anew for every attempt: a retry after a 429, a 401 re-login or a
	 * lost connection (when `idempotent`) sends the whole body again.
	 */
	upload?: UploadBodyFactory;
	itemIndex?: number;
	/** Whether the request may be repeated after a 502/503/504 or a lost connection. Default: GET only. */
	idempotent?: boolean;
	/** Answer the body as a stream (downloads) instead of JSON. */
	stream?: boolean;
	hints?: ErrorHints;
}

/**
 * A download: the body as it arrives (Node's HTTP client fails the stream when the connection ends before
 * the Content-Length), and the length the server announced.
 */
export interface StreamResponse {
	body: ByteStream;
	headers: Record<string, string>;
	/** The Content-Length the server announced, if any. */
	expectedBytes?: number;
}

export interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
const RETRYABLE_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EHOSTUNREACH',
	'EAI_AGAIN',
	'UND_ERR_SOCKET',
]);

/**
 * Sends one HTTP request with the user's authentication. Two implementations: n8n's
 * `httpRequestWithAuthentication` (everywhere n8n can run it), and one for trigger callbacks that adds
 * the headers from credentials read with `getCredentials` (n8n cannot evaluate credential expressions
 * there).
 */
export interface Sender {
	send(options: IHttpRequestOptions): Promise<FullResponse>;
	/** Values never to show in messages. */
	secrets(): string[];
}

interface Settings {
	server: string;
	skipSsl: boolean;
	limits: TransportLimits;
	secrets: string[];
}

const settingsCache = new WeakMap<object, Promise<Settings>>();

/** The credential fields whose values never appear in an error or a log. */
export const SECRET_FIELDS = ['token', 'password', 'sessionToken'] as const;

/** The values of the secret fields that are set. */
export function credentialSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	return SECRET_FIELDS.map((field) => credentials[field]).filter(
		(value): value is string => typeof value === 'string' && value.length > 0,
	);
}

export function settingsFromCredentials(credentials: ICredentialDataDecryptedObject): Settings {
	return {
		server: normalizeServerUrl(credentials.domain),
		skipSsl: credentials.ignoreSslIssues === true,
		limits: limitsFrom(credentials),
		secrets: credentialSecrets(credentials),
	};
}

async function getSettings(ctx: RocketChatContext): Promise<Settings> {
	let cached = settingsCache.get(ctx);
	if (!cached) {
		cached = ctx.getCredentials(CREDENTIAL_TYPE).then(settingsFromCredentials);
		settingsCache.set(ctx, cached);
		cached.catch(() => settingsCache.delete(ctx));
	}
	return await cached;
}

/** The sender for nodes: n8n adds the authentication (and logs in again on 401). */
function authenticatedSender(ctx: RocketChatContext, settings: Settings): Sender {
	return {
		send: async (options) =>
			(await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options)) as FullResponse,
		secrets: () => settings.secrets,
	};
}

/**
 * The sender for callbacks of a running trigger (socket messages, reconnects, timers), where n8n cannot
 * evaluate the credential's expressions: the headers are built from credentials read earlier with
 * `getCredentials`, and username/password accounts are logged in here (once, then again after a 401).
 */
export function credentialsSender(
	ctx: RocketChatContext,
	credentials: ICredentialDataDecryptedObject,
): Sender & { session(): Promise<RocketChatSession> } {
	let session: Promise<RocketChatSession> | undefined;
	const send = async (options: IHttpRequestOptions) => await ctx.helpers.httpRequest(options);
	const getSession = async (): Promise<RocketChatSession> => {
		if (credentials.authentication !== 'password') {
			return { userId: String(credentials.userId ?? ''), authToken: String(credentials.token ?? '') };
		}
		session ??= loginWithPassword(send, credentials);
		session.catch(() => (session = undefined));
		return await session;
	};
	return {
		session: getSession,
		secrets: () => credentialSecrets(credentials),
		send: async (options) => {
			for (let attempt = 0; ; attempt++) {
				const { userId, authToken } = await getSession();
				const response = (await send({
					...options,
					headers: { ...(options.headers ?? {}), 'X-User-Id': userId, 'X-Auth-Token': authToken },
					ignoreHttpStatusErrors: true,
				})) as FullResponse;
				if (response.statusCode === 401 && credentials.authentication === 'password' && attempt === 0) {
					session = undefined;
					continue;
				}
				return response;
			}
		},
	};
}

/** Per server and endpoint: when the rate limiter's window resets after the last call it allowed. */
const exhaustedUntil = new Map<string, number>();

function errorCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	return undefined;
}

/** The HTTP answer inside an error thrown by n8n's helper (401 is thrown so that n8n can log in again). */
function responseOfError(error: unknown): FullResponse | undefined {
	const candidates: unknown[] = [];
	let current = error as { cause?: unknown; response?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		candidates.push(current);
		current = current.cause as typeof current;
	}
	for (const candidate of candidates) {
		const response = (candidate as { response?: { status?: number; data?: unknown; headers?: unknown } }).response;
		if (response && typeof response.status === 'number') {
			return {
				statusCode: response.status,
				body: response.data,
				headers: (response.headers ?? {}) as Record<string, unknown>,
			};
		}
	}
	const httpCode = Number((error as { httpCode?: unknown }).httpCode);
	if (Number.isFinite(httpCode) && httpCode >= 400) {
		const data = (error as { context?: { data?: unknown } }).context?.data;
		return { statusCode: httpCode, body: data, headers: {} };
	}
	return undefined;
}

function isAbort(error: unknown): boolean {
	const code = errorCode(error);
	const name = (error as { name?: string }).name;
	return code === 'ERR_CANCELED' || name === 'AbortError' || name === 'CanceledError';
}

function backoffMs(limits: TransportLimits, attempt: number): number {
	const base = limits.backoffBaseMs * 2 ** attempt;
	return Math.round(base / 2 + Math.random() * base);
}

/**
 * Sends one Rocket.Chat REST request and answers its JSON body (or bytes with `binary`). Handles the
 * rate limiter (waits for `X-RateLimit-Reset`, paces when `X-RateLimit-Remaining` reaches 0), retries
 * idempotent requests after 502/503/504 and lost connections, and turns every failure into an error with
 * Rocket.Chat's own text and a hint.
 */
export async function sendRequest(
	node: INode,
	sender: Sender,
	settings: Settings,
	request: RocketChatRequest,
): Promise<unknown> {
	const method = request.method ?? 'GET';
	const path = request.path ?? `/api/v1/${request.endpoint}`;
	const query = buildQueryString(request.qs);
	const url = `${settings.server}${path}${query ? `?${query}` : ''}`;
	const idempotent = request.idempotent ?? method === 'GET';
	const limiterKey = `${settings.server} ${method} ${path}`;
	const limits = settings.limits;
	const isForm = typeof FormData !== 'undefined' && request.body instanceof FormData;
	const errorContext: ErrorContext = {
		node,
		method,
		endpoint: request.path ?? request.endpoint,
		server: settings.server,
		itemIndex: request.itemIndex,
		hints: request.hints,
		secrets: sender.secrets(),
	};

	const options: IHttpRequestOptions = {
		method,
		url,
		returnFullResponse: true,
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
		skipSslCertificateValidation: settings.skipSsl,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.stream) {
		options.encoding = 'stream';
		options.json = false;
		// Uncompressed, so that the Content-Length counts the bytes that arrive and a cut-off body shows.
		options.headers = { 'Accept-Encoding': 'identity' };
	} else if (!isForm && !request.upload) {
		options.json = true;
	}

	let rateLimited = 0;
	let transient = 0;
	let loggedInAgain = false;
	for (;;) {
		const pausedUntil = exhaustedUntil.get(limiterKey);
		if (pausedUntil !== undefined) {
			const wait = pausedUntil - Date.now();
			if (wait > 0 && wait <= limits.maxWaitMs) await sleep(wait);
			exhaustedUntil.delete(limiterKey);
		}

		let upload: UploadBody | undefined;
		if (request.upload) {
			// A fresh body each attempt: a stream is consumed by the attempt that sent it.
			upload = await request.upload();
			options.body = upload.body as Buffer;
			options.headers = { ...upload.headers };
			// Following redirects would keep a copy of the whole body in memory (to send it again); uploads go
			// to the API, which does not redirect.
			options.disableFollowRedirect = true;
		}

		let response: FullResponse;
		try {
			response = await sender.send(options);
		} catch (error) {
			stopBody(upload);
			// A cancelled execution: pass the cancellation on (wrapping keeps its text).
			if (isAbort(error)) throw new NodeApiError(node, error as JsonObject, { itemIndex: request.itemIndex });
			const failure = upload?.failure();
			if (failure) {
				throw new NodeApiError(node, { message: failure.message }, {
					message: failure.message,
					description: 'The upload was stopped before the server stored anything. Check the input binary data.',
					itemIndex: request.itemIndex,
				});
			}
			const answered = responseOfError(error);
			if (answered) {
				response = answered;
			} else {
				const code = errorCode(error);
				const text = (error as Error)?.message ?? '';
				if (text.startsWith(LOGIN_FAILED)) {
					// The login of a username/password credential failed: its text says what to fix; no retry.
					throw new NodeApiError(node, { message: text }, { message: text, itemIndex: request.itemIndex });
				}
				if (idempotent && transient < limits.transientRetries && (!code || RETRYABLE_CODES.has(code))) {
					await sleep(backoffMs(limits, transient++));
					continue;
				}
				if (error instanceof NodeApiError && !code && !/connect|socket|network/i.test(error.message)) {
					// Not a transport failure (e.g. the login of a username/password credential): keep its text.
					throw new NodeApiError(node, { message: error.message }, {
						message: error.message,
						description: error.description ?? undefined,
						itemIndex: request.itemIndex,
					});
				}
				throw connectionError(code, errorContext, transient + 1, request.upload ? 'upload' : undefined);
			}
		}
		// The server has answered: whatever of the body is still unsent is not needed any more.
		stopBody(upload);

		const status = response.statusCode;
		const remaining = header(response.headers, 'x-ratelimit-remaining');
		if (remaining === '0' && status !== 429) {
			const reset = Number(header(response.headers, 'x-ratelimit-reset'));
			if (Number.isFinite(reset) && reset > Date.now()) exhaustedUntil.set(limiterKey, reset + 20);
		}

		if (status >= 200 && status < 300) {
			if (request.stream) return checkedDownload(response);
			const body = response.body;
			if (typeof body === 'string' || Buffer.isBuffer(body)) {
				const parsed = parseFailureBody(body);
				if (parsed.json) return checkSuccess(parsed.json, status, response, errorContext);
				const error = mapRocketChatError({ status, body: parsed.text, headers: response.headers }, errorContext);
				error.description = `The server at ${settings.server} answered with a web page instead of Rocket.Chat's JSON. Check that the Server URL in the credentials points to Rocket.Chat.`;
				throw error;
			}
			return checkSuccess((body ?? {}) as IDataObject, status, response, errorContext);
		}
		// An answer to a download is a stream too: read the (short) error page.
		response.body = await readErrorBody(response.body);

		if (status === 401 && upload && !Buffer.isBuffer(upload.body) && !loggedInAgain) {
			// n8n renewed the session of a username/password credential but does not send a stream twice: send a
			// fresh body once (a wrong token fails again with 401).
			loggedInAgain = true;
			continue;
		}
		if (status === 429 && rateLimited < limits.rateLimitRetries) {
			const wait = rateLimitWaitMs(response.headers, response.body);
			if (wait <= limits.maxWaitMs) {
				rateLimited++;
				await sleep(wait);
				continue;
			}
		}
		if (RETRYABLE_STATUS.has(status) && idempotent && transient < limits.transientRetries) {
			await sleep(backoffMs(limits, transient++));
			continue;
		}
		throw mapRocketChatError({ status, body: response.body, headers: response.headers }, errorContext);
	}
}

function isByteStream(value: unknown): value is ByteStream {
	return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && typeof (value as { pipe?: unknown }).pipe === 'function';
}

/** Stops sending a streamed body (after an answer or a failure) and closes the file behind it. */
function stopBody(upload: UploadBody | undefined): void {
	if (upload && isByteStream(upload.body) && !upload.body.destroyed) upload.body.destroy();
}

/** Reads an error answer that came as a stream (downloads): at most 64 KB, enough for any error page. */
async function readErrorBody(body: unknown): Promise<unknown> {
	if (!isByteStream(body)) return body;
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of body as AsyncIterable<Buffer>) {
			chunks.push(chunk);
			size += chunk.length;
			if (size >= 65_536) break;
		}
	} catch {
		// A broken error page: keep what arrived.
	}
	body.destroy();
	return Buffer.concat(chunks).toString('utf8');
}

/**
 * The download's body as the HTTP helper returns it, with no stage of its own in between (a counting stage
 * cost a fifth of the throughput); its length is checked once stored (`storeDownload`).
 */
function checkedDownload(response: FullResponse): StreamResponse {
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(response.headers ?? {})) headers[key.toLowerCase()] = String(value);
	const length = Number(headers['content-length']);
	const expectedBytes = headers['content-length'] !== undefined && Number.isInteger(length) && length >= 0 ? length : undefined;
	const body = response.body;
	if (!isByteStream(body)) {
		throw new UnexpectedError('The HTTP helper answered a download without a stream');
	}
	// Errors reach whoever reads the stream; until then they must not go unhandled.
	body.on('error', () => undefined);
	return { body, headers, expectedBytes };
}

const STORE_FAILURES: Record<string, string> = {
	ENOSPC: 'the disk for n8n\'s binary data is full',
	EDQUOT: 'the disk quota for n8n\'s binary data is used up',
	ECONNRESET: 'the connection was closed',
	ERR_STREAM_PREMATURE_CLOSE: 'the connection was closed',
};

/**
 * Stores a download as n8n binary data, streaming (n8n writes it to disk or the database as it arrives).
 * A body cut short or a failed write throws, and n8n keeps nothing of it: no partial file is passed on.
 */
export async function storeDownload(
	helpers: { prepareBinaryData(data: Buffer | ByteStream, filePath?: string, mimeType?: string): Promise<IBinaryData> },
	node: INode,
	response: StreamResponse,
	file: { fileName: string; mimeType: string; itemIndex?: number },
): Promise<IBinaryData> {
	const expected = response.expectedBytes;
	const cutDescription =
		'The connection to Rocket.Chat was lost during the download; nothing was stored. Run the node again; if it keeps breaking off, check proxies and timeouts between n8n and Rocket.Chat.';
	let binary: IBinaryData;
	try {
		binary = await helpers.prepareBinaryData(response.body, file.fileName, file.mimeType);
	} catch (error) {
		if (!response.body.destroyed) response.body.destroy();
		const code = errorCode(error);
		const text = (error as Error)?.message ?? String(error);
		const lost = code && STORE_FAILURES[code] ? STORE_FAILURES[code].includes('connection') : /aborted|terminated|closed|hang up/i.test(text);
		const reason = code && STORE_FAILURES[code] ? STORE_FAILURES[code] : lost ? 'the connection was closed' : text;
		const cut = lost && expected !== undefined;
		const message = cut
			? `The download of "${file.fileName}" broke off before its end (${expected} bytes announced)`
			: `The download of "${file.fileName}" failed: ${reason}`;
		const description = cut ? cutDescription : 'Nothing was stored. Check the free space for n8n\'s binary data, then run the node again.';
		throw new NodeApiError(node, { message }, { message, description, itemIndex: file.itemIndex });
	}
	if (expected !== undefined && binary.bytes !== undefined && binary.bytes !== expected) {
		// A body that ended short without an error: not passed on.
		const message = `The download of "${file.fileName}" broke off after ${binary.bytes} of ${expected} bytes`;
		const description = 'The body ended before the length Rocket.Chat announced; nothing was passed on. Run the node again; if it keeps happening, check proxies between n8n and Rocket.Chat.';
		throw new NodeApiError(node, { message }, { message, description, itemIndex: file.itemIndex });
	}
	return binary;
}

function checkSuccess(body: IDataObject, status: number, response: FullResponse, context: ErrorContext): IDataObject {
	// A few endpoints answer 200 with {success: false}; treat it as the failure it is.
	if (body && body.success === false) {
		throw mapRocketChatError({ status: status === 200 ? 400 : status, body, headers: response.headers }, context);
	}
	return body;
}

/** One request from a node with the credentials' settings and n8n's authentication. */
async function nodeRequest(ctx: RocketChatContext, request: RocketChatRequest, stream: boolean): Promise<unknown> {
	const settings = await getSettings(ctx);
	return await sendRequest(ctx.getNode(), authenticatedSender(ctx, settings), settings, { ...request, stream });
}

/** One authenticated Rocket.Chat REST request from a node (execute, load options, hooks, `trigger()` itself). */
export async function rocketChatApiRequest(this: RocketChatContext, request: RocketChatRequest): Promise<IDataObject> {
	return (await nodeRequest(this, request, false)) as IDataObject;
}

/** Downloads a file (e.g. `/file-upload/<id>/<name>`) with the user's authentication, as a stream. */
export async function rocketChatDownload(this: RocketChatContext, request: RocketChatRequest): Promise<StreamResponse> {
	return (await nodeRequest(this, request, true)) as StreamResponse;
}

/** The normalised server URL of the node's credentials, e.g. for links in the output. */
export async function serverUrl(this: RocketChatContext): Promise<string> {
	return (await getSettings(this)).server;
}

/**
 * A client for trigger callbacks (see `credentialsSender`). Read the credentials with `getCredentials`
 * during `trigger()` and keep the client for the trigger's lifetime.
 */
export function createCallbackClient(ctx: RocketChatContext, credentials: ICredentialDataDecryptedObject) {
	const settings = settingsFromCredentials(credentials);
	const sender = credentialsSender(ctx, credentials);
	return {
		server: settings.server,
		session: sender.session,
		request: async <T = IDataObject>(request: RocketChatRequest): Promise<T> =>
			(await sendRequest(ctx.getNode(), sender, settings, request)) as T,
	};
}

export type CallbackClient = ReturnType<typeof createCallbackClient>;
