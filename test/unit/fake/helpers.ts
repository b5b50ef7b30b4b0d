/** A tiny fetch client for the fake's own tests. */
import type { FakeRocketChat, FixtureUser } from '../../fake';

export interface CallOptions {
	as?: FixtureUser | { userId: string; token: string };
	query?: string;
	json?: unknown;
	body?: string;
	contentType?: string;
	headers?: Record<string, string>;
}

export interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

export async function call(rc: FakeRocketChat, method: string, endpoint: string, options: CallOptions = {}): Promise<CallResult> {
	const headers: Record<string, string> = { ...(options.headers ?? {}) };
	if (options.as) {
		headers['X-User-Id'] = options.as.userId;
		headers['X-Auth-Token'] = 'pat' in options.as ? options.as.pat : options.as.token;
	}
	let body: string | undefined;
	if (options.json !== undefined) {
		body = JSON.stringify(options.json);
		headers['Content-Type'] = 'application/json';
	} else if (options.body !== undefined) {
		body = options.body;
		if (options.contentType) headers['Content-Type'] = options.contentType;
	}
	const path = endpoint.startsWith('/') ? endpoint : `/api/v1/${endpoint}`;
	const url = `${rc.url}${path}${options.query ? `?${options.query}` : ''}`;
	const response = await fetch(url, { method, headers, body });
	const text = await response.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}
