// Randomized schedules for the Rocket.Chat Trigger, many seeds: `npm run soak -- --seeds 5000`
// (`--first N` to start elsewhere, `--seed N` to replay one, `--concurrency N` schedules at once).
// Runs test/integration/trigger/exactly-once.test.ts through jest (n8n-core's TriggerContext against the fake
// Rocket.Chat) and prints its summary: seeds per mode, messages, executions, anomalies, and the seeds to replay.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const value = (name, fallback) => {
	const index = args.indexOf(`--${name}`);
	return index >= 0 && args[index + 1] !== undefined ? args[index + 1] : fallback;
};
const env = {
	...process.env,
	SCHEDULE_SEEDS: value('seeds', '5000'),
	SCHEDULE_FIRST_SEED: value('first', '1'),
	SCHEDULE_CONCURRENCY: value('concurrency', '8'),
	...(value('seed', undefined) !== undefined && { SCHEDULE_SEED: value('seed', undefined), SCHEDULE_DEBUG: '1' }),
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started = Date.now();
const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'ignore' });
if (build.status !== 0) {
	console.error('soak: npm run build failed');
	process.exit(1);
}
const run = spawnSync(npm, ['run', 'jest', '--', 'test/integration/trigger/exactly-once.test.ts', '-t', 'loses nothing', '--testTimeout', '86400000'], {
	cwd: root,
	env,
	encoding: 'utf8',
	maxBuffer: 256 * 1024 * 1024,
});
const output = `${run.stdout}\n${run.stderr}`;
const start = output.indexOf('schedules: ');
const summary = start >= 0 ? output.slice(start).split('\n\n')[0].split('\n').filter((line) => !/^\s+at /.test(line)).join('\n') : output.slice(-4000);
console.log(summary.trim());
console.log(`soak: ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(run.status ?? 1);
