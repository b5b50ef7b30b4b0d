// Randomized schedules for the Rocket.Chat Trigger, many seeds: `npm run soak -- --seeds 5000`
// (`--first N` to start elsewhere, `--seed N` to replay one, `--seed N --repeat K` to run it K times at once over
// both shards (a failure that only shows on a loaded host), `--concurrency N` schedules at once per shard).
// Runs test/integration/trigger/exactly-once*.test.ts through jest (two shards, one jest worker each; n8n-core's
// TriggerContext against the fake Rocket.Chat) and prints each shard's summary (seeds per mode, messages,
// executions, anomalies, the seeds to replay) and the total.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
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
	// The logs of failing seeds go into the full output (see below).
	SCHEDULE_DEBUG: '1',
	...(value('seed', undefined) !== undefined && { SCHEDULE_SEED: value('seed', undefined) }),
	...(value('repeat', undefined) !== undefined && { SCHEDULE_REPEAT: value('repeat', undefined) }),
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const started = Date.now();
const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'ignore' });
if (build.status !== 0) {
	console.error('soak: npm run build failed');
	process.exit(1);
}
const replay = value('seed', undefined) !== undefined && Number(value('repeat', '1')) <= 1;
// Both shards (one jest worker each); a replay runs the first shard only.
const files = replay ? ['test/integration/trigger/exactly-once.test.ts'] : ['test/integration/trigger/exactly-once'];
const run = spawnSync(npm, ['run', 'jest', '--', ...files, '-t', 'loses nothing', '--testTimeout', '86400000'], {
	cwd: root,
	env,
	encoding: 'utf8',
	maxBuffer: 256 * 1024 * 1024,
});
const output = `${run.stdout}\n${run.stderr}`;
// The full output (with the trigger's logs, requests and emitted items of each failing seed) is kept.
mkdirSync(join(root, 'bench', '.tmp'), { recursive: true });
const outputFile = join(root, 'bench', '.tmp', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
writeFileSync(outputFile, output);
// Each shard's summary once (jest repeats it in the failure message).
const blocks = [];
const shardsSeen = new Set();
for (let at = output.indexOf('schedules ('); at >= 0; at = output.indexOf('schedules (', at + 1)) {
	const shard = /^schedules \(shard (\d+)\//.exec(output.slice(at, at + 40))?.[1];
	if (shard === undefined || shardsSeen.has(shard)) continue;
	shardsSeen.add(shard);
	const lines = output.slice(at).split('\n\n')[0].split('\n');
	const end = lines.findIndex((line, index) => index > 0 && line.startsWith('schedules ('));
	blocks.push((end > 0 ? lines.slice(0, end) : lines).filter((line) => !/^\s+at /.test(line) && !/^\s*$/.test(line) && !/^\s+log /.test(line)).join('\n'));
}
if (!blocks.length) console.log(output.slice(-4000));
console.log(`full output: ${outputFile}`);
const totals = { seeds: 0, realtime: 0, polling: 0, messages: 0, executions: 0, anomalies: 0 };
for (const block of blocks) {
	console.log(block.trim());
	const match = /: (\d+) seeds \((\d+) realtime, (\d+) polling\), (\d+) messages, (\d+) executions, (\d+) anomalies/.exec(block);
	if (!match) continue;
	const [seeds, realtime, polling, messages, executions, anomalies] = match.slice(1).map(Number);
	Object.assign(totals, {
		seeds: totals.seeds + seeds,
		realtime: totals.realtime + realtime,
		polling: totals.polling + polling,
		messages: totals.messages + messages,
		executions: totals.executions + executions,
		anomalies: totals.anomalies + anomalies,
	});
}
console.log(
	`soak: ${totals.seeds} seeds (${totals.realtime} realtime, ${totals.polling} polling), ${totals.messages} messages, ` +
		`${totals.executions} executions, ${totals.anomalies} anomalies in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
process.exit(run.status ?? 1);
