import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { rocketChatApiRequest } from '../../../shared/transport';
import { messageIdParameter, NOT_FOUND_HINT, normalizeEmoji, readMessageId } from './common';

export function reactionProperties(verb: 'add' | 'remove'): INodeProperties[] {
	return [
		messageIdParameter(verb === 'add' ? 'ID of the message to react to' : 'ID of the message to remove the reaction from'),
		{
			displayName: 'Emoji',
			name: 'emoji',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. thumbsup or :tada:',
			description: 'Name of the emoji, with or without colons (e.g. white_check_mark or :white_check_mark:)',
		},
	];
}

/** `chat.react` with `shouldReact` set, so repeating it never toggles the reaction back. */
export async function react(this: IExecuteFunctions, itemIndex: number, shouldReact: boolean): Promise<IDataObject[]> {
	const messageId = readMessageId.call(this, itemIndex);
	const emoji = normalizeEmoji.call(this, this.getNodeParameter('emoji', itemIndex, ''), itemIndex);
	await rocketChatApiRequest.call(this, {
		method: 'POST',
		endpoint: 'chat.react',
		body: { messageId, emoji, shouldReact },
		itemIndex,
		idempotent: true,
		hints: {
			byErrorType: {
				'error-message-not-found': NOT_FOUND_HINT,
				'error-not-allowed': `Rocket.Chat refused the reaction: the emoji ${emoji} does not exist on this server (check its name, e.g. thumbsup), or the user cannot access the message's room.`,
			},
		},
	});
	return [{ success: true, messageId, emoji, reacted: shouldReact }];
}
