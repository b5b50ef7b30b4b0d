import { muteOperation } from './pairs';

const operation = muteOperation({ operation: 'unmuteUser', endpoint: 'rooms.unmuteUser', muted: false, verb: 'unmute' });

export const description = operation.description;
export const execute = operation.execute;
