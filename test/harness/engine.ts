import { Expression } from 'n8n-workflow';

let initialised: Promise<void> | undefined;

/**
 * `quickjs` unless `N8N_EXPRESSION_ENGINE=vm` (n8n's own variable; its default in n8n 2.41), which needs
 * isolated-vm's prebuilt binary, shipped for Node.js 24 (the runtime of the end-to-end n8n) but not 20.
 * The legacy engine is never used: it hides what the sandboxed ones refuse.
 */
export function sandboxedEngine(): 'quickjs' | 'vm' {
	return process.env.N8N_EXPRESSION_ENGINE === 'vm' ? 'vm' : 'quickjs';
}

/**
 * Real n8n evaluates expressions in a sandbox (toolchain reference §4.0); `quickjs` is the sandboxed
 * engine available on Node 20. With it, code that evaluates credential expressions outside n8n's
 * execution windows fails here as it would in real n8n.
 */
export async function useSandboxedExpressions(): Promise<void> {
	initialised ??= Expression.initExpressionEngine({
		engine: sandboxedEngine(),
		bridgeTimeout: 5000,
		bridgeMemoryLimit: 64,
		poolSize: 1,
		maxCodeCacheSize: 100,
	});
	await initialised;
}

export async function disposeExpressions(): Promise<void> {
	if (!initialised) return;
	initialised = undefined;
	await Expression.disposeExpressionEngine();
}
