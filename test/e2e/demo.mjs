#!/usr/bin/env node
// A local n8n with this package, a Rocket.Chat to talk to and the example workflows: `npm run demo`.
//
// Provisions (or reuses) n8n 2.41.1 from test/e2e/runtime, builds and installs the package as a
// community package in a fresh user folder (<tmp>/n8n-nodes-rocketchat-e2e/demo), starts the fake Rocket.Chat seeded
// like a real team, imports the examples and a "Rocket.Chat account" credential, starts n8n on
// 127.0.0.1 (telemetry and outbound calls off) and creates the owner account. Ctrl-C stops it all.
//
//   npm run demo                                   # fake Rocket.Chat, editor on http://127.0.0.1:5678
//   npm run demo -- --port 5700                    # another editor port (not 5679)
//   npm run demo -- --rocketchat-url https://chat.example.com --user-id <id> --token <token>
//   ROCKETCHAT_URL=... ROCKETCHAT_USER_ID=... ROCKETCHAT_TOKEN=... npm run demo
//   npm run demo -- --check                        # start, verify, print, stop (no waiting)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { compileFake, loadFake, seedDemoTeam } from './lib/fake.mjs';
import { EXAMPLE_CREDENTIAL } from './lib/examples.mjs';
import { freePort, importCredentials, importWorkflows, n8nCli, n8nEnv, N8nRest, portIsFree, startN8n, waitFor } from './lib/n8n.mjs';
import { buildPackage, installCommunityPackage, packPackage } from './lib/package.mjs';
import { EXAMPLES_DIR, PACKAGE_NAME, TMP_DIR } from './lib/paths.mjs';
import { installSignalHandlers, onShutdown, shutdown } from './lib/proc.mjs';
import { n8nVersion, provisionRuntime } from './lib/runtime.mjs';
import { formatDuration } from './lib/steps.mjs';
import { credential } from './lib/workflows.mjs';

const USAGE = `Usage: npm run demo -- [options]
  --port <n>              editor port on 127.0.0.1 (default 5678; 5679 is n8n's task broker)
  --fake-port <n>         port of the fake Rocket.Chat (default 3100, or a free one if taken)
  --rocketchat-url <url>  use a real Rocket.Chat instead of the fake (env ROCKETCHAT_URL)
  --user-id <id>          its user id for a personal access token (env ROCKETCHAT_USER_ID)
  --token <token>         the personal access token (env ROCKETCHAT_TOKEN)
  --check                 start everything, verify, print the login, then stop
  --help                  this text`;

function parseArgs(argv) {
	const options = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [key, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = () => inline ?? argv[++i];
		switch (key) {
			case '--port': options.port = Number(value()); break;
			case '--fake-port': options.fakePort = Number(value()); break;
			case '--rocketchat-url': options.url = value(); break;
			case '--user-id': options.userId = value(); break;
			case '--token': options.token = value(); break;
			case '--check': options.check = true; break;
			case '--help': case '-h': options.help = true; break;
			default: throw new Error(`unknown option ${arg}\n${USAGE}`);
		}
	}
	return options;
}

const options = parseArgs(process.argv.slice(2));
if (options.help) {
	console.log(USAGE);
	process.exit(0);
}
const port = options.port ?? 5678;
const real = {
	url: options.url ?? process.env.ROCKETCHAT_URL,
	userId: options.userId ?? process.env.ROCKETCHAT_USER_ID,
	token: options.token ?? process.env.ROCKETCHAT_TOKEN,
};
const useReal = Boolean(real.url);
if (useReal && (!real.userId || !real.token)) {
	console.error('demo: a real Rocket.Chat needs --user-id and --token (or ROCKETCHAT_USER_ID / ROCKETCHAT_TOKEN) of a personal access token');
	process.exit(2);
}
if (!Number.isInteger(port) || port < 1 || port > 65535 || port === 5679) {
	console.error(`demo: --port ${port} is not usable (5679 is n8n's task broker)`);
	process.exit(2);
}

// Examples that wait for an event, published so that the hints printed below work at once (fake Rocket.Chat only:
// on a real server their rooms may not exist). The scheduled examples stay unpublished: open one and click
// "Execute workflow".
const PUBLISHED = { triage: 'exSupportTriage', alert: 'exAlertToRoom' };

const OWNER = { email: 'demo@example.com', password: 'Demo-Passw0rd!', firstName: 'Demo', lastName: 'Owner' };
const ENCRYPTION_KEY = 'n8n-nodes-rocketchat-demo-0123456789';
const demoDir = join(TMP_DIR, 'demo');
const userFolder = join(demoDir, 'user');
const logDir = join(demoDir, 'logs');
const log = (message) => console.log(`[demo] ${message}`);
const started = Date.now();
const timed = async (label, fn) => {
	const t = Date.now();
	const result = await fn();
	log(`${label} (${formatDuration(Date.now() - t)})`);
	return result;
};

installSignalHandlers(() => log('stopping n8n and the fake Rocket.Chat...'));

async function main() {
	if (!(await portIsFree(port))) throw new Error(`port ${port} on 127.0.0.1 is in use: pass --port <another>`);
	rmSync(demoDir, { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });
	mkdirSync(logDir, { recursive: true });
	const logFile = (name) => join(logDir, `${name}.log`);

	const runtime = await timed('n8n runtime ready', () => provisionRuntime({ log: (m) => log(m), logFile: logFile('provision') }));
	log(`n8n ${await n8nVersion()} (${runtime.reused ? 'cached' : 'installed now'})`);

	await timed('package built', () => buildPackage({ logFile: logFile('build') }));
	const { tarball } = await packPackage(demoDir, { logFile: logFile('pack') });
	await timed(`installed ${PACKAGE_NAME} as a community package`, () => installCommunityPackage(userFolder, tarball, { logFile: logFile('install') }));

	let rocketChat;
	let realtime;
	let seeded = '';
	let fake;
	if (useReal) {
		rocketChat = credential({ ...EXAMPLE_CREDENTIAL, domain: real.url, userId: real.userId, token: real.token });
	} else {
		fake = await timed('fake Rocket.Chat started', async () => {
			await compileFake({ logFile: logFile('fake-tsc') });
			const mod = loadFake();
			const wanted = options.fakePort ?? 3100;
			const fakePort = (await portIsFree(wanted)) ? wanted : 0;
			const server = await mod.FakeRocketChat.start({ port: fakePort });
			onShutdown(() => server.stop());
			if (typeof mod.enableRealtime === 'function') realtime = mod.enableRealtime(server);
			else log('NOTICE: test/fake has no Realtime API: use "Receive Via: Polling" in Rocket.Chat Trigger nodes');
			const team = seedDemoTeam(mod, server);
			seeded = team
				? `${team.users.length} users, ${team.rooms.length} rooms and direct messages, ${team.messages} messages over 60 days with threads and reactions, ${team.files} files`
				: 'default fixtures only (test/fake has no seedTeam)';
			return server;
		});
		rocketChat = credential({ ...EXAMPLE_CREDENTIAL, domain: fake.url, userId: fake.fixtures.bot.userId, token: fake.fixtures.bot.pat });
	}

	const brokerPort = await freePort();
	const env = n8nEnv({ userFolder, encryptionKey: ENCRYPTION_KEY, brokerPort, port });
	const importDir = join(demoDir, 'import');
	mkdirSync(join(importDir, 'workflows'), { recursive: true });
	const examples = existsSync(EXAMPLES_DIR)
		? readdirSync(EXAMPLES_DIR)
				.filter((f) => f.endsWith('.json'))
				.sort()
				.map((f) => JSON.parse(readFileSync(join(EXAMPLES_DIR, f), 'utf8')))
		: [];
	await timed(`imported the credential "${EXAMPLE_CREDENTIAL.name}" and ${examples.length} example workflows`, async () => {
		await importCredentials([rocketChat], { env, dir: importDir, logFile: logFile('import') });
		if (examples.length) await importWorkflows(examples, { env, dir: join(importDir, 'workflows'), logFile: logFile('import') });
	});

	const published = [];
	if (!useReal) {
		await timed('published the support-triage and alert examples', async () => {
			for (const id of Object.values(PUBLISHED)) {
				if (!examples.some((w) => w.id === id)) continue;
				await n8nCli(['publish:workflow', `--id=${id}`], { env, logFile: logFile('publish') });
				published.push(id);
			}
		});
	}

	const server = await timed('n8n started', () => startN8n({ env, logFile: logFile('n8n') }));
	onShutdown(() => server.stop());
	const rest = new N8nRest(server.url);
	await rest.setupOwner(OWNER);

	// What a person would see: the editor, our node in the node list, the examples.
	const editor = await fetch(`${server.url}/`);
	const nodes = (await rest.request('GET', '/types/nodes.json')).json ?? [];
	const ours = nodes.filter((n) => n.name.startsWith(`${PACKAGE_NAME}.`)).map((n) => n.name);
	const workflows = await rest.request('GET', '/rest/workflows');
	const imported = (workflows.json?.data ?? []).map((w) => w.name);
	const credentialTest = await rest.request('POST', '/rest/credentials/test', { credentials: rocketChat });
	const credentialStatus = credentialTest.json?.data?.status === 'OK' ? 'OK' : `failed: ${credentialTest.json?.data?.message ?? credentialTest.status}`;
	const problems = [];
	if (editor.status !== 200) problems.push(`editor answered ${editor.status}`);
	if (!ours.includes(`${PACKAGE_NAME}.rocketChat`)) problems.push(`${PACKAGE_NAME}.rocketChat is not in /types/nodes.json`);
	if (imported.length < examples.length) problems.push(`only ${imported.length} of ${examples.length} examples are listed`);
	if (!useReal && credentialStatus !== 'OK') problems.push(`the credential test against the fake Rocket.Chat ${credentialStatus}`);

	const tryIt = {};
	const line = '─'.repeat(72);
	console.log(`\n${line}`);
	console.log(`  n8n with ${PACKAGE_NAME} is running (ready after ${formatDuration(Date.now() - started)})`);
	console.log(`  Editor:    ${server.url}/`);
	console.log(`  Login:     ${OWNER.email}  /  ${OWNER.password}`);
	if (useReal) {
		console.log(`  Rocket.Chat: ${real.url} (credential "${EXAMPLE_CREDENTIAL.name}", user ${real.userId})`);
	} else {
		const { bot, alice } = fake.fixtures;
		console.log(`  Rocket.Chat (fake): ${fake.url}  — ${seeded}`);
		console.log(`    credential "${EXAMPLE_CREDENTIAL.name}": user ${bot.username} (id ${bot.userId}), token ${bot.pat}`);
		console.log(`    other users: ${alice.username} / ${alice.password}, admin / ${fake.fixtures.admin.password}`);
		const support = fake.state.getRoom('team-support');
		const member = support && fake.state.membersOf(support._id).find((u) => u.username !== 'bot');
		if (member && published.includes(PUBLISHED.triage)) {
			const token = fake.state.createPersonalAccessToken(member, 'demo');
			tryIt.triage = { room: support, member, token };
			console.log(`  Try it: post as ${member.username} into #team-support; "Rocket.Chat: support triage in threads" (published)`);
			console.log(`    answers in the message's thread within seconds (see it in Executions, or in the fake's #team-support):`);
			console.log(
				`    curl -s -X POST ${fake.url}/api/v1/chat.postMessage -H 'content-type: application/json' -H 'X-User-Id: ${member._id}' -H 'X-Auth-Token: ${token}' -d '{"roomId":"${support._id}","text":"The export API is down, urgent!"}'`,
			);
		}
		if (published.includes(PUBLISHED.alert)) {
			tryIt.alert = true;
			console.log(`  Alert webhook ("Rocket.Chat: monitoring alert to a room", published) posts into #team-ops:`);
			console.log(
				`    curl -s -X POST ${server.url}/webhook/rocketchat-alert -H 'content-type: application/json' -d '${ALERT_BODY}'`,
			);
		}
		console.log('  Scheduled examples (digest, cleanup, unread overview) are not published: open one, click "Execute workflow".');
	}
	console.log(`  Credential test (GET /api/v1/me through n8n): ${credentialStatus}`);
	console.log(`  Node types: ${ours.join(', ')}`);
	console.log(`  Workflows:  ${imported.join('; ')}`);
	console.log(`  Logs:       ${logDir}`);
	console.log(`${line}`);
	if (problems.length) throw new Error(`the demo is not usable: ${problems.join('; ')}`);
	if (options.check) {
		if (!useReal) await checkHints(fake, server, tryIt, realtime);
		log('--check: everything answered; stopping');
		return;
	}
	console.log('  Press Ctrl-C to stop.\n');
	await server.child.done;
	throw new Error('n8n exited on its own (see the log)');
}

const ALERT_BODY = '{"title":"API error rate above 5%","severity":"critical","details":"5xx on /export","link":"https://grafana.example.com"}';

/** --check: does what the printed hints say, and checks that it happens. */
async function checkHints(fake, server, tryIt, realtime) {
	if (tryIt.triage) {
		const { room, member, token } = tryIt.triage;
		const text = 'The export API is down, urgent! (demo --check)';
		// The published trigger subscribes to the room's messages soon after n8n starts.
		if (realtime) {
			await waitFor(() => realtime.framesReceived('sub', 'stream-room-messages').length > 0, {
				timeoutMs: 60_000,
				what: 'the support-triage trigger to subscribe on the Realtime API',
			});
		}
		const response = await fetch(`${fake.url}/api/v1/chat.postMessage`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'X-User-Id': member._id, 'X-Auth-Token': token },
			body: JSON.stringify({ roomId: room._id, text }),
		});
		const posted = await response.json();
		if (!posted.success) throw new Error(`the support-triage hint: chat.postMessage failed: ${JSON.stringify(posted)}`);
		const reply = await waitFor(
			() => fake.state.messagesOf(room._id).find((m) => m.tmid === posted.message._id && m.u.username === 'bot'),
			{ timeoutMs: 60_000, intervalMs: 1000, what: 'the support-triage reply in the thread' },
		);
		log(`--check: the support-triage hint works: "${reply.msg}"`);
	}
	if (!tryIt.alert) return;
	const response = await fetch(`${server.url}/webhook/rocketchat-alert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ALERT_BODY });
	if (response.status !== 200) throw new Error(`the alert hint: POST /webhook/rocketchat-alert answered ${response.status}`);
	const ops = fake.state.getRoom('team-ops');
	await waitFor(() => ops && fake.state.messagesOf(ops._id).some((m) => JSON.stringify(m).includes('API error rate above 5%')), {
		timeoutMs: 30_000,
		what: 'the alert in #team-ops',
	});
	log('--check: the alert webhook hint works');
}

try {
	await main();
	await shutdown();
	process.exit(0);
} catch (error) {
	console.error(`[demo] ${error.message}`);
	await shutdown();
	process.exit(1);
}
