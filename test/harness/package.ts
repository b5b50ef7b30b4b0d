import { join } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';
import type {
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

export const PACKAGE_DIR = join(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-rocketchat';

/** Small stand-ins for the two n8n-nodes-base nodes fixtures use (n8n-nodes-base is not a dependency). */
class ManualTrigger implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

class NoOp implements INodeType {
	description = {
		displayName: 'No Operation',
		name: 'noOp',
		group: ['organization'],
		version: 1,
		description: 'Passes items through',
		defaults: { name: 'No Operation' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

export interface LoadedPackage {
	loader: PackageDirectoryLoader;
	nodeTypes: INodeTypes;
	credentialType(name: string): ICredentialType;
	nodeType(name: string): INodeType;
}

let loaded: Promise<LoadedPackage> | undefined;

/** Loads the built package (`dist/`) the way n8n loads a community package. */
export async function loadPackage(): Promise<LoadedPackage> {
	loaded ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_DIR);
		await loader.loadAll();
		const baseNodes: Record<string, INodeType> = {
			'n8n-nodes-base.manualTrigger': new ManualTrigger(),
			'n8n-nodes-base.noOp': new NoOp(),
		};
		const byName = (type: string): INodeType | IVersionedNodeType => {
			if (baseNodes[type]) return baseNodes[type];
			const localName = type.startsWith(`${PACKAGE_NAME}.`) ? type.slice(PACKAGE_NAME.length + 1) : type;
			return loader.getNode(localName).type;
		};
		const nodeTypes: INodeTypes = {
			getByName: byName,
			getByNameAndVersion: (type: string, version?: number) => NodeHelpers.getVersionedNodeType(byName(type), version),
			getKnownTypes: () => ({}) as IDataObject,
		} as INodeTypes;
		return {
			loader,
			nodeTypes,
			credentialType: (name: string) => loader.getCredential(name).type,
			nodeType: (name: string) => NodeHelpers.getVersionedNodeType(byName(`${PACKAGE_NAME}.${name}`)) as INodeType,
		};
	})();
	return await loaded;
}
