// examples/daily-digest.json as shipped, through its "Run now" Manual Trigger: the day's messages
// of #team-support are summarised and the digest is posted to #general.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLES_DIR } from '../lib/paths.mjs';

export default {
	title: "examples/daily-digest.json posts the day's digest",
	requires: [
		{ node: 'rocketChat', resource: 'message', operation: 'getMany' },
		{ node: 'rocketChat', resource: 'message', operation: 'send' },
	],
	workflow: () => JSON.parse(readFileSync(join(EXAMPLES_DIR, 'daily-digest.json'), 'utf8')),
	before(ctx) {
		const { fake, assert } = ctx;
		const room = fake.state.getRoom('team-support');
		assert.ok(room, 'precondition: the seeded room team-support exists');
		const members = fake.state.membersOf(room._id).filter((u) => u.username !== 'bot');
		const since = Date.now() - 86_400_000;
		const today = () => fake.state.messagesOf(room._id).filter((m) => m.ts.getTime() > since && !m.t && !m.tmid).length;
		for (let i = 0; i < 4; i++) fake.state.postMessage(room._id, members[i % members.length], `support question ${i + 1} of today`);
		ctx.expected = today();
	},
	check({ fake, output, assert, expected }) {
		const [summary] = output('Summarise');
		assert.ok(summary, 'Summarise returned nothing');
		assert.ok(summary.count >= 4, `the digest counted ${summary.count} messages, expected at least the 4 posted today`);
		assert.ok(summary.count <= expected + 50, `the digest counted ${summary.count} messages`);
		const posted = fake.state.messagesOf(fake.fixtures.rooms.general).filter((m) => m.msg.startsWith('*Daily digest of #team-support*'));
		assert.equal(posted.length, 1, 'digests posted to GENERAL');
		assert.equal(posted[0].u.username, 'bot', 'author of the digest');
		assert.ok(posted[0].msg.includes(`${summary.count} messages`), `digest text: ${posted[0].msg}`);
		return posted[0].msg.split('\n')[0];
	},
};
