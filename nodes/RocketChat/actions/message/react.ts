import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { rocketChatApiRequest } from '../../../shared/transport';
import { messageIdParameter, NOT_FOUND_HINT, normalizeEmoji, readMessageId, showFor } from './common';
import type { MessageOperation } from './simple';

/**
 * Add Reaction / Remove Reaction: `chat.react` with `shouldReact` set, so repeating it never toggles the
 * reaction back. Each operation's file calls this with what differs (name, wording).
 */
export function reactionOperation(spec: {
	operation: 'addReaction' | 'removeReaction';
	shouldReact: boolean;
	/** The description of the Message ID parameter. */
	idDescription: string;
	/** What Rocket.Chat refused, in errors, e.g. "to remove the reaction". */
	refused: string;
}): MessageOperation {
	const properties: INodeProperties[] = [
		messageIdParameter(spec.idDescription),
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
	return {
		description: updateDisplayOptions({ show: showFor(spec.operation) }, properties),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const messageId = readMessageId.call(this, itemIndex);
			const emoji = normalizeEmoji.call(this, this.getNodeParameter('emoji', itemIndex, ''), itemIndex);
			await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: 'chat.react',
				body: { messageId, emoji, shouldReact: spec.shouldReact },
				itemIndex,
				idempotent: true,
				hints: {
					byErrorType: {
						'error-message-not-found': NOT_FOUND_HINT,
						'error-not-allowed': `Rocket.Chat refused ${spec.refused}: the emoji ${emoji} does not exist on this server (check its name, e.g. thumbsup), or the user cannot access the message's room.`,
					},
				},
			});
			return [{ success: true, messageId, emoji, reacted: spec.shouldReact }];
		},
	};
}
