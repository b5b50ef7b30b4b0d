import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { changeArchivedState, showFor } from './common';

const show = showFor('unarchive');

const properties: INodeProperties[] = [roomLocator({ description: 'The archived channel or private group to restore' })];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await changeArchivedState.call(this, itemIndex, false);
}
