import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { changeRole, roleDescription } from './roles';

export const description = roleDescription('removeRole');

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await changeRole.call(this, itemIndex, false);
}
