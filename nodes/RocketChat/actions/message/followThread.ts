import { THREAD_HINTS } from './common';
import { messageFlagOperation } from './simple';

const operation = messageFlagOperation({
	operation: 'followThread',
	endpoint: 'chat.followMessage',
	idDescription: 'ID of the thread\'s first message (the thread to follow)',
	thread: true,
	hints: THREAD_HINTS,
	state: { following: true },
});

export const description = operation.description;
export const execute = operation.execute;
