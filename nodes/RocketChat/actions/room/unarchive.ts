import { archiveOperation } from './pairs';

const operation = archiveOperation({
	operation: 'unarchive',
	archive: false,
	verb: 'Unarchiving',
	grantedTo: 'admins only',
	roomDescription: 'The archived channel or private group to restore',
});

export const description = operation.description;
export const execute = operation.execute;
