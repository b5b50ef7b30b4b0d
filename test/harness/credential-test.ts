import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import axios from 'axios';
import https from 'node:https';

import { TestCredentialsHelper } from './credentials';
import { useSandboxedExpressions } from './engine';
import { loadPackage } from './package';
import { Workflow } from 'n8n-workflow';

/** The base URL of the credential test request for these values, resolved by the expression engine as n8n does. */
export async function credentialTestBaseUrl(data: ICredentialDataDecryptedObject): Promise<string> {
	await useSandboxedExpressions();
	const pkg = await loadPackage();
	const type = pkg.credentialType('rocketChatApi');
	const node: INode = { id: 'cred-test', name: 'Temp-Node', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
	return await workflow.expression.withIsolate(async () =>
		String(workflow.expression.getSimpleParameterValue(node, type.test!.request.baseURL as string, 'internal', { $credentials: data }, undefined, '')),
	);
}

/**
 * Runs the credential type's `test` the way n8n's CredentialsTester does: resolve the request against the
 * credential values, run preAuthentication (always, during a test), apply `authenticate`, send, and
 * answer OK or the failure message.
 */
export async function testCredentials(data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	await useSandboxedExpressions();
	const pkg = await loadPackage();
	const type = pkg.credentialType('rocketChatApi');
	const helper = new TestCredentialsHelper(pkg.credentialType);
	const credentials = { ...data };
	const node: INode = {
		id: 'cred-test',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: { temp: '' },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
	const resolve = (value: unknown): unknown => {
		if (typeof value !== 'string' || !value.startsWith('=')) return value;
		return workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
	};
	const send = async (options: IHttpRequestOptions) => {
		const url = `${String(options.baseURL ?? '')}${options.url}`;
		const response = await axios.request({
			url,
			method: options.method ?? 'GET',
			headers: options.headers as Record<string, string>,
			data: options.body,
			validateStatus: () => true,
			httpsAgent: options.skipSslCertificateValidation ? new https.Agent({ rejectUnauthorized: false }) : undefined,
		});
		if (options.returnFullResponse) {
			if (!options.ignoreHttpStatusErrors && response.status >= 400) {
				throw Object.assign(new Error(`Request failed with status code ${response.status}`), { response });
			}
			return { statusCode: response.status, headers: response.headers, body: response.data };
		}
		if (!options.ignoreHttpStatusErrors && response.status >= 400) {
			throw Object.assign(new Error(`Request failed with status code ${response.status}`), { response });
		}
		return response.data;
	};
	// n8n evaluates the test request inside an expression-engine bridge, as for any execution.
	return await workflow.expression.withIsolate(async () => {
	try {
		if (typeof type.preAuthentication === 'function') {
			const output = await type.preAuthentication.call({ helpers: { httpRequest: send } }, credentials);
			Object.assign(credentials, output);
		}
		const request = type.test!.request;
		let options: IHttpRequestOptions = {
			baseURL: resolve(request.baseURL) as string,
			url: resolve(request.url) as string,
			method: request.method,
			skipSslCertificateValidation: resolve(request.skipSslCertificateValidation) as boolean,
		};
		options = await helper.authenticate(credentials, 'rocketChatApi', options, workflow, node);
		const response = await axios.request({
			url: `${options.baseURL}${options.url}`,
			method: options.method,
			headers: options.headers as Record<string, string>,
			validateStatus: () => true,
		});
		if (response.status >= 400) {
			const message =
				(response.data && (response.data.error || response.data.message)) || `status code ${response.status}`;
			return { status: 'Error', message: `Authorization failed - please check your credentials: ${message}` };
		}
		return { status: 'OK', message: 'Connection successful!' };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message } as INodeCredentialTestResult;
	}
	});
}

