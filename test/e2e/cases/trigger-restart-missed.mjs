// Messages sent while n8n is stopped (20, in two rooms) each start one execution after the restart:
// the trigger (polling) catches up from the cursor saved before the stop.
import { assertOnePerMessage, channel, deduplicationKey, insertMessages, settledExecutions, triggerWorkflow } from '../lib/chat.mjs';
import { params } from '../lib/parameters.mjs';
import { rl } from '../lib/workflows.mjs';

const ROOMS = ['e2e-restart-missed-a', 'e2e-restart-missed-b'];
const PER_ROOM = 10;

export default {
	kind: 'restart',
	title: 'trigger › messages sent while n8n was stopped run once each after the restart (polling)',
	requires: { node: 'rocketChatTrigger' },
	workflow: ({ credentials, fake }) =>
		triggerWorkflow({
			id: 'e2eTrigMissed',
			name: 'e2e: trigger, messages missed while stopped',
			credential: credentials.pat,
			parameters: params.trigger({ rooms: ROOMS.map((name) => rl(channel(fake, name, ['bot']))), receiveVia: 'polling', pollSeconds: 2 }),
		}),
	async stopped({ fake, memo }) {
		memo.sent = ROOMS.map((name) => ({ roomId: channel(fake, name), ids: insertMessages(fake, channel(fake, name), PER_ROOM, `missed in ${name}`) }));
		return `${PER_ROOM} messages in each of ${ROOMS.length} rooms`;
	},
	async check({ db, n8n, memo, workflow: wf, assert, waitFor }) {
		const ids = memo.sent.flatMap((room) => room.ids);
		const rows = await settledExecutions(db, wf.id, ids.length, { waitFor });
		assert.equal(rows.length, ids.length, 'executions');
		assert.equal([...new Set(rows.map((row) => row.status))], ['success'], 'execution statuses');
		const keys = memo.sent.flatMap((room) => room.ids.map((id) => deduplicationKey(wf, room.roomId, id)));
		assert.equal(rows.map((row) => row.deduplicationKey).sort(), keys.sort(), 'deduplication keys');
		await assertOnePerMessage({ db, assert }, rows, ids);
		// The same through n8n's REST API: each execution's trigger item is one of the messages.
		const listed = await n8n.executions(wf.id);
		const carried = [];
		for (const execution of listed) {
			const full = JSON.stringify(await n8n.execution(execution.id));
			carried.push(ids.find((id) => full.includes(id)));
		}
		assert.equal(carried.filter(Boolean).sort(), [...ids].sort(), 'messages of the executions listed by GET /rest/executions');
		return `${ids.length} messages, ${rows.length} executions, each message once`;
	},
};
