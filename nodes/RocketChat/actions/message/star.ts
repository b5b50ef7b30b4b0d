import { messageFlagOperation, starHints } from './simple';

const operation = messageFlagOperation({
	operation: 'star',
	endpoint: 'chat.starMessage',
	idDescription: 'ID of the message to star for the user of these credentials',
	hints: starHints('Starring'),
	state: { starred: true },
});

export const description = operation.description;
export const execute = operation.execute;
