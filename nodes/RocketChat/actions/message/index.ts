import type { INodeProperties } from 'n8n-workflow';

import * as addReaction from './addReaction';
import * as deleteMessage from './delete';
import * as followThread from './followThread';
import * as get from './get';
import * as getMany from './getMany';
import * as getMentioned from './getMentioned';
import * as getPinned from './getPinned';
import * as getReadReceipts from './getReadReceipts';
import * as getStarred from './getStarred';
import * as getThreadMessages from './getThreadMessages';
import * as getThreads from './getThreads';
import * as pin from './pin';
import * as removeReaction from './removeReaction';
import * as report from './report';
import * as search from './search';
import * as send from './send';
import * as star from './star';
import * as unfollowThread from './unfollowThread';
import * as unpin from './unpin';
import * as unstar from './unstar';
import * as update from './update';

export {
	addReaction,
	deleteMessage as delete,
	followThread,
	get,
	getMany,
	getMentioned,
	getPinned,
	getReadReceipts,
	getStarred,
	getThreadMessages,
	getThreads,
	pin,
	removeReaction,
	report,
	search,
	send,
	star,
	unfollowThread,
	unpin,
	unstar,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{ name: 'Add Reaction', value: 'addReaction', description: 'React to a message with an emoji', action: 'Add a reaction to a message' },
			{ name: 'Delete', value: 'delete', description: 'Delete a message', action: 'Delete a message' },
			{ name: 'Follow Thread', value: 'followThread', description: 'Follow a thread to be notified of its replies', action: 'Follow a thread' },
			{ name: 'Get', value: 'get', description: 'Get a message by its ID', action: 'Get a message' },
			{ name: 'Get Many', value: 'getMany', description: 'Get the messages of a room, newest first', action: 'Get many messages' },
			{ name: 'Get Mentioned', value: 'getMentioned', description: 'Get the messages of a room that mention the user', action: 'Get mentioned messages' },
			{ name: 'Get Pinned', value: 'getPinned', description: 'Get the pinned messages of a room', action: 'Get pinned messages' },
			{ name: 'Get Read Receipts', value: 'getReadReceipts', description: 'Get who read a message and when (Enterprise)', action: 'Get read receipts of a message' },
			{ name: 'Get Starred', value: 'getStarred', description: 'Get the messages of a room the user starred', action: 'Get starred messages' },
			{ name: 'Get Thread Messages', value: 'getThreadMessages', description: 'Get the replies of a thread', action: 'Get the messages of a thread' },
			{ name: 'Get Threads', value: 'getThreads', description: 'Get the threads of a room', action: 'Get the threads of a room' },
			{ name: 'Pin', value: 'pin', description: 'Pin a message to its room', action: 'Pin a message' },
			{ name: 'Remove Reaction', value: 'removeReaction', description: 'Remove an emoji reaction of the user from a message', action: 'Remove a reaction from a message' },
			{ name: 'Report', value: 'report', description: 'Report a message to the moderators', action: 'Report a message' },
			{ name: 'Search', value: 'search', description: 'Search the messages of a room', action: 'Search messages' },
			{ name: 'Send', value: 'send', description: 'Send a message to a room or a user', action: 'Send a message' },
			{ name: 'Star', value: 'star', description: 'Star a message for the user', action: 'Star a message' },
			{ name: 'Unfollow Thread', value: 'unfollowThread', description: 'Stop following a thread', action: 'Unfollow a thread' },
			{ name: 'Unpin', value: 'unpin', description: 'Unpin a message', action: 'Unpin a message' },
			{ name: 'Unstar', value: 'unstar', description: 'Remove the user\'s star from a message', action: 'Unstar a message' },
			{ name: 'Update', value: 'update', description: 'Edit the text of a message', action: 'Update a message' },
		],
		default: 'send',
	},
	...send.description,
	...get.description,
	...getMany.description,
	...update.description,
	...deleteMessage.description,
	...addReaction.description,
	...removeReaction.description,
	...pin.description,
	...unpin.description,
	...star.description,
	...unstar.description,
	...search.description,
	...getStarred.description,
	...getMentioned.description,
	...getPinned.description,
	...getReadReceipts.description,
	...getThreadMessages.description,
	...getThreads.description,
	...followThread.description,
	...unfollowThread.description,
	...report.description,
];
