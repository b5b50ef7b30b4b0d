#!/usr/bin/env node
// Installs Rocket.Chat's published request validators (`@rocket.chat/rest-typings`, one npm alias per
// server line: rt6 = 6.13.1, rt7 = 7.10.0, rt8 = 8.8.1) and bundles each line into dist/<line>.cjs for the
// fake server. 7.x/8.x are ESM with extensionless imports, so each line is bundled with esbuild into one
// CommonJS file; only the endpoint modules the fake uses are bundled (rest-typings 6.13's `teams` module
// needs core-typings 6.x values at load time, which the shared core-typings 8.8.1 override no longer has).
//
// Cached: a marker holds the hash of package.json + package-lock.json + .npmrc + this recipe; a run with an
// unchanged hash and existing bundles does nothing. `npm test` runs this first; the fake runs it when a
// bundle is missing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = dirname(fileURLToPath(import.meta.url));
const DIST = join(DIR, 'dist');
const MARKER = join(DIST, '.hash');
const INSTALL_MARKER = join(DIR, 'node_modules', '.validators-hash');
const RECIPE_VERSION = '1';

/** rest-typings modules (under dist/v1/) bundled per line; missing ones are skipped. */
const MODULES = ['chat', 'rooms', 'channels/index', 'groups/index', 'dm/index', 'users', 'subscriptionsEndpoints', 'auth', 'me', 'misc'];
export const LINES = ['rt6', 'rt7', 'rt8'];

function hash(files = ['package.json', 'package-lock.json', '.npmrc', 'install.mjs']) {
	const digest = createHash('sha256');
	digest.update(`recipe ${RECIPE_VERSION} ${MODULES.join(',')}\n`);
	for (const file of files) {
		digest.update(`${file}\n`);
		digest.update(readFileSync(join(DIR, file)));
	}
	return digest.digest('hex');
}

/** The installed tree depends on the manifest, the lockfile and .npmrc only. */
function installHash() {
	return hash(['package.json', 'package-lock.json', '.npmrc']);
}

function read(path) {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return '';
	}
}

export function upToDate() {
	return read(MARKER) === hash() && LINES.every((line) => existsSync(join(DIST, `${line}.cjs`)));
}

function entryFor(line) {
	const root = join(DIR, 'node_modules', line, 'dist');
	const lines = [];
	for (const module of MODULES) {
		if (existsSync(join(root, 'v1', `${module}.js`))) lines.push(`export * from '${line}/dist/v1/${module}';`);
	}
	// users/*.js hold the users.* validators (users.js only re-exports part of them)
	const usersDir = join(root, 'v1', 'users');
	if (existsSync(usersDir)) {
		for (const name of readdirJs(usersDir)) lines.push(`export * from '${line}/dist/v1/users/${name}';`);
	}
	return lines.join('\n');
}

function readdirJs(dir) {
	return readdirSync(dir)
		.filter((file) => file.endsWith('.js'))
		.map((file) => file.slice(0, -3))
		.sort();
}

export async function install({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
	if (upToDate()) return false;
	const current = hash();
	if (read(INSTALL_MARKER) !== installHash()) {
		log('fake validators: npm ci in test/fake/validators (Rocket.Chat rest-typings 6.13.1, 7.10.0, 8.8.1)');
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: DIR, stdio: ['ignore', 'ignore', 'inherit'] });
		writeFileSync(INSTALL_MARKER, installHash());
	}
	const esbuild = createRequire(join(DIR, 'package.json'))('esbuild');
	rmSync(DIST, { recursive: true, force: true });
	mkdirSync(DIST, { recursive: true });
	for (const line of LINES) {
		await esbuild.build({
			stdin: { contents: entryFor(line), resolveDir: DIR, sourcefile: `${line}-entry.mjs`, loader: 'js' },
			bundle: true,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			outfile: join(DIST, `${line}.cjs`),
			logLevel: 'error',
			legalComments: 'none',
		});
	}
	writeFileSync(MARKER, current);
	log(`fake validators: bundled ${LINES.join(', ')} into test/fake/validators/dist`);
	return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	install().catch((error) => {
		process.stderr.write(`fake validators: install failed: ${error?.stack ?? error}\n`);
		process.exit(1);
	});
}
