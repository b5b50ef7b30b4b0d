// Installs (or reuses) the pinned n8n runtime used by run.mjs and demo.mjs: `node test/e2e/provision.mjs`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { TMP_DIR } from './lib/paths.mjs';
import { installSignalHandlers } from './lib/proc.mjs';
import { n8nVersion, provisionRuntime } from './lib/runtime.mjs';
import { formatDuration } from './lib/steps.mjs';

installSignalHandlers();
mkdirSync(TMP_DIR, { recursive: true });
const logFile = join(TMP_DIR, 'provision.log');
const started = Date.now();
try {
	const runtime = await provisionRuntime({ log: (m) => console.log(`[provision] ${m}`), logFile });
	const detail = runtime.reused
		? 'reused the installed runtime (lockfile unchanged)'
		: `installed: npm ci ${formatDuration(runtime.timings.npmCi)}, sqlite3 rebuild ${formatDuration(runtime.timings.rebuild)}`;
	console.log(`[provision] n8n ${await n8nVersion()} ready in ${formatDuration(Date.now() - started)} — ${detail}`);
} catch (error) {
	console.error(`[provision] failed after ${formatDuration(Date.now() - started)} (log: ${logFile})\n${error.message}`);
	process.exitCode = 1;
}
