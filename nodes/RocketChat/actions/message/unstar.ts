import { messageFlagOperation, starHints } from './simple';

const operation = messageFlagOperation({
	operation: 'unstar',
	endpoint: 'chat.unStarMessage',
	idDescription: 'ID of the message to remove the star from',
	hints: starHints('Unstarring'),
	state: { starred: false },
});

export const description = operation.description;
export const execute = operation.execute;
