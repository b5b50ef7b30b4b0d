// Loads the e2e cases (test/e2e/cases/*.mjs) and decides which of them the built package supports.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { missingCapability } from './package.mjs';
import { CASES_DIR } from './paths.mjs';

/**
 * A case file exports default `{title, requires: {node, resource?, operation?}, workflow(ctx), check(ctx)}`
 * and optionally `before(ctx)`. `kind: 'execute'` (default): run once with `n8n execute --id` (the
 * workflow starts with a Manual Trigger). `kind: 'active'`: published before `n8n start`; `act(ctx)`
 * then causes the event (a webhook call, a chat message) and `check(ctx)` waits for the outcome.
 * `kind: 'restart'`: published too; `running(ctx)` under the first `n8n start`, `stopped(ctx)` while
 * n8n is stopped, `check(ctx)` after n8n started again (lib/restart.mjs).
 */
export async function loadCases() {
	const files = readdirSync(CASES_DIR)
		.filter((f) => f.endsWith('.mjs'))
		.sort();
	const cases = [];
	for (const file of files) {
		const mod = await import(pathToFileURL(join(CASES_DIR, file)).href);
		const spec = mod.default;
		for (const key of ['title', 'requires', 'workflow', 'check']) {
			if (!spec?.[key]) throw new Error(`cases/${file}: missing "${key}" in the default export`);
		}
		const kind = spec.kind ?? 'execute';
		if (!['execute', 'active', 'restart'].includes(kind)) throw new Error(`cases/${file}: kind must be "execute", "active" or "restart"`);
		if (kind === 'active' && !spec.act) throw new Error(`cases/${file}: an active case needs act(ctx)`);
		cases.push({ ...spec, kind, file });
	}
	return cases;
}

/** Splits cases into those the package supports and those skipped, with the reason. */
export function selectCases(cases, description, only) {
	const runnable = [];
	const skipped = [];
	for (const spec of cases) {
		if (only && !only.some((pattern) => spec.file.includes(pattern) || spec.title.includes(pattern))) continue;
		const requirements = [spec.requires].flat();
		const missing = requirements.map((r) => missingCapability(description, r)).find(Boolean);
		if (missing) skipped.push({ spec, reason: missing });
		else runnable.push(spec);
	}
	return { runnable, skipped };
}
