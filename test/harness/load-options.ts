import { LoadOptionsContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INode, INodeListSearchResult, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials';
import { useSandboxedExpressions } from './engine';
import { loadPackage, PACKAGE_NAME } from './package';
import { additionalDataFor, CREDENTIAL_REF } from './run';

/** Calls a node's `methods.listSearch.<name>` through n8n-core's real LoadOptionsContext, as the editor does. */
export async function listSearch(options: {
	node?: string;
	method: string;
	credentials: ICredentialDataDecryptedObject;
	parameters?: INodeParameters;
	filter?: string;
	paginationToken?: string;
}): Promise<INodeListSearchResult> {
	await useSandboxedExpressions();
	const pkg = await loadPackage();
	const nodeName = options.node ?? 'rocketChat';
	const helper = new TestCredentialsHelper(pkg.credentialType);
	helper.set('rocketChatApi', options.credentials);
	const node: INode = {
		id: 'n-ls',
		name: 'Rocket.Chat',
		type: `${PACKAGE_NAME}.${nodeName}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters ?? {},
		credentials: CREDENTIAL_REF,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
	const context = new LoadOptionsContext(workflow, node, additionalDataFor(helper), 'parameters.roomId');
	const method = pkg.nodeType(nodeName).methods?.listSearch?.[options.method];
	if (!method) throw new Error(`No list search ${options.method}`);
	return await workflow.expression.withIsolate(
		async () => await method.call(context, options.filter, options.paginationToken),
	);
}
