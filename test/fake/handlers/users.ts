/**
 * `users.info`.
 *
 * Source: `apps/meteor/server/api/v1/users.ts` (typed route, query validator rest-typings
 * `isUsersInfoParamsGetProps`: exactly one of `userId`/`username`/`importId`/`email`/`freeSwitchExtension`
 * plus optional `includeUserRooms`; `fields` no longer accepted since 7.0), answers
 * `API.v1.failure('Invalid search query.')` / `API.v1.failure('User not found.')` (OpenAPI
 * `user-management.yaml` example `User not found.`); `includeUserRooms=true` adds `rooms` for oneself or
 * with `view-other-user-channels`.
 */
import { apiFailure } from '../errors';
import type { FakeRocketChat, RouteContext } from '../server';
import { type FakeUser, toRestUserInfo } from '../state';
import type { Schema } from '../validation';

const LOOKUP_KEYS = ['userId', 'username', 'importId', 'email', 'freeSwitchExtension'] as const;

const infoSchema: Schema = {
	anyOf: LOOKUP_KEYS.map(
		(key): Schema => ({
			type: 'object',
			properties: { [key]: { type: 'string' }, includeUserRooms: { type: 'string' } },
			required: [key],
			additionalProperties: false,
		}),
	),
};

function usersInfo(ctx: RouteContext): Record<string, unknown> {
	const caller = ctx.user as FakeUser;
	const query = ctx.query as Partial<Record<(typeof LOOKUP_KEYS)[number] | 'includeUserRooms', string>>;
	let user: FakeUser | undefined;
	if (query.userId) user = ctx.state.users.get(query.userId);
	else if (query.username) user = ctx.state.findUserByUsername(query.username);
	else if (query.importId) user = undefined;
	else if (query.email) user = ctx.state.findUserByEmail(query.email);
	else if (query.freeSwitchExtension) user = undefined;
	else throw apiFailure('Invalid search query.');
	if (!user) throw apiFailure('User not found.');

	const myself = user._id === caller._id;
	const full = myself || ctx.hasPermission('view-full-other-user-info');
	const view = toRestUserInfo(user, full);
	if (query.includeUserRooms === 'true' && (myself || ctx.hasPermission('view-other-user-channels'))) {
		const rooms = ctx.state
			.subscriptionsOfUser(user._id)
			.sort((a, b) => a.t.localeCompare(b.t) || a.name.localeCompare(b.name))
			.map((subscription) => ({
				_id: subscription._id,
				rid: subscription.rid,
				name: subscription.name,
				t: subscription.t,
				unread: subscription.unread,
				...(subscription.roles && { roles: subscription.roles }),
			}));
		return { user: { ...view, rooms } };
	}
	return { user: view };
}

export function register(server: FakeRocketChat): void {
	server.route({ method: 'GET', path: 'users.info', validationStyle: 'typed', query: infoSchema, handler: usersInfo });
}
