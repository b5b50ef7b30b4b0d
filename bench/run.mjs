#!/usr/bin/env node
/**
 * `npm run bench`: benchmarks of the Rocket.Chat node against the fake Rocket.Chat through n8n-core's
 * engine (test/harness: real WorkflowExecute, real HTTP helper, quickjs expression engine).
 *
 *   node bench/run.mjs                 all benchmarks, 5 runs each; prints the table, writes bench/results.json
 *   node bench/run.mjs --only send,clean --runs 3   a subset (results.json is left alone)
 *   node bench/run.mjs --build         rebuild the package (npm run build) first
 *   node bench/run.mjs --only files --n8n-runtime   files on real n8n's Node.js 24 and `vm` engine (after npm run test:e2e)
 *
 * Steps: build the package if dist/ is older than the sources; compile the TypeScript support code
 * (bench/src, test/fake, test/harness) into bench/.build; run each benchmark in its own Node.js process
 * (`--expose-gc` for heap figures, `--experimental-websocket` for the trigger's WebSocket on Node 20),
 * with the fake Rocket.Chat in a worker thread of that process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const BUILD_DIR = join(BENCH_DIR, '.build');
const TMP_DIR = join(BENCH_DIR, '.tmp');
const RESULTS = join(BENCH_DIR, 'results.json');
const MAIN = join(BUILD_DIR, 'bench', 'src', 'main.js');

/** Each benchmark: its process, what the JSON keeps, the target and how the table shows it. */
const BENCHES = [
	{
		key: 'send',
		title: 'send — 2,000 messages, one item each',
		target: 'ratio ≤ 1.3',
		met: (r) => r.ratio <= 1.3,
		figure: (r) => `ratio ${r.ratio} (node ${fmtMs(r.nodeMs)} / raw keep-alive ${fmtMs(r.rawMs)}; vs raw new connections ${r.ratioVsNewConnections})`,
		json: (r) => ({ ratio: r.ratio, ...r }),
	},
	{
		key: 'paging',
		title: 'paging — Get Many, Return All, 10,000 messages',
		target: 'requests = ceil(messages/100); peak heap growth / payload ≤ 3',
		met: (r) => r.requests <= r.targetRequests && r.heapRatio <= 3,
		// The live peak with a small young generation (V8 then also collects inside synchronous code); the peak
		// with garbage under V8's defaults.
		processes: [
			{ name: 'pagingLive', flags: ['--max-semi-space-size=4'] },
			{ name: 'pagingWithGarbage', flags: [] },
		],
		figure: (r) =>
			`${r.messages} messages, ${r.requests} history requests (target ${r.targetRequests}, ${r.totalRequests} in all), heapRatio ${r.heapRatio} (with garbage ${r.heapRatioWithGarbage}, retained ${r.retainedRatio}; payload ${(r.payloadBytes / 1e6).toFixed(2)} MB)`,
		json: (r) => ({
			messages: r.messages,
			requests: r.requests,
			heapRatio: r.heapRatio,
			...r,
			heapMeasure:
				'heapRatio: peak growth of the live heap (a full collection every 100 ms and every V8 collection, young generation 4 MB) / bytes of the history responses; heapRatioWithGarbage: peak used heap growth with V8 defaults, garbage not yet collected included',
		}),
	},
	{
		key: 'rateLimit',
		title: 'rateLimit — 100 sends, 10 calls per 2 s window',
		target: '0 failed, ratio ≤ 1.1',
		met: (r) => r.failed === 0 && r.ratio <= 1.1,
		figure: (r) => `${r.failed} failed, ratio ${r.ratio} (${fmtMs(r.wallMs)} / minimum ${fmtMs(r.theoreticalMs)}; ${r.refused} answers 429)`,
		json: (r) => ({ failed: r.failed, ratio: r.ratio, ...r }),
	},
	{
		key: 'trigger',
		title: 'trigger — realtime broadcast → emit, 2,000 messages',
		target: 'p95 ≤ 50 ms',
		met: (r) => r.p95Ms <= 50,
		figure: (r) => `p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, p99 ${r.p99Ms} ms (one message every ${r.intervalMs} ms)`,
		json: (r) => ({ p50Ms: r.p50Ms, p95Ms: r.p95Ms, p99Ms: r.p99Ms, ...r }),
		requires: ['dist/nodes/RocketChatTrigger/RocketChatTrigger.node.js', 'test/harness/trigger.ts', 'test/fake/realtime.ts'],
	},
	{
		key: 'polling',
		title: 'polling — 200 rooms, 3 active, poll every 1 s',
		target: 'requests per cycle ≤ 1 + active rooms',
		met: (r) => r.requestsPerCycle <= 1 + r.activeRooms,
		figure: (r) =>
			`${r.rooms} rooms, ${r.activeRooms} active: ${r.requestsPerCycle} requests per cycle (same rooms active each cycle ${r.sameActiveRooms.requestsPerCycle}, other rooms each cycle ${r.changingActiveRooms.requestsPerCycle}; poll without new messages ${r.sameActiveRooms.idleRequestsPerCycle})`,
		json: (r) => ({ rooms: r.rooms, activeRooms: r.activeRooms, requestsPerCycle: r.requestsPerCycle, ...r }),
		requires: ['dist/nodes/RocketChatTrigger/RocketChatTrigger.node.js', 'test/harness/trigger.ts'],
	},
	{
		key: 'clean',
		title: 'clean — Clean History of 50,000 messages in batches',
		target: '(no target; requests and node / raw)',
		met: () => undefined,
		figure: (r) => `${r.requests} requests of ${r.batchSize}, ratio ${r.ratio} (node ${fmtMs(r.nodeMs)} / raw ${fmtMs(r.rawMs)})`,
		json: (r) => ({ requests: r.requests, ratio: r.ratio, ...r }),
	},
	{
		key: 'files',
		title: 'files — upload then download a 256 MB file, filesystem binary data',
		target: 'peak RSS growth ≤ 64 MB; upload and download ≥ 0.8 × raw streaming',
		met: (r) => r.peakRssGrowthMB <= 64 && r.uploadRatio >= 0.8 && r.downloadRatio >= 0.8,
		// n8n-core reads the binary data mode when it is first configured: set for the whole process. With
		// --n8n-runtime, as real n8n 2.41 runs (Node.js 24, `vm` expression engine; the quickjs engine of
		// Node.js 20 rebuilds its isolate on the main thread at each execution start, mid-transfer).
		processes: [{ name: 'files', flags: [], env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' }, runtime: 'n8n' }],
		figure: (r) =>
			`peak RSS growth ${r.peakRssGrowthMB} MB; upload ${r.uploadMBps} MB/s (raw ${r.rawUploadMBps}, ${r.uploadRatio}×), download ${r.downloadMBps} MB/s (raw ${r.rawDownloadMBps}, ${r.downloadRatio}×); Node.js ${r.nodeVersion}, ${r.expressionEngine} engine`,
		json: (r) => ({
			uploadMBps: r.uploadMBps,
			downloadMBps: r.downloadMBps,
			rawUploadMBps: r.rawUploadMBps,
			rawDownloadMBps: r.rawDownloadMBps,
			peakRssGrowthMB: r.peakRssGrowthMB,
			...r,
		}),
	},
];

function fmtMs(ms) {
	return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function parseArgs(argv) {
	const args = { only: undefined, runs: 5, build: false, n8nRuntime: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--only') args.only = argv[++i].split(',').map((name) => name.trim());
		else if (arg === '--runs') args.runs = Number(argv[++i]);
		else if (arg === '--build') args.build = true;
		else if (arg === '--n8n-runtime') args.n8nRuntime = true;
		else if (arg === '--help' || arg === '-h') {
			process.stdout.write('usage: node bench/run.mjs [--only send,paging,rateLimit,trigger,polling,clean,files] [--runs N] [--build] [--n8n-runtime]\n');
			process.exit(0);
		} else throw new Error(`unknown argument ${arg}`);
	}
	if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error('--runs needs a whole number ≥ 1');
	return args;
}

function newestMtime(dir, filter) {
	let newest = 0;
	if (!existsSync(dir)) return newest;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, filter));
		else if (filter(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
	}
	return newest;
}

function run(command, args, what) {
	const started = Date.now();
	const result = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
	if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status})`);
	process.stderr.write(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function ensureBuilt(force) {
	const sources = Math.max(newestMtime(join(ROOT, 'nodes'), (name) => /\.(ts|json)$/.test(name)), newestMtime(join(ROOT, 'credentials'), (name) => name.endsWith('.ts')));
	const built = existsSync(join(ROOT, 'dist', 'nodes', 'RocketChat', 'RocketChat.node.js'))
		? newestMtime(join(ROOT, 'dist'), (name) => name.endsWith('.js'))
		: 0;
	if (force || built < sources) run('npm', ['run', '--silent', 'build'], 'npm run build');
	run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(BENCH_DIR, 'tsconfig.json')], 'compile bench/src, test/fake, test/harness');
	// The harness finds the package two folders above its own file: bench/.build. Point it at the real one.
	for (const name of ['dist', 'package.json']) {
		const link = join(BUILD_DIR, name);
		if (existsSync(link) || isSymlink(link)) rmSync(link, { recursive: true, force: true });
		symlinkSync(join(ROOT, name), link);
	}
}

function isSymlink(path) {
	try {
		return lstatSync(path).isSymbolicLink();
	} catch {
		return false;
	}
}

/** The Node.js of the end-to-end n8n (`npm run test:e2e` installs it into test/e2e/runtime), if installed. */
const N8N_NODE = join(ROOT, 'test', 'e2e', 'runtime', 'node_modules', '.bin', 'node');

/**
 * `runtime: 'n8n'`: that Node.js with n8n's default `vm` expression engine (isolated-vm ships a binary
 * for it), as real n8n runs; otherwise (or when it is not installed) this Node.js with `quickjs`.
 */
function runtimeFor(runtime) {
	if (runtime === 'n8n' && !existsSync(N8N_NODE)) throw new Error(`--n8n-runtime: ${N8N_NODE} not found (npm run test:e2e installs it)`);
	if (runtime === 'n8n') return { node: N8N_NODE, env: { N8N_EXPRESSION_ENGINE: 'vm' } };
	return { node: process.execPath, env: {} };
}

function runBench(name, runs, flags = [], env = {}, runtime = undefined) {
	const userFolder = join(TMP_DIR, `n8n-user-${name}`);
	mkdirSync(userFolder, { recursive: true });
	const use = runtimeFor(runtime);
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(use.node, ['--expose-gc', '--experimental-websocket', '--no-warnings', ...flags, MAIN, name, String(runs)], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'inherit'],
			env: { ...process.env, N8N_USER_FOLDER: userFolder, N8N_LOG_LEVEL: 'silent', N8N_DIAGNOSTICS_ENABLED: 'false', ...use.env, ...env },
		});
		let stdout = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			const line = stdout.split('\n').find((entry) => entry.startsWith('RESULT '));
			if (code !== 0 || !line) {
				reject(new Error(`benchmark ${name} failed (exit ${code})\n${stdout}`));
				return;
			}
			resolve({ result: JSON.parse(line.slice('RESULT '.length)), seconds: (Date.now() - started) / 1000 });
		});
	});
}

function table(rows) {
	const header = ['Benchmark', 'Target', 'Result', 'Met'];
	const lines = [header, ...rows.map((row) => [row.title, row.target, row.figure, row.met])];
	const widths = header.map((_, column) => Math.max(...lines.map((line) => String(line[column]).length)));
	const format = (line) => `| ${line.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
	return [format(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map((row) => format([row.title, row.target, row.figure, row.met]))].join('\n');
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const selected = BENCHES.filter((bench) => !args.only || args.only.includes(bench.key));
	if (args.only && selected.length !== args.only.length) {
		throw new Error(`unknown benchmark in --only; known: ${BENCHES.map((bench) => bench.key).join(', ')}`);
	}
	const started = Date.now();
	ensureBuilt(args.build);

	const results = {};
	const rows = [];
	const seconds = {};
	for (const bench of selected) {
		const missing = (bench.requires ?? []).filter((path) => !existsSync(join(ROOT, path)));
		if (missing.length) {
			results[bench.key] = null;
			results.pending = { ...(results.pending ?? {}), [bench.key]: `pending: ${missing.join(', ')} not found` };
			rows.push({ title: bench.title, target: bench.target, figure: 'pending (trigger not built)', met: '—' });
			continue;
		}
		process.stderr.write(`\n${bench.key}: ${bench.title}\n`);
		let result = {};
		let took = 0;
		for (const part of bench.processes ?? [{ name: bench.key, flags: [] }]) {
			const outcome = await runBench(part.name, args.runs, part.flags, part.env, args.n8nRuntime ? part.runtime : undefined);
			result = { ...result, ...outcome.result };
			took += outcome.seconds;
		}
		seconds[bench.key] = Math.round(took);
		const met = bench.met(result);
		results[bench.key] = { ...bench.json(result), ...(met !== undefined && { met }) };
		rows.push({ title: bench.title, target: bench.target, figure: bench.figure(result), met: met === undefined ? '—' : met ? 'yes' : 'NO' });
		process.stderr.write(`${bench.key}: ${took.toFixed(0)} s\n`);
	}

	process.stdout.write(`\n${table(rows)}\n\n`);
	const meta = {
		date: new Date().toISOString(),
		node: process.version,
		cpus: cpus().length,
		cpuModel: cpus()[0]?.model,
		loadAverageAtEnd: loadavg().map((value) => Math.round(value * 100) / 100),
		runsPerFigure: args.runs,
		figure: 'median of the runs; ratios measured side by side in the same process',
		secondsPerBenchmark: seconds,
		totalSeconds: Math.round((Date.now() - started) / 1000),
	};
	if (!args.only) {
		writeFileSync(RESULTS, `${JSON.stringify({ ...results, meta }, null, '\t')}\n`);
		process.stdout.write(`written: ${RESULTS} (${meta.totalSeconds} s)\n`);
	} else {
		process.stdout.write(`${JSON.stringify({ ...results, meta }, null, '\t')}\n(not written: --only)\n`);
	}
}

main().catch((error) => {
	process.stderr.write(`${error?.stack ?? error}\n`);
	process.exit(1);
});
