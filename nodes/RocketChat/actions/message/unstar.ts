import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { messageIdParameter, showFor } from './common';
import { postOnMessage } from './simple';
import { STAR_HINTS } from './star';

const properties: INodeProperties[] = [messageIdParameter('ID of the message to remove the star from')];

export const description = updateDisplayOptions({ show: showFor('unstar') }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { messageId } = await postOnMessage.call(this, itemIndex, 'chat.unStarMessage', 'messageId', STAR_HINTS);
	return [{ success: true, messageId, starred: false }];
}
