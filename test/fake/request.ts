/**
 * Request parsing helpers of the fake: query strings (qs-style, as `@rocket.chat/http-router` parses them
 * with `qs.parse`), request bodies (as `Router.parseBodyParams`), multipart form data, and list paging
 * (`apps/meteor/server/api/lib/getPaginationItems.ts`, `parseJsonQuery.ts`).
 */
import type { IncomingHttpHeaders } from 'node:http';

import { meteorError } from './errors';
import { isPlainObject } from './validation';

export type BodyKind = 'empty' | 'json' | 'form' | 'multipart' | 'text';

export interface ParsedBody {
	kind: BodyKind;
	/** JSON value, form object, text; `{}` for empty and multipart bodies (multipart stays in `rawBody`). */
	value: unknown;
	/** The body claimed to be JSON and did not parse. */
	invalidJson: boolean;
}

function appendValue(target: Record<string, unknown>, key: string, value: unknown): void {
	if (!(key in target)) {
		target[key] = value;
		return;
	}
	const existing = target[key];
	target[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
}

function setPath(target: Record<string, unknown>, path: string[], value: string): void {
	const [head, ...rest] = path;
	if (rest.length === 0) {
		appendValue(target, head, value);
		return;
	}
	const next = rest[0];
	const wantsArray = next === '' || /^\d+$/.test(next);
	let container = target[head];
	if (wantsArray) {
		if (container === undefined) container = [];
		else if (!Array.isArray(container) && !isPlainObject(container)) container = [container];
		target[head] = container;
		if (Array.isArray(container)) {
			if (rest.length === 1) {
				container.push(value);
			} else {
				const child: Record<string, unknown> = {};
				setPath(child, rest.slice(1), value);
				container.push(child);
			}
			return;
		}
		setPath(container as Record<string, unknown>, rest, value);
		return;
	}
	if (!isPlainObject(container)) {
		container = {};
		target[head] = container;
	}
	setPath(container as Record<string, unknown>, rest, value);
}

/**
 * Decodes a query string with URLSearchParams semantics (`+` is a space); `key[]=a&key[]=b` and repeated
 * `key=a&key=b` both give `key: ['a','b']`; `a[b]=c` gives `a: {b:'c'}` (qs bracket notation).
 */
export function parseQueryString(queryString: string): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of new URLSearchParams(queryString)) {
		const match = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(key);
		if (!match) {
			appendValue(out, key, value);
			continue;
		}
		const segments = [...match[2].matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1]);
		setPath(out, [match[1], ...segments], value);
	}
	return out;
}

export function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
	const type = (contentType ?? '').toLowerCase();
	if (type.includes('multipart/form-data')) {
		return { kind: 'multipart', value: {}, invalidJson: false };
	}
	if (raw.length === 0) {
		return { kind: 'empty', value: {}, invalidJson: false };
	}
	const text = raw.toString('utf8');
	if (type.includes('application/json')) {
		try {
			return { kind: 'json', value: JSON.parse(text) as unknown, invalidJson: false };
		} catch {
			return { kind: 'json', value: undefined, invalidJson: true };
		}
	}
	if (type.includes('application/x-www-form-urlencoded')) {
		return { kind: 'form', value: Object.fromEntries(new URLSearchParams(text)), invalidJson: false };
	}
	return { kind: 'text', value: text, invalidJson: false };
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	if (Array.isArray(value)) return value[0];
	return value === undefined || value === '' ? undefined : value;
}

// ---------------------------------------------------------------- multipart

export interface MultipartFile {
	field: string;
	filename: string;
	contentType: string;
	data: Buffer;
}

export interface MultipartData {
	fields: Record<string, string>;
	files: MultipartFile[];
}

function dispositionParam(disposition: string, name: string): string | undefined {
	const extended = new RegExp(`${name}\\*=(?:UTF-8|utf-8)''([^;]+)`).exec(disposition);
	if (extended) {
		try {
			return decodeURIComponent(extended[1]);
		} catch {
			return extended[1];
		}
	}
	const quoted = new RegExp(`(?:^|;)\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`).exec(disposition);
	if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
	const bare = new RegExp(`(?:^|;)\\s*${name}=([^;]+)`).exec(disposition);
	return bare ? bare[1].trim() : undefined;
}

/** Parses a `multipart/form-data` body; undefined when the request is not multipart or is malformed. */
export function parseMultipart(request: { headers: IncomingHttpHeaders; rawBody: Buffer }): MultipartData | undefined {
	const contentType = headerValue(request.headers, 'content-type') ?? '';
	if (!/multipart\/form-data/i.test(contentType)) return undefined;
	const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2]?.trim();
	if (!boundary) return undefined;
	const body = request.rawBody;
	const delimiter = Buffer.from(`--${boundary}`);
	const result: MultipartData = { fields: {}, files: [] };
	let position = body.indexOf(delimiter);
	if (position < 0) return undefined;
	for (;;) {
		position += delimiter.length;
		if (body.subarray(position, position + 2).toString() === '--') break;
		if (body.subarray(position, position + 2).toString() === '\r\n') position += 2;
		const headerEnd = body.indexOf('\r\n\r\n', position);
		if (headerEnd < 0) return undefined;
		const headerLines = body.subarray(position, headerEnd).toString('utf8').split('\r\n');
		const partHeaders: Record<string, string> = {};
		for (const line of headerLines) {
			const colon = line.indexOf(':');
			if (colon > 0) partHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const contentStart = headerEnd + 4;
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), contentStart);
		if (next < 0) return undefined;
		const data = body.subarray(contentStart, next);
		const disposition = partHeaders['content-disposition'] ?? '';
		const field = dispositionParam(disposition, 'name') ?? '';
		const filename = dispositionParam(disposition, 'filename');
		if (filename !== undefined) {
			result.files.push({ field, filename, contentType: partHeaders['content-type'] ?? 'application/octet-stream', data: Buffer.from(data) });
		} else {
			result.fields[field] = data.toString('utf8');
		}
		position = next + 2;
	}
	return result;
}

// ---------------------------------------------------------------- paging

export interface Pagination {
	offset: number;
	/** 0 = unlimited (`API_Allow_Infinite_Count`). */
	count: number;
	sort?: Record<string, 1 | -1>;
}

export interface PagingLimits {
	upperCountLimit: number;
	defaultCount: number;
	allowInfiniteCount: boolean;
}

/**
 * `getPaginationItems` + the `sort` part of `parseJsonQuery`: `offset` default 0; `count` default 50,
 * above the upper limit clamped to it, 0 = unlimited; `sort` a JSON object of 1/-1, else 400
 * `error-invalid-sort` (`Invalid sort parameter provided: "<sort>"`, details `{helperMethod:'parseJsonQuery'}`).
 */
export function paginationFromQuery(query: Record<string, unknown>, limits: PagingLimits): Pagination {
	const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);
	const rawOffset = first(query.offset);
	const rawCount = first(query.count);
	let offset = rawOffset ? parseInt(String(rawOffset), 10) : 0;
	if (Number.isNaN(offset) || offset < 0) offset = 0;
	let count = limits.defaultCount;
	if (rawCount !== undefined && rawCount !== null) {
		count = parseInt(String(rawCount || 0), 10);
		if (Number.isNaN(count)) count = limits.defaultCount;
	}
	count = Math.abs(count);
	if (count > limits.upperCountLimit) count = limits.upperCountLimit;
	if (count === 0 && !limits.allowInfiniteCount) count = limits.defaultCount;

	const page: Pagination = { offset, count };
	const rawSort = first(query.sort);
	if (typeof rawSort === 'string') {
		let sort: unknown;
		try {
			sort = JSON.parse(rawSort);
		} catch {
			sort = undefined;
		}
		const valid = isPlainObject(sort) && Object.values(sort).every((value) => value === 1 || value === -1);
		if (!valid) {
			throw meteorError('error-invalid-sort', `Invalid sort parameter provided: "${rawSort}"`, { helperMethod: 'parseJsonQuery' });
		}
		page.sort = sort as Record<string, 1 | -1>;
	}
	return page;
}

function pathValue(item: unknown, path: string): unknown {
	let current: unknown = item;
	for (const part of path.split('.')) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

function compareValues(a: unknown, b: unknown): number {
	if (a === b) return 0;
	if (a === undefined || a === null) return -1;
	if (b === undefined || b === null) return 1;
	const av = a instanceof Date ? a.getTime() : a;
	const bv = b instanceof Date ? b.getTime() : b;
	if (typeof av === 'number' && typeof bv === 'number') return av - bv;
	return String(av).localeCompare(String(bv));
}

/** Sorts a copy like a Mongo sort document (`{field: 1|-1, ...}`, dotted paths allowed). */
export function sortItems<T>(items: readonly T[], sort: Record<string, 1 | -1> | undefined): T[] {
	const copy = [...items];
	if (!sort) return copy;
	const entries = Object.entries(sort);
	return copy.sort((a, b) => {
		for (const [field, direction] of entries) {
			const order = compareValues(pathValue(a, field), pathValue(b, field));
			if (order !== 0) return order * direction;
		}
		return 0;
	});
}

/** Applies `offset`/`count` (0 = all) to an already sorted list; `total` is the list length. */
export function paginateItems<T>(items: readonly T[], page: Pick<Pagination, 'offset' | 'count'>): { items: T[]; total: number } {
	const end = page.count === 0 ? undefined : page.offset + page.count;
	return { items: items.slice(page.offset, end), total: items.length };
}
