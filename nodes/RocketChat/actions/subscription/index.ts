import type { INodeProperties } from 'n8n-workflow';

import * as get from './get';
import * as getMany from './getMany';
import * as markAsRead from './markAsRead';
import * as markAsUnread from './markAsUnread';

export { get, getMany, markAsRead, markAsUnread };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['subscription'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: "Get the user's subscription to a room (unread counts, last seen)",
				action: 'Get a subscription',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: "Get the user's subscriptions, one per room",
				action: 'Get many subscriptions',
			},
			{
				name: 'Mark as Read',
				value: 'markAsRead',
				description: 'Mark all messages of a room as read',
				action: 'Mark a room as read',
			},
			{
				name: 'Mark as Unread',
				value: 'markAsUnread',
				description: 'Mark a room, or a room from a message on, as unread',
				action: 'Mark a room as unread',
			},
		],
		default: 'getMany',
	},
	...get.description,
	...getMany.description,
	...markAsRead.description,
	...markAsUnread.description,
];
