/**
 * Rocket.Chat Trigger: each new message starts exactly one execution, under randomized schedules (see
 * `schedules.ts`), in both Receive Via modes. `npm test` runs 200 seeds in two shards (this file and
 * `exactly-once-2.test.ts`, see `exactly-once.seeds.ts`); `npm run soak -- --seeds N` runs more,
 * `--seed N` replays one.
 */
import { describeShard } from './exactly-once.seeds';
import { generateSchedule, runSchedule } from './schedules';

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

	describeShard(1);
});
