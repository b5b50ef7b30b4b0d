#!/usr/bin/env node
// Writes examples/*.json from test/e2e/lib/examples.mjs: `node test/e2e/build-examples.mjs`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { examples } from './lib/examples.mjs';
import { EXAMPLES_DIR } from './lib/paths.mjs';

export function exampleText(workflow) {
	return `${JSON.stringify(workflow, null, '\t')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	mkdirSync(EXAMPLES_DIR, { recursive: true });
	for (const { file, workflow } of examples) {
		writeFileSync(join(EXAMPLES_DIR, file), exampleText(workflow));
		console.log(`wrote examples/${file}`);
	}
}
