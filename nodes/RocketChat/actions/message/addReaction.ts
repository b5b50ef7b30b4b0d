import { reactionOperation } from './react';

const operation = reactionOperation({
	operation: 'addReaction',
	shouldReact: true,
	idDescription: 'ID of the message to react to',
	refused: 'the reaction',
});

export const description = operation.description;
export const execute = operation.execute;
