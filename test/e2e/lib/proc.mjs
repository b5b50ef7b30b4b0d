// Child processes: every process started here is tracked and stopped (SIGTERM, then SIGKILL) on
// exit, on failure and on Ctrl-C. Processes run in their own process group so that children they
// start themselves (n8n's task runners, npm's scripts) are stopped with them.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

const live = new Set();
const cleanups = [];
let shuttingDown = false;

/** Registers an async cleanup (e.g. stopping an in-process server) run before exit. */
export function onShutdown(fn) {
	cleanups.push(fn);
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

/** Stops one tracked process: SIGTERM to its group, SIGKILL after `graceMs`. */
export async function stopProcess(child, { graceMs = 10_000 } = {}) {
	if (!child || child.exitCode !== null || child.signalCode !== null) {
		live.delete(child);
		return;
	}
	const exited = new Promise((resolve) => child.once('exit', resolve));
	killGroup(child, 'SIGTERM');
	const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), graceMs));
	if ((await Promise.race([exited, timer])) === 'timeout') {
		killGroup(child, 'SIGKILL');
		await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
	}
	// The group may still hold children that ignored SIGTERM.
	killGroup(child, 'SIGKILL');
	live.delete(child);
}

/** Stops every tracked process and runs the registered cleanups (last registered first). */
export async function shutdown() {
	if (shuttingDown) return;
	shuttingDown = true;
	await Promise.all([...live].map((child) => stopProcess(child)));
	for (const fn of cleanups.reverse()) {
		try {
			await fn();
		} catch (error) {
			console.error(`cleanup failed: ${error?.message ?? error}`);
		}
	}
}

let signalsInstalled = false;
/** Ctrl-C / SIGTERM: stop everything, then exit with 130 / 143. */
export function installSignalHandlers(onSignal) {
	if (signalsInstalled) return;
	signalsInstalled = true;
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	]) {
		process.on(signal, () => {
			if (shuttingDown) return;
			onSignal?.(signal);
			shutdown().finally(() => process.exit(code));
		});
	}
	process.on('exit', () => {
		// Last resort if the script dies without awaiting shutdown().
		for (const child of live) killGroup(child, 'SIGKILL');
	});
}

/**
 * Starts a tracked process (as `uid`/`gid` when given). Output is appended to `logFile` (if given)
 * and handed to `onLine` line by line. Returns the ChildProcess with `.output()` (everything so far) and `.done`
 * (resolves to {code, signal}).
 */
export function startProcess(command, args, { cwd, env, logFile, onLine, stdin = 'ignore', uid, gid } = {}) {
	const child = spawn(command, args, { cwd, env, detached: true, stdio: [stdin, 'pipe', 'pipe'], uid, gid });
	live.add(child);
	const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : null;
	let output = '';
	let partial = '';
	const handle = (chunk) => {
		const text = chunk.toString();
		output += text;
		log?.write(text);
		if (onLine) {
			partial += text;
			const lines = partial.split('\n');
			partial = lines.pop();
			for (const line of lines) onLine(line);
		}
	};
	child.stdout.on('data', handle);
	child.stderr.on('data', handle);
	child.output = () => output;
	child.done = new Promise((resolve) => {
		child.on('error', (error) => {
			output += `\n${error.message}\n`;
			live.delete(child);
			resolve({ code: -1, signal: null, error });
		});
		child.on('exit', (code, signal) => {
			live.delete(child);
			resolve({ code, signal });
		});
	}).then((result) => new Promise((resolve) => {
		// Let the pipes drain before closing the log.
		setImmediate(() => {
			log?.end();
			resolve(result);
		});
	}));
	return child;
}

/**
 * Runs a command to completion; stdout and stderr are kept apart. Rejects on a non-zero exit
 * unless `allowFailure`, and stops the process after `timeoutMs`.
 */
export async function run(command, args, { cwd, env, timeoutMs = 10 * 60_000, logFile, allowFailure = false, uid, gid } = {}) {
	const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], uid, gid });
	live.add(child);
	const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : null;
	log?.write(`\n$ ${command} ${args.join(' ')}\n`);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (c) => {
		stdout += c;
		log?.write(c);
	});
	child.stderr.on('data', (c) => {
		stderr += c;
		log?.write(c);
	});
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		stopProcess(child, { graceMs: 5000 });
	}, timeoutMs);
	const { code, signal } = await new Promise((resolve) => {
		child.on('error', (error) => {
			stderr += error.message;
			resolve({ code: -1, signal: null });
		});
		child.on('close', (code, signal) => resolve({ code, signal }));
	});
	clearTimeout(timer);
	live.delete(child);
	log?.end();
	const result = { code, signal, stdout, stderr, timedOut };
	if ((code !== 0 || timedOut) && !allowFailure) {
		const tail = `${stdout}\n${stderr}`
			.split('\n')
			.filter((line) => line.trim() && !/^npm warn Unknown (user|env|project|global) config/.test(line))
			.slice(-25)
			.join('\n');
		const why = timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s` : `exited with ${code ?? signal}`;
		const error = new Error(`${command} ${args.join(' ')} ${why}\n${tail}`);
		error.result = result;
		throw error;
	}
	return result;
}
