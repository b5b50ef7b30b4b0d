import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MESSAGE_ROOM_TYPES } from '../shared/roomTypes';

export interface Me {
	id: string;
	username: string;
}

export interface MessageFilters {
	roomTypes: Set<string>;
	includeOwnMessages: boolean;
	ignoreBots: boolean;
	ignoreSystemMessages: boolean;
	threads: 'all' | 'topLevel' | 'replies';
	onlyMentions: boolean;
	textContains: string;
	textRegex?: RegExp;
	includeEdits: boolean;
}

/** `/pattern/flags` or a bare pattern. */
export function parseRegex(node: INode, raw: string): RegExp | undefined {
	const source = raw.trim();
	if (!source) return undefined;
	const slashed = /^\/(.*)\/([a-z]*)$/s.exec(source);
	try {
		return slashed ? new RegExp(slashed[1], slashed[2]) : new RegExp(source);
	} catch (error) {
		throw new NodeOperationError(node, `The regular expression "${source}" in Text Matches Regex is not valid`, {
			description: `${(error as Error).message}. Write a JavaScript regular expression, e.g. ^!deploy\\b, or /urgent/i with flags.`,
		});
	}
}

/** Reads the Filters collection; an invalid regular expression fails here, at activation. */
export function readFilters(node: INode, raw: IDataObject): MessageFilters {
	const roomTypes = Array.isArray(raw.roomTypes) && raw.roomTypes.length ? (raw.roomTypes as string[]) : [...MESSAGE_ROOM_TYPES];
	const threads = raw.threads === 'topLevel' || raw.threads === 'replies' ? raw.threads : 'all';
	return {
		roomTypes: new Set(roomTypes),
		includeOwnMessages: raw.includeOwnMessages === true,
		ignoreBots: raw.ignoreBots === true,
		ignoreSystemMessages: raw.ignoreSystemMessages !== false,
		threads,
		onlyMentions: raw.onlyMentions === true,
		textContains: typeof raw.textContains === 'string' ? raw.textContains : '',
		textRegex: typeof raw.textRegex === 'string' ? parseRegex(node, raw.textRegex) : undefined,
		includeEdits: raw.includeEdits === true,
	};
}

/** Whether a message passes the filters (room scope and room type are checked by the caller). */
export function passesFilters(filters: MessageFilters, message: IDataObject, me: Me | undefined): boolean {
	const author = (message.u ?? {}) as IDataObject;
	if (!filters.includeOwnMessages && me && author._id === me.id) return false;
	if (filters.ignoreBots && message.bot) return false;
	if (filters.ignoreSystemMessages && typeof message.t === 'string' && message.t !== '') return false;
	const isReply = typeof message.tmid === 'string' && message.tmid !== '';
	if (filters.threads === 'topLevel' && isReply) return false;
	if (filters.threads === 'replies' && !isReply) return false;
	const text = typeof message.msg === 'string' ? message.msg : '';
	if (filters.onlyMentions) {
		const mentions = Array.isArray(message.mentions) ? (message.mentions as IDataObject[]) : [];
		const mentioned = !!me && mentions.some((mention) => mention._id === me.id || mention.username === me.username);
		if (!mentioned) return false;
	}
	if (filters.textContains && !text.toLowerCase().includes(filters.textContains.toLowerCase())) return false;
	if (filters.textRegex) {
		filters.textRegex.lastIndex = 0;
		if (!filters.textRegex.test(text)) return false;
	}
	return true;
}
