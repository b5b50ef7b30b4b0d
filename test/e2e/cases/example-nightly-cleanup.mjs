// examples/nightly-cleanup.json as shipped, through its "Run now" Manual Trigger: the dry run counts
// the messages older than 30 days in #team-deploys and nothing is deleted ("Clean history" is disabled).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLES_DIR } from '../lib/paths.mjs';

const DAY = 86_400_000;

export default {
	title: 'examples/nightly-cleanup.json: dry run counts, deletes nothing',
	requires: { node: 'rocketChat', resource: 'room', operation: 'cleanHistory' },
	workflow: () => JSON.parse(readFileSync(join(EXAMPLES_DIR, 'nightly-cleanup.json'), 'utf8')),
	before(ctx) {
		const room = ctx.fake.state.getRoom('team-deploys');
		ctx.assert.ok(room, 'precondition: the seeded room team-deploys exists');
		ctx.room = room;
		ctx.messagesBefore = ctx.fake.state.messagesOf(room._id).length;
	},
	check({ fake, output, requests, assert, room, messagesBefore }) {
		const [dry] = output('Count old messages (dry run)');
		const old = fake.state.messagesOf(room._id).filter((m) => Date.now() - m.ts.getTime() > 30 * DAY).length;
		assert.ok(old > 0, 'precondition: the seeded history has messages older than 30 days');
		assert.matches(dry, { dryRun: true, roomId: room._id, count: old }, 'dry run output');
		assert.equal(requests('rooms.cleanHistory').length, 0, 'rooms.cleanHistory requests');
		assert.equal(fake.state.messagesOf(room._id).length, messagesBefore, 'messages in team-deploys');
		return `would delete ${dry.count} of ${messagesBefore} messages; nothing deleted`;
	},
};
