/**
 * Error answers in the bodies Rocket.Chat produces. Sources: `apps/meteor/server/api/ApiClass.ts`
 * @0358e0dc (`failure`, `forbidden`, `notFound`, `unauthorized`, `internalError`, the catch block that turns
 * a thrown `Meteor.Error` into `failure(e.message, e.error, undefined, e)`), and Meteor's `Meteor.Error`
 * whose `message` is `"<reason> [<error>]"` (or `"[<error>]"` without a reason).
 *
 * Handlers throw these; the server writes `status`, `headers` and the JSON `body` unchanged.
 */

/** An exact answer of a route handler (sent as is, no envelope added). */
export type RouteResult = {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	raw?: Buffer | string;
	/** A body sent as it is read (big files), instead of `raw`. */
	stream?: () => NodeJS.ReadableStream;
	contentType?: string;
};

const ROUTE_RESULT = Symbol('route-result');
const ROUTE_RESULT_KEYS = new Set(['status', 'body', 'headers', 'raw', 'stream', 'contentType']);

/** Marks an exact answer so it is never mistaken for a payload. */
export function respond(result: RouteResult): RouteResult {
	return Object.assign(result, { [ROUTE_RESULT]: true });
}

/**
 * True for `respond()` results and for plain objects whose only keys are `status` (a number), `body`,
 * `headers`, `raw`, `contentType` (with `body`, `raw` or a numeric `status`).
 */
export function isRouteResult(value: unknown): value is RouteResult {
	if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value)) return false;
	if ((value as Record<symbol, unknown>)[ROUTE_RESULT]) return true;
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record);
	if (keys.length === 0 || !keys.every((key) => ROUTE_RESULT_KEYS.has(key))) return false;
	if ('status' in record && typeof record.status !== 'number') return false;
	return 'body' in record || 'raw' in record || 'stream' in record || typeof record.status === 'number';
}

export class ApiFailure extends Error {
	readonly status: number;
	readonly body: object;
	readonly headers: Record<string, string>;

	constructor(status: number, body: object, headers: Record<string, string> = {}) {
		super(typeof (body as { error?: unknown }).error === 'string' ? String((body as { error: string }).error) : `HTTP ${status}`);
		this.name = 'ApiFailure';
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

function withDetails(body: Record<string, unknown>, details?: object): Record<string, unknown> {
	if (details !== undefined) {
		body.details = details;
	}
	return body;
}

/**
 * A thrown `Meteor.Error(code, reason?, details?)`:
 * 400 `{success:false, error:"<reason> [<code>]", errorType:"<code>", details?}`.
 */
export function meteorError(code: string | number, reason?: string, details?: object): ApiFailure {
	const message = reason ? `${reason} [${code}]` : `[${code}]`;
	return new ApiFailure(400, withDetails({ success: false, error: message, errorType: code }, details));
}

/**
 * `API.v1.failure(result?, errorType?)`: 400 `{success:false, error?, errorType?, details?}`; the text is
 * used as given (no brackets added). `apiFailure()` gives `{success:false}`.
 */
export function apiFailure(error?: string, errorType?: string, details?: object): ApiFailure {
	const body: Record<string, unknown> = { success: false };
	if (error !== undefined) body.error = error;
	if (errorType) body.errorType = errorType;
	return new ApiFailure(400, withDetails(body, details));
}

/**
 * 400. Without `errorType`: `{success:false, error}` (a handler calling `API.v1.failure("text")`).
 * With `errorType`: `{success:false, error:"<error> [<errorType>]", errorType, details?}` (a thrown `Meteor.Error`).
 */
export function failure(error: string, errorType?: string, details?: object): ApiFailure {
	return errorType ? meteorError(errorType, error, details) : apiFailure(error, undefined, details);
}

/** `API.v1.forbidden()`: 403 `{success:false, error:"unauthorized"}` (the text before 9.0). */
export function forbidden(message?: string): ApiFailure {
	return new ApiFailure(403, { success: false, error: message ?? 'unauthorized' });
}

/** `API.v1.unauthorized()`: 401 `{success:false, error:"unauthorized"}`. */
export function unauthorized(message?: string): ApiFailure {
	return new ApiFailure(401, { success: false, error: message ?? 'unauthorized' });
}

/** `API.v1.notFound()`: 404 `{success:false, error:"Resource not found"}`. */
export function notFound(message?: string): ApiFailure {
	return new ApiFailure(404, { success: false, error: message ?? 'Resource not found' });
}

/** `API.v1.internalError()`: 500 `{success:false, error:"Internal server error"}`. */
export function internalError(message?: string): ApiFailure {
	return new ApiFailure(500, { success: false, error: message ?? 'Internal server error' });
}

/** `API.v1.unavailable()`: 503 `{success:false, error:"Service Unavailable"}`. */
export function unavailable(message?: string): ApiFailure {
	return new ApiFailure(503, { success: false, error: message ?? 'Service Unavailable' });
}

/** Missing or invalid `X-User-Id`/`X-Auth-Token` (`middlewares/authenticationHono.ts`, before 9.0). */
export const UNAUTHORIZED_BODY = Object.freeze({
	success: false,
	error: 'You must be logged in to do this.',
	status: 'error',
	message: 'You must be logged in to do this.',
});

/** Route-level `permissionsRequired` not met (`middlewares/permissions.ts`). */
export const PERMISSION_DENIED_BODY = Object.freeze({
	success: false,
	error: 'User does not have the permissions required for this action [error-unauthorized]',
});
