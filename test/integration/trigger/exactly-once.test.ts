/**
 * Rocket.Chat Trigger: each new message starts exactly one execution, under randomized schedules (see
 * `schedules.ts`), in both Receive Via modes. `npm test` runs 200 seeds; `npm run soak -- --seeds N` runs
 * more, `--seed N` replays one.
 */
import { generateSchedule, runSchedule, runSeeds, type ScheduleResult } from './schedules';

const first = Number(process.env.SCHEDULE_FIRST_SEED ?? 1);
const count = Number(process.env.SCHEDULE_SEEDS ?? 200);
const only = process.env.SCHEDULE_SEED;
const concurrency = Number(process.env.SCHEDULE_CONCURRENCY ?? 8);

function summary(results: ScheduleResult[]): string {
	const anomalies = results.reduce((sum, result) => sum + result.anomalies.length, 0);
	const failing = results.filter((result) => result.anomalies.length);
	const byMode = (mode: string) => results.filter((result) => result.mode === mode).length;
	const lines = [
		`schedules: ${results.length} seeds (${byMode('realtime')} realtime, ${byMode('polling')} polling), ` +
			`${results.reduce((sum, result) => sum + result.messages, 0)} messages, ` +
			`${results.reduce((sum, result) => sum + result.executions, 0)} executions, ${anomalies} anomalies`,
	];
	for (const result of failing.slice(0, 10)) {
		lines.push(`  seed ${result.seed} (${result.mode}), replay with: npm run soak -- --seed ${result.seed}`);
		for (const anomaly of result.anomalies.slice(0, 5)) lines.push(`    ${anomaly.kind}: ${anomaly.detail.split('\n')[0]}`);
		if (only || process.env.SCHEDULE_DEBUG) for (const log of result.logs ?? []) lines.push(`    log ${log}`);
	}
	return lines.join('\n');
}

describe('Rocket.Chat Trigger: exactly once under randomized schedules', () => {
	it('generates the same schedule for the same seed, and different ones for others', () => {
		expect(generateSchedule(42)).toEqual(generateSchedule(42));
		expect(generateSchedule(42)).not.toEqual(generateSchedule(43));
		const modes = new Set(Array.from({ length: 10 }, (_, index) => generateSchedule(index).mode));
		expect(modes).toEqual(new Set(['realtime', 'polling']));
	});

	it('the checker finds a message the trigger never emitted (a schedule with the trigger made blind)', async () => {
		// A filter the checker does not know about: every message is dropped, so each must-message is lost.
		const schedule = { ...generateSchedule(7), steps: [{ kind: 'post' as const, room: 0, author: 'alice' as const, count: 3 }] };
		const result = await runSchedule(schedule, { textContains: 'no message contains this' });
		expect(result.anomalies.filter((anomaly) => anomaly.kind === 'lost')).toHaveLength(3);
	}, 60_000);

	const seeds = only ? [Number(only)] : Array.from({ length: count }, (_, index) => first + index);
	it(`loses nothing and emits nothing twice over ${seeds.length} seeds`, async () => {
		const results = await runSeeds(seeds, concurrency);
		const text = summary(results);
		process.stdout.write(`${text}\n`);
		expect(text).toContain(' 0 anomalies');
	}, 30 * 60_000);
});
