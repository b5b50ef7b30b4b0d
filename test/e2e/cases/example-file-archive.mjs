// examples/file-archive.json, active under `n8n start` (its target folder pointed at the run's
// folder, which n8n may write to): a file posted in #team-data is downloaded and written to disk.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLES_DIR } from '../lib/paths.mjs';

const CONTENT = 'id,value\n1,42\n2,43\n';

export default {
	kind: 'active',
	title: 'examples/file-archive.json writes a posted file to disk',
	requires: [{ node: 'rocketChatTrigger' }, { node: 'rocketChat', resource: 'room', operation: 'downloadFile' }],
	workflow({ filesDir }) {
		const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'file-archive.json'), 'utf8'));
		const write = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.readWriteFile');
		write.parameters.fileName = write.parameters.fileName.replace('/home/node/.n8n-files/', `${filesDir}/`);
		return workflow;
	},
	async before({ realtime, waitFor }) {
		if (realtime) {
			await waitFor(() => realtime.framesReceived('sub', 'stream-room-messages').length > 0, {
				timeoutMs: 30_000,
				what: 'the trigger to subscribe on the Realtime API',
			});
		}
	},
	act(ctx) {
		const { fake, assert } = ctx;
		const room = fake.state.getRoom('team-data');
		assert.ok(room, 'the seeded room team-data exists');
		const [author] = fake.state.membersOf(room._id).filter((u) => u.username !== 'bot');
		fake.state.postMessage(room._id, author, 'no file in this one');
		const file = fake.state.addUpload(room._id, author, { name: 'weekly-export.csv', type: 'text/csv', data: CONTENT });
		ctx.message = fake.state.postFileMessage(room._id, author, file._id, { description: 'Weekly export' });
		return `${author.username} posted weekly-export.csv (and a message without a file)`;
	},
	async check({ filesDir, message, assert, waitFor }) {
		const written = await waitFor(
			() => existsSync(filesDir) && readdirSync(filesDir).find((f) => f.includes(message._id) && f.endsWith('weekly-export.csv')),
			{ timeoutMs: 60_000, what: `the archived file in ${filesDir}` },
		);
		assert.equal(readFileSync(join(filesDir, written), 'utf8'), CONTENT, 'archived file content');
		assert.equal(readdirSync(filesDir).length, 1, 'files written (the message without a file writes nothing)');
		return `wrote ${written}`;
	},
};
