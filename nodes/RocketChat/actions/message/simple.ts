import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ErrorHints } from '../../../shared/errors';
import { rocketChatApiRequest } from '../../../shared/transport';
import { messageIdParameter, NOT_FOUND_HINT, readMessageId, showFor } from './common';

export interface MessageOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]>;
}

/**
 * The message operations that set or clear one flag (Pin / Unpin, Star / Unstar, Follow Thread /
 * Unfollow Thread): a POST on one message whose answer is only `{success}` (Pin's also carries the
 * notice it posted). Each operation's file calls this with what differs (name, endpoint, wording).
 */
export function messageFlagOperation(spec: {
	operation: string;
	endpoint: string;
	/** The description of the Message ID parameter. */
	idDescription: string;
	/** A thread's first message: the parameter reads "Thread Message ID" and is sent as `mid`. */
	thread?: boolean;
	hints: ErrorHints;
	/** The flag in the output, e.g. `{ pinned: true }`. */
	state: IDataObject;
	/** More output from the answer. */
	more?: (messageId: string, answer: IDataObject) => IDataObject;
}): MessageOperation {
	const properties = [
		spec.thread ? messageIdParameter(spec.idDescription, 'Thread Message ID') : messageIdParameter(spec.idDescription),
	];
	return {
		description: updateDisplayOptions({ show: showFor(spec.operation) }, properties),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const messageId = readMessageId.call(this, itemIndex, spec.thread ? 'thread message' : 'message');
			const answer = await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: spec.endpoint,
				body: { [spec.thread ? 'mid' : 'messageId']: messageId },
				itemIndex,
				idempotent: true,
				hints: spec.hints,
			});
			return [{ success: true, messageId, ...spec.state, ...(spec.more?.(messageId, answer) ?? {}) }];
		},
	};
}

/** The errors of Pin and Unpin, naming the action (`verb`: "Pinning", "Unpinning"). */
export function pinHints(verb: string): ErrorHints {
	return {
		byErrorType: {
			'error-message-not-found': NOT_FOUND_HINT,
			'not-authorized': `${verb} needs the "pin-message" permission in the room (admin, owner, moderator by default) and membership of the room. Ask a room owner or an admin.`,
			'error-action-not-allowed': `${verb} is turned off on this server (Message_AllowPinning). Ask an admin to turn it on.`,
		},
	};
}

/** The errors of Star and Unstar, naming the action (`verb`: "Starring", "Unstarring"). */
export function starHints(verb: string): ErrorHints {
	return {
		byErrorType: {
			'error-message-not-found': NOT_FOUND_HINT,
			'error-action-not-allowed': `${verb} is turned off on this server (Message_AllowStarring). Ask an admin to turn it on.`,
		},
	};
}
