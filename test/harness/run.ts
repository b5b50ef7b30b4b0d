import { randomUUID } from 'node:crypto';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials';
import { useSandboxedExpressions } from './engine';
import { loadPackage, PACKAGE_NAME } from './package';

export const CREDENTIAL_REF = { rocketChatApi: { id: 'cred-1', name: 'Rocket.Chat test' } };

export interface HarnessRun {
	run: IRun;
	/** Output items of the node under test (first output). */
	items: INodeExecutionData[];
	/** The workflow error, if the run failed. */
	error?: Error & { description?: string | null; httpCode?: string | null; context?: IDataObject };
	credentials: TestCredentialsHelper;
}

export function additionalDataFor(credentialsHelper: TestCredentialsHelper, hooks?: ExecutionLifecycleHooks) {
	return {
		credentialsHelper,
		hooks,
		executionId: randomUUID(),
		variables: {},
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Runs workflow JSON through n8n-core's real engine, starting at `startNode` with `items`. */
export async function runWorkflow(options: {
	nodes: INode[];
	connections: IConnections;
	startNode: string;
	resultNode: string;
	credentials: ICredentialDataDecryptedObject | TestCredentialsHelper;
	items?: INodeExecutionData[];
	staticData?: IDataObject;
}): Promise<HarnessRun> {
	await useSandboxedExpressions();
	const pkg = await loadPackage();
	let credentialsHelper: TestCredentialsHelper;
	if (options.credentials instanceof TestCredentialsHelper) {
		credentialsHelper = options.credentials;
	} else {
		credentialsHelper = new TestCredentialsHelper(pkg.credentialType);
		credentialsHelper.set('rocketChatApi', options.credentials);
	}
	const workflowData: IWorkflowBase = {
		id: 'wf-test',
		name: 'test',
		active: false,
		isArchived: false,
		nodes: options.nodes,
		connections: options.connections,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase;
	const workflow = new Workflow({
		id: 'wf-test',
		nodes: options.nodes,
		connections: options.connections,
		nodeTypes: pkg.nodeTypes,
		active: false,
		staticData: options.staticData,
	});
	const executionId = randomUUID();
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
	const additionalData = additionalDataFor(credentialsHelper, hooks);
	const start = workflow.getNode(options.startNode);
	if (!start) throw new Error(`No node ${options.startNode}`);
	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: start, data: { main: [options.items ?? [{ json: {} }]] }, source: null }],
		},
	});
	await new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(workflow);
	const run = await finished;
	const nodeRuns = run.data.resultData.runData[options.resultNode];
	const items = nodeRuns?.[0]?.data?.main?.[0] ?? [];
	return {
		run,
		items,
		error: run.data.resultData.error as HarnessRun['error'],
		credentials: credentialsHelper,
	};
}

/**
 * Manual Trigger → Rocket.Chat node with the given parameters; the trigger passes `items` on.
 */
export async function runRocketChat(options: {
	parameters: INodeParameters;
	credentials: ICredentialDataDecryptedObject | TestCredentialsHelper;
	items?: IDataObject[];
	continueOnFail?: boolean;
}): Promise<HarnessRun> {
	const nodes: INode[] = [
		{
			id: 'n-trigger',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'n-rc',
			name: 'Rocket.Chat',
			type: `${PACKAGE_NAME}.rocketChat`,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters,
			credentials: CREDENTIAL_REF,
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
	];
	const connections: IConnections = {
		Start: { main: [[{ node: 'Rocket.Chat', type: 'main', index: 0 }]] },
	};
	return await runWorkflow({
		nodes,
		connections,
		startNode: 'Start',
		resultNode: 'Rocket.Chat',
		credentials: options.credentials,
		items: (options.items ?? [{}]).map((json) => ({ json })),
	});
}

/** Builds a resource locator value. */
export function rl(value: string, mode: 'list' | 'id' | 'name' | 'url' = 'id') {
	return { __rl: true, mode, value };
}
