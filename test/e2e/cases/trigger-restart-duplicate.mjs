// Exactly once across a restart: a message runs once; n8n stops; the workflow's static data is put
// back to what it was before the message (the trigger's cursor forgets it); after the restart the
// trigger catches up and emits the message again with the same deduplication key, and n8n refuses the
// second execution ("Scheduled execution skipped: duplicate deduplication key").
import { channel, deduplicationKey, postAs, settledExecutions, triggerWorkflow } from '../lib/chat.mjs';
import { params } from '../lib/parameters.mjs';
import { rl } from '../lib/workflows.mjs';

const ROOM = 'e2e-restart-duplicate';
const TEXT = 'e2e: one execution, even when emitted twice';

export default {
	kind: 'restart',
	title: 'trigger › a message emitted again after a restart runs once (deduplication key)',
	requires: { node: 'rocketChatTrigger' },
	workflow: ({ credentials, fake }) =>
		triggerWorkflow({
			id: 'e2eTrigDuplicate',
			name: 'e2e: trigger, same message emitted twice',
			credential: credentials.pat,
			parameters: params.trigger({ rooms: [rl(channel(fake, ROOM, ['bot']))] }),
		}),
	async running({ fake, db, memo, workflow: wf, assert, waitFor }) {
		memo.before = await db.staticData(wf.id);
		const cursor = Object.values(memo.before).find((node) => node?.cursor)?.cursor;
		assert.ok(cursor?.rooms?.[channel(fake, ROOM)], `the cursor saved at activation does not know the room: ${JSON.stringify(memo.before)}`);
		memo.roomId = channel(fake, ROOM);
		memo.messageId = await postAs(fake, 'alice', memo.roomId, TEXT);
		memo.key = deduplicationKey(wf, memo.roomId, memo.messageId);
		const rows = await settledExecutions(db, wf.id, 1, { waitFor });
		assert.equal(
			rows.map((row) => [row.status, row.mode, row.deduplicationKey]),
			[['success', 'trigger', memo.key]],
			'executions before the stop',
		);
		memo.execution = rows[0].id;
		return `execution ${rows[0].id} with key ${memo.key}`;
	},
	async stopped({ db, memo, workflow: wf, assert }) {
		assert.ok(memo.execution, 'the step before the stop did not finish');
		// n8n writes a trigger's static data with each emit (and at activation), before the execution
		// runs; the cursor moves past the message only once it is done, so what n8n saved may already be
		// the value from before the message. Either way it is put back.
		const saved = await db.staticData(wf.id);
		await db.setStaticData(wf.id, memo.before);
		const same = JSON.stringify(saved) === JSON.stringify(memo.before);
		return `static data put back to its value before the message (${same ? 'n8n had not saved a newer one' : 'n8n had saved a newer one'})`;
	},
	async check({ db, memo, workflow: wf, assert, waitFor, log }) {
		assert.ok(memo.execution, 'the step before the stop did not finish');
		const skipped = await waitFor(
			() =>
				log().find(
					(entry) => entry.message === 'Scheduled execution skipped: duplicate deduplication key' && entry.metadata?.deduplicationKey === memo.key,
				),
			{ timeoutMs: 60_000, what: `n8n to skip the second execution of key ${memo.key}` },
		);
		assert.equal(skipped.metadata.workflowId, wf.id, 'workflow of the skipped execution');
		const rows = await settledExecutions(db, wf.id, 1, { waitFor });
		assert.equal(
			rows.map((row) => [row.id, row.deduplicationKey]),
			[[memo.execution, memo.key]],
			'executions after the restart',
		);
		return `emitted again after the restart, skipped by n8n; still one execution (${memo.execution})`;
	},
};
