/**
 * Drives the Rocket.Chat Trigger through n8n-core's real trigger machinery (toolchain reference §4.5):
 *
 * - `activateTrigger()`: an active workflow — n8n-core's `TriggerContext` in mode `trigger`, `trigger()`
 *   called inside the expression isolate as n8n does at activation (so REST calls from later callbacks
 *   meet the sandbox's "No bridge acquired" rule as in real n8n), emits / `emitError` captured, static
 *   data kept on the `Workflow` (pass `staticData` to simulate a restart with saved state), crons
 *   registered as the leader and removed again on `close()`.
 * - `runTriggerManually()`: "Listen for test event" — the trigger as the start node of a workflow run by
 *   `WorkflowExecute` in manual mode; resolves with the items of the first emit.
 *
 * The node is taken from the package loader when package.json registers it, else loaded directly from
 * `dist/nodes/RocketChatTrigger/RocketChatTrigger.node.js` (the built file the package.json entry names).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, InstanceSettings, ScheduledTaskManager, TriggerContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	ITriggerResponse,
	IWorkflowBase,
} from 'n8n-workflow';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials';
import { useSandboxedExpressions } from './engine';
import { loadPackage, PACKAGE_DIR, PACKAGE_NAME } from './package';
import { additionalDataFor, CREDENTIAL_REF } from './run';

export const TRIGGER_NAME = 'Rocket.Chat Trigger';
export const TRIGGER_TYPE = `${PACKAGE_NAME}.rocketChatTrigger`;
const TRIGGER_FILE = join(PACKAGE_DIR, 'dist', 'nodes', 'RocketChatTrigger', 'RocketChatTrigger.node.js');

let cachedTypes: Promise<{ nodeTypes: INodeTypes; trigger: INodeType; credentialsFor(data: ICredentialDataDecryptedObject): TestCredentialsHelper }> | undefined;

async function triggerTypes() {
	cachedTypes ??= (async () => {
		const pkg = await loadPackage();
		let trigger: INodeType;
		try {
			trigger = pkg.nodeType('rocketChatTrigger');
		} catch {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const module = require(TRIGGER_FILE) as { RocketChatTrigger: new () => INodeType };
			trigger = new module.RocketChatTrigger();
		}
		const byName = (type: string) => (type === TRIGGER_TYPE ? trigger : pkg.nodeTypes.getByName(type));
		const nodeTypes: INodeTypes = {
			getByName: byName,
			getByNameAndVersion: (type: string, version?: number) => NodeHelpers.getVersionedNodeType(byName(type), version),
			getKnownTypes: () => ({}) as IDataObject,
		} as INodeTypes;
		return {
			nodeTypes,
			trigger,
			credentialsFor: (data: ICredentialDataDecryptedObject) => {
				const helper = new TestCredentialsHelper(pkg.credentialType);
				helper.set('rocketChatApi', data);
				return helper;
			},
		};
	})();
	return await cachedTypes;
}

function triggerNode(parameters: INodeParameters): INode {
	return {
		id: 'n-rc-trigger',
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: CREDENTIAL_REF,
	};
}

/**
 * n8n's executions table as far as triggers see it: an execution per emit, except that a second emit
 * with a deduplication key already used is refused (n8n 2.41's unique index; the CLI's emit then logs
 * "Scheduled execution skipped: duplicate deduplication key" and resolves the done promise with
 * `undefined`). Share one between activations to model a restarted n8n on the same database.
 */
export class ExecutionStore {
	readonly executions: Array<{ key?: string; items: INodeExecutionData[] }> = [];
	readonly keys = new Set<string>();
	/** Emits refused as duplicates. */
	refused = 0;

	/** Records an execution; false when the key was used before. */
	accept(key: string | undefined, items: INodeExecutionData[]): boolean {
		if (key !== undefined) {
			if (this.keys.has(key)) {
				this.refused++;
				return false;
			}
			this.keys.add(key);
		}
		this.executions.push({ key, items });
		return true;
	}

	json(): IDataObject[] {
		return this.executions.flatMap((execution) => execution.items.map((entry) => entry.json));
	}
}

export interface ExecutionModel {
	/** How long an execution runs before its done promise resolves (ms), fixed or per call. Default 0. */
	durationMs?: number | (() => number);
	/** How long n8n's static-data write takes after an emit (ms); a crash before it lands loses it. Default 0. */
	saveDelayMs?: number | (() => number);
	/** Called for each emit before it is accepted; throwing makes the execution fail to start (done promise rejects). */
	beforeStart?: (key: string | undefined) => void;
}

export interface ActiveTrigger {
	workflow: Workflow;
	/** Executions n8n ran for this activation and the ones sharing its store (deduplicated by key). */
	store: ExecutionStore;
	/** Errors passed to `saveFailedExecution`. */
	failures: Error[];
	/** The static data as n8n last wrote it to its database (at the activation, and at each emit after the save delay). */
	savedStaticData(): IDataObject | undefined;
	/** Executions emitted whose done promise has not settled. */
	running(): number;
	/** The most executions that were running at once. */
	peakRunning(): number;
	/** Every emit, in order (each is the `INodeExecutionData[][]` the node passed). */
	emits: INodeExecutionData[][][];
	/** Errors passed to `emitError`. */
	errors: Error[];
	/** What the node logged through `this.logger`. */
	logs: Array<{ level: string; message: string }>;
	/** The items of all emits, flattened. */
	items(): INodeExecutionData[];
	/** The JSON of all emitted items. */
	json(): IDataObject[];
	/** The workflow's static data (what n8n saves), e.g. to restart with it. */
	staticData(): IDataObject;
	/** Waits until at least `count` items were emitted (or fails after `timeoutMs`). */
	waitForItems(count: number, timeoutMs?: number): Promise<void>;
	/** Waits until `emitError` was called. */
	waitForError(timeoutMs?: number): Promise<Error>;
	/**
	 * Calls the node's close function (inside the isolate, as n8n does) and removes its crons; like n8n,
	 * saves no static data on the way out. `crash`: n8n dies instead — static-data writes still pending
	 * (after an emit) are lost too.
	 */
	close(options?: { crash?: boolean }): Promise<void>;
}

/** Polls `check` every 20 ms until it is truthy; fails with `what` after `timeoutMs` (default 20 s). */
export async function waitUntil<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** Activates the trigger in an active workflow (mode `trigger`, activation `activate`). */
export async function activateTrigger(options: {
	parameters: INodeParameters;
	credentials: ICredentialDataDecryptedObject | TestCredentialsHelper;
	/** Saved static data of an earlier run of the same workflow (a restart). */
	staticData?: IDataObject;
	workflowId?: string;
	/** The executions table (share it across activations to model a restart on the same database). */
	store?: ExecutionStore;
	execution?: ExecutionModel;
}): Promise<ActiveTrigger> {
	await useSandboxedExpressions();
	const { nodeTypes, trigger, credentialsFor } = await triggerTypes();
	Container.get(InstanceSettings).markAsLeader();
	const credentialsHelper = options.credentials instanceof TestCredentialsHelper ? options.credentials : credentialsFor(options.credentials);
	const node = triggerNode(options.parameters);
	const workflowId = options.workflowId ?? `wf-${randomUUID().slice(0, 8)}`;
	const workflow = new Workflow({
		id: workflowId,
		nodes: [node],
		connections: {},
		nodeTypes,
		active: true,
		staticData: options.staticData ? (JSON.parse(JSON.stringify(options.staticData)) as IDataObject) : undefined,
	});
	let closed = false;
	const emits: INodeExecutionData[][][] = [];
	const errors: Error[] = [];
	const failures: Error[] = [];
	const store = options.store ?? new ExecutionStore();
	const model = options.execution ?? {};
	const valueOf = (value: number | (() => number) | undefined) => (typeof value === 'function' ? value() : (value ?? 0));
	let saved: IDataObject | undefined = options.staticData ? (JSON.parse(JSON.stringify(options.staticData)) as IDataObject) : undefined;
	let crashed = false;
	let running = 0;
	let peak = 0;
	const later = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
	const context = new TriggerContext(
		workflow,
		node,
		additionalDataFor(credentialsHelper),
		'trigger',
		'activate',
		(data, _responsePromise, donePromise, deduplicationKey) => {
			emits.push(data);
			// As the CLI's emit: save the static data without waiting, then run the workflow.
			const snapshot = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			void later(valueOf(model.saveDelayMs)).then(() => {
				// A write still pending when n8n dies never lands.
				if (!crashed) saved = snapshot;
			});
			running++;
			peak = Math.max(peak, running);
			void (async () => {
				await Promise.resolve();
				try {
					model.beforeStart?.(deduplicationKey);
				} catch (error) {
					running--;
					donePromise?.reject(error as Error);
					return;
				}
				if (!store.accept(deduplicationKey, data[0] ?? [])) {
					running--;
					donePromise?.resolve(undefined as unknown as IRun);
					return;
				}
				await later(valueOf(model.durationMs));
				running--;
				donePromise?.resolve({ status: 'success' } as IRun);
			})();
		},
		(error) => {
			errors.push(error);
		},
		(error) => {
			failures.push(error);
		},
	);
	const logs: Array<{ level: string; message: string }> = [];
	const record = (level: string) => (message: string) => {
		logs.push({ level, message });
	};
	Object.defineProperty(context, 'logger', {
		value: { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') },
	});
	const response = (await workflow.expression.withIsolate(async () => await trigger.trigger!.call(context))) as ITriggerResponse | undefined;
	// n8n saves the static data once the workflow is activated (ActiveWorkflowManager.add).
	saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	const items = () => emits.flatMap((data) => data[0] ?? []);
	return {
		workflow,
		store,
		failures,
		savedStaticData: () => (saved ? (JSON.parse(JSON.stringify(saved)) as IDataObject) : undefined),
		running: () => running,
		peakRunning: () => peak,
		emits,
		errors,
		logs,
		items,
		json: () => items().map((entry) => entry.json),
		staticData: () => JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
		waitForItems: async (count, timeoutMs = 20_000) => {
			await waitUntil(() => items().length >= count || errors.length > 0, `${count} emitted items (have ${items().length})`, timeoutMs);
			if (items().length < count && errors.length) throw errors[0];
		},
		waitForError: async (timeoutMs = 20_000) => await waitUntil(() => errors[0], 'emitError', timeoutMs),
		close: async (closeOptions = {}) => {
			if (closed) return;
			closed = true;
			crashed = closeOptions.crash === true;
			try {
				if (response?.closeFunction) await workflow.expression.withIsolate(async () => await response.closeFunction!());
			} finally {
				Container.get(ScheduledTaskManager).deregisterGroup({ type: 'workflow', id: workflowId });
			}
			// n8n 2.41 does not save a trigger's static data when it deactivates the workflow or shuts down
			// (removeNonWebhookTriggers only closes it): what was saved at activation and with the emits stays.
		},
	};
}

/**
 * n8n-core's `TriggerContext` of an active workflow with just the trigger, for calling the trigger's REST
 * reads (the transport's callback client) directly, as its socket and cron callbacks do.
 */
export async function triggerContextFor(credentials: ICredentialDataDecryptedObject): Promise<TriggerContext> {
	const { nodeTypes, credentialsFor } = await triggerTypes();
	const node = triggerNode({});
	const workflow = new Workflow({ id: `wf-${randomUUID().slice(0, 8)}`, nodes: [node], connections: {}, nodeTypes, active: true });
	return new TriggerContext(workflow, node, additionalDataFor(credentialsFor(credentials)), 'trigger', 'activate', () => {}, () => {});
}

/**
 * "Listen for test event": runs the workflow (trigger → nothing) in manual mode through WorkflowExecute
 * and resolves with the trigger's output items, or the run's error.
 */
export async function runTriggerManually(options: {
	parameters: INodeParameters;
	credentials: ICredentialDataDecryptedObject | TestCredentialsHelper;
}): Promise<{ run: IRun; items: INodeExecutionData[]; error?: Error & { description?: string | null }; staticData: IDataObject }> {
	await useSandboxedExpressions();
	const { nodeTypes, credentialsFor } = await triggerTypes();
	const credentialsHelper = options.credentials instanceof TestCredentialsHelper ? options.credentials : credentialsFor(options.credentials);
	const node = triggerNode(options.parameters);
	const workflowData = {
		id: 'wf-manual',
		name: 'manual trigger test',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase;
	const workflow = new Workflow({ id: 'wf-manual', nodes: [node], connections: {}, nodeTypes, active: false });
	const hooks = new ExecutionLifecycleHooks('manual', randomUUID(), workflowData);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
	const runData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [[{ json: {} }]] }, source: null }] },
	});
	await new WorkflowExecute(additionalDataFor(credentialsHelper, hooks), 'manual', runData).processRunExecutionData(workflow);
	const run = await finished;
	const items = run.data.resultData.runData[TRIGGER_NAME]?.[0]?.data?.main?.[0] ?? [];
	return {
		run,
		items,
		error: run.data.resultData.error as (Error & { description?: string | null }) | undefined,
		staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
	};
}

