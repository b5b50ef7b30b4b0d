import { Expression } from 'n8n-workflow';

let initialised: Promise<void> | undefined;

/**
 * Real n8n evaluates expressions in a sandbox (toolchain reference §4.0); `quickjs` is the sandboxed
 * engine available on Node 20. With it, code that evaluates credential expressions outside n8n's
 * execution windows fails here as it would in real n8n.
 */
export async function useSandboxedExpressions(): Promise<void> {
	initialised ??= Expression.initExpressionEngine({
		engine: 'quickjs',
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
