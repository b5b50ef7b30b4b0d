/** Rocket.Chat Trigger: the second half of the randomized schedules' seeds (see `exactly-once.seeds.ts`). */
import { describeShard } from './exactly-once.seeds';

describe('Rocket.Chat Trigger: exactly once under randomized schedules (second shard)', () => {
	describeShard(2);
});
