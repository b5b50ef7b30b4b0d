import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as message from './message';
import * as room from './room';
import * as subscription from './subscription';

type OperationModule = {
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[] | INodeExecutionData[]>;
};

const resources: Record<string, Record<string, OperationModule | unknown>> = {
	message,
	room,
	subscription,
};

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return typeof value === 'object' && value !== null && 'json' in value && typeof value.json === 'object';
}

/** Text of an error for Continue On Fail output, with Rocket.Chat's hint when there is one. */
function failureJson(error: Error & { description?: string | null; context?: IDataObject; httpCode?: string | null }): IDataObject {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error.httpCode) json.httpCode = error.httpCode;
	if (error.context?.errorType) json.errorType = error.context.errorType;
	return json;
}

/**
 * Runs the chosen operation once per input item. Every output item is paired with its input item;
 * with Continue On Fail a failing item becomes `{error, description}` and the others go on, otherwise
 * the error names the item and stops the node.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = resources[resource]?.[operation] as OperationModule | undefined;
	if (!module || typeof module.execute !== 'function') {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
			description: 'Choose another operation, or update the Rocket.Chat node package.',
		});
	}

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const results = await module.execute.call(this, itemIndex);
			for (const result of results) {
				if (isExecutionData(result)) {
					returnData.push({ ...result, pairedItem: { item: itemIndex } });
				} else {
					returnData.push({ json: result, pairedItem: { item: itemIndex } });
				}
			}
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push({ json: failureJson(error as Error), pairedItem: { item: itemIndex } });
				continue;
			}
			if (error instanceof NodeApiError) {
				error.context.itemIndex = itemIndex;
				// Wrapping an existing NodeApiError keeps it as it is.
				throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
			}
			if (error instanceof NodeOperationError) error.context.itemIndex = itemIndex;
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}
	return [returnData];
}
