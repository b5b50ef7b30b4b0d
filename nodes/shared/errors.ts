import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** Operation-specific help added to the message Rocket.Chat gives. */
export interface ErrorHints {
	/** Permission the operation needs, named in 401/403 hints (e.g. "clean-channel-history"). */
	permission?: string;
	/** Hint for a 404 (e.g. the server version that added the endpoint). */
	notFound?: string;
	/** Hints keyed by Rocket.Chat's errorType (or the code in brackets at the end of its error text). */
	byErrorType?: Record<string, string>;
}

export interface FailedResponse {
	status: number;
	body: unknown;
	headers?: Record<string, unknown>;
}

export interface ErrorContext {
	node: INode;
	method: string;
	endpoint: string;
	server: string;
	itemIndex?: number;
	hints?: ErrorHints;
	/** Values that must never appear in a message (tokens, passwords). */
	secrets?: string[];
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	413: 'Payload Too Large',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/** Hints shared by the node's errors and the credential test (nodes/shared/credentialTest.ts). */
export const HINTS = {
	credentials:
		'Check the Rocket.Chat credentials: the User ID and Personal Access Token must belong together (for Username & Password, check both). A token deleted in Rocket.Chat stops working.',
	forbidden:
		'The Rocket.Chat user lacks a permission this action needs. Ask an admin to check the roles of this user (Administration › Permissions).',
	webPage: 'Check that Rocket.Chat is running and reachable, then retry.',
};

/** Hints for Rocket.Chat error codes that any operation can meet. */
const ERROR_TYPE_HINTS: Record<string, string> = {
	'error-room-not-found': 'Check the room: it may have been deleted, or the user is not a member of it.',
	'error-invalid-room': 'Check the room: it may have been deleted, or the user is not a member of it.',
	'not-allowed': 'The user of these credentials cannot see this room: it is private and the user is not a member, or it was deleted.',
	'Not Allowed': 'The user of these credentials cannot see this room: it is private and the user is not a member, or it was deleted.',
	'error-invalid-subscription':
		'The user is not a member of this room. Join the room first, or choose a room from the list.',
	'error-not-allowed':
		'The Rocket.Chat user of these credentials is not allowed to do this here. Check its roles in the room, or use an account with more rights.',
	'error-action-not-allowed':
		'Rocket.Chat does not allow this action for this user or on this server (a setting or licence may disable it).',
	'error-invalid-user': 'Check the user: no user with this ID or username exists.',
	'error-user-not-found': 'Check the user: no user with this ID or username exists.',
	'error-message-not-found': 'Check the message ID: the message does not exist or was deleted.',
	'error-invalid-message': 'Check the message ID: the message does not exist or was deleted.',
	'error-message-size-exceeded': 'The text is longer than the server allows (Message_MaxAllowedSize, 5000 characters by default). Shorten it or split it.',
	'error-invalid-sort': 'Sorting accepts only 1 (ascending) or -1 (descending) per field.',
	'error-roomId-param-invalid': 'Check the date: use an ISO 8601 date-time such as 2024-05-01T12:00:00Z.',
	'error-unauthorized': 'The Rocket.Chat user of these credentials lacks a permission this action needs.',
	'totp-required':
		'This action needs a two-factor code, which a workflow cannot give. Use a Personal Access Token created with "Ignore Two Factor Authentication".',
};

/** Reads Rocket.Chat's failure body whatever shape it has (JSON object, JSON text, HTML, empty). */
export function parseFailureBody(body: unknown): { json?: IDataObject; text?: string } {
	if (body === undefined || body === null || body === '') return {};
	let value: unknown = body;
	if (Buffer.isBuffer(value)) value = value.toString('utf8');
	if (value instanceof ArrayBuffer) value = Buffer.from(value).toString('utf8');
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (trimmed.startsWith('{')) {
			try {
				return { json: JSON.parse(trimmed) as IDataObject };
			} catch {
				// not JSON after all: fall through to text
			}
		}
		return { text: trimmed };
	}
	if (typeof value === 'object') return { json: value as IDataObject };
	return { text: String(value) };
}

/** A short readable summary of a non-JSON body: the HTML title, else the first words. */
function summarizeText(text: string): string {
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
	const plain = (title ?? text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
	return plain.length > 120 ? `${plain.slice(0, 117)}...` : plain;
}

export function rocketChatErrorText(json: IDataObject | undefined): string {
	if (!json) return '';
	if (typeof json.error === 'string' && json.error) return json.error;
	if (typeof json.message === 'string' && json.message) return json.message;
	if (typeof json.reason === 'string' && json.reason) return json.reason;
	return '';
}

export function rocketChatErrorType(json: IDataObject | undefined, text: string): string {
	if (json && typeof json.errorType === 'string' && json.errorType) return json.errorType;
	const bracket = /\[([\w.-]+)\]\s*$/.exec(text)?.[1];
	if (bracket) return bracket;
	if (json && typeof json.error === 'string' && /^[\w-]+$/.test(json.error) && json.error.includes('-')) {
		return json.error;
	}
	return '';
}

/** Names the parameter an `invalid-params` message is about, e.g. "must have required property 'roomId'". */
export function invalidParamsHint(text: string): string {
	const required = [...text.matchAll(/required property '([^']+)'/g)].map((m) => m[1]);
	const paths = [...text.matchAll(/(?:^|\n\s*)\/([\w./]+) must/g)].map((m) => m[1].replace(/\//g, '.'));
	const names = [...new Set([...required, ...paths])];
	if (names.length) {
		return `Rocket.Chat rejected the parameter${names.length > 1 ? 's' : ''} ${names
			.map((n) => `'${n}'`)
			.join(', ')}: check ${names.length > 1 ? 'their values' : 'its value'} in the node.`;
	}
	if (/additional properties/i.test(text)) {
		return 'Rocket.Chat rejected a parameter it does not know: the server may be older than the option you used. Remove the option, or update the server.';
	}
	return 'Rocket.Chat rejected a parameter: check the values in the node.';
}

function redact(text: string, secrets: string[] | undefined): string {
	let out = text;
	for (const secret of secrets ?? []) {
		if (secret && secret.length >= 4) out = out.split(secret).join('***');
	}
	return out;
}

/** Builds the error shown to the user from Rocket.Chat's answer: its own text, plus how to fix it. */
export function mapRocketChatError(response: FailedResponse, context: ErrorContext): NodeApiError {
	const { status } = response;
	const { json, text } = parseFailureBody(response.body);
	const rcText = rocketChatErrorText(json);
	const errorType = rocketChatErrorType(json, rcText);
	const hints = context.hints ?? {};
	const where = `${context.method} ${context.endpoint}`;

	let message = rcText;
	if (!message) {
		if (text) {
			message = `Rocket.Chat answered ${status} ${STATUS_TEXT[status] ?? ''} with a non-JSON page: "${summarizeText(text)}"`.replace(/\s+/g, ' ');
		} else {
			message = `Rocket.Chat answered ${status} ${STATUS_TEXT[status] ?? ''} to ${where}`.replace(/\s+/g, ' ').trim();
		}
	}

	let description: string | undefined = hints.byErrorType?.[errorType];
	if (!description && (errorType === 'invalid-params' || errorType === 'error-invalid-params')) {
		description = invalidParamsHint(rcText);
	}
	if (!description && status === 429) {
		const waitSeconds = /wait (\d+) seconds/i.exec(rcText)?.[1];
		description = `Rocket.Chat's rate limiter refused ${where}${
			waitSeconds ? ` (it asks to wait ${waitSeconds} s)` : ''
		}. Retries ran out or the wait exceeded the maximum. Give the account the bot role (it bypasses the limiter), raise the limits under Administration › Settings › Rate Limiter, or run fewer requests at once.`;
	}
	if (!description && status === 401) {
		description = hints.permission
			? `Rocket.Chat refused access. The user needs the "${hints.permission}" permission, or the credentials are wrong: check the User ID and token (or username and password).`
			: HINTS.credentials;
	}
	if (!description && status === 403) {
		description = hints.permission
			? `The Rocket.Chat user lacks the "${hints.permission}" permission. Ask an admin to grant it to one of the user's roles (Administration › Permissions).`
			: HINTS.forbidden;
	}
	if (!description && errorType && ERROR_TYPE_HINTS[errorType]) description = ERROR_TYPE_HINTS[errorType];
	if (!description && status === 404) {
		description =
			hints.notFound ??
			`The endpoint ${context.endpoint} is not available on this server: it may be older (or newer) than the version that has it, or the Server URL (${context.server}) does not point to Rocket.Chat.`;
	}
	if (!description && status === 413) {
		description =
			'The request is larger than the server accepts; usually a proxy in front of Rocket.Chat limits the body size (e.g. nginx client_max_body_size). Raise that limit or send a smaller file.';
	}
	if (!description && status >= 500) {
		description = text
			? `A proxy or the server at ${context.server} answered with a web page instead of Rocket.Chat's JSON. ${HINTS.webPage}`
			: `The Rocket.Chat server at ${context.server} failed to handle the request. Retry later; if it persists, check the server's logs.`;
	}
	if (!description && status === 400 && !rcText) {
		description = 'Rocket.Chat refused the request without saying why. Check that the IDs in the node exist and that the user can see them.';
	}

	message = redact(message, context.secrets);
	description = description ? redact(description, context.secrets) : undefined;

	const errorResponse: JsonObject = { status, endpoint: context.endpoint, message };
	if (rcText) errorResponse.error = redact(rcText, context.secrets);
	if (errorType) errorResponse.errorType = errorType;

	const error = new NodeApiError(context.node, errorResponse, {
		message,
		description,
		httpCode: String(status),
		itemIndex: context.itemIndex,
	});
	error.context.errorType = errorType || undefined;
	error.context.endpoint = context.endpoint;
	return error;
}

const CONNECTION_WORDS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was closed unexpectedly',
	ETIMEDOUT: 'the connection timed out',
	ECONNABORTED: 'the request timed out',
	ENOTFOUND: 'the server name could not be resolved',
	EAI_AGAIN: 'the server name could not be resolved',
	EHOSTUNREACH: 'the host is unreachable',
	EPIPE: 'the connection was closed unexpectedly',
	UND_ERR_SOCKET: 'the connection was closed unexpectedly',
};

/** An error for a request that got no answer at all (refused connection, timeout, DNS). */
export function connectionError(code: string | undefined, context: ErrorContext, attempts: number, during?: 'upload'): NodeApiError {
	// Node's error codes are spelt out in words: n8n replaces messages that contain them with generic texts.
	const reason = code ? CONNECTION_WORDS[code.toUpperCase()] ?? 'the connection failed' : 'the connection failed';
	const tried = `Tried ${attempts} time${attempts === 1 ? '' : 's'}.`;
	const message =
		during === 'upload' && code !== 'ENOTFOUND' && code !== 'EAI_AGAIN' && code !== 'ECONNREFUSED'
			? `The upload to Rocket.Chat at ${context.server} failed: ${reason}`
			: `Could not reach Rocket.Chat at ${context.server}: ${reason}`;
	const description =
		code === 'ENOTFOUND' || code === 'EAI_AGAIN'
			? 'Check the Server URL in the credentials.'
			: during === 'upload'
				? `${tried} The server or a proxy in front of it may have closed the connection (a proxy's size or time limit, a restart). Check the room, then run the node again.`
				: `${tried} Check that the server is running and that the Server URL in the credentials is right (including http/https and the port).`;
	const error = new NodeApiError(
		context.node,
		{ message, endpoint: context.endpoint, connectionErrorCode: code ?? 'unknown' },
		{ message, description, itemIndex: context.itemIndex },
	);
	error.context.endpoint = context.endpoint;
	return error;
}
