// A room joined after activation counts from the time of joining: messages posted in it during the
// last minute before the join (inside the Late Message Window) never start an execution; the first
// message after the join does. Room A: joined and written to while n8n runs (Realtime push). Room B:
// joined while n8n runs, written to while it is stopped (REST catch-up after the restart). The
// trigger runs as admin on All My Rooms.
import { channel, insertMessages, postAs, restAs, settledExecutions, triggerWorkflow } from '../lib/chat.mjs';
import { params } from '../lib/parameters.mjs';

const ROOMS = { a: 'e2e-joined-live', b: 'e2e-joined-while-stopped' };
const EARLY = 3;

async function carried(db, rows) {
	const data = await db.executionData(rows.map((row) => String(row.id)));
	return rows.map((row) => data.get(String(row.id)) ?? '');
}

export default {
	kind: 'restart',
	title: 'trigger › a room joined after activation starts at the join (All My Rooms)',
	requires: { node: 'rocketChatTrigger' },
	workflow: ({ credentials, fake }) => {
		for (const name of Object.values(ROOMS)) channel(fake, name, ['bob']);
		return triggerWorkflow({
			id: 'e2eTrigJoined',
			name: 'e2e: trigger, room joined after activation',
			credential: credentials.admin,
			parameters: params.trigger({}),
		});
	},
	async running({ fake, realtime, db, memo, workflow: wf, assert, waitFor }) {
		if (realtime) {
			await waitFor(
				() => realtime.framesReceived('method', 'login').some((f) => f.frame.params?.[0]?.resume === fake.fixtures.admin.pat),
				{ timeoutMs: 30_000, what: 'the trigger to log in as admin on the Realtime API' },
			);
		}
		// Straight into the server's state (streamed like any new message), clear of the REST rate limiter.
		memo.early = Object.values(ROOMS).flatMap((name) => insertMessages(fake, channel(fake, name), EARLY, `${name}: before admin joined`));
		for (const name of Object.values(ROOMS)) await restAs(fake, 'admin', 'channels.join', { roomId: channel(fake, name) });
		memo.live = await postAs(fake, 'alice', channel(fake, ROOMS.a), `${ROOMS.a}: after admin joined`);
		const rows = await settledExecutions(db, wf.id, 1, { waitFor });
		assert.equal(rows.length, 1, 'executions after the join');
		const [data] = await carried(db, rows);
		assert.ok(data.includes(`"${memo.live}"`), 'the execution does not carry the message sent after the join');
		for (const id of memo.early) assert.ok(!data.includes(`"${id}"`), `the execution carries ${id}, sent before the join`);
		memo.executions = rows.map((row) => row.id);
		return `${memo.early.length} messages before the join ignored, the one after it ran (execution ${rows[0].id})`;
	},
	async stopped({ fake, memo, assert }) {
		assert.ok(memo.executions, 'the step before the stop did not finish');
		memo.missed = await postAs(fake, 'alice', channel(fake, ROOMS.b), `${ROOMS.b}: after admin joined`);
		return `one message in ${ROOMS.b}`;
	},
	async check({ db, memo, workflow: wf, assert, waitFor }) {
		assert.ok(memo.missed, 'the steps before the restart did not finish');
		const rows = await settledExecutions(db, wf.id, 2, { waitFor });
		assert.equal(rows.length, 2, 'executions');
		assert.equal([...new Set(rows.map((row) => row.status))], ['success'], 'execution statuses');
		const data = await carried(db, rows);
		const fresh = data[rows.findIndex((row) => !memo.executions.includes(row.id))] ?? '';
		assert.ok(fresh.includes(`"${memo.missed}"`), 'the execution after the restart does not carry the message sent while n8n was stopped');
		for (const id of memo.early) assert.ok(!data.some((text) => text.includes(`"${id}"`)), `message ${id}, sent before the join, started an execution`);
		return 'after the restart: the message sent while stopped ran, the earlier ones did not';
	},
};
