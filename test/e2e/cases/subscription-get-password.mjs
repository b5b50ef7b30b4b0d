// Subscription › Get with username/password credentials and a room given by name: n8n runs the
// credential's preAuthentication (login) and sends the session token it got.
import { actionWorkflow, rl } from '../lib/workflows.mjs';

export default {
	title: 'subscription › get #random by name (username & password login)',
	requires: { node: 'rocketChat', resource: 'subscription', operation: 'get' },
	workflow: ({ credentials }) =>
		actionWorkflow({
			id: 'e2eSubGetByName',
			name: 'e2e: subscription get by name',
			credential: credentials.password,
			parameters: { resource: 'subscription', operation: 'get', roomId: rl('#random', 'name') },
		}),
	check({ fake, output, requests, assert }) {
		const { rooms, bot } = fake.fixtures;
		const items = output('Rocket.Chat');
		assert.equal(items.length, 1, 'number of output items');
		assert.matches(items[0], { rid: rooms.random, name: 'random' }, 'output item');
		const logins = requests('login');
		assert.ok(logins.length >= 1, 'no POST /api/v1/login: preAuthentication did not run');
		assert.equal(logins[0].status, 200, 'login status');
		const calls = requests('subscriptions.getOne');
		assert.ok(calls.length >= 1, 'no subscriptions.getOne request');
		const last = calls[calls.length - 1];
		assert.equal(last.headers['x-user-id'], bot.userId, 'X-User-Id header (session user)');
		const token = last.headers['x-auth-token'];
		assert.ok(token && token !== bot.pat, 'X-Auth-Token is not a session token from the login');
		assert.ok(fake.state.authenticate(bot.userId, token), 'the session token sent is not one the server issued');
		assert.equal(last.query.roomId, rooms.random, 'subscriptions.getOne roomId');
		return `login then subscriptions.getOne with the session token`;
	},
};
