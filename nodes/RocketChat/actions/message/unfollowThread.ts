import { THREAD_HINTS } from './common';
import { messageFlagOperation } from './simple';

const operation = messageFlagOperation({
	operation: 'unfollowThread',
	endpoint: 'chat.unfollowMessage',
	idDescription: 'ID of the thread\'s first message (the thread to stop following)',
	thread: true,
	hints: THREAD_HINTS,
	state: { following: false },
});

export const description = operation.description;
export const execute = operation.execute;
