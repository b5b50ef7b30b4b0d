#!/usr/bin/env node
// End-to-end test in a real n8n: `npm run test:e2e`.
//
// 1. Provisions (or reuses) n8n 2.41.1 on Node 24 from test/e2e/runtime.
// 2. Builds and packs this package and installs the tarball as a community package into a fresh
//    n8n user folder.
// 3. Starts the fake Rocket.Chat on 127.0.0.1 (default fixtures, a seeded team, the Realtime API).
// 4. Imports credentials and one workflow per case (test/e2e/cases/*.mjs) with fixed ids.
// 5. `execute` cases: `n8n execute --id`, checked on the printed run data and on the fake server's
//    state and request log.
// 6. `n8n start` (offline): the editor's node list, owner setup, credential tests through the REST
//    API, then the `active` cases (published before the start: webhooks, the Rocket.Chat Trigger).
// 7. Queue mode (queue-mode.mjs): redis-server, PostgreSQL, an n8n main and two `n8n worker` processes.
// Prints PASS/FAIL/SKIP per step with timings and closes with `N passed, M failed`.
//
// Options: --keep (keep the temp user folder and logs), --only=<text>[,<text>] (only cases whose
// file or title contains a text; "queue" selects the queue-mode leg), --no-start (skip the
// `n8n start` leg), --no-queue (skip the queue-mode leg), --no-build (pack dist/ as is).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import * as assert from './lib/assert.mjs';
import { loadCases, selectCases } from './lib/cases.mjs';
import { EXAMPLE_CREDENTIAL } from './lib/examples.mjs';
import { compileFake, loadFake, seedDemoTeam } from './lib/fake.mjs';
import {
	executeWorkflow,
	freePort,
	importCredentials,
	importWorkflows,
	n8nCli,
	n8nEnv,
	N8nRest,
	nodeOutput,
	startN8n,
	waitFor,
} from './lib/n8n.mjs';
import { buildPackage, describeBuiltPackage, installCommunityPackage, packPackage } from './lib/package.mjs';
import { PACKAGE_NAME, REPO_DIR, TMP_DIR } from './lib/paths.mjs';
import { installSignalHandlers, onShutdown, shutdown } from './lib/proc.mjs';
import { RestartLeg } from './lib/restart.mjs';
import { n8nVersion, provisionRuntime } from './lib/runtime.mjs';
import { databaseFile, N8nDatabase } from './lib/sqlite.mjs';
import { Abort, formatDuration, Steps } from './lib/steps.mjs';
import { editorPhase } from './phases/editor.mjs';
import { credential } from './lib/workflows.mjs';
import { runQueuePhase } from './queue-mode.mjs';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const noStart = args.includes('--no-start');
const noBuild = args.includes('--no-build');
const noQueue = args.includes('--no-queue');
const only = args
	.find((a) => a.startsWith('--only='))
	?.slice('--only='.length)
	.split(',')
	.filter(Boolean);

const ENCRYPTION_KEY = 'n8n-nodes-rocketchat-e2e-0123456789';
const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-Owner-Passw0rd', firstName: 'E2E', lastName: 'Owner' };

const steps = new Steps('e2e');
installSignalHandlers(() => steps.log('interrupted: stopping everything that was started'));

// Folders of earlier failed runs are kept for their logs; only the three newest stay.
if (existsSync(TMP_DIR)) {
	const old = readdirSync(TMP_DIR).filter((f) => f.startsWith('run-')).sort().slice(0, -3);
	for (const dir of old) rmSync(join(TMP_DIR, dir), { recursive: true, force: true });
}
const runDir = join(TMP_DIR, `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
const userFolder = join(runDir, 'user');
const logDir = join(runDir, 'logs');
mkdirSync(userFolder, { recursive: true });
mkdirSync(logDir, { recursive: true });
const logFile = (name) => join(logDir, `${name}.log`);

const credentials = {};
// filesDir: the one folder n8n may write files to (N8N_RESTRICT_FILE_ACCESS_TO) under `n8n start`.
const filesDir = join(runDir, 'files');
mkdirSync(filesDir, { recursive: true });
const ctxBase = { credentials, assert, waitFor, filesDir };
let description;

try {
	await steps.run(
		'provision n8n runtime (test/e2e/runtime)',
		async () => {
			const runtime = await provisionRuntime({ log: (m) => steps.log(`  ${m}`), logFile: logFile('provision') });
			const version = await n8nVersion();
			assert.equal(version, '2.41.1', 'n8n version');
			return runtime.reused
				? `n8n ${version} reused (lockfile hash unchanged)`
				: `n8n ${version} installed: npm ci ${formatDuration(runtime.timings.npmCi)}, sqlite3 ${formatDuration(runtime.timings.rebuild)}`;
		},
		{ required: true },
	);

	if (noBuild) steps.skip('build the package (npm run build)', 'NOTICE: --no-build given: dist/ is packed as it is');
	else await steps.run('build the package (npm run build)', () => buildPackage({ logFile: logFile('build') }), { required: true });

	let tarball;
	await steps.run(
		'npm pack: dist/ only, nodes and credentials included',
		async () => {
			const packed = await packPackage(runDir, { logFile: logFile('pack') });
			tarball = packed.tarball;
			const expected = ['package.json', 'dist/credentials/RocketChatApi.credentials.js'];
			const manifest = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8'));
			expected.push(...(manifest.n8n?.nodes ?? []));
			for (const file of expected) assert.ok(packed.files.includes(file), `${file} is not in the tarball`);
			const stray = packed.files.filter((f) => !/^(package\.json|README\.md|LICENSE(\.md)?|dist\/)/.test(f));
			assert.equal(stray, [], 'files outside dist/ in the tarball');
			assert.ok(!packed.files.some((f) => f.startsWith('dist/test/')), 'tests were packed into dist/');
			return `${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} kB`;
		},
		{ required: true },
	);

	await steps.run(
		'install the tarball as a community package (<user>/.n8n/nodes)',
		async () => {
			const installed = await installCommunityPackage(userFolder, tarball, { logFile: logFile('install') });
			assert.equal(installed.manifest.name, PACKAGE_NAME, 'installed package name');
			// The installed copy is the packed dist/ of this repository: read the node descriptions
			// from the repository (where the n8n-workflow peer resolves), after checking the n8n block.
			const manifest = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8'));
			assert.equal(installed.manifest.n8n, manifest.n8n, 'n8n block of the installed package.json');
			description = describeBuiltPackage(REPO_DIR);
			return Object.entries(description.nodes)
				.map(([name, node]) => {
					const resources = Object.entries(node.resources);
					return resources.length ? `${name} (${resources.map(([r, ops]) => `${r}: ${ops.length} ops`).join(', ')})` : name;
				})
				.join('; ');
		},
		{ required: true },
	);

	await steps.run(
		'start the fake Rocket.Chat on 127.0.0.1',
		async () => {
			const { warnings } = await compileFake({ logFile: logFile('fake-tsc') });
			if (warnings) steps.log(`  note: tsc reported type errors in test/fake (JavaScript was emitted):\n${warnings.split('\n').slice(0, 10).join('\n')}`);
			const mod = loadFake();
			const fake = await mod.FakeRocketChat.start({ port: 0 });
			onShutdown(() => fake.stop());
			ctxBase.fake = fake;
			const notes = [];
			if (typeof mod.enableRealtime === 'function') {
				ctxBase.realtime = mod.enableRealtime(fake);
				notes.push('Realtime API on /websocket');
			} else {
				steps.log('  NOTICE: test/fake has no Realtime API (enableRealtime): trigger cases use polling');
			}
			const team = seedDemoTeam(mod, fake, { users: 6, rooms: 12, messagesPerRoom: 30, directMessages: 2 });
			if (team) notes.push(`team: ${team.rooms.length} rooms, ${team.messages} messages`);
			else steps.log('  NOTICE: test/fake has no seedTeam: cases that need the team rooms (team-*) will fail');
			const { bot, admin } = fake.fixtures;
			credentials.pat = credential({ id: 'e2eRcPat', name: 'Rocket.Chat bot (token)', domain: fake.url, userId: bot.userId, token: bot.pat });
			credentials.password = credential({
				id: 'e2eRcPassword',
				name: 'Rocket.Chat bot (password)',
				domain: `${fake.url}/`,
				authentication: 'password',
				username: bot.username,
				password: bot.password,
			});
			credentials.admin = credential({ id: 'e2eRcAdmin', name: 'Rocket.Chat admin (token)', domain: fake.url, userId: admin.userId, token: admin.pat });
			// The credential the shipped examples reference, so they run unchanged.
			credentials.example = credential({ ...EXAMPLE_CREDENTIAL, domain: fake.url, userId: bot.userId, token: bot.pat });
			return [fake.url, ...notes].join(', ');
		},
		{ required: true },
	);

	const cases = await loadCases();
	const { runnable, skipped } = selectCases(cases, description, only);
	for (const { spec, reason } of skipped) {
		steps.skip(`${spec.kind}: ${spec.title}`, `NOTICE: ${reason} — cases/${spec.file} is skipped until the package offers it`);
	}
	const workflowOf = new Map(runnable.map((spec) => [spec, spec.workflow(ctxBase)]));

	const brokerPort = await freePort();
	const env = n8nEnv({ userFolder, encryptionKey: ENCRYPTION_KEY, brokerPort });

	await steps.run(
		'n8n import:credentials and import:workflow (fixed ids)',
		async () => {
			const importDir = join(runDir, 'import');
			mkdirSync(join(importDir, 'workflows'), { recursive: true });
			await importCredentials(Object.values(credentials), { env, dir: importDir, logFile: logFile('import') });
			const workflows = [...workflowOf.values()];
			if (workflows.length) await importWorkflows(workflows, { env, dir: join(importDir, 'workflows'), logFile: logFile('import') });
			return `${Object.keys(credentials).length} credentials, ${workflows.length} workflows`;
		},
		{ required: true },
	);

	for (const spec of runnable.filter((s) => s.kind === 'execute')) {
		await steps.run(`execute: ${spec.title}`, async () => {
			const { fake } = ctxBase;
			const ctx = { ...ctxBase, requests: (endpoint) => fake.requests.filter((r) => r.endpoint === endpoint) };
			const wf = workflowOf.get(spec);
			fake.clearRequests();
			await spec.before?.(ctx);
			const run = await executeWorkflow(wf.id, { env, logFile: logFile(`execute-${wf.id}`) });
			if (run.exitNotice) steps.log(`  NOTICE: ${run.exitNotice} (logs/execute-${wf.id}.log)`);
			assert.ok(!run.data?.resultData?.error, `the run has an error: ${run.data?.resultData?.error?.message}`);
			ctx.run = run;
			ctx.output = (node, options) => nodeOutput(run, node, options);
			const detail = await spec.check(ctx);
			return run.exitNotice ? `${detail ?? ''} [NOTICE: ${run.exitNotice}]` : detail;
		});
	}

	const activeCases = runnable.filter((s) => s.kind === 'active');
	const restartCases = runnable.filter((s) => s.kind === 'restart');
	if (noStart) {
		steps.skip('n8n start leg', 'NOTICE: --no-start given');
	} else {
		let server;
		let startEnv;
		const rest = { current: undefined };
		await steps.run(
			'n8n start (offline) with the package: editor ready',
			async () => {
				for (const spec of [...activeCases, ...restartCases]) {
					await n8nCli(['publish:workflow', `--id=${workflowOf.get(spec).id}`], { env, logFile: logFile('publish') });
				}
				const port = await freePort();
				startEnv = n8nEnv({
					userFolder,
					encryptionKey: ENCRYPTION_KEY,
					brokerPort,
					port,
					extra: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir },
				});
				const started = Date.now();
				server = await startN8n({ env: startEnv, logFile: logFile('n8n-start') });
				onShutdown(() => server.stop());
				rest.current = new N8nRest(server.url);
				const editor = await fetch(`${server.url}/`);
				assert.equal(editor.status, 200, 'editor page status');
				const publishedCount = activeCases.length + restartCases.length;
				const published = publishedCount ? `, ${publishedCount} workflow(s) published` : '';
				return `${server.url} ready in ${formatDuration(Date.now() - started)}${published}`;
			},
			{ required: true },
		);
		const n8n = rest.current;

		await steps.run('owner setup and login through the REST API', async () => {
			await n8n.setupOwner(OWNER);
			const me = await n8n.request('GET', '/rest/login');
			assert.equal(me.status, 200, 'GET /rest/login status');
			assert.equal(me.json?.data?.email, OWNER.email, 'logged-in user');
			return OWNER.email;
		});

		await steps.run('editor lists the package node and credential types (/types/*.json)', async () => {
			const nodesRes = await n8n.request('GET', '/types/nodes.json');
			assert.equal(nodesRes.status, 200, 'GET /types/nodes.json status');
			const nodes = nodesRes.json;
			const names = new Set(nodes.map((n) => n.name));
			const ours = nodes.filter((n) => n.name.startsWith(`${PACKAGE_NAME}.`)).map((n) => n.name);
			for (const node of Object.values(description.nodes)) {
				assert.ok(names.has(node.type), `${node.type} missing from /types/nodes.json (ours: ${ours.join(', ')})`);
			}
			const rocketChat = nodes.find((n) => n.name === `${PACKAGE_NAME}.rocketChat`);
			// n8n adds "Custom API Call" (__CUSTOM_API_CALL__) to nodes with credentials.
			const resources = rocketChat.properties
				.find((p) => p.name === 'resource')
				.options.map((o) => o.value)
				.filter((v) => v !== '__CUSTOM_API_CALL__');
			assert.equal(resources.sort(), Object.keys(description.nodes.rocketChat.resources).sort(), 'resources the editor shows');
			const credentialsRes = await n8n.request('GET', '/types/credentials.json');
			assert.equal(credentialsRes.status, 200, 'GET /types/credentials.json status');
			assert.ok(credentialsRes.json.some((c) => c.name === 'rocketChatApi'), 'rocketChatApi missing from /types/credentials.json');
			return ours.join(', ');
		});

		await steps.run('imported workflows are listed by the REST API', async () => {
			const res = await n8n.request('GET', '/rest/workflows');
			assert.equal(res.status, 200, 'GET /rest/workflows status');
			const listed = res.json?.data ?? [];
			for (const wf of workflowOf.values()) assert.ok(listed.some((w) => w.id === wf.id), `workflow ${wf.id} is not listed`);
			for (const spec of activeCases) {
				const wf = listed.find((w) => w.id === workflowOf.get(spec).id);
				assert.ok(wf.active || wf.activeVersionId, `workflow ${wf.id} is not active after publish:workflow`);
			}
			return `${listed.length} workflows, ${activeCases.length} active`;
		});

		await steps.run('credential test through n8n (POST /rest/credentials/test)', async () => {
			const { fake } = ctxBase;
			for (const cred of [credentials.pat, credentials.password]) {
				fake.clearRequests();
				const res = await n8n.request('POST', '/rest/credentials/test', { credentials: { ...cred } });
				assert.equal(res.status, 200, `credential test ${cred.id} HTTP status`);
				assert.matches(res.json?.data, { status: 'OK' }, `credential test result of ${cred.id}`);
				assert.ok(fake.requests.some((r) => r.endpoint === 'me' && r.status === 200), `no successful /api/v1/me for ${cred.id}`);
			}
			const bad = { ...credentials.pat, data: { ...credentials.pat.data, token: 'not-the-token' } };
			const res = await n8n.request('POST', '/rest/credentials/test', { credentials: bad });
			assert.matches(res.json?.data, { status: 'Error' }, 'credential test with a wrong token');
			return 'token and password credentials OK, a wrong token reported';
		});

		await editorPhase({ steps, serverUrl: server.url, n8n, owner: OWNER, fake: ctxBase.fake, realtime: ctxBase.realtime, credentials, assert, waitFor, only });

		for (const spec of activeCases) {
			await steps.run(`active: ${spec.title}`, async () => {
				const ctx = { ...ctxBase, n8n, n8nUrl: server.url, workflow: workflowOf.get(spec) };
				ctxBase.fake.clearRequests();
				await spec.before?.(ctx);
				const acted = await spec.act(ctx);
				const detail = await spec.check(ctx);
				return [acted, detail].filter(Boolean).join('; ');
			});
		}

		const restartLeg = new RestartLeg({
			steps,
			cases: restartCases,
			ctxBase,
			workflowOf,
			db: new N8nDatabase(databaseFile(userFolder), { logFile: logFile('sqlite') }),
		});
		await restartLeg.whileRunning(n8n);

		await steps.run('n8n stops on SIGTERM', async () => {
			const started = Date.now();
			await server.stop();
			const exit = await server.child.done;
			assert.ok(exit.code !== null || exit.signal, 'n8n did not exit');
			assert.ok(exit.code === 0 || exit.signal, `n8n exited with code ${exit.code} (see logs/n8n-start.log)`);
			if (exit.signal && exit.signal !== 'SIGTERM') {
				steps.log(`  NOTICE: n8n exited by ${exit.signal} while shutting down (native crash in n8n's runtime; logs/n8n-start.log)`);
				return `stopped in ${formatDuration(Date.now() - started)}, exit by ${exit.signal}`;
			}
			return `stopped in ${formatDuration(Date.now() - started)}`;
		});

		// JSON log lines: the restart cases read the fields n8n logs with a message (e.g. a deduplication key).
		await restartLeg.afterStop({
			owner: OWNER,
			start: () => startN8n({ env: { ...startEnv, N8N_LOG_FORMAT: 'json' }, logFile: logFile('n8n-restart') }).then((started) => {
				onShutdown(() => started.stop());
				return started;
			}),
		});
	}

	if (noQueue) {
		steps.skip('queue-mode leg', 'NOTICE: --no-queue given');
	} else if (!only || only.some((pattern) => 'queue'.includes(pattern))) {
		const examples = selectCases(cases, description).runnable.filter((spec) => spec.file.startsWith('example-'));
		await runQueuePhase({ steps, fakeModule: loadFake(), tarball, runDir, logFile, encryptionKey: ENCRYPTION_KEY, owner: OWNER, exampleCases: examples });
	}
} catch (error) {
	if (error instanceof Abort) {
		steps.log(`stopping: the required step "${error.message}" failed`);
	} else {
		steps.results.push({ status: 'FAIL', title: 'e2e runner', ms: 0, detail: error.message });
		console.error(error);
	}
} finally {
	await shutdown();
}

const exitCode = steps.summary('e2e summary');
if (exitCode === 0 && !keep) {
	rmSync(runDir, { recursive: true, force: true });
} else {
	console.log(`logs and the n8n user folder: ${runDir}`);
}
process.exit(exitCode);
