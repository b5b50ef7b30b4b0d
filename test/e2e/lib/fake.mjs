// The fake Rocket.Chat server (TypeScript in test/fake), compiled with the repository's TypeScript
// into test/e2e/.build and loaded from there.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { BUILD_DIR, E2E_DIR, REPO_DIR } from './paths.mjs';
import { run } from './proc.mjs';

const FAKE_SOURCE = join(REPO_DIR, 'test', 'fake', 'index.ts');
const FAKE_BUILT = join(BUILD_DIR, 'test', 'fake', 'index.js');

/** Compiles test/fake; returns {warnings} (type errors that still emitted JavaScript). */
export async function compileFake({ logFile } = {}) {
	if (!existsSync(FAKE_SOURCE)) throw new Error(`${FAKE_SOURCE} does not exist`);
	const tsc = join(REPO_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
	const result = await run(process.execPath, [tsc, '-p', join(E2E_DIR, 'tsconfig.fake.json')], {
		cwd: E2E_DIR,
		logFile,
		allowFailure: true,
		timeoutMs: 3 * 60_000,
	});
	if (!existsSync(FAKE_BUILT)) {
		throw new Error(`tsc did not produce ${FAKE_BUILT}:\n${result.stdout}${result.stderr}`);
	}
	const warnings = result.code === 0 ? '' : (result.stdout + result.stderr).trim();
	return { warnings };
}

/**
 * The compiled module: {FakeRocketChat, ...}, plus `seedTeam` (test/fake/seed) and `enableRealtime`
 * (test/fake/realtime) when those files exist.
 */
export function loadFake() {
	const req = createRequire(FAKE_BUILT);
	const fake = req(FAKE_BUILT);
	const extra = {};
	for (const name of ['seed', 'realtime']) {
		const file = join(BUILD_DIR, 'test', 'fake', `${name}.js`);
		if (existsSync(file)) Object.assign(extra, req(file));
	}
	return { ...extra, ...fake };
}

/** Seeds a team (users, rooms named team-<topic>, 60 days of messages) with the bot in every room. */
export function seedDemoTeam(mod, fake, { users = 20, rooms = 12, messagesPerRoom = 40, directMessages = 5 } = {}) {
	if (typeof mod.seedTeam !== 'function') return null;
	const bot = fake.state.getUser(fake.fixtures.bot.userId);
	return mod.seedTeam(fake.state, {
		users,
		rooms,
		messagesPerRoom,
		directMessages,
		historyMs: 60 * 24 * 60 * 60 * 1000,
		include: [bot],
	});
}
