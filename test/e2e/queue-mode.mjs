// The queue-mode leg of `npm run test:e2e`: n8n 2.41.1 with EXECUTIONS_MODE=queue, the system's
// redis-server and PostgreSQL, one main (`n8n start`: editor, REST API, webhooks, the Rocket.Chat
// Trigger) and two `n8n worker` processes that run the executions. Main and workers share the
// database, the user folder (the community package) and the encryption key; binary data is kept in
// the database (N8N_DEFAULT_BINARY_DATA_MODE=database), the one store all processes can read.
//
// Not SQLite: n8n 2.41 accepts it in queue mode with a warning ("not officially supported"), but opens
// it without a busy timeout, so writes of three processes collide: a 300-message burst gave
// "SQLITE_BUSY: database is locked" — 7 executions failed and one message got no execution.
//
// Cases (each a step):
//   1. the example workflows run on workers (active ones through their trigger/webhook, the others
//      through the editor's "Execute workflow" offloaded to workers);
//   2. a burst of 300 messages in 3 rooms → 300 executions, one per message, on both workers;
//   4. a 20 MB file: webhook upload (main → database → worker → Rocket.Chat) and download/re-upload
//      on a worker, byte for byte;
//   5. a rate-limited endpoint from both workers at once: no failed item;
//   3. a worker SIGKILLed in the middle of a burst: every message still has exactly one execution
//      (last, as it leaves one worker).
// A separate fake Rocket.Chat with its own seeded team serves this leg.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as assert from './lib/assert.mjs';
import { EXAMPLE_CREDENTIAL } from './lib/examples.mjs';
import { seedDemoTeam } from './lib/fake.mjs';
import { freePort, importCredentials, importWorkflows, n8nEnv, N8nRest, nodeOutput, startN8n, waitFor } from './lib/n8n.mjs';
import { installCommunityPackage } from './lib/package.mjs';
import { params } from './lib/parameters.mjs';
import { onShutdown } from './lib/proc.mjs';
import { allExecutions, findPostgres, findRedisServer, parseExecutionData, publishWorkflow, queueEnv, startPostgres, startRedis, startWorker, workersOf } from './lib/queue.mjs';
import { formatDuration } from './lib/steps.mjs';
import { chain, credential, credentialRef, rl, ROCKETCHAT_NODE, ROCKETCHAT_TRIGGER, workflow } from './lib/workflows.mjs';

const BURST = { rooms: 3, messages: 300 };
const KILL_BURST = 40;
const FILE_SIZE = 20 * 1024 * 1024;
const LIMITED = { executions: 2, itemsEach: 12, rule: { calls: 4, windowMs: 2000 } };
// Short Bull leases, so that a job of a killed worker is found stalled within seconds instead of
// minutes (n8n's defaults: 60 s lock, renewed every 10 s, stalled check every 30 s).
const LEASE = { QUEUE_WORKER_LOCK_DURATION: '15000', QUEUE_WORKER_LOCK_RENEW_TIME: '3000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };
const FINAL = ['success', 'error', 'crashed', 'canceled'];

/** The workflows of this leg (ids e2eQueue*), built against the leg's fake server. */
function queueWorkflows({ credentials, rooms }) {
	const trigger = (roomList) => ({
		name: 'Rocket.Chat Trigger',
		type: ROCKETCHAT_TRIGGER,
		typeVersion: 1,
		// Max Executions in Flight at the workers' total concurrency (2 × 10), as the README advises for queue mode.
		parameters: params.trigger({ rooms: roomList.map((r) => rl(r._id)), maxInFlight: 20 }),
		credentials: credentialRef(credentials.pat),
	});
	const done = { name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1 };
	const webhook = (path, options = {}) => ({
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: `e2e-queue-${path}`,
		parameters: { httpMethod: 'POST', path, options },
	});
	const rocketChat = (name, parameters, cred = credentials.pat) => ({ name, type: ROCKETCHAT_NODE, typeVersion: 1, parameters, credentials: credentialRef(cred) });
	return {
		burst: workflow({
			id: 'e2eQueueBurst',
			name: 'e2e queue: one execution per message',
			nodes: [trigger(rooms.burst), done],
			connections: chain('Rocket.Chat Trigger', 'Done'),
		}),
		// The reply goes first, with a Message ID derived from the message: a job run again after its
		// worker died posts no second reply. The wait keeps executions in flight for the kill.
		kill: workflow({
			id: 'e2eQueueKill',
			name: 'e2e queue: worker killed mid-burst',
			nodes: [
				trigger([rooms.kill]),
				rocketChat('Reply', {
					...params.messageSend({ room: rl('={{ $json.roomId }}'), text: '={{ "seen " + $json.id }}' }),
					options: { messageId: '={{ "reply-" + $json.id }}' },
				}),
				{ name: 'Wait', type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'timeInterval', amount: 4, unit: 'seconds' } },
				done,
			],
			connections: chain('Rocket.Chat Trigger', 'Reply', 'Wait', 'Done'),
		}),
		fileIn: workflow({
			id: 'e2eQueueFileIn',
			name: 'e2e queue: webhook upload to a room',
			nodes: [
				webhook('queue-file-in', { binaryPropertyName: 'data' }),
				rocketChat('Upload', { resource: 'room', operation: 'uploadFile', roomId: rl(rooms.files._id), binaryPropertyName: 'data', options: { fileName: 'upload.bin' } }),
			],
			connections: chain('Webhook', 'Upload'),
		}),
		fileOut: workflow({
			id: 'e2eQueueFileOut',
			name: 'e2e queue: download and upload again',
			nodes: [
				webhook('queue-file-out'),
				rocketChat('Download', params.roomDownloadFile({ messageId: '={{ $json.body.messageId }}' })),
				rocketChat('Upload', { resource: 'room', operation: 'uploadFile', roomId: rl(rooms.copies._id), binaryPropertyName: 'data', options: { fileName: 'copy.bin' } }),
			],
			connections: chain('Webhook', 'Download', 'Upload'),
		}),
		limited: workflow({
			id: 'e2eQueueLimited',
			name: 'e2e queue: rate-limited sends',
			nodes: [
				webhook('queue-limited'),
				{
					name: 'Items',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					parameters: { jsCode: 'return $input.first().json.body.texts.map((text) => ({ json: { text } }));' },
				},
				rocketChat('Send', params.messageSend({ room: rl(rooms.limited._id), text: '={{ $json.text }}' }), credentials.alice),
			],
			connections: chain('Webhook', 'Items', 'Send'),
		}),
	};
}

/** Which of `messageIds` an execution's stored data names (the trigger's output carries the message). */
function messageIdsIn(execution, messageIds) {
	const text = typeof execution.data === 'string' ? execution.data : JSON.stringify(execution.data ?? '');
	return messageIds.filter((id) => text.includes(id));
}

/** GET /rest/executions/:id for many ids, a few at a time. */
async function fetchExecutions(n8n, ids, parallel = 6) {
	const out = [];
	for (let i = 0; i < ids.length; i += parallel) {
		out.push(...(await Promise.all(ids.slice(i, i + parallel).map((id) => n8n.execution(id)))));
	}
	return out;
}

/** Waits until `workflowId` has `count` executions, all in a final state; returns them. */
async function waitForExecutions(n8n, workflowId, count, { timeoutMs, what }) {
	let seen = [];
	try {
		return await waitFor(
			async () => {
				seen = await allExecutions(n8n, workflowId);
				return seen.length >= count && seen.every((e) => FINAL.includes(e.status)) ? seen : undefined;
			},
			{ timeoutMs, intervalMs: 2000, what },
		);
	} catch (error) {
		const byStatus = countBy(seen, (e) => e.status);
		throw new Error(`${error.message} (${seen.length} executions: ${JSON.stringify(byStatus)})`);
	}
}

/** Asserts that every execution succeeded; a failure names each failed execution's error and where it ran. */
async function expectAllSucceeded(n8n, workers, executions, what) {
	const failed = executions.filter((e) => e.status !== 'success');
	if (!failed.length) return;
	const details = [];
	for (const e of failed.slice(0, 5)) {
		const full = await n8n.execution(e.id).catch((error) => ({ fetchError: error.message }));
		const data = full?.data ? parseExecutionData(full.data) : undefined;
		const resultData = data?.resultData ?? {};
		const error = resultData.error ?? Object.values(resultData.runData ?? {}).flat().find((run) => run?.error)?.error;
		const text = error ? `${error.message ?? ''}${error.description ? ` (${error.description})` : ''}${error.node?.name ? ` in ${error.node.name}` : ''}` : (full?.fetchError ?? 'no error recorded');
		details.push(`#${e.id} ${e.status} on ${workersOf(workers, e.id).join('+') || 'no worker'}: ${text}`);
	}
	assert.equal(countBy(executions, (e) => e.status), { success: executions.length }, `statuses of ${what} — ${details.join('; ')}`);
}

function countBy(list, key) {
	const out = {};
	for (const item of list) out[key(item)] = (out[key(item)] ?? 0) + 1;
	return out;
}

/**
 * Checks that every message has exactly one execution. `executions` are full executions (with data);
 * `known` maps execution ids to message ids seen earlier (data n8n replaced since).
 */
function oneExecutionPerMessage(executions, messageIds, known = new Map()) {
	const byMessage = new Map(messageIds.map((id) => [id, new Set()]));
	for (const execution of executions) {
		const ids = new Set([...messageIdsIn(execution, messageIds), ...(known.get(String(execution.id)) ?? [])]);
		for (const id of ids) byMessage.get(id).add(String(execution.id));
	}
	const missing = [...byMessage].filter(([, set]) => set.size === 0).map(([id]) => id);
	const doubled = [...byMessage].filter(([, set]) => set.size > 1).map(([id, set]) => `${id} (executions ${[...set].join(', ')})`);
	assert.equal(missing, [], 'messages without an execution');
	assert.equal(doubled, [], 'messages with more than one execution');
	const shared = executions.filter((e) => [...byMessage.values()].filter((set) => set.has(String(e.id))).length > 1).map((e) => e.id);
	assert.equal(shared, [], 'executions carrying more than one message');
	return byMessage;
}

async function postJson(url, body) {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	if (response.status !== 200) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
}

/**
 * Runs the leg. `steps` records the results; `fakeModule` is the compiled fake; `tarball` the
 * packed package; `exampleCases` the example cases of cases/ the package supports.
 */
export async function runQueuePhase({ steps, fakeModule, tarball, runDir, logFile, encryptionKey, owner, exampleCases }) {
	const legStarted = Date.now();
	const dir = join(runDir, 'queue');
	const userFolder = join(dir, 'user');
	const filesDir = join(dir, 'files');
	for (const d of [userFolder, filesDir, join(dir, 'redis'), join(dir, 'postgres'), join(dir, 'import', 'workflows')]) mkdirSync(d, { recursive: true });
	const leg = { workers: [] };

	const ready = await steps.run('queue mode: redis-server, PostgreSQL, n8n main and two workers (binary data in the database)', async () => {
		const redisServer = findRedisServer();
		assert.ok(redisServer, 'redis-server is not installed (Debian: apt-get install -y redis-server; .ci/run installs it)');
		const postgresBin = findPostgres();
		assert.ok(postgresBin, 'PostgreSQL is not installed (Debian: apt-get install -y postgresql; .ci/run installs it)');

		const fake = await fakeModule.FakeRocketChat.start({ port: 0 });
		onShutdown(() => fake.stop());
		assert.ok(typeof fakeModule.enableRealtime === 'function', 'test/fake has no Realtime API (enableRealtime)');
		const realtime = fakeModule.enableRealtime(fake);
		seedDemoTeam(fakeModule, fake, { users: 6, rooms: 12, messagesPerRoom: 30, directMessages: 2 });
		const { bot, alice, admin } = fake.fixtures;
		const [botUser, aliceUser, adminUser] = [bot, alice, admin].map((u) => fake.state.getUser(u.userId));
		const room = (name) => fake.state.createRoom('c', name, adminUser, [botUser, aliceUser]);
		const rooms = {
			burst: Array.from({ length: BURST.rooms }, (_, i) => room(`queue-burst-${i + 1}`)),
			kill: room('queue-kill'),
			files: room('queue-files'),
			copies: room('queue-copies'),
			limited: room('queue-limited'),
		};
		const credentials = {
			pat: credential({ id: 'e2eRcPat', name: 'Rocket.Chat bot (token)', domain: fake.url, userId: bot.userId, token: bot.pat }),
			// alice has no role that bypasses the rate limiter.
			alice: credential({ id: 'e2eRcAlice', name: 'Rocket.Chat alice (token)', domain: fake.url, userId: alice.userId, token: alice.pat }),
			example: credential({ ...EXAMPLE_CREDENTIAL, domain: fake.url, userId: bot.userId, token: bot.pat }),
		};
		Object.assign(leg, { fake, realtime, rooms, credentials, aliceUser, ctxBase: { fake, realtime, credentials, assert, waitFor, filesDir } });
		leg.workflows = queueWorkflows({ credentials, rooms });
		leg.examples = exampleCases.map((spec) => ({ spec, workflow: spec.workflow(leg.ctxBase) }));

		await installCommunityPackage(userFolder, tarball, { logFile: logFile('queue-install') });
		const mainPort = await freePort();
		const postgres = await startPostgres({ dir: join(dir, 'postgres'), binDir: postgresBin, logFile: logFile('queue-postgres') });
		onShutdown(() => postgres.stop());
		const shared = {
			...postgres.env,
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
			...LEASE,
		};
		const importEnv = n8nEnv({ userFolder, encryptionKey, brokerPort: await freePort(), extra: shared });
		await importCredentials(Object.values(credentials), { env: importEnv, dir: join(dir, 'import'), logFile: logFile('queue-import') });
		const all = [...Object.values(leg.workflows), ...leg.examples.map((e) => e.workflow)];
		await importWorkflows(all, { env: importEnv, dir: join(dir, 'import', 'workflows'), logFile: logFile('queue-import') });
		const active = [
			...Object.values(leg.workflows),
			...leg.examples.filter((e) => e.spec.kind === 'active').map((e) => e.workflow),
		];

		const redis = await startRedis({ dir: join(dir, 'redis'), logFile: logFile('queue-redis'), redisServer });
		onShutdown(() => redis.stop());
		const extra = { ...shared, ...queueEnv({ redisPort: redis.port }) };
		const mainEnv = n8nEnv({
			userFolder,
			encryptionKey,
			port: mainPort,
			brokerPort: await freePort(),
			extra: { ...extra, OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' },
		});
		const workerEnv = async () =>
			n8nEnv({ userFolder, encryptionKey, brokerPort: await freePort(), extra: { ...extra, QUEUE_HEALTH_CHECK_PORT: String(await freePort()) } });
		const started = Date.now();
		const [main, ...workers] = await Promise.all([
			startN8n({ env: mainEnv, logFile: logFile('queue-main'), readyTimeoutMs: 180_000 }),
			startWorker({ name: 'worker-1', env: await workerEnv(), logFile: logFile('queue-worker-1') }),
			startWorker({ name: 'worker-2', env: await workerEnv(), logFile: logFile('queue-worker-2') }),
		]);
		onShutdown(() => main.stop());
		for (const w of workers) onShutdown(() => w.stop());
		leg.main = main;
		leg.workers = workers;
		leg.n8n = new N8nRest(main.url);
		await leg.n8n.setupOwner(owner);
		// Published on the running main: it registers the webhooks and starts the triggers.
		for (const wf of active) await publishWorkflow(leg.n8n, wf.id);
		return `redis ${redis.port}, postgres ${postgres.port}, main ${main.url}, ${workers.length} workers, ready in ${formatDuration(Date.now() - started)}; ${active.length} workflows published`;
	});
	const queueSteps = [
		'queue: the example workflows run on workers',
		`queue: ${BURST.messages} messages in ${BURST.rooms} rooms → one execution each, on both workers`,
		'queue: a 20 MB file up and down across main and workers (binary data in the database)',
		'queue: a rate-limited endpoint from two workers at once → no failed item',
		'queue: a worker SIGKILLed mid-burst → every message has exactly one execution',
	];
	if (ready === undefined) {
		steps.notRun(queueSteps, 'queue mode: start');
		return;
	}
	const { n8n, workers, fake, realtime, rooms, ctxBase } = leg;
	const mainUrl = leg.main.url;

	// The triggers of the published workflows connect after the main is ready: each subscribes at least
	// once on the Realtime API.
	const triggers = 2 + leg.examples.filter((e) => e.workflow.nodes.some((n) => n.type === ROCKETCHAT_TRIGGER)).length;
	await waitFor(() => realtime.framesReceived('sub', 'stream-room-messages').length >= triggers, {
		timeoutMs: 60_000,
		what: `${triggers} trigger workflows to subscribe on the Realtime API`,
	}).catch((error) => steps.log(`  NOTICE: ${error.message}`));

	await steps.run(queueSteps[0], async () => {
		const lines = [];
		for (const { spec, workflow: wf } of leg.examples) {
			const ctx = { ...ctxBase, n8n, n8nUrl: mainUrl, workflow: wf, requests: (endpoint) => fake.requests.filter((r) => r.endpoint === endpoint) };
			fake.clearRequests();
			await spec.before?.(ctx);
			if (spec.kind === 'active') {
				await spec.act(ctx);
			} else {
				// The editor's "Execute workflow": with OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS a worker runs it.
				const manual = wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
				const res = await n8n.request('POST', `/rest/workflows/${wf.id}/run`, { triggerToStartFrom: { name: manual.name } });
				assert.equal(res.status, 200, `POST /rest/workflows/${wf.id}/run: ${res.text.slice(0, 300)}`);
				const executionId = res.json?.data?.executionId;
				assert.ok(executionId, `no executionId in ${res.text.slice(0, 300)}`);
				const execution = await waitFor(
					async () => {
						const e = await n8n.execution(executionId);
						return FINAL.includes(e.status) ? e : undefined;
					},
					{ timeoutMs: 90_000, intervalMs: 1000, what: `execution ${executionId} of ${wf.id}` },
				);
				const data = parseExecutionData(execution.data);
				assert.ok(!data?.resultData?.error, `execution ${executionId} failed: ${data?.resultData?.error?.message}`);
				ctx.run = { data };
				ctx.output = (node, options) => nodeOutput(ctx.run, node, options);
			}
			const detail = await spec.check(ctx);
			const executions = await waitForExecutions(n8n, wf.id, 1, { timeoutMs: 60_000, what: `the executions of ${wf.id}` });
			for (const e of executions) {
				assert.equal(e.status, 'success', `execution ${e.id} of ${wf.id}`);
				assert.equal(workersOf(workers, e.id).length, 1, `execution ${e.id} of ${wf.id}: workers that logged "Worker started execution ${e.id}"`);
			}
			lines.push(`${spec.file.replace(/^example-|\.mjs$/g, '')}: ${executions.map((e) => `#${e.id} ${e.mode} on ${workersOf(workers, e.id)[0]}`).join(', ')}`);
			steps.log(`  ${lines.at(-1)} — ${detail ?? ''}`);
		}
		return lines.join('; ');
	});

	await steps.run(queueSteps[1], async () => {
		const wf = leg.workflows.burst;
		// One message per room first: the triggers are listening once these have executions.
		for (const r of rooms.burst) fake.state.postMessage(r._id, leg.aliceUser, `warm-up in ${r.name}`);
		await waitForExecutions(n8n, wf.id, rooms.burst.length, { timeoutMs: 60_000, what: 'the warm-up executions' });
		const before = new Set((await allExecutions(n8n, wf.id)).map((e) => String(e.id)));
		const started = Date.now();
		const ids = [];
		for (let i = 0; i < BURST.messages; i++) {
			const r = rooms.burst[i % rooms.burst.length];
			ids.push(fake.state.postMessage(r._id, leg.aliceUser, `burst ${i + 1} of ${BURST.messages}`)._id);
		}
		const done = await waitForExecutions(n8n, wf.id, before.size + BURST.messages, { timeoutMs: 180_000, what: `${BURST.messages} executions` });
		const elapsed = Date.now() - started;
		const burst = done.filter((e) => !before.has(String(e.id)));
		assert.equal(burst.length, BURST.messages, 'executions of the burst');
		await expectAllSucceeded(n8n, workers, burst, 'the burst');
		const executions = await fetchExecutions(n8n, burst.map((e) => e.id));
		oneExecutionPerMessage(executions, ids);
		const perWorker = countBy(burst, (e) => workersOf(workers, e.id).join('+') || 'none');
		assert.equal(perWorker.none, undefined, 'executions no worker logged');
		for (const w of workers) assert.ok(perWorker[w.name] > 0, `${w.name} ran none of the ${BURST.messages} executions (${JSON.stringify(perWorker)})`);
		return `${BURST.messages} executions, one per message, in ${formatDuration(elapsed)} (${(BURST.messages / (elapsed / 1000)).toFixed(1)}/s); ${Object.entries(perWorker)
			.map(([k, v]) => `${k} ${v}`)
			.join(', ')}`;
	});

	await steps.run(queueSteps[2], async () => {
		const content = randomBytes(FILE_SIZE);
		const sha = (buffer) => createHash('sha256').update(buffer).digest('hex');
		// The fake keeps large uploads on disk (`diskPath`), small ones in memory (`data`).
		const bytesOf = (file) => (file.diskPath !== undefined ? readFileSync(file.diskPath) : file.data);
		const filesIn = (roomId) => [...fake.state.files.values()].filter((f) => f.rid === roomId && f.complete);
		// Upload: the main takes the webhook's 20 MB body into the database, a worker sends it.
		let started = Date.now();
		const response = await fetch(`${mainUrl}/webhook/queue-file-in`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: content });
		assert.equal(response.status, 200, `POST /webhook/queue-file-in: ${await response.text()}`);
		const [inExecution] = await waitForExecutions(n8n, leg.workflows.fileIn.id, 1, { timeoutMs: 120_000, what: 'the upload execution' });
		assert.equal(inExecution.status, 'success', `upload execution ${inExecution.id}`);
		const [uploaded] = filesIn(rooms.files._id);
		assert.ok(uploaded, 'no file in queue-files');
		assert.equal(uploaded.size, FILE_SIZE, 'uploaded size');
		assert.equal(sha(bytesOf(uploaded)), sha(content), 'sha256 of the uploaded file');
		const upTime = Date.now() - started;
		const inData = parseExecutionData((await n8n.execution(inExecution.id)).data);
		const binaryId = nodeOutput({ data: inData }, 'Webhook')[0] && inData.resultData.runData.Webhook[0].data.main[0][0].binary?.data?.id;
		assert.ok(String(binaryId).startsWith('database:'), `the webhook's binary data is not in the database: ${binaryId}`);
		// Download on a worker, upload again.
		const message = fake.state.messagesOf(rooms.files._id).find((m) => m.file?._id === uploaded._id);
		assert.ok(message, 'no message for the uploaded file');
		started = Date.now();
		await postJson(`${mainUrl}/webhook/queue-file-out`, { messageId: message._id });
		const [outExecution] = await waitForExecutions(n8n, leg.workflows.fileOut.id, 1, { timeoutMs: 120_000, what: 'the download/upload execution' });
		assert.equal(outExecution.status, 'success', `download/upload execution ${outExecution.id}`);
		const [copy] = filesIn(rooms.copies._id);
		assert.ok(copy, 'no file in queue-copies');
		assert.equal(sha(bytesOf(copy)), sha(content), 'sha256 of the re-uploaded file');
		const where = [inExecution, outExecution].map((e) => workersOf(workers, e.id)[0] ?? 'no worker');
		assert.ok(!where.includes('no worker'), `executions not run on a worker: ${where}`);
		return `20 MB webhook → ${where[0]} → queue-files in ${formatDuration(upTime)}; download + upload on ${where[1]} in ${formatDuration(Date.now() - started)}; sha256 equal`;
	});

	await steps.run(queueSteps[3], async () => {
		fake.setRateLimit({ perEndpoint: { 'chat.postMessage': LIMITED.rule } });
		try {
			fake.clearRequests();
			const texts = Array.from({ length: LIMITED.executions }, (_, e) => Array.from({ length: LIMITED.itemsEach }, (_, i) => `limited ${e + 1}.${i + 1}`));
			await Promise.all(texts.map((list) => postJson(`${mainUrl}/webhook/queue-limited`, { texts: list })));
			const executions = await waitForExecutions(n8n, leg.workflows.limited.id, LIMITED.executions, { timeoutMs: 150_000, what: 'the rate-limited executions' });
			assert.equal(countBy(executions, (e) => e.status), { success: LIMITED.executions }, 'statuses');
			const posted = fake.state.messagesOf(rooms.limited._id).map((m) => m.msg);
			const expected = texts.flat();
			assert.equal(posted.filter((t) => expected.includes(t)).sort(), [...expected].sort(), 'messages posted (each once)');
			const where = executions.map((e) => workersOf(workers, e.id)[0]);
			assert.equal(new Set(where).size, LIMITED.executions, `the executions ran on ${where.join(', ')}`);
			const [a, b] = executions.map((e) => [Date.parse(e.startedAt), Date.parse(e.stoppedAt)]);
			assert.ok(a[0] < b[1] && b[0] < a[1], 'the two executions did not run at the same time');
			const sends = fake.requests.filter((r) => r.endpoint === 'chat.postMessage');
			const refused = sends.filter((r) => r.status === 429).length;
			return `${expected.length} items on ${where.join(' and ')} at the same time, limiter ${LIMITED.rule.calls} calls / ${LIMITED.rule.windowMs / 1000} s per address: ${sends.length} requests, ${refused} answered 429, 0 failed`;
		} finally {
			fake.setRateLimit({});
		}
	});

	await steps.run(queueSteps[4], async () => {
		const wf = leg.workflows.kill;
		const [victim, survivor] = workers;
		const startedBefore = new Set(victim.started.keys());
		const ids = [];
		for (let i = 0; i < KILL_BURST; i++) ids.push(fake.state.postMessage(rooms.kill._id, leg.aliceUser, `kill burst ${i + 1}`)._id);
		// Kill while the victim holds executions in flight (started, not finished).
		const inFlight = () => [...victim.started.keys()].filter((id) => !startedBefore.has(id) && !victim.finished.has(id));
		await waitFor(async () => (await allExecutions(n8n, wf.id)).length >= KILL_BURST, { timeoutMs: 60_000, what: `${KILL_BURST} executions to be created` });
		await waitFor(() => inFlight().length >= 3, { timeoutMs: 60_000, intervalMs: 100, what: `${victim.name} to run executions of the burst` });
		// n8n replaces the data of an execution it gives up on: note the message of each unfinished one.
		const pending = (await allExecutions(n8n, wf.id)).filter((e) => !FINAL.includes(e.status));
		const known = new Map((await fetchExecutions(n8n, pending.map((e) => e.id))).map((e) => [String(e.id), messageIdsIn(e, ids)]));
		const killedWith = inFlight();
		assert.ok(killedWith.length > 0, `${victim.name} finished its executions before the kill`);
		const killedAt = Date.now();
		const exit = await victim.kill();
		steps.log(`  ${victim.name} killed (${exit.signal}) with executions ${killedWith.join(', ')} in flight`);
		const executions = await waitForExecutions(n8n, wf.id, KILL_BURST, { timeoutMs: 150_000, what: `${KILL_BURST} executions after the kill` });
		const recoveredIn = Date.now() - killedAt;
		const full = await fetchExecutions(n8n, executions.map((e) => e.id));
		oneExecutionPerMessage(full, ids, known);
		// n8n 2.41 runs Bull with maxStalledCount 0: a job whose worker died is not run again. Once its
		// lock expires the job fails as stalled, and the main records the execution as failed ("error",
		// MaxStalledCountError) after a 30 s grace period; queue recovery marks leftovers "crashed".
		// Finished normally: on the victim before the kill, or only ever on the survivor. The rest were
		// in flight on the victim (started, or fetched from the queue and not yet started).
		const normal = (id) => victim.finished.has(id) || (survivor.started.has(id) && !victim.started.has(id));
		const affected = full.filter((e) => !normal(String(e.id)));
		const others = full.filter((e) => normal(String(e.id)));
		for (const id of killedWith) assert.ok(affected.some((e) => String(e.id) === id), `execution ${id} was in flight at the kill, yet finished normally`);
		assert.equal(countBy(others, (e) => e.status), { success: others.length }, 'statuses of the executions not in flight at the kill');
		const outcome = affected.map((execution) => {
			const id = String(execution.id);
			const message = parseExecutionData(execution.data)?.resultData?.error?.message ?? '';
			const rerun = survivor.started.has(id);
			assert.ok(
				(execution.status === 'success' && rerun) || execution.status === 'crashed' || (execution.status === 'error' && !rerun),
				`execution ${id} (in flight on the killed worker) is "${execution.status}"${rerun ? ` after a run on ${survivor.name}` : ''}: ${message}`,
			);
			return { id, status: execution.status, rerun, message };
		});
		// At most one reply per message: the reply carries a Message ID derived from the message.
		const replies = countBy(
			fake.state.messagesOf(rooms.kill._id).filter((m) => m._id.startsWith('reply-')),
			(m) => m._id,
		);
		assert.ok(Object.values(replies).every((n) => n === 1), 'a message was answered twice');
		const described = outcome.map((o) => `#${o.id} ${o.status}${o.rerun ? ` on ${survivor.name}` : ''}${o.message ? ` ("${o.message.slice(0, 60)}…")` : ''}`);
		steps.log(`  in flight at the kill: ${described.join('; ')}`);
		const statuses = countBy(outcome, (o) => (o.rerun ? `${o.status} on ${survivor.name}` : o.status));
		return `${KILL_BURST} messages → ${KILL_BURST} executions (one each), ${others.length} finished normally; the ${affected.length} in flight on ${victim.name}: ${Object.entries(statuses)
			.map(([k, v]) => `${v} ${k}`)
			.join(', ')}, settled ${formatDuration(recoveredIn)} after the kill; ${Object.keys(replies).length} replies, none twice`;
	});

	steps.log(`queue-mode leg: ${formatDuration(Date.now() - legStarted)}`);
}
