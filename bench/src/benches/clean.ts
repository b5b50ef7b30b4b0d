/**
 * clean: Room › Clean History over a channel of 50,000 messages, in the node's batches, against a raw
 * keep-alive loop sending the same rooms.cleanHistory requests to an identically seeded room.
 */
import { rl, runRocketChat } from '../../../test/harness/run';
import { type RawRequest, rawLoop, rawRequestsFrom } from '../raw';
import { patFor, startRemoteFake } from '../remote';
import { log, median, round } from '../stats';

export interface CleanResult {
	requests: number;
	ratio: number;
	messages: number;
	batchSize: number;
	nodeMs: number;
	rawMs: number;
	runs: number;
	ratios: number[];
}

export async function benchClean(options: { messages?: number; runs?: number } = {}): Promise<CleanResult> {
	const count = options.messages ?? 50_000;
	const runs = options.runs ?? 5;
	const fake = await startRemoteFake();
	try {
		const { admin, alice } = fake.fixtures;
		const roomId = await fake.createRoom('c', 'bench-clean', admin.userId, [alice.userId], 400 * 86_400_000);
		const credentials = patFor(fake, admin);
		// Everything up to one minute ago: the seeded history ends two minutes ago.
		const latest = new Date(Date.now() - 60_000).toISOString();
		const parameters = { resource: 'room', operation: 'cleanHistory', roomId: rl(roomId, 'id'), range: 'between', latest, dryRun: false };

		const seed = async (messages: number) => {
			const stored = await fake.seedMessages(roomId, alice.userId, messages, { stepMs: 500, endAgoMs: 120_000, text: 'Old message' });
			if (stored !== messages) throw new Error(`clean: ${stored} messages before cleaning instead of ${messages}`);
			await fake.clearRequests();
			// The seeding's garbage is not collected during the timed part.
			await fake.gc();
		};
		let script: RawRequest[] = [];
		let batchSize = 0;
		const runNode = async (messages = count) => {
			await seed(messages);
			const start = performance.now();
			const run = await runRocketChat({ parameters, credentials });
			const ms = performance.now() - start;
			if (run.error) throw run.error;
			const deleted = Number(run.items[0]?.json.count);
			if (deleted !== messages) throw new Error(`clean: ${deleted} deleted instead of ${messages}`);
			if ((await fake.messageCount(roomId)) !== 0) throw new Error('clean: messages left');
			// The raw loop sends exactly what the node sent last.
			const logged = await fake.requests({ endpoint: 'rooms.cleanHistory', withBodies: true, withHeaders: true });
			batchSize = Number((logged[0]?.body as { limit?: number } | undefined)?.limit);
			script = rawRequestsFrom(logged);
			return { ms, requests: logged.length, messages };
		};
		const runRaw = async (messages = count) => {
			await seed(messages);
			const { ms, statuses } = await rawLoop(fake.url, script);
			if (statuses[200] !== script.length) throw new Error(`raw clean: statuses ${JSON.stringify(statuses)}`);
			if ((await fake.messageCount(roomId)) !== 0) throw new Error('raw clean: messages left');
			return ms;
		};

		// Warm-up on a tenth of the history (the first measured run starts with the node: its requests are the raw loop's script).
		const warmUp = Math.ceil(count / 10);
		await runNode(warmUp);
		await runRaw(warmUp);

		const nodeTimes: number[] = [];
		const rawTimes: number[] = [];
		const ratios: number[] = [];
		let requests = 0;
		for (let run = 0; run < runs; run++) {
			let node: Awaited<ReturnType<typeof runNode>>;
			let rawMs: number;
			if (run % 2 === 0) {
				node = await runNode();
				rawMs = await runRaw();
			} else {
				rawMs = await runRaw();
				node = await runNode();
			}
			requests = node.requests;
			nodeTimes.push(node.ms);
			rawTimes.push(rawMs);
			ratios.push(node.ms / rawMs);
			log(`clean run ${run + 1}/${runs}: ${node.requests} requests, node ${node.ms.toFixed(0)} ms, raw ${rawMs.toFixed(0)} ms, ratio ${(node.ms / rawMs).toFixed(2)}`);
		}
		return {
			requests,
			ratio: round(median(ratios)),
			messages: count,
			batchSize,
			nodeMs: round(median(nodeTimes), 0),
			rawMs: round(median(rawTimes), 0),
			runs,
			ratios: ratios.map((value) => round(value)),
		};
	} finally {
		await fake.close();
	}
}
