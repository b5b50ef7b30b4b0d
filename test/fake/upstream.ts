/**
 * Rocket.Chat's own request validators, per server line.
 *
 * The validators are the AJV functions published in `@rocket.chat/rest-typings` (6.13.1, 7.10.0, 8.8.1),
 * installed and bundled by `test/fake/validators/install.mjs` (npm aliases rt6/rt7/rt8). The fake picks
 * the line from its server version (6.x → rt6, 7.x → rt7, 8.x → rt8) and, for each route the table below
 * lists, validates exactly as that version's route does:
 *
 * - `legacy`: `API.v1.addRoute(path, { validateParams: isXProps })` — `apps/meteor/app/api/server/ApiClass.ts`
 *   runs the rate limiter first, then `throw new Meteor.Error('invalid-params', errors.map(e => e.message).join('\n '))`
 *   → 400 `{success:false, error:"<messages> [invalid-params]", errorType:"invalid-params"}`;
 * - `typed`: `API.v1.get/post(path, { query, body })` — `@rocket.chat/http-router` `Router.ts` validates before
 *   the action (and the rate limiter): query → 400 `{success:false, errorType:"error-invalid-params", error}`,
 *   body → 400 `{success:false, errorType:"invalid-params", error}` (body `invalid-params` since http-router
 *   7.9.4 = Rocket.Chat 7.10.0, PR #36535; before that `error-invalid-params`);
 * - `null`: the route of that line validates nothing (hand checks in the handler only);
 * - no entry for a line: the route's own schema in `handlers/*.ts` applies (the server defines that schema
 *   in its own source, not in rest-typings) with the route's `validationStyle`.
 *
 * Sources per line: 6.x/7.x `apps/meteor/app/api/server/v1/{chat,rooms,subscriptions,users,channels,groups,im}.ts`
 * (`addRoute` + `validateParams`); 8.x the same files after the move to `API.v1.get/post` (each handler file
 * names its route's style). See the table in `test/fake/README.md`.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';

export type ServerLine = 'rt6' | 'rt7' | 'rt8';

export interface UpstreamRule {
	style: 'legacy' | 'typed';
	/** Export name of the query validator in that line's rest-typings. */
	query?: string;
	/** Export name of the body validator in that line's rest-typings. */
	body?: string;
}

type PerLine = Partial<Record<ServerLine, UpstreamRule | null>>;

/** An AJV validate function as rest-typings exports it. */
export interface AjvValidate {
	(data: unknown): boolean;
	errors?: Array<{ message?: string }> | null;
}

export const SERVER_LINES: readonly ServerLine[] = ['rt6', 'rt7', 'rt8'];

/** Whether the server `version` is at least `wanted` (both `major.minor[.patch]`). */
export function versionAtLeast(version: string, wanted: string): boolean {
	const have = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
	const want = wanted.split('.').map((part) => Number.parseInt(part, 10) || 0);
	for (let i = 0; i < Math.max(have.length, want.length); i++) {
		const a = have[i] ?? 0;
		const b = want[i] ?? 0;
		if (a !== b) return a > b;
	}
	return true;
}

/** The rest-typings line of a server version: 6.x → rt6, 7.x → rt7, 8.x (and later) → rt8. */
export function lineOf(version: string): ServerLine {
	const major = Number.parseInt(version.split('.')[0] ?? '', 10);
	if (major <= 6) return 'rt6';
	if (major === 7) return 'rt7';
	return 'rt8';
}

const legacyBody = (body: string): UpstreamRule => ({ style: 'legacy', body });
const legacyQuery = (query: string): UpstreamRule => ({ style: 'legacy', query });
const typedBody = (body: string): UpstreamRule => ({ style: 'typed', body });
const typedQuery = (query: string): UpstreamRule => ({ style: 'typed', query });
const allLegacyBody = (body: string): PerLine => ({ rt6: legacyBody(body), rt7: legacyBody(body), rt8: legacyBody(body) });
const allLegacyQuery = (query: string): PerLine => ({ rt6: legacyQuery(query), rt7: legacyQuery(query), rt8: legacyQuery(query) });

/**
 * `METHOD path` → per line. Only routes the package calls; a route absent here keeps its own schema on
 * every line.
 */
export const UPSTREAM_VALIDATION: Readonly<Record<string, PerLine>> = {
	// chat.ts — 6.x/7.x: addRoute + validateParams on every route below except chat.postMessage before 7.4
	'POST chat.postMessage': { rt6: null, rt7: legacyBody('isChatPostMessageProps'), rt8: legacyBody('isChatPostMessageProps') },
	'POST chat.sendMessage': allLegacyBody('isChatSendMessageProps'),
	'GET chat.getMessage': allLegacyQuery('isChatGetMessageProps'),
	'POST chat.update': { rt6: legacyBody('isChatUpdateProps'), rt7: legacyBody('isChatUpdateProps'), rt8: typedBody('isChatUpdateProps') },
	'POST chat.delete': allLegacyBody('isChatDeleteProps'),
	'POST chat.react': allLegacyBody('isChatReactProps'),
	// 7.10/8.x: typed with a schema defined in the server (rest-typings 7.10.0 no longer exports isChatPinMessageProps)
	'POST chat.pinMessage': { rt6: legacyBody('isChatPinMessageProps') },
	'POST chat.unPinMessage': { rt6: legacyBody('isChatUnpinMessageProps'), rt7: legacyBody('isChatUnpinMessageProps') },
	'POST chat.starMessage': { rt6: legacyBody('isChatStarMessageProps'), rt7: legacyBody('isChatStarMessageProps') },
	'POST chat.unStarMessage': { rt6: legacyBody('isChatUnstarMessageProps'), rt7: legacyBody('isChatUnstarMessageProps') },
	'POST chat.followMessage': { rt6: legacyBody('isChatFollowMessageProps'), rt7: legacyBody('isChatFollowMessageProps') },
	'POST chat.unfollowMessage': { rt6: legacyBody('isChatUnfollowMessageProps'), rt7: legacyBody('isChatUnfollowMessageProps') },
	'GET chat.search': allLegacyQuery('isChatSearchProps'),
	'GET chat.getStarredMessages': allLegacyQuery('isChatGetStarredMessagesProps'),
	'GET chat.getMentionedMessages': allLegacyQuery('isChatGetMentionedMessagesProps'),
	'GET chat.getPinnedMessages': allLegacyQuery('isChatGetPinnedMessagesProps'),
	'GET chat.getMessageReadReceipts': {
		rt6: legacyQuery('isChatGetMessageReadReceiptsProps'),
		rt7: legacyQuery('isChatGetMessageReadReceiptsProps'),
		rt8: typedQuery('isChatGetMessageReadReceiptsProps'),
	},
	'GET chat.getThreadMessages': allLegacyQuery('isChatGetThreadMessagesProps'),
	'GET chat.getThreadsList': allLegacyQuery('isChatGetThreadsListProps'),
	'POST chat.reportMessage': allLegacyBody('isChatReportMessageProps'),

	// channels.ts / groups.ts
	'GET channels.history': { rt6: legacyQuery('isChannelsHistoryProps'), rt7: legacyQuery('isChannelsHistoryProps'), rt8: typedQuery('isChannelsHistoryProps') },
	'GET groups.history': allLegacyQuery('isGroupsHistoryProps'),

	// rooms.ts — 6.x/7.x: rooms.info, rooms.get, rooms.adminRooms, rooms.saveRoomSettings, rooms.favorite have no validateParams
	'GET rooms.adminRooms': { rt6: null, rt7: null, rt8: typedQuery('isRoomsAdminRoomsProps') },
	'POST rooms.saveRoomSettings': { rt6: null, rt7: null, rt8: typedBody('isRoomsSaveRoomSettingsProps') },
	'POST rooms.favorite': { rt6: null, rt7: null },
	'POST rooms.cleanHistory': allLegacyBody('isRoomsCleanHistoryProps'),
	'POST rooms.changeArchivationState': allLegacyBody('isRoomsChangeArchivationStateProps'),
	'POST rooms.muteUser': { rt6: legacyBody('isRoomsMuteUnmuteUserProps'), rt7: legacyBody('isRoomsMuteUnmuteUserProps'), rt8: typedBody('isRoomsMuteUnmuteUserProps') },
	'POST rooms.unmuteUser': { rt6: legacyBody('isRoomsMuteUnmuteUserProps'), rt7: legacyBody('isRoomsMuteUnmuteUserProps'), rt8: typedBody('isRoomsMuteUnmuteUserProps') },
	'GET rooms.membersOrderedByRole': { rt7: legacyQuery('isRoomsMembersOrderedByRoleProps'), rt8: typedQuery('isRoomsMembersOrderedByRoleProps') },
	'POST rooms.hide': { rt7: legacyBody('isRoomsHideProps'), rt8: typedBody('isRoomsHideProps') },
	'POST rooms.open': { rt7: legacyBody('isRoomsOpenProps'), rt8: typedBody('isRoomsOpenProps') },
	'POST rooms.join': { rt8: typedBody('isRoomsJoinProps') },

	// subscriptions.ts — 6.x/7.x addRoute + validateParams, 8.x typed
	'GET subscriptions.get': { rt6: legacyQuery('isSubscriptionsGetProps'), rt7: legacyQuery('isSubscriptionsGetProps'), rt8: typedQuery('isSubscriptionsGetProps') },
	'GET subscriptions.getOne': { rt6: legacyQuery('isSubscriptionsGetOneProps'), rt7: legacyQuery('isSubscriptionsGetOneProps'), rt8: typedQuery('isSubscriptionsGetOneProps') },
	'POST subscriptions.read': { rt6: legacyBody('isSubscriptionsReadProps'), rt7: legacyBody('isSubscriptionsReadProps'), rt8: typedBody('isSubscriptionsReadProps') },
	'POST subscriptions.unread': { rt6: legacyBody('isSubscriptionsUnreadProps'), rt7: legacyBody('isSubscriptionsUnreadProps'), rt8: typedBody('isSubscriptionsUnreadProps') },

	// users.ts
	'GET users.info': { rt6: legacyQuery('isUsersInfoParamsGetProps'), rt7: legacyQuery('isUsersInfoParamsGetProps'), rt8: typedQuery('isUsersInfoParamsGetProps') },
	'GET users.autocomplete': { rt6: legacyQuery('isUsersAutocompleteProps'), rt7: legacyQuery('isUsersAutocompleteProps'), rt8: typedQuery('isUsersAutocompleteProps') },
};

/**
 * The rule of a route on a line: a rule (validate with rest-typings), `null` (no validation on that line)
 * or `undefined` (the route's own schema applies).
 */
export function upstreamRule(method: string, path: string, line: ServerLine): UpstreamRule | null | undefined {
	const perLine = UPSTREAM_VALIDATION[`${method} ${path}`];
	if (!perLine || !(line in perLine)) return undefined;
	return perLine[line] ?? null;
}

// ---------------------------------------------------------------- loading the bundles

const loaded = new Map<ServerLine, Record<string, unknown>>();

/** `test/fake/validators` — found from this file's folder upwards (the e2e compiles the fake elsewhere), else from the working directory. */
export function validatorsDir(): string {
	for (const start of [__dirname, process.cwd()]) {
		let dir = start;
		for (;;) {
			for (const candidate of [join(dir, 'validators'), join(dir, 'test', 'fake', 'validators')]) {
				if (existsSync(join(candidate, 'install.mjs'))) return candidate;
			}
			const parent = dirname(dir);
			if (parent === dir) break;
			dir = parent;
		}
	}
	throw new Error(`fake Rocket.Chat: test/fake/validators not found above ${__dirname} or ${process.cwd()}`);
}

function loadLine(line: ServerLine): Record<string, unknown> {
	const cached = loaded.get(line);
	if (cached) return cached;
	const dir = validatorsDir();
	const bundle = join(dir, 'dist', `${line}.cjs`);
	if (!existsSync(bundle)) {
		// Installs and bundles once (npm ci in test/fake/validators, ~1 minute on a fresh clone).
		execFileSync(process.execPath, [join(dir, 'install.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
	}
	// AJV prints "strict mode" notes for some rest-typings schemas while compiling them at load time.
	const warn = console.warn;
	console.warn = () => undefined;
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(bundle) as Record<string, unknown>;
		loaded.set(line, mod);
		return mod;
	} finally {
		console.warn = warn;
	}
}

/** The named rest-typings validator of a line (throws when that line does not export it). */
export function upstreamValidator(line: ServerLine, name: string): AjvValidate {
	const fn = loadLine(line)[name];
	if (typeof fn !== 'function') throw new Error(`fake Rocket.Chat: @rocket.chat/rest-typings (${line}) exports no ${name}`);
	return fn as AjvValidate;
}

/**
 * Runs a rest-typings validator on a copy of the data (AJV coerces in place, as on the server, so the
 * handler sees the coerced copy). Returns the coerced data, or the AJV messages.
 */
export function runUpstream(validator: AjvValidate, data: unknown): { valid: true; value: unknown } | { valid: false; messages: string[] } {
	const copy = data === undefined ? undefined : structuredClone(data);
	if (validator(copy)) return { valid: true, value: copy };
	return { valid: false, messages: (validator.errors ?? []).map((error) => error.message ?? '') };
}
