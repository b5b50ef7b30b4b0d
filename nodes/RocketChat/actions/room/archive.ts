import { archiveOperation } from './pairs';

const operation = archiveOperation({
	operation: 'archive',
	archive: true,
	verb: 'Archiving',
	grantedTo: 'admins and room owners',
	roomDescription: 'The channel or private group to archive (read only, hidden from the directory)',
});

export const description = operation.description;
export const execute = operation.execute;
