import { reactionOperation } from './react';

const operation = reactionOperation({
	operation: 'removeReaction',
	shouldReact: false,
	idDescription: 'ID of the message to remove the reaction from',
	refused: 'to remove the reaction',
});

export const description = operation.description;
export const execute = operation.execute;
