/**
 * rateLimit: 100 sends by an ordinary user (no bot/admin role, so the limiter applies) while the fake's
 * limiter allows 10 calls per 2-second window. Wall time against the limiter's theoretical minimum:
 * the first 10 calls open the first window, each further 10 need one more window, so the 100th call can
 * come at the earliest 9 windows after the first.
 */
import { rl, runRocketChat } from '../../../test/harness/run';
import { patFor, startRemoteFake } from '../remote';
import { log, median, round } from '../stats';

export interface RateLimitResult {
	failed: number;
	ratio: number;
	sends: number;
	callsPerWindow: number;
	windowMs: number;
	theoreticalMs: number;
	wallMs: number;
	/** 429 answers the node received (and waited out). */
	refused: number;
	runs: number;
	ratios: number[];
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function benchRateLimit(options: { sends?: number; calls?: number; windowMs?: number; runs?: number } = {}): Promise<RateLimitResult> {
	const sends = options.sends ?? 100;
	const calls = options.calls ?? 10;
	const windowMs = options.windowMs ?? 2000;
	const runs = options.runs ?? 5;
	const theoreticalMs = (Math.ceil(sends / calls) - 1) * windowMs;
	const fake = await startRemoteFake({ rateLimit: { default: { calls, windowMs } } });
	try {
		const { alice } = fake.fixtures;
		const credentials = patFor(fake, alice);
		const parameters = {
			resource: 'message',
			operation: 'send',
			sendTo: 'room',
			roomId: rl(fake.fixtures.rooms.general, 'id'),
			text: '={{ $json.text }}',
		};
		const items = Array.from({ length: sends }, (_, index) => ({ text: `Rate-limited message ${index}` }));

		const runOnce = async () => {
			// A fresh window on both sides: the previous run's window has expired.
			await sleep(windowMs + 200);
			await fake.resetRateLimits();
			await fake.clearRequests();
			const start = performance.now();
			const run = await runRocketChat({ parameters, credentials, items, continueOnFail: true });
			const wallMs = performance.now() - start;
			if (run.error) throw run.error;
			const failed = run.items.filter((item) => item.json.error !== undefined).length;
			const requests = await fake.requests({ endpoint: 'chat.postMessage' });
			const stored = requests.filter((request) => request.status === 200).length;
			const refused = requests.filter((request) => request.status === 429).length;
			if (stored + failed !== sends) throw new Error(`rateLimit: ${stored} stored and ${failed} failed of ${sends}`);
			return { wallMs, failed, refused };
		};

		const results = [];
		for (let run = 0; run < runs; run++) {
			const result = await runOnce();
			results.push(result);
			log(`rateLimit run ${run + 1}/${runs}: ${result.wallMs.toFixed(0)} ms (minimum ${theoreticalMs} ms), ${result.failed} failed, ${result.refused} answers 429`);
		}
		const ratios = results.map((result) => result.wallMs / theoreticalMs);
		return {
			failed: Math.max(...results.map((result) => result.failed)),
			ratio: round(median(ratios), 3),
			sends,
			callsPerWindow: calls,
			windowMs,
			theoreticalMs,
			wallMs: round(median(results.map((result) => result.wallMs)), 0),
			refused: median(results.map((result) => result.refused)),
			runs,
			ratios: ratios.map((value) => round(value, 3)),
		};
	} finally {
		await fake.close();
	}
}
