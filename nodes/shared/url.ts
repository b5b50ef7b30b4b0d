/**
 * Server URL handling shared by the credentials, the transport and the realtime client.
 *
 * Users paste the address they see in the browser: with or without a trailing slash, sometimes with the
 * REST prefix `/api/v1` or a path of the web app (`/home`, `/channel/general`). Rocket.Chat can also be
 * served under a path prefix (`https://example.com/chat`), which must be kept.
 */
const APP_PATHS = /\/(?:api(?:\/v1)?|home|channel\/[^/]*|group\/[^/]*|direct\/[^/]*)\/?$/i;

export function normalizeServerUrl(raw: unknown): string {
	if (typeof raw !== 'string' || raw.trim() === '') {
		throw new Error('The Server URL is empty: enter the address of your Rocket.Chat server, e.g. https://chat.example.com');
	}
	let url = raw.trim();
	if (!/^https?:\/\//i.test(url)) {
		if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
			throw new Error(`The Server URL must start with http:// or https:// (got "${url.split(':')[0]}://")`);
		}
		url = `https://${url}`;
	}
	// Drop query string and fragment, then trailing slashes and known app paths.
	url = url.replace(/[?#].*$/, '');
	url = url.replace(/\/+$/, '');
	let previous = '';
	while (previous !== url) {
		previous = url;
		url = url.replace(APP_PATHS, '').replace(/\/+$/, '');
	}
	const parsed = URL.canParse(url) ? new URL(url) : undefined;
	if (!parsed) {
		throw new Error(`The Server URL "${raw}" is not a valid address, e.g. https://chat.example.com`);
	}
	if (!parsed.hostname) {
		throw new Error(`The Server URL "${raw}" has no host name, e.g. https://chat.example.com`);
	}
	// Never keep user info (user:password@host) in the address we print in messages.
	parsed.username = '';
	parsed.password = '';
	return parsed.toString().replace(/\/+$/, '');
}

/** The Realtime API address: `wss://host/prefix/websocket` (or `ws://` for plain http). */
export function websocketUrl(serverUrl: string): string {
	return `${normalizeServerUrl(serverUrl).replace(/^http/i, 'ws')}/websocket`;
}

/**
 * Query string in the form Rocket.Chat's validators read: every value encoded with encodeURIComponent
 * (so `&`, `+`, `#`, spaces and `+hh:mm` offsets survive), arrays as repeated `key[]=value`,
 * dates as ISO strings, objects as JSON. Undefined and null values are left out.
 */
export function buildQueryString(qs: Record<string, unknown> | undefined): string {
	if (!qs) return '';
	const parts: string[] = [];
	for (const [key, value] of Object.entries(qs)) {
		if (value === undefined || value === null) continue;
		if (Array.isArray(value)) {
			for (const entry of value) {
				if (entry === undefined || entry === null) continue;
				parts.push(`${encodeURIComponent(key)}[]=${encodeURIComponent(queryValue(entry))}`);
			}
			continue;
		}
		parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(queryValue(value))}`);
	}
	return parts.join('&');
}

function queryValue(value: unknown): string {
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'object' && value !== null) {
		const maybeIso = (value as { toISO?: () => string | null }).toISO;
		if (typeof maybeIso === 'function') return maybeIso.call(value) ?? '';
		return JSON.stringify(value);
	}
	return String(value);
}
