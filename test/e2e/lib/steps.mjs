// Named steps with timings, a PASS/FAIL/SKIP summary and the closing `N passed, M failed` line.

const fmt = (ms) => (ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`);
export const formatDuration = fmt;

/** Thrown by a required step so that the run stops and goes to the summary. */
export class Abort extends Error {}

export class Steps {
	constructor(prefix = 'e2e') {
		this.prefix = prefix;
		this.results = [];
		this.startedAt = Date.now();
	}

	log(message) {
		console.log(`[${this.prefix}] ${message}`);
	}

	/**
	 * Runs one step. A failing step is recorded; with `required` the run then stops (Abort).
	 * The step function may return a short detail string shown in the summary.
	 */
	async run(title, fn, { required = false } = {}) {
		this.log(`▶ ${title}`);
		const started = Date.now();
		try {
			const detail = await fn();
			const ms = Date.now() - started;
			this.results.push({ status: 'PASS', title, ms, detail: typeof detail === 'string' ? detail : '' });
			this.log(`✔ PASS ${title} (${fmt(ms)})${typeof detail === 'string' && detail ? ` — ${detail}` : ''}`);
			return detail;
		} catch (error) {
			const ms = Date.now() - started;
			const message = error?.stack && !(error instanceof AssertionFailure) ? error.stack : String(error?.message ?? error);
			this.results.push({ status: 'FAIL', title, ms, detail: firstLine(error?.message ?? String(error)) });
			this.log(`✘ FAIL ${title} (${fmt(ms)})\n${indent(message)}`);
			if (required) throw new Abort(title);
			return undefined;
		}
	}

	/** Records a step that is not run, with the reason printed. Not counted as passed or failed. */
	skip(title, reason) {
		this.results.push({ status: 'SKIP', title, ms: 0, detail: reason });
		this.log(`⚠ SKIP ${title} — ${reason}`);
	}

	/** Records steps that could not run because a required step before them failed. */
	notRun(titles, because) {
		for (const title of titles) {
			this.results.push({ status: 'NOT RUN', title, ms: 0, detail: `after the failure of "${because}"` });
		}
	}

	get failed() {
		return this.results.filter((r) => r.status === 'FAIL').length;
	}

	get passed() {
		return this.results.filter((r) => r.status === 'PASS').length;
	}

	/** Prints the table and the closing line; returns the process exit code. */
	summary(heading = 'Summary') {
		const width = Math.min(70, Math.max(20, ...this.results.map((r) => r.title.length)));
		console.log('');
		console.log(`${heading} (total ${fmt(Date.now() - this.startedAt)})`);
		for (const r of this.results) {
			const time = r.status === 'PASS' || r.status === 'FAIL' ? fmt(r.ms).padStart(9) : ''.padStart(9);
			const detail = r.detail ? `  ${firstLine(r.detail)}` : '';
			console.log(`  ${r.status.padEnd(7)} ${r.title.padEnd(width)} ${time}${detail}`);
		}
		const skipped = this.results.filter((r) => r.status === 'SKIP').length;
		const notRun = this.results.filter((r) => r.status === 'NOT RUN').length;
		if (skipped || notRun) {
			console.log(`  (${skipped} skipped with a notice above${notRun ? `, ${notRun} not run after a failure` : ''})`);
		}
		console.log(`${this.passed} passed, ${this.failed} failed`);
		return this.failed > 0 ? 1 : 0;
	}
}

/** An assertion failure: printed without a stack trace. */
export class AssertionFailure extends Error {}

function firstLine(text) {
	const line = String(text).split('\n')[0];
	return line.length > 140 ? `${line.slice(0, 137)}...` : line;
}

function indent(text) {
	return String(text)
		.split('\n')
		.map((l) => `      ${l}`)
		.join('\n');
}
