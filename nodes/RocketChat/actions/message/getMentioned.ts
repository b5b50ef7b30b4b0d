import { roomMessageList } from './roomList';

const list = roomMessageList('getMentioned', 'chat.getMentionedMessages', 'The room whose messages that mention the user of these credentials to get');

export const description = list.description;
export const execute = list.execute;
