// Backpressure: 500 messages sent while n8n is stopped (default n8n settings, no production
// concurrency limit) drain after the restart at most Max Executions in Flight (5) at a time: 500
// successful executions, one per message, none failed, and no SQLite lock timeout in n8n's log.
// Prints how long the drain took.
import { assertOnePerMessage, channel, deduplicationKey, insertMessages, settledExecutions, triggerWorkflow } from '../lib/chat.mjs';
import { params } from '../lib/parameters.mjs';
import { rl } from '../lib/workflows.mjs';

const ROOM = 'e2e-restart-backlog';
const COUNT = 500;

export default {
	kind: 'restart',
	title: `trigger › ${COUNT} messages missed while stopped drain once each (backpressure)`,
	requires: { node: 'rocketChatTrigger' },
	workflow: ({ credentials, fake }) =>
		triggerWorkflow({
			id: 'e2eTrigBacklog',
			name: 'e2e: trigger, backlog after a restart',
			credential: credentials.pat,
			parameters: params.trigger({ rooms: [rl(channel(fake, ROOM, ['bot']))] }),
		}),
	async stopped({ fake, memo }) {
		memo.roomId = channel(fake, ROOM);
		memo.ids = insertMessages(fake, memo.roomId, COUNT, 'backlog');
		return `${COUNT} messages in ${ROOM}`;
	},
	async check({ db, memo, workflow: wf, assert, waitFor, readyAt, log }) {
		const rows = await settledExecutions(db, wf.id, COUNT, { waitFor, timeoutMs: 240_000 });
		const statuses = {};
		for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
		assert.equal(statuses, { success: COUNT }, 'execution statuses');
		const keys = memo.ids.map((id) => deduplicationKey(wf, memo.roomId, id));
		assert.equal(rows.map((row) => row.deduplicationKey).sort(), keys.sort(), 'deduplication keys');
		await assertOnePerMessage({ db, assert }, rows, memo.ids);
		const locks = log().filter((entry) => /LockAcquireTimeout|SQLITE_BUSY|database is locked/i.test(JSON.stringify(entry)));
		assert.equal(locks.map((entry) => entry.message).slice(0, 3), [], 'database lock errors in the n8n log');
		const times = (field) => rows.map((row) => Date.parse(String(row[field]).replace(' ', 'T').replace(/Z?$/, 'Z')));
		const first = Math.min(...times('startedAt'));
		const last = Math.max(...times('stoppedAt'));
		const seconds = (ms) => (ms / 1000).toFixed(1);
		return `${COUNT} executions, all success, one per message; drained in ${seconds(last - first)} s (first started ${seconds(first - readyAt)} s after n8n was ready, ${(COUNT / ((last - first) / 1000)).toFixed(0)} executions/s)`;
	},
};
