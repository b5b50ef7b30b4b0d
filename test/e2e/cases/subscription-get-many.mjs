// Subscription › Get Many with a personal access token: every room of the bot comes back, and each
// request carried the token headers.
import { actionWorkflow } from '../lib/workflows.mjs';

export default {
	title: 'subscription › getMany (personal access token)',
	requires: { node: 'rocketChat', resource: 'subscription', operation: 'getMany' },
	workflow: ({ credentials }) =>
		actionWorkflow({
			id: 'e2eSubGetMany',
			name: 'e2e: subscription getMany',
			credential: credentials.pat,
			parameters: { resource: 'subscription', operation: 'getMany', returnAll: true },
		}),
	check({ fake, output, requests, assert }) {
		const items = output('Rocket.Chat');
		const { rooms, bot } = fake.fixtures;
		const rids = items.map((item) => item.rid);
		for (const [name, rid] of Object.entries(rooms)) {
			assert.ok(rids.includes(rid), `room ${name} (${rid}) is missing from the output rooms ${JSON.stringify(rids)}`);
		}
		const calls = requests('subscriptions.get');
		assert.ok(calls.length >= 1, 'the fake server received no subscriptions.get request');
		for (const call of calls) {
			assert.equal(call.headers['x-user-id'], bot.userId, 'X-User-Id header');
			assert.equal(call.headers['x-auth-token'], bot.pat, 'X-Auth-Token header');
		}
		return `${items.length} subscriptions, ${calls.length} request(s) with the PAT headers`;
	},
};
