// examples/alert-to-room.json as shipped, active under `n8n start`: a POST to its webhook posts the
// alert to #team-ops with a coloured attachment.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLES_DIR } from '../lib/paths.mjs';

const ALERT = { title: 'API error rate above 5%', severity: 'critical', details: '5xx on /export since 10:42', link: 'https://grafana.example.com/d/api' };

export default {
	kind: 'active',
	title: 'examples/alert-to-room.json: webhook call posts the alert',
	requires: { node: 'rocketChat', resource: 'message', operation: 'send' },
	workflow: () => JSON.parse(readFileSync(join(EXAMPLES_DIR, 'alert-to-room.json'), 'utf8')),
	async act({ n8nUrl, workflow }) {
		const path = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook').parameters.path;
		const response = await fetch(`${n8nUrl}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(ALERT),
		});
		if (response.status !== 200) throw new Error(`POST /webhook/${path}: ${response.status} ${await response.text()}`);
		return `POST /webhook/${path} → 200`;
	},
	async check({ fake, assert, waitFor }) {
		const room = fake.state.getRoom('team-ops');
		assert.ok(room, 'the seeded room team-ops exists');
		const message = await waitFor(() => fake.state.messagesOf(room._id).find((m) => m.msg.includes(ALERT.title)), {
			timeoutMs: 30_000,
			what: 'the alert message in team-ops',
		});
		assert.equal(message.msg, `:rotating_light: ${ALERT.title}`, 'message text');
		assert.equal(message.u.username, 'bot', 'author');
		const [attachment] = message.attachments ?? [];
		assert.matches(attachment, { title: ALERT.title, title_link: ALERT.link, text: ALERT.details, color: '#d0021b' }, 'attachment');
		return `message ${message._id} with a ${attachment.color} attachment`;
	},
};
