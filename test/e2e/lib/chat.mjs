// Rooms and messages of the fake Rocket.Chat for the trigger cases: rooms made on demand, messages
// posted through the REST API as a user would, or many at once straight into the server's state.
import { ROCKETCHAT_TRIGGER, credentialRef, workflow } from './workflows.mjs';

/** A public channel `name` made by alice with `members` (fixture user names); made once, then reused. */
export function channel(fake, name, members = []) {
	const state = fake.state;
	const existing = state.findRoomByName(name);
	if (existing) return existing._id;
	const alice = state.getUser(fake.fixtures.alice.userId);
	const others = members.map((member) => state.getUser(fake.fixtures[member].userId));
	return state.createRoom('c', name, alice, others)._id;
}

/** `POST /api/v1/<endpoint>` as a fixture user (token auth); returns the JSON body. */
export async function restAs(fake, user, endpoint, body) {
	const { userId, pat } = fake.fixtures[user];
	const response = await fetch(`${fake.url}/api/v1/${endpoint}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-user-id': userId, 'x-auth-token': pat },
		body: JSON.stringify(body),
	});
	const json = await response.json().catch(() => undefined);
	if (!response.ok || !json?.success) throw new Error(`${endpoint} as ${user}: ${response.status} ${JSON.stringify(json)}`);
	return json;
}

/** Posts a message as a fixture user with chat.postMessage; returns its id. */
export async function postAs(fake, user, roomId, text) {
	const { message } = await restAs(fake, user, 'chat.postMessage', { roomId, text });
	return message._id;
}

/**
 * Saves `count` messages of alice into the fake's state (as its chat.postMessage handler does, with
 * the server's current time), without the REST rate limiter; returns their ids in order.
 */
export function insertMessages(fake, roomId, count, text) {
	const alice = fake.state.getUser(fake.fixtures.alice.userId);
	const ids = [];
	for (let index = 1; index <= count; index++) ids.push(fake.state.postMessage(roomId, alice, `${text} ${index}/${count}`)._id);
	return ids;
}

/** Rocket.Chat Trigger → No Op, the shape of the trigger cases' workflows. */
export function triggerWorkflow({ id, name, credential, parameters }) {
	return workflow({
		id,
		name,
		nodes: [
			{ name: 'Rocket.Chat Trigger', type: ROCKETCHAT_TRIGGER, typeVersion: 1, parameters, credentials: credentialRef(credential) },
			{ name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1 },
		],
		connections: { 'Rocket.Chat Trigger': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
	});
}

/**
 * Waits until the workflow's executions in n8n's database are all finished and there are at least
 * `count`, then `settleMs` more (so that a surplus shows); returns them.
 */
export async function settledExecutions(db, workflowId, count, { waitFor, timeoutMs = 60_000, settleMs = 3000 }) {
	const finished = async () => {
		const rows = await db.executions(workflowId);
		return rows.length >= count && rows.every((row) => !['new', 'running', 'waiting'].includes(row.status)) ? rows : undefined;
	};
	await waitFor(finished, { timeoutMs, intervalMs: 1000, what: `${count} finished executions of workflow ${workflowId}` });
	await new Promise((resolve) => setTimeout(resolve, settleMs));
	return await waitFor(finished, { timeoutMs, intervalMs: 1000, what: `the executions of workflow ${workflowId} to finish` });
}

/** The deduplication key the trigger gives a message's execution. */
export function deduplicationKey(wf, roomId, messageId) {
	const trigger = wf.nodes.find((node) => node.type === ROCKETCHAT_TRIGGER);
	return `rocketchat:${wf.id}:${trigger.id}:${roomId}:${messageId}`;
}

/** Checks that each execution carries exactly one of `messageIds` and each id has exactly one execution. */
export async function assertOnePerMessage({ db, assert }, rows, messageIds) {
	const data = await db.executionData(rows.map((row) => String(row.id)));
	const byMessage = new Map(messageIds.map((id) => [id, []]));
	for (const row of rows) {
		const text = data.get(String(row.id)) ?? '';
		const carried = messageIds.filter((id) => text.includes(`"${id}"`));
		assert.equal(carried.length, 1, `messages carried by execution ${row.id}`);
		byMessage.get(carried[0]).push(row.id);
	}
	const wrong = [...byMessage].filter(([, executions]) => executions.length !== 1);
	assert.equal(
		wrong.slice(0, 5).map(([id, executions]) => `${id}: ${executions.length}`),
		[],
		`messages without exactly one execution (${wrong.length} of ${messageIds.length})`,
	);
}
