// Running the provisioned n8n: CLI commands, `n8n start`, and the REST calls the tests need.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { N8N_BIN, NODE24_BIN, NODE24_DIR } from './paths.mjs';
import { run, startProcess, stopProcess } from './proc.mjs';

/** A port that is free right now on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Whether `port` can be bound on 127.0.0.1. */
export function portIsFree(port) {
	return new Promise((resolve) => {
		const server = createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * Environment of every n8n command: an isolated user folder, a fixed encryption key, no telemetry,
 * no outbound calls, loopback only. The task broker gets its own port so that several instances
 * (a test run and the demo) can run side by side.
 */
export function n8nEnv({ userFolder, encryptionKey, port, brokerPort, extra = {} }) {
	const env = { ...process.env };
	// Variables of the surrounding shell must not reconfigure the instance under test.
	for (const key of Object.keys(env)) {
		if (key.startsWith('N8N_') || key.startsWith('DB_') || key === 'NODE_OPTIONS' || key.startsWith('npm_')) delete env[key];
	}
	return {
		...env,
		PATH: `${join(NODE24_DIR, 'bin')}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info',
		// isolated-vm (n8n's expression sandbox) requires this flag on Node 20 and later.
		NODE_OPTIONS: '--no-node-snapshot',
		...(port ? { N8N_PORT: String(port), N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/` } : {}),
		...(brokerPort ? { N8N_RUNNERS_BROKER_PORT: String(brokerPort) } : {}),
		...extra,
	};
}

/** Runs `n8n <args>` on Node 24. */
export function n8nCli(args, { env, logFile, timeoutMs = 3 * 60_000, allowFailure = false }) {
	return run(NODE24_BIN, [N8N_BIN, ...args], { env, logFile, timeoutMs, allowFailure });
}

export async function importCredentials(credentials, { env, dir, logFile }) {
	const file = join(dir, 'credentials.json');
	writeFileSync(file, JSON.stringify(credentials, null, 2));
	await n8nCli(['import:credentials', `--input=${file}`], { env, logFile });
}

/** Imports workflows (fixed ids) from one folder in one process. */
export async function importWorkflows(workflows, { env, dir, logFile }) {
	for (const workflow of workflows) writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
	await n8nCli(['import:workflow', '--separate', `--input=${dir}`], { env, logFile });
}

/**
 * `n8n execute --id`: returns the run data printed after "Execution was successful:" (IRun JSON),
 * or throws with the printed error.
 */
export async function executeWorkflow(id, { env, logFile, timeoutMs = 3 * 60_000 }) {
	const result = await n8nCli(['execute', `--id=${id}`], { env, logFile, timeoutMs, allowFailure: true });
	const text = result.stdout;
	const marker = 'Execution was successful:';
	const at = text.indexOf(marker);
	// A process that printed the whole successful run and then died of a signal while exiting (a native
	// crash seen rarely in n8n 2.41 on Node 24) still ran the workflow: the caller gets a notice.
	const crashedAfterSuccess = at >= 0 && result.code === null && result.signal && result.signal !== 'SIGTERM' && result.signal !== 'SIGKILL';
	if ((result.code !== 0 && !crashedAfterSuccess) || at < 0) {
		// n8n prints "Execution error:" and the run data: report the node's error message first.
		let reason = '';
		const errorAt = text.indexOf('Execution error:');
		if (errorAt >= 0) {
			try {
				const failed = parseFirstJson(text.slice(text.indexOf('{', errorAt)));
				const error = failed?.data?.resultData?.error;
				if (error) reason = `${error.node?.name ? `node "${error.node.name}": ` : ''}${error.message}${error.description ? ` — ${error.description}` : ''}`;
			} catch {
				// fall back to the output tail
			}
		}
		const tail = `${text}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
		throw new Error(`n8n execute --id=${id} failed (exit ${result.code})${reason ? `: ${reason}` : ''}\n${tail}`);
	}
	const json = text.slice(text.indexOf('{', at));
	const run = parseFirstJson(json);
	if (crashedAfterSuccess) run.exitNotice = `n8n printed the successful run, then exited by ${result.signal}`;
	return run;
}

/** Parses the first complete JSON value of `text` (ignores log lines printed after it). */
export function parseFirstJson(text) {
	let depth = 0;
	let inString = false;
	let escaped = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (escaped) escaped = false;
			else if (c === '\\') escaped = true;
			else if (c === '"') inString = false;
			continue;
		}
		if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) return JSON.parse(text.slice(0, i + 1));
		}
	}
	throw new Error(`no complete JSON in the output: ${text.slice(0, 300)}`);
}

/** Output items of a node in a run: `run.data.resultData.runData[node][runIndex].data.main[output]`. */
export function nodeOutput(runData, nodeName, { runIndex = 0, output = 0 } = {}) {
	const runs = runData?.data?.resultData?.runData?.[nodeName];
	if (!runs) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(runData?.data?.resultData?.runData ?? {}).join(', ')})`);
	const taskData = runs[runIndex];
	if (taskData?.error) throw new Error(`node "${nodeName}" failed: ${taskData.error.message}`);
	return (taskData?.data?.main?.[output] ?? []).map((item) => item.json);
}

/**
 * `n8n start`, resolved when the log says the editor is accessible. Returns {child, url, stop()}.
 */
export async function startN8n({ env, logFile, readyTimeoutMs = 120_000, onLine }) {
	const url = `http://127.0.0.1:${env.N8N_PORT}`;
	let ready;
	const readyPromise = new Promise((resolve) => {
		ready = resolve;
	});
	const child = startProcess(NODE24_BIN, [N8N_BIN, 'start'], {
		env,
		logFile,
		onLine: (line) => {
			onLine?.(line);
			if (line.includes('Editor is now accessible')) ready('ready');
		},
	});
	const outcome = await Promise.race([
		readyPromise,
		child.done.then((r) => ({ exited: r })),
		new Promise((resolve) => setTimeout(() => resolve('timeout'), readyTimeoutMs)),
	]);
	if (outcome !== 'ready') {
		await stopProcess(child);
		const tail = child.output().trim().split('\n').slice(-30).join('\n');
		const why = outcome === 'timeout' ? `not ready after ${readyTimeoutMs / 1000} s` : `exited (${JSON.stringify(outcome.exited)})`;
		throw new Error(`n8n start ${why}:\n${tail}`);
	}
	return { child, url, stop: () => stopProcess(child, { graceMs: 15_000 }) };
}

/** A minimal REST client for the running instance (keeps the auth cookie). */
export class N8nRest {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = '';
	}

	async request(method, path, body) {
		const send = () =>
			fetch(`${this.baseUrl}${path}`, {
				method,
				headers: {
					...(body ? { 'content-type': 'application/json' } : {}),
					...(this.cookie ? { cookie: this.cookie } : {}),
					'browser-id': 'n8n-nodes-rocketchat-e2e',
				},
				body: body ? JSON.stringify(body) : undefined,
			});
		let response;
		for (let attempt = 1; ; attempt++) {
			try {
				response = await send();
				break;
			} catch (error) {
				// A kept-alive socket that the server closed meanwhile: try again on a new one.
				const cause = error?.cause?.code ?? error?.cause?.message ?? '';
				if (attempt >= 3) throw new Error(`${method} ${path}: ${error.message}${cause ? ` (${cause})` : ''}`);
				await new Promise((r) => setTimeout(r, 500 * attempt));
			}
		}
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
		const text = await response.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		return { status: response.status, json, text };
	}

	/** Creates the owner on a fresh instance (or logs in if it exists), then keeps the session. */
	async setupOwner({ email, password, firstName = 'Demo', lastName = 'Owner' }) {
		const setup = await this.request('POST', '/rest/owner/setup', { email, password, firstName, lastName });
		if (setup.status !== 200) {
			const login = await this.request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
			if (login.status !== 200) throw new Error(`owner setup failed (${setup.status} ${setup.text.slice(0, 200)}), login ${login.status}`);
		}
		if (!this.cookie) {
			const login = await this.request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
			if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text.slice(0, 200)}`);
		}
	}

	async executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const res = await this.request('GET', `/rest/executions?filter=${filter}&limit=50`);
		if (res.status !== 200) throw new Error(`GET /rest/executions: ${res.status} ${res.text.slice(0, 200)}`);
		const data = res.json?.data ?? res.json;
		return data?.results ?? data ?? [];
	}

	async execution(id) {
		const res = await this.request('GET', `/rest/executions/${id}`);
		if (res.status !== 200) throw new Error(`GET /rest/executions/${id}: ${res.status} ${res.text.slice(0, 200)}`);
		return res.json?.data ?? res.json;
	}
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes; returns that value or throws. */
export async function waitFor(fn, { timeoutMs = 30_000, intervalMs = 500, what = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	for (;;) {
		try {
			const value = await fn();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}
