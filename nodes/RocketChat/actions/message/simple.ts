import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ErrorHints } from '../../../shared/errors';
import { rocketChatApiRequest } from '../../../shared/transport';
import { readMessageId } from './common';

/** A POST on one message whose answer is only `{success}`; returns the request's answer. */
export async function postOnMessage(
	this: IExecuteFunctions,
	itemIndex: number,
	endpoint: string,
	key: 'messageId' | 'mid',
	hints: ErrorHints,
	what = 'message',
): Promise<{ messageId: string; body: IDataObject }> {
	const messageId = readMessageId.call(this, itemIndex, what);
	const body = await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint,
		body: { [key]: messageId },
		itemIndex,
		idempotent: true,
		hints,
	});
	return { messageId, body };
}
