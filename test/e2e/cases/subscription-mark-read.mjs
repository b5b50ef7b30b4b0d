// Subscription › Mark as Read: the bot's subscription to #general has unread messages before the run
// and none after it.
import { actionWorkflow, rl } from '../lib/workflows.mjs';

export default {
	title: 'subscription › markAsRead GENERAL',
	requires: { node: 'rocketChat', resource: 'subscription', operation: 'markAsRead' },
	workflow: ({ credentials, fake }) =>
		actionWorkflow({
			id: 'e2eSubMarkRead',
			name: 'e2e: subscription markAsRead',
			credential: credentials.pat,
			parameters: { resource: 'subscription', operation: 'markAsRead', roomId: rl(fake.fixtures.rooms.general) },
		}),
	before({ fake, assert }) {
		const { rooms, alice, bot } = fake.fixtures;
		const aliceUser = fake.state.getUser(alice.userId);
		for (let i = 1; i <= 3; i++) fake.state.postMessage(rooms.general, aliceUser, `@bot unread message ${i} for the e2e test`);
		const subscription = fake.state.getSubscription(rooms.general, bot.userId);
		// Channels count mentions as unread (Unread_Count default), so the messages mention the bot.
		assert.ok(subscription.unread >= 3 && subscription.alert, `precondition: expected 3 unread mentions, got unread=${subscription.unread}`);
	},
	check({ fake, output, requests, assert }) {
		const { rooms, bot } = fake.fixtures;
		const items = output('Rocket.Chat');
		assert.equal(items.length, 1, 'number of output items');
		assert.matches(items[0], { success: true, roomId: rooms.general }, 'output item');
		const [call] = requests('subscriptions.read');
		assert.ok(call, 'no subscriptions.read request');
		assert.equal(call.method, 'POST', 'subscriptions.read method');
		assert.matches(call.body, { rid: rooms.general }, 'subscriptions.read body');
		assert.equal(call.headers['x-user-id'], bot.userId, 'X-User-Id header');
		assert.equal(call.headers['x-auth-token'], bot.pat, 'X-Auth-Token header');
		const subscription = fake.state.getSubscription(rooms.general, bot.userId);
		assert.matches(subscription, { unread: 0, alert: false, userMentions: 0 }, 'subscription after the run');
		return 'unread 3 → 0 in the fake server';
	},
};
