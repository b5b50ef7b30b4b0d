// examples/support-triage.json as shipped, active under `n8n start`: an urgent question in
// #team-support gets the "urgent" reply in its thread, a billing question the billing reply.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLES_DIR } from '../lib/paths.mjs';

export default {
	kind: 'active',
	title: 'examples/support-triage.json replies in the thread by keyword',
	requires: [{ node: 'rocketChatTrigger' }, { node: 'rocketChat', resource: 'message', operation: 'send' }],
	workflow: () => JSON.parse(readFileSync(join(EXAMPLES_DIR, 'support-triage.json'), 'utf8')),
	async before({ realtime, waitFor }) {
		if (realtime) {
			await waitFor(() => realtime.framesReceived('sub', 'stream-room-messages').length > 0, {
				timeoutMs: 30_000,
				what: 'the trigger to subscribe on the Realtime API',
			});
		}
	},
	async act(ctx) {
		const { fake, assert } = ctx;
		const room = fake.state.getRoom('team-support');
		assert.ok(room, 'the seeded room team-support exists');
		const [first, second] = fake.state.membersOf(room._id).filter((u) => u.username !== 'bot');
		const post = async (user, text) => {
			const token = fake.state.createPersonalAccessToken(user, 'e2e');
			const response = await fetch(`${fake.url}/api/v1/chat.postMessage`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-user-id': user._id, 'x-auth-token': token },
				body: JSON.stringify({ roomId: room._id, text }),
			});
			const body = await response.json();
			if (!response.ok) throw new Error(`chat.postMessage: ${response.status} ${JSON.stringify(body)}`);
			return body.message._id;
		};
		ctx.room = room;
		ctx.urgent = await post(first, 'The export API is down, this is urgent!');
		ctx.billing = await post(second ?? first, 'Could you resend the invoice for March?');
		return `posted an urgent and a billing question as ${first.username}`;
	},
	async check({ fake, assert, waitFor, room, urgent, billing }) {
		const replyTo = (tmid) => fake.state.messagesOf(room._id).find((m) => m.tmid === tmid && m.u.username === 'bot');
		const urgentReply = await waitFor(() => replyTo(urgent), { timeoutMs: 60_000, what: 'the reply in the urgent thread' });
		const billingReply = await waitFor(() => replyTo(billing), { timeoutMs: 30_000, what: 'the reply in the billing thread' });
		assert.ok(urgentReply.msg.includes('on-call engineer'), `urgent reply: ${urgentReply.msg}`);
		assert.ok(billingReply.msg.includes('billing will answer'), `billing reply: ${billingReply.msg}`);
		return 'both answered in their threads';
	},
};
