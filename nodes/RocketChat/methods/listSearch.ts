/** Searchable lists of the resource locators ("From list" mode). */
export { searchRooms } from '../../shared/rooms';
export { searchUsers } from '../../shared/users';
