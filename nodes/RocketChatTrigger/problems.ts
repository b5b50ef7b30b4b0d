/**
 * Problems the trigger survives (a room that cannot be read, a failed poll, a lost connection): each is
 * logged, and also recorded as a failed execution in n8n's executions list (`saveFailedExecution`), where
 * n8n Cloud users see it — at most once per distinct problem per interval, so that a flapping server does
 * not flood the list.
 */
import type { ITriggerFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** A problem is shown in the executions list at most once in this interval. */
export const PROBLEM_INTERVAL_MS = 60 * 60_000;

function describe(error: unknown): string {
	if (error === undefined) return '';
	if (error instanceof Error) return error.message;
	return String(error);
}

/** The problem without the parts that change from one occurrence to the next (ids, numbers, times). */
function signature(what: string, error: unknown): string {
	const status = error instanceof NodeApiError ? String(error.httpCode ?? '') : '';
	return `${what} ${status} ${describe(error)}`.replace(/\d+/g, '#');
}

export class ProblemReporter {
	private readonly lastShown = new Map<string, number>();

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly intervalMs = PROBLEM_INTERVAL_MS,
	) {}

	report(what: string, error: unknown): void {
		const detail = describe(error);
		const text = detail ? `${what}: ${detail}` : what;
		this.ctx.logger.warn(`Rocket.Chat Trigger: ${text}`);
		const key = signature(what, error);
		const now = Date.now();
		const last = this.lastShown.get(key);
		if (last !== undefined && now - last < this.intervalMs) return;
		this.lastShown.set(key, now);
		if (this.lastShown.size > 200) this.lastShown.delete(this.lastShown.keys().next().value as string);
		if (typeof this.ctx.saveFailedExecution !== 'function') return;
		const hint = error instanceof NodeApiError || error instanceof NodeOperationError ? error.description : undefined;
		const failure = new NodeOperationError(this.ctx.getNode(), `Rocket.Chat Trigger: ${text}`, {
			description: `${hint ? `${hint} ` : ''}The trigger is still active and retries by itself. This entry is shown at most once an hour for the same problem.`,
		});
		try {
			this.ctx.saveFailedExecution(failure);
		} catch (saveError) {
			this.ctx.logger.warn(`Rocket.Chat Trigger: could not record the problem in the executions list: ${describe(saveError)}`);
		}
	}
}
