import { favoriteOperation } from './pairs';

const operation = favoriteOperation({
	operation: 'unfavorite',
	favorite: false,
	roomDescription: 'The room to remove from the favourites of the user of these credentials',
});

export const description = operation.description;
export const execute = operation.execute;
