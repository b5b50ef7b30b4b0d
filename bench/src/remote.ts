/** The main thread's handle on the fake Rocket.Chat running in `worker.ts`. */
import { join } from 'node:path';
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

export async function startRemoteFake(options: FakeOptions = {}): Promise<RemoteFake> {
	const worker = new Worker(join(__dirname, 'worker.js'));
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

/** Personal-access-token credentials of a fixture user of the remote fake (the harness' `patCredentials`). */
export function patFor(fake: RemoteFake, user: FixtureUser): ICredentialDataDecryptedObject {
	return patCredentials({ url: fake.url } as FakeRocketChat, user);
}
