/** A chain of Rocket.Chat nodes (Manual Trigger → step 1 → step 2 …) run through n8n-core's engine. */
import type { IBinaryData, ICredentialDataDecryptedObject, IConnections, INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { PACKAGE_NAME } from '../../harness/package';
import { CREDENTIAL_REF, runWorkflow } from '../../harness/run';

export interface Step {
	name: string;
	parameters: INodeParameters;
}

export async function runChain(steps: Step[], credentials: ICredentialDataDecryptedObject, items: INodeExecutionData[]) {
	const nodes: INode[] = [
		{ id: 'n-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		...steps.map(
			(step, index): INode => ({
				id: `n-${index}`,
				name: step.name,
				type: `${PACKAGE_NAME}.rocketChat`,
				typeVersion: 1,
				position: [200 * (index + 1), 0],
				parameters: step.parameters,
				credentials: CREDENTIAL_REF,
			}),
		),
	];
	const connections: IConnections = {};
	const names = ['Start', ...steps.map((step) => step.name)];
	for (let i = 0; i < names.length - 1; i++) connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	const result = await runWorkflow({ nodes, connections, startNode: 'Start', resultNode: names[names.length - 1], credentials, items });
	const output = (name: string) => result.run.data.resultData.runData[name]?.[0]?.data?.main?.[0] ?? [];
	return { ...result, output };
}

/** An input item carrying `bytes` as inline binary data in `property`. */
export function binaryItem(bytes: Buffer, fileName: string, mimeType: string, property = 'data'): INodeExecutionData {
	const binary: IBinaryData = {
		data: bytes.toString('base64'),
		mimeType,
		fileName,
		fileExtension: fileName.includes('.') ? fileName.split('.').pop() : undefined,
		fileSize: String(bytes.length),
	};
	return { json: { note: 'input' }, binary: { [property]: binary } };
}

/** Bytes that are not valid UTF-8 text (a PNG signature, every byte value, a NUL). */
export function sampleBytes(): Buffer {
	const all = Buffer.alloc(256);
	for (let i = 0; i < 256; i++) all[i] = i;
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), all, Buffer.from('tail\u0000end')]);
}
