// n8n in queue mode (EXECUTIONS_MODE=queue): the system's redis-server on a free port, and
// `n8n worker` processes next to the main. Main and workers share one user folder (the SQLite
// database, the community package in .n8n/nodes) and one encryption key, as on one host.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { freePort } from './n8n.mjs';
import { N8N_BIN, NODE24_BIN, RUNTIME_DIR } from './paths.mjs';
import { startProcess, stopProcess } from './proc.mjs';

/** The path of `redis-server` on PATH, or undefined. */
export function findRedisServer() {
	try {
		return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		return undefined;
	}
}

/** Resolves when `onLine` has seen a line matching `pattern`, or rejects on exit or timeout. */
function waitForLine(child, lines, pattern, { timeoutMs, what }) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${what}: not ready after ${timeoutMs / 1000} s\n${tail(child)}`)), timeoutMs);
		lines.push((line) => {
			if (pattern.test(line)) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.done.then((exit) => {
			clearTimeout(timer);
			reject(new Error(`${what} exited (${JSON.stringify(exit)}) before it was ready\n${tail(child)}`));
		});
	});
}

function tail(child) {
	return child
		.output()
		.trim()
		.split('\n')
		.slice(-25)
		.join('\n');
}

/**
 * A throwaway Redis: 127.0.0.1 on a free port, no RDB snapshots, no AOF, its own working folder.
 * Returns {port, child, stop()}.
 */
export async function startRedis({ dir, logFile, redisServer = 'redis-server' }) {
	const port = await freePort();
	const listeners = [];
	const child = startProcess(
		redisServer,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
		{ logFile, onLine: (line) => listeners.forEach((fn) => fn(line)) },
	);
	await waitForLine(child, listeners, /Ready to accept connections/, { timeoutMs: 20_000, what: 'redis-server' });
	return { port, child, stop: () => stopProcess(child, { graceMs: 5000 }) };
}

/** Environment additions of queue mode, for the main and the workers alike. */
export function queueEnv({ redisPort, extra = {} }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		...extra,
	};
}

/**
 * `n8n worker`, resolved when it is ready to take jobs. The worker's log lines "Worker started
 * execution N" / "Worker finished execution N" are collected: `started` and `finished` map an
 * execution id to the time the line was seen.
 */
export async function startWorker({ name, env, logFile, concurrency = 10, readyTimeoutMs = 120_000 }) {
	const listeners = [];
	const started = new Map();
	const finished = new Map();
	listeners.push((line) => {
		const start = /Worker started execution (\d+)/.exec(line);
		if (start) started.set(start[1], Date.now());
		const end = /Worker finished execution (\d+)/.exec(line);
		if (end) finished.set(end[1], Date.now());
	});
	const child = startProcess(NODE24_BIN, [N8N_BIN, 'worker', `--concurrency=${concurrency}`], {
		env,
		logFile,
		onLine: (line) => listeners.forEach((fn) => fn(line)),
	});
	try {
		await waitForLine(child, listeners, /n8n worker is now ready/, { timeoutMs: readyTimeoutMs, what: `n8n worker ${name}` });
	} catch (error) {
		await stopProcess(child);
		throw error;
	}
	return {
		name,
		child,
		started,
		finished,
		stop: () => stopProcess(child, { graceMs: 15_000 }),
		/** SIGKILL to the worker and its task runners, as when its machine dies. */
		kill: async () => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				child.kill('SIGKILL');
			}
			return child.done;
		},
	};
}

/** Which of `workers` logged "Worker started execution <id>" (names, usually one). */
export function workersOf(workers, executionId) {
	return workers.filter((w) => w.started.has(String(executionId))).map((w) => w.name);
}

let flatted;
/** n8n stores and serves execution data in `flatted` form; the runtime's copy parses it. */
export function parseExecutionData(data) {
	if (typeof data !== 'string') return data;
	flatted ??= createRequire(join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'))('flatted');
	return flatted.parse(data);
}

/** Every execution of a workflow through `GET /rest/executions`, page by page (newest first). */
export async function allExecutions(n8n, workflowId, { pageSize = 100 } = {}) {
	const results = [];
	let lastId;
	for (;;) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const res = await n8n.request('GET', `/rest/executions?filter=${filter}&limit=${pageSize}${lastId ? `&lastId=${lastId}` : ''}`);
		if (res.status !== 200) throw new Error(`GET /rest/executions: ${res.status} ${res.text.slice(0, 200)}`);
		const page = res.json?.data?.results ?? [];
		results.push(...page);
		if (page.length < pageSize) return results;
		lastId = page[page.length - 1].id;
	}
}
