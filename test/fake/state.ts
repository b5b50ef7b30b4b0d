/**
 * In-memory data model of the fake Rocket.Chat: users (with login tokens and personal access tokens),
 * rooms, subscriptions, messages and uploads, plus the mutators handlers, tests, benchmarks and demos use.
 *
 * Shapes follow `@rocket.chat/core-typings` 8.8.1 (`IUser`, `IRoom`, `ISubscription`, `IMessage`, `IUpload`)
 * as summarised in shared/reference/rocketchat-api.md §6 and §9; key order of the REST serialisations
 * follows the OpenAPI examples (rooms.yaml, authentication.yaml, user-management.yaml).
 * Dates are stored as `Date`; `JSON.stringify` turns them into ISO strings as the REST API does.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

export type RoomType = 'c' | 'p' | 'd';
export type UserStatus = 'online' | 'away' | 'busy' | 'offline';

export interface UserRef {
	_id: string;
	username: string;
	name?: string;
}

export interface UserEmail {
	address: string;
	verified: boolean;
}

/** An entry of `services.resume.loginTokens` (a login token, or a PAT when `type` is set). */
export interface LoginTokenEntry {
	hashedToken: string;
	when?: Date;
	type?: 'personalAccessToken';
	name?: string;
	createdAt?: Date;
	lastTokenPart?: string;
	bypassTwoFactor?: boolean;
}

export interface FakeUser {
	_id: string;
	createdAt: Date;
	username: string;
	name: string;
	emails: UserEmail[];
	type: 'user' | 'bot' | 'app';
	status: UserStatus;
	statusConnection: UserStatus;
	statusText?: string;
	active: boolean;
	roles: string[];
	utcOffset: number;
	lastLogin?: Date;
	_updatedAt: Date;
	requirePasswordChange?: boolean;
	nickname?: string;
	bio?: string;
	customFields?: Record<string, unknown>;
	settings: { preferences: Record<string, unknown> };
	services: {
		/** sha256 hex digest of the password (the digest Meteor clients send as `{digest, algorithm:'sha-256'}`). */
		password?: { sha256: string };
		resume: { loginTokens: LoginTokenEntry[] };
		/** TOTP two-factor; `code` is the one code the fake accepts. */
		totp?: { enabled: boolean; code: string };
	};
}

export interface FakeRoom {
	_id: string;
	fname?: string;
	_updatedAt: Date;
	customFields?: Record<string, unknown>;
	topic?: string;
	description?: string;
	announcement?: string;
	broadcast?: boolean;
	encrypted?: boolean;
	name?: string;
	t: RoomType;
	msgs: number;
	usersCount: number;
	u?: UserRef;
	ts: Date;
	ro: boolean;
	default: boolean;
	featured?: boolean;
	sysMes: boolean;
	archived?: boolean;
	usernames?: string[];
	uids?: string[];
	muted?: string[];
	unmuted?: string[];
	reactWhenReadOnly?: boolean;
	joinCodeRequired?: boolean;
	joinCode?: string;
	prid?: string;
	teamId?: string;
	teamMain?: boolean;
	lastMessage?: FakeMessage;
	lm?: Date;
}

export interface FakeSubscription {
	_id: string;
	open: boolean;
	alert: boolean;
	unread: number;
	userMentions: number;
	groupMentions: number;
	ts: Date;
	rid: string;
	name: string;
	fname?: string;
	t: RoomType;
	u: UserRef;
	_updatedAt: Date;
	ls?: Date;
	lr?: Date;
	roles?: string[];
	f?: boolean;
	tunread?: string[];
	tunreadUser?: string[];
	tunreadGroup?: string[];
	archived?: boolean;
	prid?: string;
	hideUnreadStatus?: boolean;
}

export interface FileRef {
	_id: string;
	name: string;
	type: string;
	size: number;
	format?: string;
}

export interface MentionRef {
	_id: string;
	username: string;
	name?: string;
	type?: 'user' | 'team';
}

export interface Reaction {
	usernames: string[];
	names?: string[];
}

export interface FakeMessage {
	_id: string;
	rid: string;
	msg: string;
	ts: Date;
	u: UserRef;
	_updatedAt: Date;
	t?: string;
	groupable?: boolean;
	alias?: string;
	avatar?: string;
	emoji?: string;
	tmid?: string;
	tshow?: boolean;
	tcount?: number;
	tlm?: Date;
	replies?: string[];
	drid?: string;
	dcount?: number;
	dlm?: Date;
	editedAt?: Date;
	editedBy?: { _id: string; username: string };
	reactions?: Record<string, Reaction>;
	attachments?: Record<string, unknown>[];
	file?: FileRef;
	files?: FileRef[];
	urls?: { url: string; meta?: Record<string, unknown> }[];
	mentions?: MentionRef[];
	channels?: { _id: string; name: string }[];
	pinned?: boolean;
	pinnedAt?: Date;
	pinnedBy?: { _id: string; username: string };
	starred?: { _id: string }[];
	bot?: { i: string };
	customFields?: Record<string, unknown>;
	blocks?: unknown[];
	md?: unknown[];
	_hidden?: boolean;
}

export interface FakeFile {
	_id: string;
	name: string;
	size: number;
	type: string;
	rid: string;
	userId: string;
	store: string;
	complete: boolean;
	uploading: boolean;
	extension: string;
	progress: number;
	uploadedAt: Date;
	_updatedAt: Date;
	url: string;
	path: string;
	typeGroup: string;
	description?: string;
	content?: unknown;
	/** Temporary uploads (`rooms.media`) expire unless confirmed. */
	expiresAt?: Date;
	/** The bytes (empty when `diskPath` holds them); never serialised. */
	data: Buffer;
	/** A temporary file with the bytes of a big upload (removed when the fake stops); never serialised. */
	diskPath?: string;
}

export interface TrashEntry {
	_id: string;
	_deletedAt: Date;
	rid?: string;
	userId?: string;
}

export interface FakeSettings {
	/** `Unread_Count` (General): which channel/group messages increment `unread`. Server default `user_and_group_mentions_only`. */
	Unread_Count: 'all_messages' | 'user_mentions_only' | 'group_mentions_only' | 'user_and_group_mentions_only';
	/** `Unread_Count_DM`: same for direct messages. Server default `all_messages`. */
	Unread_Count_DM: 'all_messages' | 'mentions_only';
	Message_MaxAllowedSize: number;
	Threads_enabled: boolean;
	Message_AllowEditing: boolean;
	Message_AllowDeleting: boolean;
	Message_AllowPinning: boolean;
	Message_AllowStarring: boolean;
	Discussion_enabled: boolean;
	FileUpload_MaxFileSize: number;
	/** `UI_Use_Real_Name`: show display names; the `user-activity` notice must then carry the display name. */
	UI_Use_Real_Name: boolean;
	/** Settings added by later handlers. */
	[key: string]: unknown;
}

export const DEFAULT_SETTINGS: FakeSettings = {
	Unread_Count: 'user_and_group_mentions_only',
	Unread_Count_DM: 'all_messages',
	Message_MaxAllowedSize: 5000,
	Threads_enabled: true,
	Message_AllowEditing: true,
	Message_AllowDeleting: true,
	Message_AllowPinning: true,
	Message_AllowStarring: true,
	Discussion_enabled: true,
	FileUpload_MaxFileSize: 104857600,
	UI_Use_Real_Name: false,
};

/**
 * Default role sets of the permissions the package touches
 * (`apps/meteor/app/authorization/server/functions/upsertPermissions.ts`; reference §2.2, §4, §7, §8).
 * Room roles (`owner`, `moderator`, `leader`) count only inside the room whose subscription carries them.
 */
export const DEFAULT_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
	'api-bypass-rate-limit': ['admin', 'bot', 'app'],
	'send-many-messages': ['admin', 'bot'],
	'view-statistics': ['admin'],
	'view-room-administration': ['admin'],
	'clean-channel-history': ['admin'],
	'delete-c': ['admin', 'owner'],
	'delete-p': ['admin', 'owner'],
	'delete-d': ['admin'],
	'delete-team': ['admin', 'owner'],
	'delete-team-channel': ['admin', 'owner'],
	'delete-team-group': ['admin', 'owner'],
	'edit-message': ['admin', 'owner', 'moderator'],
	'delete-message': ['admin', 'owner', 'moderator'],
	'delete-own-message': ['admin', 'user'],
	'force-delete-message': ['admin', 'owner'],
	'bypass-time-limit-edit-and-delete': ['bot', 'app'],
	'pin-message': ['admin', 'owner', 'moderator'],
	'message-impersonate': ['bot', 'app'],
	'create-c': ['admin', 'user', 'bot', 'app'],
	'create-p': ['admin', 'user', 'bot', 'app'],
	'create-d': ['admin', 'user', 'bot', 'app'],
	'edit-room': ['admin', 'owner', 'moderator'],
	'set-readonly': ['admin', 'owner'],
	'set-react-when-readonly': ['admin', 'owner'],
	'post-readonly': ['admin', 'owner', 'moderator'],
	'mute-user': ['admin', 'owner', 'moderator'],
	'set-owner': ['admin', 'owner'],
	'set-moderator': ['admin', 'owner'],
	'set-leader': ['admin', 'owner'],
	'add-user-to-joined-room': ['admin', 'owner', 'moderator'],
	'add-user-to-any-c-room': ['admin'],
	'add-user-to-any-p-room': ['admin'],
	'remove-user': ['admin', 'owner', 'moderator'],
	'archive-room': ['admin', 'owner'],
	'unarchive-room': ['admin'],
	'view-broadcast-member-list': ['admin', 'owner', 'moderator'],
	'leave-c': ['admin', 'user', 'bot', 'app'],
	'leave-p': ['admin', 'user', 'bot', 'app'],
	'start-discussion': ['admin', 'user', 'bot', 'app'],
	'start-discussion-other-user': ['admin', 'user', 'bot', 'app'],
	'create-personal-access-tokens': ['admin', 'user'],
	'view-c-room': ['admin', 'user', 'bot', 'app', 'anonymous'],
	'view-p-room': ['admin', 'user', 'anonymous', 'guest'],
	'view-d-room': ['admin', 'user', 'bot', 'app', 'guest'],
	'preview-c-room': ['admin', 'user', 'anonymous'],
	'view-full-other-user-info': ['admin'],
	'view-other-user-channels': ['admin'],
	'view-outside-room': ['admin', 'owner', 'moderator', 'user'],
	'edit-other-user-info': ['admin'],
	'mail-messages': ['admin'],
	'manage-outgoing-integrations': ['admin'],
	'manage-own-outgoing-integrations': ['admin'],
	'manage-incoming-integrations': ['admin'],
	'manage-own-incoming-integrations': ['admin'],
};

/** Meteor `Random.id()` alphabet ("unmistakable characters"). */
const UNMISTAKABLE_CHARS = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
/** Meteor `Random.secret()` alphabet. */
const BASE64_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';

/** A 17-character Meteor-style id. */
export function randomId(length = 17): string {
	let id = '';
	for (let i = 0; i < length; i++) id += UNMISTAKABLE_CHARS[randomInt(UNMISTAKABLE_CHARS.length)];
	return id;
}

/** A 43-character Meteor `Random.secret()` (login tokens, PATs). */
export function randomSecret(length = 43): string {
	let secret = '';
	for (let i = 0; i < length; i++) secret += BASE64_CHARS[randomInt(BASE64_CHARS.length)];
	return secret;
}

/** `Accounts._hashLoginToken`: sha256, base64. */
export function hashLoginToken(token: string): string {
	return createHash('sha256').update(token).digest('base64');
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
	const ab = Buffer.from(a);
	const bb = Buffer.from(b);
	return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function maxDate(a: Date | undefined, b: Date): Date {
	return a && a.getTime() > b.getTime() ? a : b;
}

export function userRef(user: FakeUser, withName = true): UserRef {
	return withName ? { _id: user._id, username: user.username, name: user.name } : { _id: user._id, username: user.username };
}

export interface CreateUserInput {
	username: string;
	name?: string;
	password?: string;
	email?: string;
	roles?: string[];
	type?: FakeUser['type'];
	status?: UserStatus;
	utcOffset?: number;
	active?: boolean;
	/** Enable TOTP two-factor; the string is the code the fake accepts (default '123456'). */
	totp?: boolean | string;
	_id?: string;
	createdAt?: Date;
}

export interface CreateRoomOptions {
	_id?: string;
	ts?: Date;
	topic?: string;
	description?: string;
	announcement?: string;
	readOnly?: boolean;
	default?: boolean;
	broadcast?: boolean;
	encrypted?: boolean;
	prid?: string;
	customFields?: Record<string, unknown>;
	/** Do not subscribe the creator (c/p only, like `excludeSelf`). */
	excludeSelf?: boolean;
}

export type PostMessageExtra = Partial<Omit<FakeMessage, 'rid' | 'u' | 'msg'>>;

export interface UploadInput {
	name: string;
	type: string;
	data: Buffer | string;
	/** A file holding the bytes instead of `data` (big uploads), with their count. */
	diskPath?: string;
	size?: number;
	description?: string;
	/** Temporary (unconfirmed) uploads expire; omit for a completed file. */
	expiresAt?: Date;
	uploadedAt?: Date;
	content?: unknown;
}

/** A change to a message, for listeners such as the realtime (DDP) server. */
export interface MessageChange {
	type: 'inserted' | 'updated' | 'deleted';
	message: FakeMessage;
}

export type MessageListener = (change: MessageChange) => void;

/**
 * How the server's clocks and inserts behave (`state.setTiming`). A real Rocket.Chat stamps `ts` with the
 * clock of the instance that handles the request (`new Date()` in `sendMessage`), then inserts the message;
 * with concurrent senders, and with several instances behind a load balancer whose clocks differ, a message
 * with an older `ts` can become visible after a newer one. Room and subscription `_updatedAt` are set by
 * the instance's clock when they are updated (the models' `updateOne` adds `_updatedAt: new Date()`), so
 * they can go backwards between instances, and many changes share one millisecond.
 */
export interface ServerTiming {
	/** Clock offsets of the server instances, ms; each post picks one instance (default `[0]`). */
	instanceSkewsMs: number[];
	/** Time from stamping a message's `ts` to its insert (visibility), ms, fixed or per message. Default 0. */
	visibilityDelayMs: number | ((message: FakeMessage) => number);
	/**
	 * A strictly increasing clock (every stamp at least 1 ms after the previous one). Off by default: the
	 * real server's `new Date()` repeats milliseconds.
	 */
	strictClock: boolean;
	/** Random source for the instance choice (seed it for reproducible schedules). */
	random: () => number;
}

export class FakeState {
	readonly users = new Map<string, FakeUser>();
	readonly rooms = new Map<string, FakeRoom>();
	/** Keyed by subscription `_id`. */
	readonly subscriptions = new Map<string, FakeSubscription>();
	readonly messages = new Map<string, FakeMessage>();
	readonly files = new Map<string, FakeFile>();
	/** Removed subscriptions (user left or was removed, room deleted), for `subscriptions.get` `remove`. */
	readonly subscriptionTrash: TrashEntry[] = [];
	/** Deleted rooms, for `rooms.get` `remove`. */
	readonly roomTrash: TrashEntry[] = [];
	/** Deleted messages, for sync endpoints' `deleted`/`remove`. */
	readonly messageTrash: TrashEntry[] = [];
	readonly settings: FakeSettings = { ...DEFAULT_SETTINGS };
	readonly permissions: Record<string, string[]> = Object.fromEntries(
		Object.entries(DEFAULT_PERMISSIONS).map(([permission, roles]) => [permission, [...roles]]),
	);
	/** Used for `avatarUrl`; set by the server once it listens. */
	siteUrl = 'http://127.0.0.1';

	private readonly roomMessages = new Map<string, FakeMessage[]>();
	/** `${rid}\n${userId}` → subscription id. */
	private readonly subscriptionIndex = new Map<string, string>();
	private lastNow = 0;
	private readonly messageListeners = new Set<MessageListener>();
	readonly timing: ServerTiming = { instanceSkewsMs: [0], visibilityDelayMs: 0, strictClock: false, random: Math.random };
	/** Messages stamped but not inserted yet (visibility delay), by id. */
	private readonly pendingInserts = new Map<string, { message: FakeMessage; visible: Promise<void> }>();

	/** Calls `listener` after every insert, update and deletion of a message; returns the function that removes it. */
	onMessage(listener: MessageListener): () => void {
		this.messageListeners.add(listener);
		return () => this.messageListeners.delete(listener);
	}

	/** Tells the listeners that a message changed (mutators call it; handlers that change a message in place may too). */
	messageChanged(message: FakeMessage, type: MessageChange['type'] = 'updated'): void {
		for (const listener of this.messageListeners) listener({ type, message });
	}

	/** Changes the server's timing model (see `ServerTiming`). */
	setTiming(timing: Partial<ServerTiming>): void {
		Object.assign(this.timing, timing);
		if (!this.timing.instanceSkewsMs.length) this.timing.instanceSkewsMs = [0];
	}

	/** The clock offset of a server instance chosen as the load balancer would (at random). */
	pickInstanceSkew(): number {
		const skews = this.timing.instanceSkewsMs;
		return skews.length === 1 ? skews[0] : skews[Math.floor(this.timing.random() * skews.length) % skews.length];
	}

	/**
	 * The server's clock: `Date.now()` of the instance (`skewMs`, default one picked at random). Repeats
	 * milliseconds unless `timing.strictClock` is set.
	 */
	now(skewMs: number = this.pickInstanceSkew()): Date {
		if (!this.timing.strictClock) return new Date(Date.now() + skewMs);
		const time = Math.max(Date.now() + skewMs, this.lastNow + 1);
		this.lastNow = time;
		return new Date(time);
	}

	/** Resolves once the message (posted with a visibility delay) is inserted; at once for a visible one. */
	async whenVisible(messageId: string): Promise<void> {
		await this.pendingInserts.get(messageId)?.visible;
	}

	/** Resolves once every message posted so far is inserted. */
	async settled(): Promise<void> {
		while (this.pendingInserts.size) await Promise.all([...this.pendingInserts.values()].map((entry) => entry.visible));
	}

	/** Messages stamped but not inserted yet. */
	pendingMessages(): FakeMessage[] {
		return [...this.pendingInserts.values()].map((entry) => entry.message);
	}

	// ---------------------------------------------------------------- users

	createUser(input: CreateUserInput): FakeUser {
		if (this.findUserByUsername(input.username)) {
			throw new Error(`username already in use: ${input.username}`);
		}
		const now = input.createdAt ?? this.now();
		const user: FakeUser = {
			_id: input._id ?? randomId(),
			createdAt: now,
			username: input.username,
			name: input.name ?? input.username,
			emails: [{ address: input.email ?? `${input.username}@example.com`, verified: true }],
			type: input.type ?? (input.roles?.includes('bot') ? 'bot' : 'user'),
			status: input.status ?? 'offline',
			statusConnection: input.status ?? 'offline',
			active: input.active ?? true,
			roles: input.roles ?? ['user'],
			utcOffset: input.utcOffset ?? 0,
			_updatedAt: now,
			requirePasswordChange: false,
			settings: { preferences: {} },
			services: { resume: { loginTokens: [] } },
		};
		if (input.password !== undefined) {
			user.services.password = { sha256: sha256Hex(input.password) };
		}
		if (input.totp) {
			user.services.totp = { enabled: true, code: typeof input.totp === 'string' ? input.totp : '123456' };
		}
		this.users.set(user._id, user);
		return user;
	}

	getUser(idOrUsername: string): FakeUser | undefined {
		return this.users.get(idOrUsername) ?? this.findUserByUsername(idOrUsername);
	}

	/** Usernames are unique regardless of case (Rocket.Chat `findOneByUsernameIgnoringCase`). */
	findUserByUsername(username: string): FakeUser | undefined {
		const wanted = username.toLowerCase();
		for (const user of this.users.values()) {
			if (user.username.toLowerCase() === wanted) return user;
		}
		return undefined;
	}

	findUserByEmail(email: string): FakeUser | undefined {
		const wanted = email.toLowerCase();
		for (const user of this.users.values()) {
			if (user.emails.some((entry) => entry.address.toLowerCase() === wanted)) return user;
		}
		return undefined;
	}

	checkPassword(user: FakeUser, password: string | { digest: string; algorithm?: string }): boolean {
		const stored = user.services.password?.sha256;
		if (!stored) return false;
		const digest = typeof password === 'string' ? sha256Hex(password) : password.digest.toLowerCase();
		return safeEqual(stored, digest);
	}

	setPassword(user: FakeUser, password: string): void {
		user.services.password = { sha256: sha256Hex(password) };
	}

	/** Adds a login token (`services.resume.loginTokens`) like every `/api/v1/login`; returns the plain token. */
	createLoginToken(user: FakeUser): string {
		const token = randomSecret();
		user.services.resume.loginTokens.push({ when: this.now(), hashedToken: hashLoginToken(token) });
		return token;
	}

	/**
	 * Adds a personal access token (`personalAccessTokens:generateToken`): an entry with
	 * `type: 'personalAccessToken'` and no `when`; returns the plain token.
	 */
	createPersonalAccessToken(user: FakeUser, name = 'n8n', bypassTwoFactor = false): string {
		const token = randomSecret();
		user.services.resume.loginTokens.push({
			hashedToken: hashLoginToken(token),
			type: 'personalAccessToken',
			createdAt: this.now(),
			lastTokenPart: token.slice(-6),
			name,
			bypassTwoFactor,
		});
		return token;
	}

	/** The user owning `token` with id `userId` (`authenticatedRoute`), or undefined. */
	authenticate(userId: string, token: string): FakeUser | undefined {
		const user = this.users.get(userId);
		if (!user) return undefined;
		const hashed = hashLoginToken(token);
		return user.services.resume.loginTokens.some((entry) => safeEqual(entry.hashedToken, hashed)) ? user : undefined;
	}

	findUserByToken(token: string): FakeUser | undefined {
		const hashed = hashLoginToken(token);
		for (const user of this.users.values()) {
			if (user.services.resume.loginTokens.some((entry) => safeEqual(entry.hashedToken, hashed))) return user;
		}
		return undefined;
	}

	/** Removes the token (login token or PAT) with this plain value; true when one was removed. */
	removeToken(user: FakeUser, token: string): boolean {
		const hashed = hashLoginToken(token);
		const before = user.services.resume.loginTokens.length;
		user.services.resume.loginTokens = user.services.resume.loginTokens.filter((entry) => entry.hashedToken !== hashed);
		return user.services.resume.loginTokens.length !== before;
	}

	// ---------------------------------------------------------------- permissions

	/** Global roles plus, when `roomId` is given, the room roles on the user's subscription there. */
	rolesOf(user: FakeUser, roomId?: string): string[] {
		const roles = [...user.roles];
		if (roomId) {
			const subscription = this.getSubscription(roomId, user._id);
			if (subscription?.roles) roles.push(...subscription.roles);
		}
		return roles;
	}

	hasPermission(user: FakeUser | undefined, permission: string, roomId?: string): boolean {
		if (!user) return false;
		const allowed = this.permissions[permission];
		if (!allowed) return false;
		const roles = this.rolesOf(user, roomId);
		return roles.some((role) => allowed.includes(role));
	}

	hasAnyRole(user: FakeUser | undefined, roles: readonly string[]): boolean {
		return !!user && user.roles.some((role) => roles.includes(role));
	}

	// ---------------------------------------------------------------- rooms and subscriptions

	findRoomByName(name: string): FakeRoom | undefined {
		for (const room of this.rooms.values()) {
			if (room.name === name) return room;
		}
		return undefined;
	}

	getRoom(idOrName: string): FakeRoom | undefined {
		return this.rooms.get(idOrName) ?? this.findRoomByName(idOrName);
	}

	/**
	 * Creates a room. `c`/`p`: `name` is required and unique, the creator becomes owner. `d`: `members`
	 * must name the other participant(s); the id is the participants' ids sorted and concatenated, like the
	 * server's `createDirectRoom`; an existing DM is returned as is.
	 */
	createRoom(type: RoomType, name: string | undefined, creator: FakeUser, members: FakeUser[] = [], options: CreateRoomOptions = {}): FakeRoom {
		const now = options.ts ?? this.now();
		if (type === 'd') {
			const participants = uniqueUsers([creator, ...members]);
			const uids = participants.map((user) => user._id);
			const id = options._id ?? [...uids].sort().join('');
			const existing = this.rooms.get(id);
			if (existing) return existing;
			const room: FakeRoom = {
				_id: id,
				t: 'd',
				usernames: participants.map((user) => user.username),
				usersCount: participants.length,
				msgs: 0,
				ts: now,
				uids,
				default: false,
				ro: false,
				sysMes: true,
				_updatedAt: now,
			};
			this.rooms.set(room._id, room);
			this.roomMessages.set(room._id, []);
			for (const participant of participants) {
				this.subscribe(room, participant, { ts: now });
			}
			return room;
		}
		if (!name) throw new Error('a channel or group needs a name');
		if (this.findRoomByName(name)) throw new Error(`room name already in use: ${name}`);
		const room: FakeRoom = {
			_id: options._id ?? randomId(),
			fname: name,
			_updatedAt: now,
			customFields: options.customFields ?? {},
			...(options.topic !== undefined && { topic: options.topic }),
			...(options.description !== undefined && { description: options.description }),
			...(options.announcement !== undefined && { announcement: options.announcement }),
			broadcast: options.broadcast ?? false,
			encrypted: options.encrypted ?? false,
			name,
			t: type,
			msgs: 0,
			usersCount: 0,
			u: userRef(creator),
			ts: now,
			ro: options.readOnly ?? false,
			default: options.default ?? false,
			sysMes: true,
			...(options.prid !== undefined && { prid: options.prid }),
		};
		this.rooms.set(room._id, room);
		this.roomMessages.set(room._id, []);
		if (!options.excludeSelf) {
			this.subscribe(room, creator, { ts: now, roles: ['owner'] });
		}
		for (const member of uniqueUsers(members)) {
			if (member._id === creator._id) continue;
			this.subscribe(room, member, { ts: now });
		}
		return room;
	}

	/** Adds a member (no-op returning the existing subscription when already a member). */
	addMember(roomId: string, user: FakeUser, options: { roles?: string[]; ts?: Date } = {}): FakeSubscription {
		const room = this.requireRoom(roomId);
		const existing = this.getSubscription(roomId, user._id);
		if (existing) return existing;
		const subscription = this.subscribe(room, user, { ts: options.ts ?? this.now(), roles: options.roles });
		return subscription;
	}

	/** Removes a member; the subscription goes to the trash so `subscriptions.get` reports it in `remove`. */
	removeMember(roomId: string, userId: string): boolean {
		const room = this.requireRoom(roomId);
		const subscription = this.getSubscription(roomId, userId);
		if (!subscription) return false;
		this.subscriptions.delete(subscription._id);
		const now = this.now();
		this.subscriptionTrash.push({ _id: subscription._id, _deletedAt: now, rid: roomId, userId });
		room.usersCount = Math.max(0, room.usersCount - 1);
		room._updatedAt = now;
		return true;
	}

	/** Erases a room with its subscriptions, messages and uploads (`eraseRoom`). */
	deleteRoom(roomId: string): boolean {
		const room = this.rooms.get(roomId);
		if (!room) return false;
		const now = this.now();
		for (const subscription of this.subscriptionsOfRoom(roomId)) {
			this.subscriptions.delete(subscription._id);
			this.subscriptionTrash.push({ _id: subscription._id, _deletedAt: now, rid: roomId, userId: subscription.u._id });
		}
		for (const message of this.roomMessages.get(roomId) ?? []) {
			this.messages.delete(message._id);
			this.messageTrash.push({ _id: message._id, _deletedAt: now, rid: roomId });
		}
		for (const file of [...this.files.values()]) {
			if (file.rid === roomId) this.files.delete(file._id);
		}
		this.roomMessages.delete(roomId);
		this.rooms.delete(roomId);
		this.roomTrash.push({ _id: roomId, _deletedAt: now });
		return true;
	}

	getSubscription(roomId: string, userId: string): FakeSubscription | undefined {
		const indexed = this.subscriptions.get(this.subscriptionIndex.get(`${roomId}\n${userId}`) ?? '');
		if (indexed && indexed.rid === roomId && indexed.u._id === userId) return indexed;
		for (const subscription of this.subscriptions.values()) {
			if (subscription.rid === roomId && subscription.u._id === userId) return subscription;
		}
		return undefined;
	}

	subscriptionsOfUser(userId: string): FakeSubscription[] {
		return [...this.subscriptions.values()].filter((subscription) => subscription.u._id === userId);
	}

	subscriptionsOfRoom(roomId: string): FakeSubscription[] {
		return [...this.subscriptions.values()].filter((subscription) => subscription.rid === roomId);
	}

	membersOf(roomId: string): FakeUser[] {
		return this.subscriptionsOfRoom(roomId)
			.map((subscription) => this.users.get(subscription.u._id))
			.filter((user): user is FakeUser => !!user);
	}

	/** `canAccessRoom`: public channels for users with `view-c-room`; groups and DMs for members only. */
	canAccessRoom(user: FakeUser | undefined, room: FakeRoom): boolean {
		if (!user) return false;
		if (room.t === 'c' && this.hasPermission(user, 'view-c-room')) return true;
		return !!this.getSubscription(room._id, user._id);
	}

	/** Sets or clears a room role (`owner`, `moderator`, `leader`) on the member's subscription. */
	setRoomRole(roomId: string, userId: string, role: string, enabled: boolean): void {
		const subscription = this.getSubscription(roomId, userId);
		if (!subscription) throw new Error(`${userId} is not a member of ${roomId}`);
		const roles = new Set(subscription.roles ?? []);
		if (enabled) roles.add(role);
		else roles.delete(role);
		subscription.roles = [...roles];
		subscription._updatedAt = this.now();
	}

	// ---------------------------------------------------------------- messages

	/** Messages of a room, oldest first (thread replies included). */
	messagesOf(roomId: string): FakeMessage[] {
		return this.roomMessages.get(roomId) ?? [];
	}

	getMessage(id: string): FakeMessage | undefined {
		return this.messages.get(id);
	}

	/**
	 * Saves a message as the server's `sendMessage` + `afterSaveMessage` do: room `msgs`, `lm`,
	 * `lastMessage` and `_updatedAt`; thread root `tcount`/`replies`/`tlm`; for the other members
	 * `alert`, `open`, `unread` (per `Unread_Count`/`Unread_Count_DM`), `userMentions`/`groupMentions`,
	 * `tunread` for thread followers, and `_updatedAt`. `extra.ts` back-dates the message (and the
	 * updates it causes), for seeding history.
	 */
	postMessage(roomId: string, user: FakeUser, text: string, extra: PostMessageExtra = {}): FakeMessage {
		const room = this.requireRoom(roomId);
		const skew = this.pickInstanceSkew();
		const ts = extra.ts ?? this.now(skew);
		const { ts: _ignoredTs, _id, ...rest } = extra;
		const mentions = rest.mentions ?? (rest.t ? [] : this.parseMentions(text));
		const message: FakeMessage = {
			_id: _id ?? randomId(),
			rid: room._id,
			msg: text,
			ts,
			u: userRef(user),
			_updatedAt: ts,
			...(rest.t ? {} : { mentions, channels: [] as { _id: string; name: string }[] }),
			...rest,
		};
		// Back-dated (seeded) messages are visible at once; others after the visibility delay, when the
		// instance that stamped them inserts them.
		const delay = extra.ts ? 0 : this.visibilityDelayFor(message);
		if (delay > 0) {
			const visible = new Promise<void>((resolve) => {
				setTimeout(() => {
					this.pendingInserts.delete(message._id);
					if (this.rooms.has(room._id)) this.commitMessage(room, user, message, skew, false);
					resolve();
				}, delay);
			});
			this.pendingInserts.set(message._id, { message, visible });
			return message;
		}
		this.commitMessage(room, user, message, skew, !!extra.ts);
		return message;
	}

	private visibilityDelayFor(message: FakeMessage): number {
		const delay = this.timing.visibilityDelayMs;
		const value = typeof delay === 'function' ? delay(message) : delay;
		return Number.isFinite(value) && value > 0 ? value : 0;
	}

	/**
	 * The insert and what `afterSaveMessage` updates. Updates carry the instance's clock at update time
	 * (`_updatedAt: new Date()`), except for back-dated seeding, where they follow the message's `ts`.
	 */
	private commitMessage(room: FakeRoom, user: FakeUser, message: FakeMessage, skew: number, backDated: boolean): void {
		const ts = backDated ? message.ts : this.now(skew);
		this.insertMessage(message);

		room.msgs += 1;
		room._updatedAt = backDated ? maxDate(room._updatedAt, ts) : ts;
		const threadOnly = !!message.tmid && !message.tshow;
		// incMsgCountAndSetLastMessageById: `lm` is the message's own ts, set by whichever insert comes last.
		if (!threadOnly && (!backDated || !room.lm || room.lm.getTime() <= message.ts.getTime())) {
			room.lm = message.ts;
			room.lastMessage = message;
		}

		let followers: Set<string> | undefined;
		if (message.tmid) {
			const root = this.messages.get(message.tmid);
			if (root) {
				root.tcount = (root.tcount ?? 0) + 1;
				root.tlm = maxDate(root.tlm, ts);
				root.replies = [...new Set([...(root.replies ?? []), root.u._id, user._id])];
				root._updatedAt = maxDate(root._updatedAt, ts);
				followers = new Set(root.replies);
				this.messageChanged(root);
			}
		}

		if (message.t) return;
		if (room.prid) {
			// `afterSaveMessage` for discussions: the message that started it counts the discussion's messages.
			const start = this.messagesOf(room.prid).find((candidate) => candidate.drid === room._id);
			if (start) {
				start.dcount = (start.dcount ?? 0) + 1;
				start.dlm = ts;
				start._updatedAt = maxDate(start._updatedAt, ts);
			}
		}
		const mentionedIds = new Set((message.mentions ?? []).filter((mention) => mention.type !== 'team').map((mention) => mention._id));
		const groupMention = mentionedIds.has('all') || mentionedIds.has('here');
		for (const subscription of this.subscriptionsOfRoom(room._id)) {
			if (subscription.u._id === user._id) continue;
			const userMentioned = mentionedIds.has(subscription.u._id);
			if (threadOnly) {
				if (followers?.has(subscription.u._id) || userMentioned) {
					subscription.tunread = [...new Set([...(subscription.tunread ?? []), message.tmid as string])];
					if (userMentioned) subscription.tunreadUser = [...new Set([...(subscription.tunreadUser ?? []), message.tmid as string])];
					subscription._updatedAt = maxDate(subscription._updatedAt, ts);
				}
				continue;
			}
			subscription.alert = true;
			subscription.open = true;
			if (userMentioned) subscription.userMentions += 1;
			if (groupMention) subscription.groupMentions += 1;
			if (this.countsAsUnread(room.t, userMentioned, groupMention)) subscription.unread += 1;
			subscription._updatedAt = maxDate(subscription._updatedAt, ts);
		}
	}

	/** Edits a message's text (`chat.update`): sets `editedAt`/`editedBy`, `_updatedAt`. */
	editMessage(messageId: string, editor: FakeUser, text: string): FakeMessage {
		const message = this.requireMessage(messageId);
		const now = this.now();
		message.msg = text;
		message.editedAt = now;
		message.editedBy = { _id: editor._id, username: editor.username };
		message._updatedAt = now;
		this.touchRoom(message.rid, now, message);
		this.messageChanged(message);
		return message;
	}

	/** Deletes a message (goes to the message trash); thread counters of its root are decremented. */
	deleteMessage(messageId: string): FakeMessage {
		const message = this.requireMessage(messageId);
		const now = this.now();
		this.messages.delete(message._id);
		const list = this.roomMessages.get(message.rid);
		if (list) {
			const index = list.indexOf(message);
			if (index >= 0) list.splice(index, 1);
		}
		this.messageTrash.push({ _id: message._id, _deletedAt: now, rid: message.rid });
		const room = this.rooms.get(message.rid);
		if (room) {
			room.msgs = Math.max(0, room.msgs - 1);
			room._updatedAt = now;
			if (room.lastMessage?._id === message._id) {
				const previous = [...(list ?? [])].reverse().find((candidate) => !(candidate.tmid && !candidate.tshow));
				room.lastMessage = previous;
				room.lm = previous?.ts;
			}
		}
		if (message.tmid) {
			const root = this.messages.get(message.tmid);
			if (root && root.tcount) {
				root.tcount -= 1;
				root._updatedAt = now;
				this.messageChanged(root);
			}
		}
		this.messageChanged(message, 'deleted');
		return message;
	}

	/** Toggles (or sets, with `shouldReact`) a reaction like `setReaction`; emoji in `:name:` form. */
	react(messageId: string, user: FakeUser, emoji: string, shouldReact?: boolean): FakeMessage {
		const message = this.requireMessage(messageId);
		const key = emoji.startsWith(':') ? emoji : `:${emoji}:`;
		const reactions = { ...(message.reactions ?? {}) };
		const current = reactions[key]?.usernames ?? [];
		const has = current.includes(user.username);
		const add = shouldReact ?? !has;
		if (add && !has) {
			reactions[key] = { usernames: [...current, user.username] };
		} else if (!add && has) {
			const remaining = current.filter((username) => username !== user.username);
			if (remaining.length) reactions[key] = { usernames: remaining };
			else delete reactions[key];
		}
		message.reactions = reactions;
		if (Object.keys(reactions).length === 0) delete message.reactions;
		message._updatedAt = this.now();
		this.messageChanged(message);
		return message;
	}

	/**
	 * Pins a message (`pinMessage`): `pinned`, `pinnedAt`, `pinnedBy`, and, unless `systemMessage` is
	 * false, a `message_pinned` system message quoting it; returns that system message (or the pinned one).
	 */
	pinMessage(messageId: string, user: FakeUser, options: { systemMessage?: boolean; ts?: Date } = {}): FakeMessage {
		const message = this.requireMessage(messageId);
		const now = options.ts ?? this.now();
		message.pinned = true;
		message.pinnedAt = now;
		message.pinnedBy = { _id: user._id, username: user.username };
		message._updatedAt = maxDate(message._updatedAt, now);
		this.messageChanged(message);
		if (options.systemMessage === false) return message;
		return this.postMessage(message.rid, user, '', {
			t: 'message_pinned',
			ts: now,
			attachments: [
				{
					text: message.msg,
					author_name: message.u.username,
					author_icon: `/avatar/${message.u.username}`,
					ts: message.ts,
				},
			],
		});
	}

	unpinMessage(messageId: string): FakeMessage {
		const message = this.requireMessage(messageId);
		message.pinned = false;
		delete message.pinnedAt;
		delete message.pinnedBy;
		message._updatedAt = this.now();
		this.messageChanged(message);
		return message;
	}

	starMessage(messageId: string, user: FakeUser, starred: boolean): FakeMessage {
		const message = this.requireMessage(messageId);
		const others = (message.starred ?? []).filter((entry) => entry._id !== user._id);
		message.starred = starred ? [...others, { _id: user._id }] : others;
		message._updatedAt = this.now();
		this.messageChanged(message);
		return message;
	}

	/** `subscriptions.read` / `readMessages`: unread 0, alert false, mentions 0, `ls`/`lr` now. */
	markRead(roomId: string, userId: string, readThreads = false): FakeSubscription | undefined {
		const subscription = this.getSubscription(roomId, userId);
		if (!subscription) return undefined;
		const now = this.now();
		subscription.open = true;
		subscription.alert = false;
		subscription.unread = 0;
		subscription.userMentions = 0;
		subscription.groupMentions = 0;
		subscription.ls = now;
		subscription.lr = now;
		if (readThreads) {
			delete subscription.tunread;
			delete subscription.tunreadUser;
			delete subscription.tunreadGroup;
		}
		subscription._updatedAt = now;
		return subscription;
	}

	/**
	 * Marks a room unread from `since` (`unreadMessages` → `setAsUnreadByRoomIdAndUserId`): `open`,
	 * `alert`, `ls = since`; the fake also recounts `unread`/mentions over the other members' messages at or
	 * after `since`, with the same `Unread_Count` rules as new messages.
	 */
	markUnreadFrom(roomId: string, userId: string, since: Date): FakeSubscription | undefined {
		const subscription = this.getSubscription(roomId, userId);
		if (!subscription) return undefined;
		const counts = this.countUnread(roomId, userId, (message) => message.ts.getTime() >= since.getTime());
		subscription.open = true;
		subscription.alert = true;
		subscription.ls = since;
		subscription.unread = counts.unread;
		subscription.userMentions = counts.userMentions;
		subscription.groupMentions = counts.groupMentions;
		subscription._updatedAt = this.now();
		return subscription;
	}

	/**
	 * Sets what a member has seen, for seeding: `ls`/`lr = at`; `unread`, mentions and `alert` recomputed
	 * from the other members' messages after `at`; `_updatedAt` moves to the latest of those events.
	 */
	setLastSeen(roomId: string, userId: string, at: Date): FakeSubscription | undefined {
		const subscription = this.getSubscription(roomId, userId);
		if (!subscription) return undefined;
		const counts = this.countUnread(roomId, userId, (message) => message.ts.getTime() > at.getTime());
		subscription.ls = at;
		subscription.lr = at;
		subscription.unread = counts.unread;
		subscription.userMentions = counts.userMentions;
		subscription.groupMentions = counts.groupMentions;
		subscription.alert = counts.any;
		subscription._updatedAt = maxDate(counts.latest, at);
		return subscription;
	}

	// ---------------------------------------------------------------- files

	/** Stores an upload; with `expiresAt` it is a temporary `rooms.media` upload until confirmed. */
	addUpload(roomId: string, user: FakeUser, input: UploadInput): FakeFile {
		this.requireRoom(roomId);
		const data = typeof input.data === 'string' ? Buffer.from(input.data) : input.data;
		const size = input.diskPath !== undefined ? (input.size ?? 0) : data.length;
		const now = input.uploadedAt ?? this.now();
		const id = randomId();
		const path = `/file-upload/${id}/${encodeURI(input.name)}`;
		const extension = input.name.includes('.') ? input.name.split('.').pop() ?? '' : '';
		const file: FakeFile = {
			_id: id,
			name: input.name,
			size,
			type: input.type,
			rid: roomId,
			userId: user._id,
			store: 'GridFS:Uploads',
			complete: true,
			uploading: false,
			extension,
			progress: 1,
			uploadedAt: now,
			_updatedAt: now,
			url: path,
			path,
			typeGroup: input.type.split('/')[0] ?? 'application',
			...(input.description !== undefined && { description: input.description }),
			...(input.content !== undefined && { content: input.content }),
			...(input.expiresAt !== undefined && { expiresAt: input.expiresAt }),
			data,
			...(input.diskPath !== undefined && { diskPath: input.diskPath }),
		};
		this.files.set(file._id, file);
		return file;
	}

	/**
	 * Posts the message for an upload (`sendFileMessage`): `file`, `files[]`, `attachments[]` with
	 * `title_link` = `/file-upload/<id>/<name>`; confirms a temporary upload.
	 */
	postFileMessage(
		roomId: string,
		user: FakeUser,
		fileId: string,
		options: { msg?: string; description?: string; tmid?: string; ts?: Date; extra?: PostMessageExtra } = {},
	): FakeMessage {
		const file = this.files.get(fileId);
		if (!file) throw new Error(`no file ${fileId}`);
		delete file.expiresAt;
		if (options.description !== undefined) file.description = options.description;
		const ref: FileRef = { _id: file._id, name: file.name, type: file.type, size: file.size, format: file.extension.toUpperCase() || undefined };
		if (!ref.format) delete ref.format;
		const attachment: Record<string, unknown> = {
			ts: options.ts ?? file.uploadedAt,
			title: file.name,
			title_link: file.path,
			title_link_download: true,
			...(file.description !== undefined && { description: file.description }),
			type: 'file',
			...(ref.format && { format: ref.format }),
			size: file.size,
		};
		if (file.typeGroup === 'image') {
			Object.assign(attachment, { image_url: file.path, image_type: file.type, image_size: file.size });
		} else if (file.typeGroup === 'audio') {
			Object.assign(attachment, { audio_url: file.path, audio_type: file.type, audio_size: file.size });
		} else if (file.typeGroup === 'video') {
			Object.assign(attachment, { video_url: file.path, video_type: file.type, video_size: file.size });
		}
		return this.postMessage(roomId, user, options.msg ?? '', {
			...options.extra,
			...(options.ts && { ts: options.ts }),
			...(options.tmid && { tmid: options.tmid }),
			file: ref,
			files: [ref],
			attachments: [attachment],
		});
	}

	// ---------------------------------------------------------------- internals

	requireRoom(roomId: string): FakeRoom {
		const room = this.rooms.get(roomId);
		if (!room) throw new Error(`no room ${roomId}`);
		return room;
	}

	requireMessage(messageId: string): FakeMessage {
		const message = this.messages.get(messageId);
		if (!message) throw new Error(`no message ${messageId}`);
		return message;
	}

	private subscribe(room: FakeRoom, user: FakeUser, options: { ts: Date; roles?: string[] }): FakeSubscription {
		const other = room.t === 'd' ? this.membersFromUids(room).find((candidate) => candidate._id !== user._id) ?? user : undefined;
		const subscription: FakeSubscription = {
			_id: randomId(),
			open: true,
			alert: false,
			unread: 0,
			userMentions: 0,
			groupMentions: 0,
			ts: options.ts,
			rid: room._id,
			name: other ? other.username : (room.name as string),
			fname: other ? other.name : room.fname,
			t: room.t,
			u: userRef(user, room.t !== 'd'),
			_updatedAt: options.ts,
			ls: options.ts,
			...(options.roles && options.roles.length > 0 && { roles: [...options.roles] }),
			...(room.prid !== undefined && { prid: room.prid }),
		};
		this.subscriptions.set(subscription._id, subscription);
		this.subscriptionIndex.set(`${room._id}\n${user._id}`, subscription._id);
		room.usersCount += 1;
		room._updatedAt = maxDate(room._updatedAt, options.ts);
		return subscription;
	}

	private membersFromUids(room: FakeRoom): FakeUser[] {
		return (room.uids ?? []).map((id) => this.users.get(id)).filter((user): user is FakeUser => !!user);
	}

	private insertMessage(message: FakeMessage): void {
		this.messages.set(message._id, message);
		let list = this.roomMessages.get(message.rid);
		if (!list) {
			list = [];
			this.roomMessages.set(message.rid, list);
		}
		const time = message.ts.getTime();
		let index = list.length;
		while (index > 0 && list[index - 1].ts.getTime() > time) index--;
		list.splice(index, 0, message);
		this.messageChanged(message, 'inserted');
	}

	private touchRoom(roomId: string, now: Date, changed: FakeMessage): void {
		const room = this.rooms.get(roomId);
		if (!room) return;
		room._updatedAt = maxDate(room._updatedAt, now);
		if (room.lastMessage?._id === changed._id) room.lastMessage = changed;
	}

	private countsAsUnread(type: RoomType, userMentioned: boolean, groupMention: boolean): boolean {
		if (type === 'd') {
			return this.settings.Unread_Count_DM === 'all_messages' || userMentioned || groupMention;
		}
		switch (this.settings.Unread_Count) {
			case 'all_messages':
				return true;
			case 'user_mentions_only':
				return userMentioned;
			case 'group_mentions_only':
				return groupMention;
			default:
				return userMentioned || groupMention;
		}
	}

	private countUnread(
		roomId: string,
		userId: string,
		include: (message: FakeMessage) => boolean,
	): { unread: number; userMentions: number; groupMentions: number; any: boolean; latest: Date | undefined } {
		const room = this.requireRoom(roomId);
		const result = { unread: 0, userMentions: 0, groupMentions: 0, any: false, latest: undefined as Date | undefined };
		for (const message of this.messagesOf(roomId)) {
			if (message.u._id === userId || message.t || (message.tmid && !message.tshow) || !include(message)) continue;
			const ids = new Set((message.mentions ?? []).map((mention) => mention._id));
			const userMentioned = ids.has(userId);
			const groupMention = ids.has('all') || ids.has('here');
			result.any = true;
			result.latest = maxDate(result.latest, message.ts);
			if (userMentioned) result.userMentions += 1;
			if (groupMention) result.groupMentions += 1;
			if (this.countsAsUnread(room.t, userMentioned, groupMention)) result.unread += 1;
		}
		return result;
	}

	/** `@username`, `@all`, `@here` mentions, like the message parser's `mentions` (users must exist). */
	private parseMentions(text: string): MentionRef[] {
		const mentions: MentionRef[] = [];
		const seen = new Set<string>();
		for (const match of text.matchAll(/(?:^|[\s(>*_~])@([0-9a-zA-Z_.-]+)/g)) {
			const username = match[1].replace(/[.-]+$/, '');
			if (seen.has(username)) continue;
			seen.add(username);
			if (username === 'all' || username === 'here') {
				mentions.push({ _id: username, username });
				continue;
			}
			const user = this.findUserByUsername(username);
			if (user) mentions.push({ _id: user._id, username: user.username, name: user.name, type: 'user' });
		}
		return mentions;
	}
}

function uniqueUsers(users: FakeUser[]): FakeUser[] {
	const seen = new Set<string>();
	return users.filter((user) => {
		if (seen.has(user._id)) return false;
		seen.add(user._id);
		return true;
	});
}

// ---------------------------------------------------------------- REST serialisation

function cloneValue(value: unknown): unknown {
	if (value instanceof Date) return new Date(value.getTime());
	if (Buffer.isBuffer(value)) return undefined;
	if (Array.isArray(value)) return value.map(cloneValue);
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) {
			if (inner === undefined) continue;
			const copy = cloneValue(inner);
			if (copy !== undefined) out[key] = copy;
		}
		return out;
	}
	return value;
}

/** Copies `source` with the keys in `order` first (when present), then the remaining keys; drops `undefined`. */
function ordered(source: object, order: readonly string[], omit: readonly string[] = []): Record<string, unknown> {
	const record = source as Record<string, unknown>;
	const out: Record<string, unknown> = {};
	for (const key of order) {
		if (record[key] !== undefined && !omit.includes(key)) out[key] = cloneValue(record[key]);
	}
	for (const [key, value] of Object.entries(record)) {
		if (value === undefined || key in out || omit.includes(key)) continue;
		const copy = cloneValue(value);
		if (copy !== undefined) out[key] = copy;
	}
	return out;
}

const MESSAGE_ORDER = [
	'_id', 't', 'rid', 'msg', 'ts', 'u', '_updatedAt', 'alias', 'avatar', 'emoji', 'groupable', 'tmid', 'tshow',
	'urls', 'mentions', 'channels', 'md', 'attachments', 'file', 'files', 'reactions', 'starred', 'pinned',
	'pinnedAt', 'pinnedBy', 'editedAt', 'editedBy', 'replies', 'tcount', 'tlm', 'drid', 'dcount', 'dlm',
];

export function toRestMessage(message: FakeMessage): Record<string, unknown> {
	return ordered(message, MESSAGE_ORDER);
}

const ROOM_ORDER = [
	'_id', 'fname', '_updatedAt', 'customFields', 'topic', 'description', 'announcement', 'broadcast', 'encrypted',
	'name', 't', 'usernames', 'msgs', 'usersCount', 'u', 'ts', 'uids', 'ro', 'default', 'featured', 'sysMes',
	'archived', 'prid', 'teamId', 'teamMain', 'lastMessage', 'lm',
];

/** A room as REST returns it; `joinCode`, `members`, `importIds`, `e2e` excluded (`API.v1.defaultFieldsToExclude`). */
export function toRestRoom(room: FakeRoom): Record<string, unknown> {
	const out = ordered(room, ROOM_ORDER, ['joinCode', 'lastMessage']);
	if (room.lastMessage) {
		const withLast: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(out)) {
			if (key === 'lm') withLast.lastMessage = toRestMessage(room.lastMessage);
			withLast[key] = value;
		}
		if (!('lastMessage' in withLast)) withLast.lastMessage = toRestMessage(room.lastMessage);
		return withLast;
	}
	return out;
}

const SUBSCRIPTION_ORDER = [
	'_id', 'open', 'alert', 'unread', 'userMentions', 'groupMentions', 'ts', 'rid', 'name', 'fname', 't', 'u',
	'_updatedAt', 'ls', 'lr', 'roles', 'f', 'tunread', 'tunreadUser', 'tunreadGroup', 'archived', 'prid',
];

export function toRestSubscription(subscription: FakeSubscription): Record<string, unknown> {
	return ordered(subscription, SUBSCRIPTION_ORDER);
}

/** The public part of an upload (no bytes). */
export function toRestFile(file: FakeFile): Record<string, unknown> {
	return ordered(file, ['_id', 'name', 'size', 'type', 'rid', 'userId', 'store', 'complete', 'uploading', 'extension', 'progress', 'uploadedAt', 'url', 'path', 'typeGroup', 'description'], ['data', 'diskPath']);
}

/**
 * Default `settings.preferences` of `/api/v1/me` (`getUserInfo` merges the `Accounts_Default_User_Preferences_*`
 * settings); values from the OpenAPI `authentication.yaml` `/api/v1/me` example.
 */
export const DEFAULT_USER_PREFERENCES: Readonly<Record<string, unknown>> = {
	enableAutoAway: false,
	idleTimeoutLimit: 300,
	desktopNotificationDuration: 0,
	audioNotifications: 'mentions',
	desktopNotifications: 'mentions',
	mobileNotifications: 'mentions',
	unreadAlert: true,
	useEmojis: true,
	convertAsciiEmoji: true,
	autoImageLoad: true,
	saveMobileBandwidth: true,
	collapseMediaByDefault: false,
	hideUsernames: false,
	hideRoles: false,
	hideFlexTab: false,
	hideAvatars: false,
	roomsListExhibitionMode: 'category',
	sidebarViewMode: 'medium',
	sidebarHideAvatar: false,
	sidebarShowUnread: false,
	sidebarShowFavorites: true,
	sendOnEnter: 'normal',
	messageViewMode: 0,
	emailNotificationMode: 'all',
	roomCounterSidebar: false,
	newRoomNotification: 'door',
	newMessageNotification: 'chime',
	muteFocusedConversations: true,
	notificationsSoundVolume: 100,
};

/**
 * The `/api/v1/me` user and the `me` of a login (`apps/meteor/server/api/lib/getUserInfo.ts`): the user's
 * default fields plus `email` (first verified address), `settings` with merged preferences, full
 * `avatarUrl`, `isOAuthUser`, and a `services` summary that says whether a password/TOTP exist — never
 * hashes or tokens.
 */
export function toRestMe(state: FakeState, user: FakeUser): Record<string, unknown> {
	const verified = user.emails.find((email) => email.verified);
	return ordered(
		{
			_id: user._id,
			name: user.name,
			emails: user.emails,
			status: user.status,
			statusConnection: user.statusConnection,
			username: user.username,
			utcOffset: user.utcOffset,
			active: user.active,
			roles: user.roles,
			settings: { profile: {}, preferences: { ...DEFAULT_USER_PREFERENCES, ...user.settings.preferences }, calendar: {} },
			...(user.customFields && { customFields: user.customFields }),
			requirePasswordChange: user.requirePasswordChange ?? false,
			type: user.type,
			_updatedAt: user._updatedAt,
			email: verified?.address,
			avatarUrl: `${state.siteUrl}/avatar/${user.username}`,
			isOAuthUser: false,
			services: {
				...(user.services.totp?.enabled && { totp: { enabled: true } }),
				password: { exists: !!user.services.password },
			},
		},
		[],
	);
}

/**
 * `users.info` (`getFullUserDataByUniqueSearchTerm`): the public fields for everybody; with `full`
 * (the user themself, or `view-full-other-user-info`) also e-mails, roles and account dates.
 */
export function toRestUserInfo(user: FakeUser, full: boolean): Record<string, unknown> {
	return ordered(
		{
			_id: user._id,
			...(full && { createdAt: user.createdAt }),
			username: user.username,
			...(full && { emails: user.emails }),
			type: user.type,
			status: user.status,
			active: user.active,
			...(full && { roles: user.roles }),
			name: user.name,
			...(full && { requirePasswordChange: user.requirePasswordChange ?? false, lastLogin: user.lastLogin, statusConnection: user.statusConnection }),
			utcOffset: user.utcOffset,
			statusText: user.statusText,
			nickname: user.nickname,
			bio: user.bio,
			...(user.customFields && { customFields: user.customFields }),
			canViewAllInfo: full,
		},
		[],
	);
}
