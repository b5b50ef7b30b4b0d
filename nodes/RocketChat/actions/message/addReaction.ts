import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { showFor } from './common';
import { react, reactionProperties } from './react';

export const description = updateDisplayOptions({ show: showFor('addReaction') }, reactionProperties('add'));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await react.call(this, itemIndex, true);
}
