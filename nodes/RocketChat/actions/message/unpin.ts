import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { messageIdParameter, showFor } from './common';
import { PIN_HINTS } from './pin';
import { postOnMessage } from './simple';

const properties: INodeProperties[] = [messageIdParameter('ID of the pinned message to unpin')];

export const description = updateDisplayOptions({ show: showFor('unpin') }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { messageId } = await postOnMessage.call(this, itemIndex, 'chat.unPinMessage', 'messageId', PIN_HINTS);
	return [{ success: true, messageId, pinned: false }];
}
