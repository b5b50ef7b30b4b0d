// n8n in queue mode (EXECUTIONS_MODE=queue): the system's redis-server and PostgreSQL, each a
// throwaway instance on a free port, and `n8n worker` processes next to the main. Main and workers
// share one database, one user folder (the community package in .n8n/nodes) and one encryption key.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { freePort } from './n8n.mjs';
import { N8N_BIN, NODE24_BIN, RUNTIME_DIR } from './paths.mjs';
import { run, startProcess, stopProcess } from './proc.mjs';

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

/** The bin folder of the newest PostgreSQL of the Debian package (`/usr/lib/postgresql/<major>/bin`), or undefined. */
export function findPostgres(base = '/usr/lib/postgresql') {
	if (!existsSync(base)) return undefined;
	const [newest] = readdirSync(base)
		.filter((version) => existsSync(join(base, version, 'bin', 'initdb')) && existsSync(join(base, version, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return newest ? join(base, newest, 'bin') : undefined;
}

/**
 * A throwaway PostgreSQL cluster: `initdb` into `dir`, trust authentication for the superuser
 * `n8n`, 127.0.0.1 on a free port, durability off (fsync, synchronous_commit). PostgreSQL refuses to
 * run as root: as root, the cluster runs as the Debian package's `postgres` user. Returns the
 * n8n DB_* variables, the child and stop().
 */
export async function startPostgres({ dir, binDir, logFile }) {
	const dataDir = join(dir, 'data');
	const socketDir = join(dir, 'socket');
	mkdirSync(socketDir, { recursive: true });
	let owner = {};
	if (process.getuid?.() === 0) {
		const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
		owner = { uid: id('-u'), gid: id('-g') };
		for (const d of [dir, socketDir]) chownSync(d, owner.uid, owner.gid);
	}
	await run(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...owner, logFile, timeoutMs: 120_000 });
	const port = await freePort();
	const listeners = [];
	const settings = ['listen_addresses=127.0.0.1', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=100'];
	const child = startProcess(join(binDir, 'postgres'), ['-D', dataDir, '-p', String(port), '-k', socketDir, ...settings.flatMap((s) => ['-c', s])], {
		...owner,
		logFile,
		onLine: (line) => listeners.forEach((fn) => fn(line)),
	});
	await waitForLine(child, listeners, /database system is ready to accept connections/, { timeoutMs: 60_000, what: 'postgres' });
	return {
		port,
		child,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: 'postgres',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
		},
		stop: () => stopProcess(child, { graceMs: 10_000 }),
	};
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

/**
 * Every execution of a workflow through `GET /rest/executions`. Its pages are ordered by start time
 * but its cursor pages by id (`id < last id`), which skips executions when workers start them out of
 * id order; so the pages here go by start time (`startedBefore`, inclusive) and overlap, and the
 * results are deduplicated by id. The first page also holds the current (new, running) executions.
 */
export async function allExecutions(n8n, workflowId, { pageSize = 100 } = {}) {
	const byId = new Map();
	let startedBefore;
	for (;;) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId, ...(startedBefore ? { startedBefore } : {}) }));
		const res = await n8n.request('GET', `/rest/executions?filter=${filter}&limit=${pageSize}`);
		if (res.status !== 200) throw new Error(`GET /rest/executions: ${res.status} ${res.text.slice(0, 200)}`);
		const page = res.json?.data?.results ?? [];
		const sizeBefore = byId.size;
		for (const execution of page) byId.set(String(execution.id), execution);
		const completed = page.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		const started = completed.map((e) => e.startedAt).filter(Boolean).sort();
		if (completed.length < pageSize || byId.size === sizeBefore || !started.length) return [...byId.values()];
		startedBefore = started[0];
	}
}

/** Publishes a workflow through the REST API, as the editor's Publish button does. */
export async function publishWorkflow(n8n, workflowId) {
	const stored = await n8n.request('GET', `/rest/workflows/${workflowId}`);
	if (stored.status !== 200) throw new Error(`GET /rest/workflows/${workflowId}: ${stored.status} ${stored.text.slice(0, 200)}`);
	const res = await n8n.request('POST', `/rest/workflows/${workflowId}/activate`, { versionId: stored.json.data.versionId });
	if (res.status !== 200) throw new Error(`POST /rest/workflows/${workflowId}/activate: ${res.status} ${res.text.slice(0, 300)}`);
}
