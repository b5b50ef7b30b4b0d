// Message › Send: the text (an expression) arrives in #general from the bot.
import { params } from '../lib/parameters.mjs';
import { actionWorkflow, rl } from '../lib/workflows.mjs';

const TEXT = 'Deploy finished: e2eMessageSend';

export default {
	title: 'message › send to #general',
	requires: { node: 'rocketChat', resource: 'message', operation: 'send' },
	workflow: ({ credentials }) =>
		actionWorkflow({
			id: 'e2eMessageSend',
			name: 'e2e: message send',
			credential: credentials.pat,
			parameters: params.messageSend({ room: rl('#general', 'name'), text: '={{ "Deploy finished: " + $workflow.id }}' }),
		}),
	check({ fake, output, requests, assert }) {
		const { rooms, bot } = fake.fixtures;
		const items = output('Rocket.Chat');
		assert.equal(items.length, 1, 'number of output items');
		const posted = fake.state.messagesOf(rooms.general).filter((m) => m.msg === TEXT);
		assert.equal(posted.length, 1, `messages with the text "${TEXT}" in GENERAL`);
		assert.equal(posted[0].u._id, bot.userId, 'author of the message');
		assert.ok(JSON.stringify(items[0]).includes(posted[0]._id), `the output does not mention the message id ${posted[0]._id}`);
		const sends = fake.requests.filter((r) => r.method === 'POST' && /^chat\.(postMessage|sendMessage)$/.test(r.endpoint));
		assert.ok(sends.length >= 1, 'no chat.postMessage / chat.sendMessage request');
		assert.equal(sends[0].headers['x-auth-token'], bot.pat, 'X-Auth-Token header');
		void requests;
		return `message ${posted[0]._id} in GENERAL`;
	},
};
