// examples/unread-overview.json as shipped (through its "Run now" Manual Trigger), with the example
// credential pointing at the fake server: the overview lists the bot's rooms with unread messages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLES_DIR } from '../lib/paths.mjs';

export default {
	title: 'examples/unread-overview.json runs as shipped',
	requires: { node: 'rocketChat', resource: 'subscription', operation: 'getMany' },
	workflow: () => JSON.parse(readFileSync(join(EXAMPLES_DIR, 'unread-overview.json'), 'utf8')),
	before({ fake, assert }) {
		const { rooms, alice, bot } = fake.fixtures;
		const author = fake.state.getUser(alice.userId);
		fake.state.postMessage(rooms.random, author, '@bot can you check the nightly build?');
		fake.state.postMessage(rooms.random, author, 'and the export job');
		const subscription = fake.state.getSubscription(rooms.random, bot.userId);
		assert.ok(subscription.unread >= 1 && subscription.userMentions >= 1, `precondition: unread in #random, got ${subscription.unread}`);
	},
	check({ fake, output, requests, assert }) {
		const [overview] = output('Summarise');
		assert.ok(overview, 'the Summarise node returned nothing');
		const unreadRooms = output('Get unread subscriptions');
		assert.ok(unreadRooms.every((s) => s.unread > 0 || s.alert || s.userMentions > 0), 'a subscription without unread messages was returned');
		assert.ok(unreadRooms.some((s) => s.rid === fake.fixtures.rooms.random), '#random is missing from the unread subscriptions');
		assert.equal(overview.rooms, unreadRooms.length, 'rooms in the overview');
		assert.matches(overview, { text: /#random: \d+ unread, \d+ mentions?\b/ }, 'overview');
		assert.ok(requests('subscriptions.get').length >= 1, 'no subscriptions.get request');
		return overview.text.split('\n').join(' | ');
	},
};
