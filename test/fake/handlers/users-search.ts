/**
 * `users.autocomplete`: the user picker's search.
 *
 * Source: `apps/meteor/server/api/v1/users.ts` (typed route, query validator rest-typings
 * `isUsersAutocompleteProps`: `selector` required, a JSON string `{"term": "…"}`), `findUsersToAutocomplete`
 * (active users whose username or name contains the term, case-insensitive, sorted by username, at most
 * 10; fields `_id, name, username, nickname, status, avatarETag`), reference rocketchat-api.md §10.
 */
import { apiFailure } from '../errors';
import type { FakeRocketChat, RouteContext } from '../server';
import type { Schema } from '../validation';

const query: Schema = {
	type: 'object',
	properties: { selector: { type: 'string' } },
	required: ['selector'],
	additionalProperties: false,
};

function autocomplete(ctx: RouteContext): Record<string, unknown> {
	let selector: { term?: unknown; exceptions?: unknown };
	try {
		selector = JSON.parse(String(ctx.query.selector)) as typeof selector;
	} catch {
		throw apiFailure('The "selector" query parameter must be JSON, e.g. {"term":"ali"}');
	}
	const term = String(selector?.term ?? '').toLowerCase();
	const exceptions = new Set(Array.isArray(selector?.exceptions) ? selector.exceptions.map(String) : []);
	const items = [...ctx.state.users.values()]
		.filter((user) => user.active && !exceptions.has(user.username))
		.filter((user) => !term || user.username.toLowerCase().includes(term) || user.name.toLowerCase().includes(term))
		.sort((a, b) => a.username.localeCompare(b.username))
		.slice(0, 10)
		.map((user) => ({ _id: user._id, name: user.name, username: user.username, ...(user.nickname && { nickname: user.nickname }), status: user.status }));
	return { items };
}

export function register(server: FakeRocketChat): void {
	server.route({ method: 'GET', path: 'users.autocomplete', validationStyle: 'typed', query, handler: autocomplete });
}
