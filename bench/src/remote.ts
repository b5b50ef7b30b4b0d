/** The main thread's handle on the fake Rocket.Chat running in `worker.ts`. */
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { Worker } from 'node:worker_threads';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { FakeOptions, FakeRocketChat, Fixtures, FixtureUser } from '../../test/fake';
import { patCredentials } from '../../test/harness/fixtures';
import type { WorkerMethods } from './worker';

type Remote<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

export interface RemoteFake extends Remote<Omit<WorkerMethods, 'start'>> {
	url: string;
	fixtures: Fixtures;
	/** Stops the server and ends the worker. */
	close(): Promise<void>;
}

/**
 * `where: 'process'` runs the fake in a child process instead of a worker thread: a memory figure of this
 * process then holds none of the server's buffers (a real Rocket.Chat is not inside n8n's process).
 */
export async function startRemoteFake(options: FakeOptions = {}, where: 'thread' | 'process' = 'thread'): Promise<RemoteFake> {
	const worker = where === 'process' ? forked(join(__dirname, 'worker.js')) : new Worker(join(__dirname, 'worker.js'));
	let next = 0;
	const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
	worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
		const entry = pending.get(message.id);
		if (!entry) return;
		pending.delete(message.id);
		if (message.error !== undefined) entry.reject(new Error(`fake Rocket.Chat worker: ${message.error}`));
		else entry.resolve(message.result);
	});
	worker.on('error', (error) => {
		for (const entry of pending.values()) entry.reject(error);
		pending.clear();
	});
	const call = (method: string, args: unknown[]) =>
		new Promise<unknown>((resolve, reject) => {
			const id = next++;
			pending.set(id, { resolve, reject });
			worker.postMessage({ id, method, args });
		});
	const started = (await call('start', [options])) as { url: string; fixtures: Fixtures };
	const remote = new Proxy({} as RemoteFake, {
		get(_target, property: string) {
			if (property === 'url') return started.url;
			if (property === 'fixtures') return started.fixtures;
			if (property === 'then') return undefined;
			if (property === 'close') {
				return async () => {
					await call('stop', []);
					await worker.terminate();
				};
			}
			return (...args: unknown[]) => call(property, args);
		},
	});
	return remote;
}

/** A child process with the worker thread's interface (`postMessage`, `message`, `error`, `terminate`). */
function forked(path: string): Pick<Worker, 'postMessage' | 'on' | 'terminate'> {
	const child = fork(path, [], { serialization: 'advanced', execArgv: ['--no-warnings', '--experimental-websocket'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
	const handle = {
		postMessage: (message: unknown) => void child.send(message as never),
		on: (event: string, listener: (...args: unknown[]) => void) => {
			child.on(event, listener);
			return handle;
		},
		terminate: async () => {
			child.kill();
			return 0;
		},
	};
	return handle as unknown as Pick<Worker, 'postMessage' | 'on' | 'terminate'>;
}

/** Personal-access-token credentials of a fixture user of the remote fake (the harness' `patCredentials`). */
export function patFor(fake: RemoteFake, user: FixtureUser): ICredentialDataDecryptedObject {
	return patCredentials({ url: fake.url } as FakeRocketChat, user);
}
