import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, roomLocator } from '../../../shared/descriptions';
import { iterateHistory } from '../../../shared/history';
import { resolveRoom, resolveRoomId } from '../../../shared/rooms';
import type { RocketChatRequest } from '../../../shared/transport';
import { rocketChatApiRequest } from '../../../shared/transport';
import { parseUsernames } from '../../../shared/users';
import { showFor, toIsoDate, typePrefix } from './common';

const show = showFor('cleanHistory');

const UNIT_MS: Record<string, number> = {
	minutes: 60_000,
	hours: 3_600_000,
	days: 86_400_000,
	weeks: 604_800_000,
};

/** Rocket.Chat's `oldest` is required: the start of time when only an end is given. */
const BEGINNING = '1970-01-01T00:00:00.000Z';
const DEFAULT_BATCH = 1000;

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room whose messages to delete' }),
	{
		displayName: 'Range',
		name: 'range',
		type: 'options',
		default: 'olderThan',
		options: [
			{
				name: 'Older Than',
				value: 'olderThan',
				description: 'Messages older than a period counted back from the time of the run (for scheduled cleanups)',
			},
			{
				name: 'Between Dates',
				value: 'between',
				description: 'Messages between two dates and times',
			},
		],
		description: 'How to choose the messages to delete',
	},
	{
		displayName: 'Older Than',
		name: 'olderThan',
		type: 'number',
		default: 30,
		typeOptions: { minValue: 0 },
		description: 'Delete messages older than this many units (see Unit), counted back from now',
		displayOptions: { show: { range: ['olderThan'] } },
	},
	{
		displayName: 'Unit',
		name: 'olderThanUnit',
		type: 'options',
		default: 'days',
		options: [
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
			{ name: 'Weeks', value: 'weeks' },
		],
		description: 'Unit of Older Than',
		displayOptions: { show: { range: ['olderThan'] } },
	},
	{
		displayName: 'Oldest',
		name: 'oldest',
		type: 'dateTime',
		default: '',
		description: 'Start of the range; empty: from the first message of the room',
		displayOptions: { show: { range: ['between'] } },
	},
	{
		displayName: 'Latest',
		name: 'latest',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'End of the range',
		displayOptions: { show: { range: ['between'] } },
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only count the messages and files that would be deleted, and list the discussions that would be erased, changing nothing (computed from the room history with the same filters)',
	},
	optionsCollection([
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			default: DEFAULT_BATCH,
			typeOptions: { minValue: 1 },
			description: 'Messages deleted per request; big rooms are cleaned in several requests of this size',
		},
		{
			displayName: 'Exclude Pinned',
			name: 'excludePinned',
			type: 'boolean',
			default: false,
			description: 'Whether to keep pinned messages',
		},
		{
			displayName: 'Files Only',
			name: 'filesOnly',
			type: 'boolean',
			default: false,
			description: 'Whether to delete only the files and keep the messages (their attachments are replaced by a note)',
		},
		{
			displayName: 'Ignore Discussions',
			name: 'ignoreDiscussion',
			type: 'boolean',
			default: true,
			description:
				'Whether to keep discussions (on unless turned off here). Off: every discussion started in the range is deleted as a whole room, with all its messages; Dry Run lists them.',
		},
		{
			displayName: 'Ignore Threads',
			name: 'ignoreThreads',
			type: 'boolean',
			default: false,
			description: 'Whether to keep thread messages (thread starts and replies)',
		},
		{
			displayName: 'Inclusive',
			name: 'inclusive',
			type: 'boolean',
			default: false,
			description: 'Whether messages exactly at Oldest or Latest are deleted too',
		},
		{
			displayName: 'Limit',
			name: 'maxMessages',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description: 'Delete at most this many messages in this run; 0: all that match',
		},
		{
			displayName: 'Only From Users',
			name: 'users',
			type: 'string',
			default: '',
			placeholder: 'e.g. alice, bob',
			description: 'Delete only messages of these usernames (separated by commas); empty: everyone',
		},
	]),
];

export const description = updateDisplayOptions({ show }, properties);

interface CleanFilters {
	oldest: string;
	latest: string;
	inclusive: boolean;
	excludePinned: boolean;
	filesOnly: boolean;
	ignoreDiscussion: boolean;
	ignoreThreads: boolean;
	users: string[];
	limit: number;
}

function readRange(this: IExecuteFunctions, itemIndex: number): { oldest: string; latest: string } {
	const range = this.getNodeParameter('range', itemIndex, 'olderThan') as string;
	if (range === 'between') {
		const latest = toIsoDate.call(this, this.getNodeParameter('latest', itemIndex, ''), itemIndex, 'Latest');
		if (!latest) {
			throw new NodeOperationError(this.getNode(), 'No end of the range given in "Latest"', {
				itemIndex,
				description: 'Enter the date and time up to which messages are deleted, e.g. {{ $now.minus(30, "days") }}.',
			});
		}
		const oldest = toIsoDate.call(this, this.getNodeParameter('oldest', itemIndex, ''), itemIndex, 'Oldest') ?? BEGINNING;
		if (Date.parse(oldest) > Date.parse(latest)) {
			throw new NodeOperationError(this.getNode(), 'Oldest is after Latest', {
				itemIndex,
				description: `The range ${oldest} – ${latest} is empty: swap the two dates.`,
			});
		}
		return { oldest, latest };
	}
	const amount = Number(this.getNodeParameter('olderThan', itemIndex, 30));
	const unit = this.getNodeParameter('olderThanUnit', itemIndex, 'days') as string;
	if (!Number.isFinite(amount) || amount < 0 || !UNIT_MS[unit]) {
		throw new NodeOperationError(this.getNode(), `"${String(amount)} ${unit}" is not a valid age`, {
			itemIndex,
			description: 'Older Than needs a number of minutes, hours, days or weeks, e.g. 30 days.',
		});
	}
	return { oldest: BEGINNING, latest: new Date(Date.now() - amount * UNIT_MS[unit]).toISOString() };
}

function hasFile(message: IDataObject): boolean {
	return !!message.file || (Array.isArray(message.files) && message.files.length > 0);
}

/** The selection of `cleanRoomHistory` (apps/meteor/app/lib/server/functions/cleanRoomHistory.ts). */
function matches(message: IDataObject, filters: CleanFilters): boolean {
	const ts = Date.parse(String(message.ts));
	const oldest = Date.parse(filters.oldest);
	const latest = Date.parse(filters.latest);
	if (filters.inclusive ? ts < oldest || ts > latest : ts <= oldest || ts >= latest) return false;
	if (filters.excludePinned && message.pinned === true) return false;
	if (filters.ignoreDiscussion && message.drid) return false;
	if (filters.ignoreThreads && (message.tmid || message.tcount)) return false;
	if (filters.users.length) {
		const username = String((message.u as IDataObject | undefined)?.username ?? '').toLowerCase();
		if (!filters.users.some((user) => user.toLowerCase() === username)) return false;
	}
	if (filters.filesOnly && !hasFile(message)) return false;
	return true;
}

/**
 * Whether the run deletes the discussion this message started: without `ignoreDiscussion` the server erases
 * each discussion whose first message is in the range (`cleanRoomHistory`: `deleteRoom(drid)`), threads or not.
 */
function erasesDiscussion(message: IDataObject, filters: CleanFilters): boolean {
	if (filters.ignoreDiscussion || filters.filesOnly || typeof message.drid !== 'string' || !message.drid) return false;
	return matches(message, { ...filters, ignoreThreads: false });
}

async function dryRun(this: IExecuteFunctions, itemIndex: number, filters: CleanFilters): Promise<IDataObject> {
	const room = await resolveRoom.call(this, itemIndex);
	typePrefix.call(this, room, itemIndex, { action: 'Cleaning the history' });
	const send = (request: RocketChatRequest) => rocketChatApiRequest.call(this, request);
	let messages = 0;
	let files = 0;
	const discussions: IDataObject[] = [];
	const cap = filters.limit > 0 ? filters.limit : Infinity;
	for await (const page of iterateHistory(send, {
		roomId: room._id,
		roomType: String(room.t),
		oldest: Date.parse(filters.oldest),
		oldestInclusive: filters.inclusive,
		latest: Date.parse(filters.latest),
		latestInclusive: filters.inclusive,
		showThreadMessages: true,
		request: { itemIndex },
	})) {
		for (const message of page) {
			if (erasesDiscussion(message, filters) && discussions.length < cap) {
				discussions.push({ roomId: message.drid, name: message.msg, messages: Number(message.dcount ?? 0) || 0 });
			}
			if (messages >= cap || !matches(message, filters)) continue;
			messages++;
			if (hasFile(message)) files += Array.isArray(message.files) && message.files.length ? message.files.length : 1;
		}
		if (messages >= cap) break;
	}
	return {
		roomId: room._id,
		dryRun: true,
		oldest: filters.oldest,
		latest: filters.latest,
		// What `rooms.cleanHistory` would answer: messages deleted, or files removed with Files Only.
		count: messages,
		messages: filters.filesOnly ? 0 : messages,
		files,
		// Rooms `rooms.cleanHistory` would delete with Ignore Discussions off (their message counts from `dcount`).
		discussions,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { oldest, latest } = readRange.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const limit = Math.max(0, Math.floor(Number(options.maxMessages ?? 0) || 0));
	const batchSize = Math.max(1, Math.floor(Number(options.batchSize ?? DEFAULT_BATCH) || DEFAULT_BATCH));
	const filters: CleanFilters = {
		oldest,
		latest,
		inclusive: options.inclusive === true,
		excludePinned: options.excludePinned === true,
		filesOnly: options.filesOnly === true,
		// Kept unless turned off: Rocket.Chat's REST default (false) deletes whole discussion rooms.
		ignoreDiscussion: options.ignoreDiscussion !== false,
		ignoreThreads: options.ignoreThreads === true,
		users: parseUsernames(options.users),
		limit,
	};

	if (this.getNodeParameter('dryRun', itemIndex, false) === true) {
		return [await dryRun.call(this, itemIndex, filters)];
	}

	const roomId = await resolveRoomId.call(this, itemIndex);
	const base: IDataObject = {
		roomId,
		oldest,
		latest,
		inclusive: filters.inclusive,
		excludePinned: filters.excludePinned,
		filesOnly: filters.filesOnly,
		ignoreDiscussion: filters.ignoreDiscussion,
		ignoreThreads: filters.ignoreThreads,
	};
	if (filters.users.length) base.users = filters.users;

	let count = 0;
	let batches = 0;
	for (;;) {
		const remaining = limit > 0 ? limit - count : Infinity;
		if (remaining <= 0) break;
		const batch = Math.min(batchSize, remaining);
		const body = await rocketChatApiRequest.call(this, {
			method: 'POST',
			endpoint: 'rooms.cleanHistory',
			body: { ...base, limit: batch },
			itemIndex,
			// Deleting what is already gone deletes nothing: safe to repeat after a lost answer.
			idempotent: true,
			hints: {
				permission: 'clean-channel-history',
				byErrorType: {
					'error-not-allowed':
						'The Rocket.Chat user lacks the "clean-channel-history" permission for this room. Ask an admin to grant it (Administration › Permissions), or use an admin account.',
				},
			},
		});
		batches++;
		const deleted = Number(body.count ?? 0) || 0;
		count += deleted;
		if (deleted === 0 || deleted < batch) break;
	}
	return [{ roomId, dryRun: false, oldest, latest, count, batches }];
}
