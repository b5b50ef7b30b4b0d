// Room › Clean History with an admin token: messages older than 30 days are deleted, newer ones stay.
import { params } from '../lib/parameters.mjs';
import { actionWorkflow, rl } from '../lib/workflows.mjs';

const DAY = 24 * 60 * 60 * 1000;

/** Old and recent messages by alice in #random; returns their ids. */
export function seedAges(fake) {
	const { rooms, alice } = fake.fixtures;
	const author = fake.state.getUser(alice.userId);
	const now = Date.now();
	const post = (days) => fake.state.postMessage(rooms.random, author, `news from ${days} days ago`, { ts: new Date(now - days * DAY) })._id;
	return { old: [45, 40, 35].map(post), recent: [5, 1].map(post) };
}

export default {
	title: 'room › cleanHistory older than 30 days',
	requires: { node: 'rocketChat', resource: 'room', operation: 'cleanHistory' },
	workflow: ({ credentials, fake }) =>
		actionWorkflow({
			id: 'e2eRoomClean',
			name: 'e2e: room cleanHistory',
			credential: credentials.admin,
			parameters: params.roomCleanHistory({ room: rl(fake.fixtures.rooms.random), olderThanDays: 30, dryRun: false }),
		}),
	before(ctx) {
		ctx.seeded = seedAges(ctx.fake);
	},
	check({ fake, output, requests, assert, seeded }) {
		const { rooms, admin } = fake.fixtures;
		const [result] = output('Rocket.Chat');
		assert.ok(result, 'no output item');
		const calls = requests('rooms.cleanHistory');
		assert.ok(calls.length >= 1, 'no rooms.cleanHistory request');
		assert.matches(calls[0].body, { roomId: rooms.random }, 'rooms.cleanHistory body');
		assert.equal(calls[0].headers['x-user-id'], admin.userId, 'X-User-Id header');
		const latest = Date.parse(calls[0].body.latest);
		const days = (Date.now() - latest) / DAY;
		assert.ok(days > 29.9 && days < 30.1, `"latest" is ${days.toFixed(2)} days ago, expected 30`);
		const ids = new Set(fake.state.messagesOf(rooms.random).map((m) => m._id));
		for (const id of seeded.old) assert.ok(!ids.has(id), `old message ${id} was not deleted`);
		for (const id of seeded.recent) assert.ok(ids.has(id), `recent message ${id} was deleted`);
		return `deleted the ${seeded.old.length} old messages (output count ${result.count}), kept the recent ones`;
	},
};
