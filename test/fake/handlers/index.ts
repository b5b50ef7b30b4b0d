/** Registers the default routes; one module per API area, each exporting `register(server)`. */
import type { FakeRocketChat } from '../server';
import * as auth from './auth';
import * as chat from './chat';
import * as history from './history';
import * as info from './info';
import * as rooms from './rooms';
import * as roomAdmin from './room-admin';
import * as roomTypes from './room-types';
import * as settings from './settings';
import * as subscriptions from './subscriptions';
import * as uploads from './uploads';
import * as users from './users';
import * as usersSearch from './users-search';

export const handlerModules: ReadonlyArray<{ register(server: FakeRocketChat): void }> = [auth, info, subscriptions, rooms, users, chat, history, roomTypes, roomAdmin, uploads, usersSearch, settings];

export function registerDefaultHandlers(server: FakeRocketChat): void {
	for (const module of handlerModules) {
		module.register(server);
	}
}
