// Rocket.Chat Trigger in an active workflow under `n8n start`: it connects to the Realtime API with
// the token (polling when the fake has no Realtime API), and a message alice posts in #random starts
// an execution that carries the message.
import { params } from '../lib/parameters.mjs';
import { ROCKETCHAT_TRIGGER, credentialRef, rl, workflow } from '../lib/workflows.mjs';

const TEXT = 'Hello from alice: e2e trigger check';

export default {
	kind: 'active',
	title: 'trigger › new message in #random starts an execution',
	requires: { node: 'rocketChatTrigger' },
	workflow: ({ credentials, fake, realtime }) =>
		workflow({
			id: 'e2eTriggerMsg',
			name: 'e2e: trigger on new message',
			nodes: [
				{
					name: 'Rocket.Chat Trigger',
					type: ROCKETCHAT_TRIGGER,
					typeVersion: 1,
					parameters: params.trigger({ rooms: [rl(fake.fixtures.rooms.random)], receiveVia: realtime ? 'realtime' : 'polling', pollSeconds: 2 }),
					credentials: credentialRef(credentials.pat),
				},
				{ name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1 },
			],
			connections: { 'Rocket.Chat Trigger': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		}),
	async before({ realtime, fake, waitFor }) {
		if (!realtime) return;
		// The activated trigger logs in with the token and subscribes to the room's messages.
		await waitFor(
			() =>
				realtime.framesReceived('method', 'login').some((f) => f.frame.params?.[0]?.resume === fake.fixtures.bot.pat) &&
				realtime.framesReceived('sub', 'stream-room-messages').length > 0,
			{ timeoutMs: 30_000, what: 'the trigger to log in and subscribe on the Realtime API' },
		);
	},
	/** Posts the message as alice through the REST API, as a Rocket.Chat client would. */
	async act({ fake }) {
		const { alice, rooms } = fake.fixtures;
		const response = await fetch(`${fake.url}/api/v1/chat.postMessage`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-user-id': alice.userId, 'x-auth-token': alice.pat },
			body: JSON.stringify({ roomId: rooms.random, text: TEXT }),
		});
		if (!response.ok) throw new Error(`chat.postMessage as alice: ${response.status} ${await response.text()}`);
		return 'alice posted with chat.postMessage';
	},
	async check({ n8n, workflow: wf, assert, waitFor, realtime }) {
		// Other messages of #random (e.g. the editor test's Send) start executions too: find the one of this text.
		const found = await waitFor(
			async () => {
				for (const e of await n8n.executions(wf.id)) {
					if (!['success', 'error', 'crashed'].includes(e.status)) continue;
					const full = await n8n.execution(e.id);
					if (JSON.stringify(full).includes(TEXT)) return e;
				}
				return undefined;
			},
			{ timeoutMs: 60_000, intervalMs: 1000, what: 'the execution of the trigger workflow that carries the posted message' },
		);
		const execution = found;
		assert.equal(execution.status, 'success', 'execution status');
		assert.equal(execution.mode, 'trigger', 'execution mode');
		return `execution ${execution.id} carried the message${realtime ? ' (Realtime API)' : ' (polling)'}`;
	},
};
