import { muteOperation } from './pairs';

const operation = muteOperation({ operation: 'muteUser', endpoint: 'rooms.muteUser', muted: true, verb: 'mute' });

export const description = operation.description;
export const execute = operation.execute;
