/** Rocket.Chat's rate limiter as the client sees it: the retry limits and how long a 429 asks to wait. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { parseFailureBody } from './errors';

/** Limits of the rate-limit and retry handling. Numbers come from the credentials where set. */
export interface TransportLimits {
	/** How many times a request refused with 429 is retried. */
	rateLimitRetries: number;
	/** The longest single wait for the rate limiter, in milliseconds. */
	maxWaitMs: number;
	/** How many times an idempotent request is retried after 502/503/504 or a lost connection. */
	transientRetries: number;
	/** First backoff for transient failures, doubled each time (with jitter). */
	backoffBaseMs: number;
}

export const DEFAULT_LIMITS: TransportLimits = {
	rateLimitRetries: 5,
	maxWaitMs: 65_000,
	transientRetries: 3,
	backoffBaseMs: 250,
};

/** The limits set in the credentials (Max Rate Limit Retries, Max Rate Limit Wait), else the defaults. */
export function limitsFrom(credentials: ICredentialDataDecryptedObject): TransportLimits {
	const limits = { ...DEFAULT_LIMITS };
	const retries = Number(credentials.rateLimitRetries);
	if (credentials.rateLimitRetries !== undefined && credentials.rateLimitRetries !== '' && Number.isFinite(retries) && retries >= 0) {
		limits.rateLimitRetries = Math.floor(retries);
	}
	const maxWait = Number(credentials.rateLimitMaxWait);
	if (credentials.rateLimitMaxWait !== undefined && credentials.rateLimitMaxWait !== '' && Number.isFinite(maxWait) && maxWait >= 0) {
		limits.maxWaitMs = Math.floor(maxWait * 1000);
	}
	return limits;
}

export function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	if (Array.isArray(value)) return String(value[0]);
	return value === undefined || value === null ? undefined : String(value);
}

/** Milliseconds until the limiter lets the next call through: `X-RateLimit-Reset` (epoch ms), else the text's "wait N seconds". */
export function rateLimitWaitMs(headers: Record<string, unknown> | undefined, body: unknown, now = Date.now()): number {
	const text = (() => {
		const { json, text: raw } = parseFailureBody(body);
		return typeof json?.error === 'string' ? json.error : raw ?? '';
	})();
	const seconds = /wait (\d+(?:\.\d+)?) seconds?/i.exec(text)?.[1];
	const textWait = seconds !== undefined ? Number(seconds) * 1000 : undefined;
	const reset = Number(header(headers, 'x-ratelimit-reset'));
	if (Number.isFinite(reset) && reset > 0) {
		// Epoch milliseconds; an epoch in seconds (other proxies) is converted.
		const resetMs = reset < 1e11 ? reset * 1000 : reset;
		let wait = resetMs - now;
		// A clock far off from the server's: trust the server's own "wait N seconds".
		if (textWait !== undefined && (wait < 0 || wait > textWait + 1000)) wait = textWait;
		return Math.max(0, Math.ceil(wait)) + 20;
	}
	if (textWait !== undefined) return textWait + 20;
	return 1000;
}

