import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { changeArchivedState, showFor } from './common';

const show = showFor('archive');

const properties: INodeProperties[] = [roomLocator({ description: 'The channel or private group to archive (read only, hidden from the directory)' })];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await changeArchivedState.call(this, itemIndex, true);
}
