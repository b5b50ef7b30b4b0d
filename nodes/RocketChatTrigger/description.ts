import type { INodeProperties } from 'n8n-workflow';

import { filtersCollection, optionsCollection, roomLocator } from '../shared/descriptions';
import { MESSAGE_ROOM_TYPES, roomTypeOptions } from '../shared/roomTypes';

/** Parameters of the Rocket.Chat Trigger. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Receive Via',
		name: 'receiveVia',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Realtime (WebSocket)',
				value: 'realtime',
				description:
					"Rocket.Chat's Realtime API: messages arrive within a second. Needs no public URL and no admin rights.",
			},
			{
				name: 'Polling',
				value: 'polling',
				description: 'Ask the REST API for new messages at a fixed interval',
			},
		],
		default: 'realtime',
		description:
			'How new messages reach n8n. Both modes catch up on messages sent while the workflow was inactive or the connection was down, and deliver each message once.',
	},
	{
		displayName: 'Poll Every',
		name: 'pollInterval',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, maxValue: 59 },
		description: 'How often to ask Rocket.Chat for new messages, in the unit below',
		displayOptions: { show: { receiveVia: ['polling'] } },
	},
	{
		displayName: 'Unit',
		name: 'pollUnit',
		type: 'options',
		options: [
			{ name: 'Seconds', value: 'seconds' },
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
		],
		default: 'minutes',
		description:
			"Unit of Poll Every. Each poll costs one rooms.get call plus one history call per room with new messages; Rocket.Chat's default rate limit is 10 calls per minute per endpoint unless the account has the bot role.",
		displayOptions: { show: { receiveVia: ['polling'] } },
	},
	{
		displayName: 'Rooms',
		name: 'roomScope',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'All My Rooms',
				value: 'all',
				description: 'Every channel, private group and direct message the user is a member of',
			},
			{
				name: 'Selected Rooms',
				value: 'selected',
				description: 'Only the rooms chosen below (public channels need not be joined)',
			},
		],
		default: 'all',
		description: 'Which rooms to watch for new messages',
	},
	{
		displayName: 'Selected Rooms',
		name: 'rooms',
		type: 'fixedCollection',
		placeholder: 'Add Room',
		typeOptions: { multipleValues: true },
		default: { room: [{ roomId: { mode: 'list', value: '' } }] },
		description: 'The rooms to watch',
		displayOptions: { show: { roomScope: ['selected'] } },
		options: [
			{
				displayName: 'Room',
				name: 'room',
				values: [roomLocator({ description: 'A room to watch (channel, private group or direct message)' })],
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return a simplified version of the response instead of the raw data (the raw data is the Rocket.Chat message object)',
	},
	filtersCollection([
		{
			displayName: 'Ignore Bots',
			name: 'ignoreBots',
			type: 'boolean',
			default: false,
			description: 'Whether to skip messages posted by integrations and bots (messages that carry a "bot" field)',
		},
		{
			displayName: 'Ignore System Messages',
			name: 'ignoreSystemMessages',
			type: 'boolean',
			default: true,
			description: 'Whether to skip system messages such as "user joined" or "message pinned" (messages with a type "t")',
		},
		{
			displayName: 'Include Edits',
			name: 'includeEdits',
			type: 'boolean',
			default: false,
			description:
				'Whether to also start the workflow when a message is edited (the output then has isEdit true), once per edit: live in Realtime mode, and at each poll or catch-up for edits made within Max Catch-Up Age (read with chat.syncMessages). Off: an edit is not a new message.',
		},
		{
			displayName: 'Include My Own Messages',
			name: 'includeOwnMessages',
			type: 'boolean',
			default: false,
			description:
				'Whether to include messages sent by the user of these credentials (off avoids loops when the workflow replies)',
		},
		{
			displayName: 'Only When I Am Mentioned',
			name: 'onlyMentions',
			type: 'boolean',
			default: false,
			description: 'Whether to only include messages that mention the user of these credentials by @username',
		},
		{
			displayName: 'Room Types',
			name: 'roomTypes',
			type: 'multiOptions',
			options: roomTypeOptions(['c', 'd', 'p']),
			default: [...MESSAGE_ROOM_TYPES],
			description: 'Only include messages from rooms of these types',
		},
		{
			displayName: 'Text Contains',
			name: 'textContains',
			type: 'string',
			default: '',
			placeholder: 'e.g. deploy',
			description: 'Only include messages whose text contains this, ignoring case',
		},
		{
			displayName: 'Text Matches Regex',
			name: 'textRegex',
			type: 'string',
			default: '',
			placeholder: 'e.g. ^!(deploy|rollback)\\b or /urgent/i',
			description:
				'Only include messages whose text matches this JavaScript regular expression; write /pattern/flags to give flags',
		},
		{
			displayName: 'Threads',
			name: 'threads',
			type: 'options',
			options: [
				{ name: 'All Messages', value: 'all', description: 'Room messages and thread replies' },
				{ name: 'Top-Level Only', value: 'topLevel', description: 'Skip thread replies' },
				{ name: 'Replies Only', value: 'replies', description: 'Only thread replies' },
			],
			default: 'all',
			description: 'Which messages to include with respect to threads',
		},
	], { description: 'Only start the workflow for messages that pass all of these' }),
	optionsCollection([
		{
			displayName: 'Download Attachments',
			name: 'downloadAttachments',
			type: 'boolean',
			default: false,
			description:
				'Whether to download the files of a message into binary properties attachment_0, attachment_1, …',
		},
		{
			displayName: 'Late Message Window (Seconds)',
			name: 'lateMessageWindow',
			type: 'number',
			default: 60,
			typeOptions: { minValue: 1, numberPrecision: 2 },
			description:
				'How late a message may become visible after its time stamp and still be delivered: Rocket.Chat stamps a message before saving it, and servers behind a load balancer have their own clocks. Each read goes back this far and skips what was delivered. Raise it if server clocks differ by more.',
		},
		{
			displayName: 'Max Catch-Up Age (Hours)',
			name: 'maxCatchUpAgeHours',
			type: 'number',
			default: 24,
			typeOptions: { minValue: 0, numberPrecision: 2 },
			description:
				'After n8n was stopped or the connection was down, deliver missed messages at most this old; 0 for no age limit',
		},
		{
			displayName: 'Max Catch-Up Count',
			name: 'maxCatchUpCount',
			type: 'number',
			default: 500,
			typeOptions: { minValue: 1 },
			description:
				'Deliver at most this many missed messages per room when catching up or per poll (the newest ones, with a warning in the log)',
		},
		{
			displayName: 'Max Executions in Flight',
			name: 'maxInFlight',
			type: 'number',
			default: 5,
			typeOptions: { minValue: 1 },
			description:
				'At most this many executions of this trigger run at once; further messages wait, in order, until one finishes. Keeps a catch-up after a long downtime from overloading n8n.',
		},
		{
			displayName: 'Max Reconnect Delay (Seconds)',
			name: 'reconnectMaxDelay',
			type: 'number',
			default: 30,
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			description: 'Realtime: the longest wait between two reconnect attempts',
		},
		{
			displayName: 'Ping Interval (Seconds)',
			name: 'pingInterval',
			type: 'number',
			default: 30,
			typeOptions: { minValue: 0.05, numberPrecision: 2 },
			description:
				'Realtime: send a ping after this much silence, and reconnect when the server stays silent as long again',
		},
		{
			displayName: 'Reconnect Delay (Seconds)',
			name: 'reconnectDelay',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			description: 'Realtime: first wait before reconnecting; it doubles (with jitter) after each failed attempt',
		},
	]),
];
