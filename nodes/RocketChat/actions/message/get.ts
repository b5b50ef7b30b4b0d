import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplifyOption } from '../../../shared/descriptions';
import { getMessageById, messageIdParameter, readMessageId, showFor, simplifyMessage } from './common';

const show = showFor('get');

const properties: INodeProperties[] = [
	messageIdParameter('ID of the message to get (the _id of a message)'),
	simplifyOption(show),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const messageId = readMessageId.call(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const message = await getMessageById.call(this, messageId, itemIndex);
	return [simplify ? simplifyMessage(message) : message];
}
