import { roomMessageList } from './roomList';

const list = roomMessageList('getPinned', 'chat.getPinnedMessages', 'The room whose pinned messages to get');

export const description = list.description;
export const execute = list.execute;
