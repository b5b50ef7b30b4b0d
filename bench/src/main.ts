/**
 * One benchmark in its own process: `node --expose-gc --experimental-websocket main.js <name> [runs]`.
 * Progress goes to stderr; the result is the last stdout line, prefixed with `RESULT `.
 */
import { benchClean } from './benches/clean';
import { benchFiles } from './benches/files';
import { benchPaging } from './benches/paging';
import { benchRateLimit } from './benches/rateLimit';
import { benchSend } from './benches/send';
import { benchPolling, benchRealtime } from './benches/trigger';

/**
 * What `run.mjs` starts, plus diagnostics: `sendFixedText` (a fixed text instead of an expression, to
 * separate the expression engine's share) and `paging` (both heap measures in one process).
 */
const benches: Record<string, (runs?: number) => Promise<unknown>> = {
	send: async (runs) => await benchSend({ runs }),
	sendFixedText: async (runs) => await benchSend({ runs, fixedText: true }),
	paging: async (runs) => await benchPaging({ runs }),
	pagingLive: async (runs) => await benchPaging({ runs, modes: ['live'] }),
	pagingWithGarbage: async (runs) => await benchPaging({ runs, modes: ['withGarbage'] }),
	rateLimit: async (runs) => await benchRateLimit({ runs }),
	trigger: async (runs) => await benchRealtime({ runs }),
	polling: async () => await benchPolling(),
	clean: async (runs) => await benchClean({ runs }),
	files: async (runs) => await benchFiles({ runs }),
	/** A quick check of the files bench on 32 MB. */
	filesSmall: async (runs) => await benchFiles({ runs, megabytes: 32 }),
};

async function main(): Promise<void> {
	const [name, runsArg] = process.argv.slice(2);
	const bench = benches[name];
	if (!bench) throw new Error(`unknown benchmark "${name}"; one of ${Object.keys(benches).join(', ')}`);
	const result = await bench(runsArg ? Number(runsArg) : undefined);
	process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stderr.write(`${error?.stack ?? String(error)}\n`);
		process.exit(1);
	},
);
