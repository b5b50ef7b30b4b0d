/**
 * Heap of the main thread during a piece of work (the fake Rocket.Chat runs in a worker thread, whose
 * heap is separate). Needs `--expose-gc`. Two ways, one run each:
 *
 * - `live`: a full collection every 100 milliseconds during the work and the used heap right after
 *   it, plus the used heap right after every collection V8 makes by itself meanwhile (which catches
 *   peaks inside synchronous code, where no timer runs): the peak of the data the work keeps alive,
 *   nearly independent of when V8 would collect.
 * - `withGarbage`: no forced collection; V8's used heap sampled every millisecond and right before every
 *   collection (`v8.GCProfiler`): the highest point including garbage not yet collected, which mostly
 *   reflects the size of V8's young generation (up to 16 MB per semi-space on 64-bit Node.js 20).
 *
 * Both are growth over a baseline taken after a full collection. `retained` is the growth still held
 * after the work, with its result referenced.
 */
import * as v8 from 'node:v8';

function used(): number {
	return v8.getHeapStatistics().used_heap_size;
}

export function fullGc(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with --expose-gc');
	gc();
}

export interface HeapMeasure {
	baseline: number;
	peak: number;
	/** Used heap after a full collection at the end, while the work's result is still referenced. */
	retained: number;
	/** Samples (forced collections for `live`, garbage collections seen for `withGarbage`). */
	samples: number;
}

export async function measureHeap<T>(mode: 'live' | 'withGarbage', work: () => Promise<T>): Promise<{ result: T; heap: HeapMeasure }> {
	fullGc();
	fullGc();
	const baseline = used();
	let peak = baseline;
	let samples = 0;
	const profiler = new v8.GCProfiler();
	profiler.start();
	const timer = setInterval(
		() => {
			if (mode === 'live') fullGc();
			samples++;
			peak = Math.max(peak, used());
		},
		mode === 'live' ? 100 : 1,
	);
	let result: T;
	try {
		result = await work();
	} finally {
		clearInterval(timer);
	}
	if (mode === 'live') fullGc();
	peak = Math.max(peak, used());
	type Sizes = { heapStatistics: { usedHeapSize: number } };
	const profile = profiler.stop() as unknown as { statistics: Array<{ beforeGC: Sizes; afterGC: Sizes }> } | undefined;
	for (const entry of profile?.statistics ?? []) {
		peak = Math.max(peak, (mode === 'live' ? entry.afterGC : entry.beforeGC).heapStatistics.usedHeapSize);
	}
	if (mode === 'withGarbage') samples = profile?.statistics.length ?? 0;
	fullGc();
	const retained = used();
	return { result, heap: { baseline, peak, retained, samples } };
}
