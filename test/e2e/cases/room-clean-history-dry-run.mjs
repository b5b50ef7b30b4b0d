// Room › Clean History as a dry run: counts what would go, deletes nothing.
import { params } from '../lib/parameters.mjs';
import { actionWorkflow, rl } from '../lib/workflows.mjs';
import { seedAges } from './room-clean-history.mjs';

export default {
	title: 'room › cleanHistory dry run deletes nothing',
	requires: { node: 'rocketChat', resource: 'room', operation: 'cleanHistory' },
	workflow: ({ credentials, fake }) =>
		actionWorkflow({
			id: 'e2eRoomCleanDry',
			name: 'e2e: room cleanHistory dry run',
			credential: credentials.admin,
			parameters: params.roomCleanHistory({ room: rl('#random', 'name'), olderThanDays: 30, dryRun: true }),
		}),
	before(ctx) {
		ctx.seeded = seedAges(ctx.fake);
		ctx.before = ctx.fake.state.messagesOf(ctx.fake.fixtures.rooms.random).length;
	},
	check({ fake, output, requests, assert, seeded, before }) {
		const { rooms } = fake.fixtures;
		const [result] = output('Rocket.Chat');
		assert.ok(result, 'no output item');
		assert.matches(result, { dryRun: true, roomId: rooms.random }, 'dry run output');
		const oldTotal = fake.state.messagesOf(rooms.random).filter((m) => Date.now() - m.ts.getTime() > 30 * 86_400_000).length;
		assert.ok(oldTotal >= seeded.old.length, 'precondition: old messages present');
		assert.equal(result.count, oldTotal, 'messages the dry run would delete');
		assert.equal(requests('rooms.cleanHistory').length, 0, 'rooms.cleanHistory requests during a dry run');
		assert.equal(fake.state.messagesOf(rooms.random).length, before, 'messages in the room after the dry run');
		return `would delete ${result.count}, deleted nothing`;
	},
};
