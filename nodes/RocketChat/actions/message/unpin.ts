import { messageFlagOperation, pinHints } from './simple';

const operation = messageFlagOperation({
	operation: 'unpin',
	endpoint: 'chat.unPinMessage',
	idDescription: 'ID of the pinned message to unpin',
	hints: pinHints('Unpinning'),
	state: { pinned: false },
});

export const description = operation.description;
export const execute = operation.execute;
