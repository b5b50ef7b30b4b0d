/**
 * paging: Message › Get Many with Return All over a channel of 10,000 messages. Counts the history
 * requests, and compares the main thread's peak heap growth during the run with the bytes of the
 * history pages the server sent (see `heap.ts` for the two ways the peak is taken).
 */
import { rl, runRocketChat } from '../../../test/harness/run';
import { type HeapMeasure, measureHeap } from '../heap';
import { patFor, startRemoteFake } from '../remote';
import { log, median, round } from '../stats';

export interface PagingResult {
	messages: number;
	requests: number;
	/** Peak growth of live heap (forced full collections during the run) / payload bytes. */
	heapRatio: number;
	/** Target: ceil(messages / 100). */
	targetRequests: number;
	/** Every request of the run (the room lookup included). */
	totalRequests: number;
	/** Peak growth of the used heap without forced collections (garbage included) / payload bytes. */
	heapRatioWithGarbage: number;
	/** Heap still held after the run (the output referenced) / payload bytes. */
	retainedRatio: number;
	payloadBytes: number;
	peakLiveGrowthBytes: number;
	peakGrowthWithGarbageBytes: number;
	/** Run time without forced collections. */
	ms: number;
	runs: number;
	heapRatios: number[];
	simplify: boolean;
}

const growth = (heap: HeapMeasure, of: 'peak' | 'retained') => heap[of] - heap.baseline;

/**
 * `modes` picks the heap measures taken (each run does one pass per mode). Run `live` in a process with a
 * small young generation (`--max-semi-space-size=4`), so that V8 also collects inside synchronous code
 * and the live peak there is seen; `withGarbage` with V8's defaults.
 */
export async function benchPaging(
	options: { messages?: number; runs?: number; simplify?: boolean; modes?: Array<'live' | 'withGarbage'> } = {},
): Promise<Partial<PagingResult>> {
	const modes = options.modes ?? ['live', 'withGarbage'];
	const count = options.messages ?? 10_000;
	const runs = options.runs ?? 5;
	const simplify = options.simplify ?? true;
	const fake = await startRemoteFake();
	try {
		const { bot, alice } = fake.fixtures;
		const roomId = await fake.createRoom('c', 'bench-paging', bot.userId, [alice.userId], 30 * 86_400_000);
		const stored = await fake.seedMessages(roomId, alice.userId, count, { stepMs: 1000, endAgoMs: 60_000, text: 'Paging benchmark message with a little text in it' });
		if (stored !== count) throw new Error(`paging: ${stored} messages stored instead of ${count}`);
		await fake.gc();
		const credentials = patFor(fake, bot);
		const parameters = { resource: 'message', operation: 'getMany', roomId: rl(roomId, 'id'), returnAll: true, simplify };

		const runOnce = async (mode: 'live' | 'withGarbage') => {
			await fake.clearRequests();
			const start = performance.now();
			const { result: run, heap } = await measureHeap(mode, async () => await runRocketChat({ parameters, credentials }));
			const ms = performance.now() - start;
			if (run.error) throw run.error;
			if (run.items.length !== count) throw new Error(`paging: ${run.items.length} items instead of ${count}`);
			const ids = new Set(run.items.map((item) => String(item.json._id ?? item.json.id)));
			if (ids.size !== count) throw new Error(`paging: ${ids.size} distinct messages instead of ${count}`);
			const requests = await fake.requestCount('channels.history');
			const totalRequests = await fake.requestCount();
			const payloadBytes = await fake.responseBytes('channels.history');
			return { ms, heap, requests, totalRequests, payloadBytes };
		};

		await runOnce(modes[0]);
		const results: Array<{ live?: Awaited<ReturnType<typeof runOnce>>; withGarbage?: Awaited<ReturnType<typeof runOnce>> }> = [];
		for (let run = 0; run < runs; run++) {
			const entry: (typeof results)[number] = {};
			for (const mode of modes) entry[mode] = await runOnce(mode);
			results.push(entry);
			const any = (entry.withGarbage ?? entry.live) as Awaited<ReturnType<typeof runOnce>>;
			const parts = [
				`paging run ${run + 1}/${runs}: ${any.requests} history requests (${any.totalRequests} in all), ${(any.payloadBytes / 1e6).toFixed(2)} MB payload`,
				entry.live && `live heap +${(growth(entry.live.heap, 'peak') / 1e6).toFixed(1)} MB`,
				entry.withGarbage && `with garbage +${(growth(entry.withGarbage.heap, 'peak') / 1e6).toFixed(1)} MB (${entry.withGarbage.heap.samples} GCs)`,
				`retained +${(growth(any.heap, 'retained') / 1e6).toFixed(1)} MB`,
				`${any.ms.toFixed(0)} ms`,
			];
			log(parts.filter(Boolean).join('; '));
		}
		const all = results.map((entry) => (entry.withGarbage ?? entry.live) as Awaited<ReturnType<typeof runOnce>>);
		const out: Partial<PagingResult> = {
			messages: count,
			requests: median(all.map((result) => result.requests)),
			targetRequests: Math.ceil(count / 100),
			totalRequests: median(all.map((result) => result.totalRequests)),
			retainedRatio: round(median(all.map((result) => growth(result.heap, 'retained') / result.payloadBytes))),
			payloadBytes: median(all.map((result) => result.payloadBytes)),
			ms: round(median(all.map((result) => result.ms)), 0),
			runs,
			simplify,
		};
		if (modes.includes('live')) {
			const live = results.map((entry) => entry.live as Awaited<ReturnType<typeof runOnce>>);
			const heapRatios = live.map((result) => growth(result.heap, 'peak') / result.payloadBytes);
			out.heapRatio = round(median(heapRatios));
			out.heapRatios = heapRatios.map((value) => round(value));
			out.peakLiveGrowthBytes = median(live.map((result) => growth(result.heap, 'peak')));
		}
		if (modes.includes('withGarbage')) {
			const withGarbage = results.map((entry) => entry.withGarbage as Awaited<ReturnType<typeof runOnce>>);
			out.heapRatioWithGarbage = round(median(withGarbage.map((result) => growth(result.heap, 'peak') / result.payloadBytes)));
			out.peakGrowthWithGarbageBytes = median(withGarbage.map((result) => growth(result.heap, 'peak')));
		}
		return out;
	} finally {
		await fake.close();
	}
}
