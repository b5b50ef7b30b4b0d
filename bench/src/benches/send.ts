/**
 * send: Message › Send for 2,000 items (one message each) through n8n-core's engine, against a raw
 * keep-alive loop sending the very same chat.postMessage requests (headers and bodies from the fake's log).
 */
import { rl, runRocketChat } from '../../../test/harness/run';
import { type RawRequest, rawLoop, rawRequestsFrom } from '../raw';
import { patFor, startRemoteFake } from '../remote';
import { log, median, round } from '../stats';

export interface SendResult {
	ratio: number;
	messages: number;
	runs: number;
	nodeMs: number;
	rawMs: number;
	ratios: number[];
	/** The raw loop on a new connection per request (as n8n's request helper connects). */
	rawNewConnectionMs: number;
	/** Node time / that loop: what the engine and the node add beyond the connections. */
	ratioVsNewConnections: number;
	textFrom: string;
}

export async function benchSend(options: { messages?: number; runs?: number; fixedText?: boolean } = {}): Promise<SendResult> {
	const messages = options.messages ?? 2000;
	const runs = options.runs ?? 5;
	const fake = await startRemoteFake();
	try {
		const roomId = fake.fixtures.rooms.general;
		const credentials = patFor(fake, fake.fixtures.bot);
		const items = Array.from({ length: messages }, (_, index) => ({ text: `Benchmark message ${index} of ${messages}` }));
		const parameters = {
			resource: 'message',
			operation: 'send',
			sendTo: 'room',
			roomId: rl(roomId, 'id'),
			text: options.fixedText ? 'Benchmark message' : '={{ $json.text }}',
		};

		const runNode = async (count = messages): Promise<number> => {
			await fake.clearRequests();
			const input = (options.fixedText ? items.map(() => ({})) : items).slice(0, count);
			const start = performance.now();
			const run = await runRocketChat({ parameters, credentials, items: input });
			const ms = performance.now() - start;
			if (run.error) throw run.error;
			if (run.items.length !== count) throw new Error(`send: ${run.items.length} items instead of ${count}`);
			const posted = await fake.requestCount('chat.postMessage');
			if (posted !== count) throw new Error(`send: ${posted} requests instead of ${count}`);
			// The raw loop sends exactly what the node sent last.
			script = rawRequestsFrom(await fake.requests({ endpoint: 'chat.postMessage', withBodies: true, withHeaders: true }));
			return ms;
		};
		let script: RawRequest[] = [];
		const runRaw = async (keepAlive = true): Promise<number> => {
			const { ms, statuses } = await rawLoop(fake.url, script, { keepAlive });
			if (statuses[200] !== script.length) throw new Error(`raw send: statuses ${JSON.stringify(statuses)}`);
			return ms;
		};

		// Warm-up on a tenth of the items: loads the package and compiles the hot paths of all three loops.
		await runNode(Math.ceil(messages / 10));
		await runRaw();
		await runRaw(false);

		const nodeTimes: number[] = [];
		const rawTimes: number[] = [];
		const newConnectionTimes: number[] = [];
		const ratios: number[] = [];
		const newConnectionRatios: number[] = [];
		for (let run = 0; run < runs; run++) {
			// Rotate the order so that drift of the machine's load does not favour one side (the first run
			// starts with the node: its requests are the raw loops' script).
			const steps = [
				async () => nodeTimes.push(await runNode()),
				async () => rawTimes.push(await runRaw()),
				async () => newConnectionTimes.push(await runRaw(false)),
			];
			for (let step = 0; step < steps.length; step++) await steps[(step + run) % steps.length]();
			const nodeMs = nodeTimes[run];
			ratios.push(nodeMs / rawTimes[run]);
			newConnectionRatios.push(nodeMs / newConnectionTimes[run]);
			log(
				`send run ${run + 1}/${runs}: node ${nodeMs.toFixed(0)} ms, raw keep-alive ${rawTimes[run].toFixed(0)} ms (ratio ${ratios[run].toFixed(2)}), raw new connections ${newConnectionTimes[run].toFixed(0)} ms (ratio ${newConnectionRatios[run].toFixed(2)})`,
			);
		}
		return {
			ratio: round(median(ratios)),
			messages,
			runs,
			nodeMs: round(median(nodeTimes), 0),
			rawMs: round(median(rawTimes), 0),
			ratios: ratios.map((value) => round(value)),
			rawNewConnectionMs: round(median(newConnectionTimes), 0),
			ratioVsNewConnections: round(median(newConnectionRatios)),
			textFrom: options.fixedText ? 'fixed text' : 'expression {{ $json.text }}',
		};
	} finally {
		await fake.close();
	}
}
