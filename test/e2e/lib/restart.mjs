// The restart leg of `n8n start`: `kind: 'restart'` cases are published with the active cases and
// run in three steps:
//   running(ctx)  during the first `n8n start`, after the active cases (e.g. post a message, wait for it);
//   stopped(ctx)  while n8n is stopped (post messages it misses, change its database);
//   check(ctx)    after n8n was started again (the triggers catch up), then n8n stops again.
// ctx: the case context plus `db` (lib/sqlite.mjs), `memo` (kept across the three steps), `n8n`,
// `workflow`, and after the restart `readyAt` (epoch ms) and `log()` (the restarted n8n's JSON log lines).
import { ok } from './assert.mjs';
import { N8nRest } from './n8n.mjs';
import { formatDuration } from './steps.mjs';

export class RestartLeg {
	constructor({ steps, cases, ctxBase, workflowOf, db }) {
		this.steps = steps;
		this.cases = cases;
		this.ctxBase = ctxBase;
		this.workflowOf = workflowOf;
		this.db = db;
		this.memos = new Map(cases.map((spec) => [spec, {}]));
	}

	context(spec, extra) {
		return { ...this.ctxBase, db: this.db, memo: this.memos.get(spec), workflow: this.workflowOf.get(spec), ...extra };
	}

	/** The `running` steps, under the first `n8n start`. */
	async whileRunning(n8n) {
		for (const spec of this.cases) {
			if (!spec.running) continue;
			await this.steps.run(`restart › before the stop: ${spec.title}`, async () => await spec.running(this.context(spec, { n8n })));
		}
	}

	/**
	 * After the first `n8n start` stopped: the `stopped` steps, one more `n8n start` (`start()` returns
	 * the server), owner login, the `check` steps, and the stop.
	 */
	async afterStop({ start, owner }) {
		if (!this.cases.length) return;
		for (const spec of this.cases) {
			if (!spec.stopped) continue;
			await this.steps.run(`restart › while n8n is stopped: ${spec.title}`, async () => await spec.stopped(this.context(spec)));
		}
		let server;
		let n8n;
		let readyAt;
		const started = await this.steps.run('restart › n8n start again: the triggers catch up', async () => {
			const begin = Date.now();
			server = await start();
			readyAt = Date.now();
			n8n = new N8nRest(server.url);
			await n8n.setupOwner(owner);
			return `ready in ${formatDuration(readyAt - begin)}`;
		});
		if (!started) return;
		const log = () =>
			server.child
				.output()
				.split('\n')
				.filter((line) => line.startsWith('{'))
				.map((line) => {
					try {
						return JSON.parse(line);
					} catch {
						return undefined;
					}
				})
				.filter(Boolean);
		for (const spec of this.cases) {
			await this.steps.run(`restart › after the restart: ${spec.title}`, async () => await spec.check(this.context(spec, { n8n, readyAt, log })));
		}
		await this.steps.run('restart › n8n stops again', async () => {
			await server.stop();
			const exit = await server.child.done;
			ok(exit.code === 0 || exit.signal, `n8n exited with code ${exit.code} (see logs/n8n-restart.log)`);
			return exit.signal && exit.signal !== 'SIGTERM' ? `NOTICE: exit by ${exit.signal} while shutting down` : 'stopped';
		});
	}
}
