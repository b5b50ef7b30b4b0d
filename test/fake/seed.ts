/**
 * Seed data: the default fixtures every test can rely on (`seedDefaults`) and a bigger, realistic team
 * for demos and benchmarks (`seedTeam`). All history is back-dated so that `updatedSince=<now>` starts
 * empty.
 */
import { type FakeMessage, type FakeRoom, type FakeState, type FakeUser } from './state';

export interface FixtureUser {
	userId: string;
	username: string;
	password: string;
	/** A personal access token, used as `X-Auth-Token` with `X-User-Id: userId`. */
	pat: string;
}

export interface Fixtures {
	bot: FixtureUser;
	admin: FixtureUser;
	alice: FixtureUser;
	bob: FixtureUser;
	/** TOTP two-factor on: password login needs `FIXTURE_TOTP_CODE`. */
	carol2fa: FixtureUser;
	rooms: {
		/** `GENERAL`, public, every fixture user, admin owner, `default: true`. */
		general: string;
		/** `random`, public, alice (owner) and bot. */
		random: string;
		/** `private-team`, private group, bot (owner) and alice. */
		privateGroup: string;
		/** Direct messages bot ↔ alice. */
		dmBotAlice: string;
	};
}

/** The only TOTP code the fake accepts for `carol2fa`. */
export const FIXTURE_TOTP_CODE = '123456';

export const FIXTURE_PASSWORDS = {
	bot: 'bot-Passw0rd!',
	admin: 'admin-Passw0rd!',
	alice: 'alice-Passw0rd!',
	bob: 'bob-Passw0rd!',
	carol2fa: 'carol-Passw0rd!',
} as const;

const MINUTE = 60_000;

interface ScriptLine {
	/** Index into the room's cast. */
	by: number;
	text: string;
	/** Reply to the line with this index (a thread reply). */
	replyTo?: number;
}

interface ScriptExtras {
	pin?: { line: number; by: number };
	star?: { line: number; by: number };
	reactions?: { line: number; by: number[]; emoji: string }[];
}

/** Posts a script one minute apart starting at `start`; returns the messages by line. */
function playScript(state: FakeState, room: FakeRoom, cast: FakeUser[], lines: ScriptLine[], extras: ScriptExtras, start: number): FakeMessage[] {
	const posted: FakeMessage[] = [];
	lines.forEach((line, index) => {
		const ts = new Date(start + index * MINUTE);
		const parent = line.replyTo !== undefined ? posted[line.replyTo] : undefined;
		posted.push(state.postMessage(room._id, cast[line.by], line.text, { ts, ...(parent && { tmid: parent._id }) }));
	});
	const after = new Date(start + lines.length * MINUTE);
	for (const reaction of extras.reactions ?? []) {
		for (const by of reaction.by) state.react(posted[reaction.line]._id, cast[by], reaction.emoji, true);
	}
	if (extras.star) state.starMessage(posted[extras.star.line]._id, cast[extras.star.by], true);
	if (extras.pin) {
		const pinned = posted[extras.pin.line];
		state.pinMessage(pinned._id, cast[extras.pin.by], { ts: new Date(pinned.ts.getTime() + MINUTE / 2) });
	}
	// reactions/stars/pins happened at `after`, not at the wall clock
	for (const message of posted) {
		if (message._updatedAt.getTime() > after.getTime()) message._updatedAt = after;
	}
	return posted;
}

function fixtureUser(state: FakeState, user: FakeUser, password: string): FixtureUser {
	return { userId: user._id, username: user.username, password, pat: state.createPersonalAccessToken(user, 'fixtures') };
}

/**
 * The default fixtures: users `bot` (role bot), `admin` (admin, user), `alice`, `bob` (user), `carol2fa`
 * (user, TOTP) with known passwords and PATs; rooms `GENERAL`, `random`, `private-team`, and the bot↔alice
 * DM, each with a thread, a pinned, a starred and a reacted message; subscriptions with unread counts.
 */
export function seedDefaults(state: FakeState): Fixtures {
	const now = Date.now();
	const created = new Date(now - 30 * 24 * 60 * MINUTE);
	const bot = state.createUser({ username: 'bot', name: 'Automation Bot', password: FIXTURE_PASSWORDS.bot, roles: ['bot'], type: 'bot', status: 'online', createdAt: created });
	const admin = state.createUser({ username: 'admin', name: 'Ada Admin', password: FIXTURE_PASSWORDS.admin, roles: ['admin', 'user'], status: 'online', createdAt: created });
	const alice = state.createUser({ username: 'alice', name: 'Alice Archer', password: FIXTURE_PASSWORDS.alice, roles: ['user'], status: 'away', utcOffset: 1, createdAt: created });
	const bob = state.createUser({ username: 'bob', name: 'Bob Baker', password: FIXTURE_PASSWORDS.bob, roles: ['user'], utcOffset: -5, createdAt: created });
	const carol = state.createUser({
		username: 'carol2fa',
		name: 'Carol Careful',
		password: FIXTURE_PASSWORDS.carol2fa,
		roles: ['user'],
		totp: FIXTURE_TOTP_CODE,
		createdAt: created,
	});

	const roomsCreated = new Date(now - 3 * 24 * 60 * MINUTE);
	const general = state.createRoom('c', 'general', admin, [bot, alice, bob, carol], { _id: 'GENERAL', ts: roomsCreated, default: true, topic: 'Company-wide announcements' });
	const random = state.createRoom('c', 'random', alice, [bot], { ts: roomsCreated, topic: 'Off-topic' });
	const privateTeam = state.createRoom('p', 'private-team', bot, [alice], { ts: roomsCreated, description: 'Release coordination' });
	const dm = state.createRoom('d', undefined, bot, [alice], { ts: roomsCreated });

	// general — cast: 0 admin, 1 alice, 2 bob, 3 bot
	const generalStart = now - 6 * 60 * MINUTE;
	const g = playScript(
		state,
		general,
		[admin, alice, bob, bot],
		[
			{ by: 0, text: 'Welcome to the team workspace! Say hi 👋' },
			{ by: 1, text: 'Hi all, glad to be here' },
			{ by: 2, text: 'Morning! Standup notes are in the wiki: https://wiki.example.com/standup' },
			{ by: 3, text: 'Deploy of v1.4.2 finished ✅' },
			{ by: 1, text: 'Who reviews the release notes for v1.5?' },
			{ by: 2, text: 'I can take it', replyTo: 4 },
			{ by: 0, text: 'Thanks @bob, ping me when done', replyTo: 4 },
			{ by: 2, text: '@alice can you check the dashboard numbers?' },
			{ by: 0, text: 'Reminder: retro today at 4pm @all' },
		],
		{ pin: { line: 2, by: 0 }, star: { line: 7, by: 1 }, reactions: [{ line: 3, by: [1, 2], emoji: ':tada:' }] },
		generalStart,
	);

	// random — cast: 0 alice, 1 bot
	const randomStart = now - 5 * 60 * MINUTE;
	const r = playScript(
		state,
		random,
		[alice, bot],
		[
			{ by: 0, text: 'Anyone tried the new coffee place downstairs?' },
			{ by: 1, text: "I don't drink coffee, I'm a bot 🤖" },
			{ by: 0, text: 'Lunch poll: pizza or sushi?' },
			{ by: 1, text: 'sushi', replyTo: 2 },
			{ by: 0, text: 'sushi it is', replyTo: 2 },
			{ by: 1, text: '@alice the lunch order is placed' },
		],
		{ pin: { line: 2, by: 0 }, star: { line: 1, by: 0 }, reactions: [{ line: 0, by: [1], emoji: ':coffee:' }] },
		randomStart,
	);

	// private-team — cast: 0 bot, 1 alice
	const privateStart = now - 4 * 60 * MINUTE;
	const p = playScript(
		state,
		privateTeam,
		[bot, alice],
		[
			{ by: 0, text: 'Release checklist for v1.5 created' },
			{ by: 1, text: 'Who signs off the security review?' },
			{ by: 0, text: 'Security review is assigned to alice', replyTo: 1 },
			{ by: 1, text: 'Ack, on it', replyTo: 1 },
			{ by: 0, text: 'Build 2024.11 is green' },
		],
		{ pin: { line: 0, by: 0 }, star: { line: 4, by: 1 }, reactions: [{ line: 4, by: [1], emoji: ':+1:' }] },
		privateStart,
	);

	// DM — cast: 0 bot, 1 alice
	const dmStart = now - 3 * 60 * MINUTE;
	const d = playScript(
		state,
		dm,
		[bot, alice],
		[
			{ by: 0, text: 'Hi Alice, your weekly report is ready' },
			{ by: 1, text: 'Thanks! Can you send the CSV too?' },
			{ by: 0, text: 'Sending the CSV now', replyTo: 1 },
			{ by: 0, text: 'Done. Anything else?' },
		],
		{ pin: { line: 0, by: 1 }, star: { line: 3, by: 1 }, reactions: [{ line: 1, by: [0], emoji: ':white_check_mark:' }] },
		dmStart,
	);

	// What each member has seen: unread counts follow the server's default Unread_Count settings
	// (channels/groups count mentions only, DMs count every message).
	state.setLastSeen(general._id, admin._id, g[8].ts);
	state.setLastSeen(general._id, bot._id, g[3].ts);
	state.setLastSeen(general._id, alice._id, g[2].ts);
	state.setLastSeen(general._id, bob._id, g[6].ts);
	state.setLastSeen(general._id, carol._id, roomsCreated);
	state.setLastSeen(random._id, alice._id, r[4].ts);
	state.setLastSeen(random._id, bot._id, r[5].ts);
	state.setLastSeen(privateTeam._id, bot._id, p[4].ts);
	state.setLastSeen(privateTeam._id, alice._id, p[0].ts);
	state.setLastSeen(dm._id, bot._id, d[3].ts);
	state.setLastSeen(dm._id, alice._id, d[0].ts);

	return {
		bot: fixtureUser(state, bot, FIXTURE_PASSWORDS.bot),
		admin: fixtureUser(state, admin, FIXTURE_PASSWORDS.admin),
		alice: fixtureUser(state, alice, FIXTURE_PASSWORDS.alice),
		bob: fixtureUser(state, bob, FIXTURE_PASSWORDS.bob),
		carol2fa: fixtureUser(state, carol, FIXTURE_PASSWORDS.carol2fa),
		rooms: { general: general._id, random: random._id, privateGroup: privateTeam._id, dmBotAlice: dm._id },
	};
}

// ---------------------------------------------------------------- a bigger team

export interface SeedTeamOptions {
	/** New users to create (default 20). */
	users?: number;
	/** New channels/groups to create (default 8; every third one private). */
	rooms?: number;
	/** Messages per room (default 200). */
	messagesPerRoom?: number;
	/** Direct-message rooms between random pairs (default 5). */
	directMessages?: number;
	/** Thread replies, pins, stars, reactions (default true). */
	extras?: boolean;
	/** File messages, about 2 % (default true). */
	files?: boolean;
	/** Existing users added to every room (e.g. the fixture bot). */
	include?: FakeUser[];
	/** History starts this long ago (default 7 days). */
	historyMs?: number;
	/** Seed of the pseudo-random generator (default 1): the same options give the same team. */
	seed?: number;
	/** Password of the created users (default `Passw0rd!`). */
	password?: string;
	/** Name prefix of created rooms (default `team`). */
	roomPrefix?: string;
}

export interface SeedTeamResult {
	users: FakeUser[];
	rooms: FakeRoom[];
	messages: number;
	files: number;
	password: string;
}

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Liam', 'Mara', 'Nils', 'Olga', 'Pavel', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Ugo', 'Vera', 'Wen', 'Xavi', 'Yara', 'Zoe'];
const LAST_NAMES = ['Andersen', 'Brown', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Horvat', 'Ito', 'Jansen', 'Kowalski', 'Lopez', 'Moreau', 'Novak', 'Okafor', 'Petrov'];
const TOPICS = ['deploys', 'frontend', 'backend', 'support', 'design', 'ops', 'marketing', 'sales', 'data', 'security', 'mobile', 'qa'];
const PHRASES = [
	'Pushed the fix, can someone review?',
	'The nightly build failed again, looking into it',
	'Meeting moved to 3pm',
	'Customer reported a timeout on the export endpoint',
	'LGTM, merging',
	'Can we ship this before Friday?',
	'Dashboards updated with last week numbers',
	'I will be out tomorrow afternoon',
	'New ticket: login page flickers on Safari',
	'Who owns the billing service these days?',
	'Rolled back, error rate is normal again',
	'Draft of the announcement is in the doc',
	'Thanks, that solved it!',
	'Let us pair on this after lunch',
	'Reminder: update your dependencies',
];
const EMOJIS = [':+1:', ':tada:', ':eyes:', ':rocket:', ':white_check_mark:', ':fire:'];

/**
 * Builds a realistic team: users, public channels and private groups with random memberships, DMs, and
 * hundreds of back-dated messages with threads, mentions, pins, stars, reactions and files; each member's
 * last-seen point is random so subscriptions carry unread counts. Deterministic for a given `seed`.
 */
export function seedTeam(state: FakeState, options: SeedTeamOptions = {}): SeedTeamResult {
	const random = mulberry32(options.seed ?? 1);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
	const password = options.password ?? 'Passw0rd!';
	const userCount = options.users ?? 20;
	const roomCount = options.rooms ?? 8;
	const perRoom = options.messagesPerRoom ?? 200;
	const extras = options.extras ?? true;
	const withFiles = options.files ?? true;
	const historyMs = options.historyMs ?? 7 * 24 * 60 * MINUTE;
	const prefix = options.roomPrefix ?? 'team';
	const now = Date.now();
	const start = now - historyMs;

	const users: FakeUser[] = [];
	for (let i = 0; i < userCount; i++) {
		let username = `${FIRST_NAMES[i % FIRST_NAMES.length].toLowerCase()}.${LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length].toLowerCase()}`;
		if (state.findUserByUsername(username)) username = `${username}${i}`;
		const name = `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]}`;
		users.push(
			state.createUser({
				username,
				name,
				password,
				roles: ['user'],
				status: pick(['online', 'away', 'busy', 'offline'] as const),
				utcOffset: pick([-5, 0, 1, 2, 5.5, 9]),
				createdAt: new Date(start - 24 * 60 * MINUTE),
			}),
		);
	}
	const everyone = [...users, ...(options.include ?? [])];

	const rooms: FakeRoom[] = [];
	for (let i = 0; i < roomCount; i++) {
		const members = everyone.filter(() => random() < 0.5);
		while (members.length < 3 && everyone.length >= 3) {
			const candidate = pick(everyone);
			if (!members.includes(candidate)) members.push(candidate);
		}
		for (const included of options.include ?? []) if (!members.includes(included)) members.push(included);
		const creator = members[0] ?? pick(everyone);
		let name = `${prefix}-${TOPICS[i % TOPICS.length]}${i >= TOPICS.length ? `-${i}` : ''}`;
		if (state.findRoomByName(name)) name = `${name}-${i}`;
		rooms.push(state.createRoom(i % 3 === 2 ? 'p' : 'c', name, creator, members, { ts: new Date(start), topic: `All about ${TOPICS[i % TOPICS.length]}` }));
	}
	for (let i = 0; i < (options.directMessages ?? 5) && everyone.length >= 2; i++) {
		const a = pick(everyone);
		let b = pick(everyone);
		while (b === a) b = pick(everyone);
		const dm = state.createRoom('d', undefined, a, [b], { ts: new Date(start) });
		if (!rooms.includes(dm)) rooms.push(dm);
	}

	let messageCount = 0;
	let fileCount = 0;
	for (const room of rooms) {
		const members = state.membersOf(room._id);
		if (members.length === 0) continue;
		const step = Math.max(1, Math.floor((historyMs - MINUTE) / Math.max(1, perRoom)));
		const roots: FakeMessage[] = [];
		for (let i = 0; i < perRoom; i++) {
			const ts = new Date(start + (i + 1) * step - Math.floor(random() * step * 0.5));
			const author = pick(members);
			const roll = random();
			let text = pick(PHRASES);
			if (roll < 0.06 && members.length > 1) {
				const other = pick(members.filter((member) => member !== author));
				text = `@${other.username} ${text}`;
			} else if (roll < 0.07) {
				text = `@here ${text}`;
			}
			let message: FakeMessage;
			if (withFiles && random() < 0.02) {
				const image = random() < 0.5;
				const file = state.addUpload(room._id, author, {
					name: image ? `screenshot-${i}.png` : `report-${i}.csv`,
					type: image ? 'image/png' : 'text/csv',
					data: image ? Buffer.from('89504e470d0a1a0a', 'hex') : `id,value\n${i},${Math.floor(random() * 1000)}\n`,
					uploadedAt: ts,
				});
				message = state.postFileMessage(room._id, author, file._id, { ts, description: image ? 'Screenshot' : 'Weekly export' });
				fileCount++;
			} else if (extras && roots.length > 0 && random() < 0.15) {
				const root = pick(roots.slice(-10));
				message = state.postMessage(room._id, author, text, { ts, tmid: root._id });
			} else {
				message = state.postMessage(room._id, author, text, { ts });
				roots.push(message);
			}
			messageCount++;
			if (extras) {
				const extraRoll = random();
				if (extraRoll < 0.05) {
					for (const reactor of members.filter(() => random() < 0.3)) state.react(message._id, reactor, pick(EMOJIS), true);
				} else if (extraRoll < 0.07) {
					state.starMessage(message._id, pick(members), true);
				} else if (extraRoll < 0.08 && !message.tmid) {
					state.pinMessage(message._id, pick(members), { ts: new Date(ts.getTime() + 1) });
					messageCount++;
				}
				if (message._updatedAt.getTime() > now) message._updatedAt = ts;
			}
		}
		const list = state.messagesOf(room._id);
		for (const member of members) {
			const seen = list.length ? list[Math.floor(random() * list.length)].ts : new Date(start);
			state.setLastSeen(room._id, member._id, seen);
		}
	}
	for (const room of rooms) {
		for (const message of state.messagesOf(room._id)) {
			if (message._updatedAt.getTime() > now) message._updatedAt = message.ts;
		}
	}
	return { users, rooms, messages: messageCount, files: fileCount, password };
}
