import { roomMessageList } from './roomList';

const list = roomMessageList('getStarred', 'chat.getStarredMessages', 'The room whose messages starred by the user of these credentials to get');

export const description = list.description;
export const execute = list.execute;
