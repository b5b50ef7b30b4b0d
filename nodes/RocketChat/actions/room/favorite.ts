import { favoriteOperation } from './pairs';

const operation = favoriteOperation({
	operation: 'favorite',
	favorite: true,
	roomDescription: 'The room to mark as a favourite of the user of these credentials',
});

export const description = operation.description;
export const execute = operation.execute;
