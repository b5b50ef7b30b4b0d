/**
 * The seeds of the randomized schedules, in shards: one jest file per shard, so that the schedules use
 * both of jest's workers (a schedule is mostly CPU: n8n's quickjs isolate is set up anew for every
 * activation and deactivation, as in n8n).
 *
 * Environment: `SCHEDULE_SEEDS` (default 200) seeds from `SCHEDULE_FIRST_SEED` (default 1), split in
 * contiguous halves; `SCHEDULE_SEED=N` replays one seed (first shard only) and prints the trigger's logs,
 * `SCHEDULE_REPEAT=K` with it runs that seed K times at once over both shards;
 * `SCHEDULE_CONCURRENCY` schedules at once per shard (default 8); `SCHEDULE_DEBUG=1` prints the logs of
 * failing seeds.
 */
import { runSeeds, type ScheduleResult } from './schedules';

export const SHARDS = 2;

export function shardSeeds(shard: number): number[] {
	const only = process.env.SCHEDULE_SEED;
	const repeat = Number(process.env.SCHEDULE_REPEAT ?? 1);
	if (only && repeat > 1) {
		// The same seed many times at once, in both shards: a failure that needs a loaded host shows up.
		const size = Math.ceil(repeat / SHARDS);
		return Array.from({ length: Math.max(0, Math.min(size, repeat - (shard - 1) * size)) }, () => Number(only));
	}
	if (only) return shard === 1 ? [Number(only)] : [];
	const first = Number(process.env.SCHEDULE_FIRST_SEED ?? 1);
	const count = Number(process.env.SCHEDULE_SEEDS ?? 200);
	const size = Math.ceil(count / SHARDS);
	const from = (shard - 1) * size;
	return Array.from({ length: Math.max(0, Math.min(size, count - from)) }, (_, index) => first + from + index);
}

export function summary(results: ScheduleResult[], shard: number): string {
	const anomalies = results.reduce((sum, result) => sum + result.anomalies.length, 0);
	const failing = results.filter((result) => result.anomalies.length);
	const byMode = (mode: string) => results.filter((result) => result.mode === mode).length;
	const seeds = results.map((result) => result.seed);
	const range = seeds.length ? ` ${Math.min(...seeds)}–${Math.max(...seeds)}` : '';
	// The same seed run several times: each run counts (as a seed) in the summary.
	const lines = [
		`schedules (shard ${shard}/${SHARDS}, seeds${range}): ${results.length} seeds (${byMode('realtime')} realtime, ${byMode('polling')} polling), ` +
			`${results.reduce((sum, result) => sum + result.messages, 0)} messages, ` +
			`${results.reduce((sum, result) => sum + result.executions, 0)} executions, ${anomalies} anomalies`,
	];
	// On CI too: a failure that needs a loaded host may not come back when replayed.
	const verbose = !!(process.env.SCHEDULE_SEED || process.env.SCHEDULE_DEBUG || process.env.CI);
	for (const result of failing.slice(0, 10)) {
		lines.push(`  seed ${result.seed} (${result.mode}), replay with: npm run soak -- --seed ${result.seed}`);
		for (const anomaly of result.anomalies.slice(0, 5)) lines.push(`    ${anomaly.kind}: ${anomaly.detail.split('\n')[0]}`);
		if (verbose) for (const log of result.logs ?? []) lines.push(`    log ${log}`);
	}
	return lines.join('\n');
}

/** The test of one shard: every seed loses nothing and emits nothing twice. */
export function describeShard(shard: number): void {
	const seeds = shardSeeds(shard);
	const concurrency = Number(process.env.SCHEDULE_CONCURRENCY ?? 8);
	it(`loses nothing and emits nothing twice over ${seeds.length} seeds (shard ${shard}/${SHARDS})`, async () => {
		expect(seeds.length).toBeGreaterThan(0);
		const results = await runSeeds(seeds, concurrency);
		const text = summary(results, shard);
		process.stdout.write(`${text}\n`);
		expect(text).toContain(' 0 anomalies');
		// A long soak takes longer than a test normally may (about a second of CPU per seed).
	}, Math.max(30 * 60_000, seeds.length * 5_000));
}
