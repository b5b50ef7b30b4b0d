/**
 * The baseline: the same HTTP requests the node sent (method, URL, headers, body, taken from the fake's
 * request log), sent one after the other over one keep-alive connection with node:http.
 */
import * as http from 'node:http';

import type { RequestSummary } from './worker';

export interface RawRequest {
	method: string;
	path: string;
	headers: http.OutgoingHttpHeaders;
	body?: string;
}

/** Headers that belong to the connection, not to the request. */
const CONNECTION_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export function rawRequestsFrom(logged: RequestSummary[]): RawRequest[] {
	return logged.map((request) => {
		const headers: http.OutgoingHttpHeaders = {};
		for (const [name, value] of Object.entries(request.headers)) {
			if (value !== undefined && !CONNECTION_HEADERS.has(name.toLowerCase())) headers[name] = value;
		}
		const hasBody = request.method !== 'GET' && request.body !== undefined && request.body !== null && !(typeof request.body === 'object' && Object.keys(request.body as object).length === 0);
		return {
			method: request.method,
			path: request.rawUrl,
			headers,
			body: hasBody ? (typeof request.body === 'string' ? request.body : JSON.stringify(request.body)) : undefined,
		};
	});
}

/**
 * Sends `requests` in order on a keep-alive agent (one connection for all); with `keepAlive: false`, on a
 * new connection each, as n8n's request helper does. Resolves with the elapsed milliseconds and the statuses.
 */
export async function rawLoop(baseUrl: string, requests: RawRequest[], options: { keepAlive?: boolean } = {}): Promise<{ ms: number; statuses: Record<number, number> }> {
	const url = new URL(baseUrl);
	const keepAlive = options.keepAlive ?? true;
	const agent = new http.Agent({ keepAlive, maxSockets: 1 });
	const statuses: Record<number, number> = {};
	const start = performance.now();
	try {
		for (const request of requests) {
			const status = await new Promise<number>((resolve, reject) => {
				const req = http.request(
					{ host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, agent },
					(res) => {
						res.on('data', () => undefined);
						res.on('end', () => resolve(res.statusCode ?? 0));
						res.on('error', reject);
					},
				);
				req.on('error', reject);
				req.end(request.body);
			});
			statuses[status] = (statuses[status] ?? 0) + 1;
		}
		return { ms: performance.now() - start, statuses };
	} finally {
		agent.destroy();
	}
}
