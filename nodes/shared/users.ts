import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { rocketChatApiRequest } from './transport';

/** Meteor ids (17 characters) and ids of imported or special users (`rocket.cat`, LDAP ids). */
const USER_ID = /^[A-Za-z0-9_.-]{3,}$/;
/** Rocket.Chat's default `UTF8_User_Names_Validation` is `[0-9a-zA-Z-_.]+`; an optional leading @. */
const USERNAME = /^@?[^\s@#]+$/;

export interface UserRef {
	_id: string;
	username: string;
	name?: string;
}

/**
 * The user picker shared by every resource: From list (`users.autocomplete`), By ID, By Username.
 */
export function userLocator(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'User',
		name: 'userId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The Rocket.Chat user',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a user...',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true, searchFilterRequired: false },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. Kn9WThg3Yc8yxQjgP',
			},
			{
				displayName: 'By Username',
				name: 'username',
				type: 'string',
				placeholder: 'e.g. alice or @alice',
			},
		],
		...overrides,
	};
}

/** Looks a user up with `users.info` by ID or username; answers a clear error when there is none. */
export async function lookupUser(
	this: IExecuteFunctions,
	itemIndex: number,
	by: 'userId' | 'username',
	value: string,
): Promise<UserRef> {
	const shown = by === 'username' ? `@${value}` : `ID "${value}"`;
	const body = await rocketChatApiRequest.call(this, {
		endpoint: 'users.info',
		qs: { [by]: value },
		itemIndex,
		hints: {
			byErrorType: {
				'error-user-not-found': `No user with ${shown}. Check the ${by === 'username' ? 'username' : 'ID'}, or pick the user from the list.`,
			},
		},
	}).catch((error: Error & { description?: string | null }) => {
		if (/User not found/i.test(error.message)) {
			error.description = `No Rocket.Chat user with ${shown}. Check the ${by === 'username' ? 'username' : 'ID'}, or pick the user from the list.`;
		}
		throw error;
	});
	const user = (body.user ?? {}) as IDataObject;
	if (typeof user._id !== 'string') {
		throw new NodeOperationError(this.getNode(), `No Rocket.Chat user with ${shown}`, {
			itemIndex,
			description: 'Check the user, or pick the user from the list.',
		});
	}
	return { _id: user._id, username: String(user.username ?? ''), ...(typeof user.name === 'string' && { name: user.name }) };
}

/** The user chosen in a user locator, as `{_id, username}` (one `users.info` call). */
export async function resolveUser(
	this: IExecuteFunctions,
	itemIndex: number,
	parameter = 'userId',
): Promise<UserRef> {
	// Checked here rather than with regexes in the locator's description: n8n runs those at every execution
	// start in a VM with a 250 ms timeout, which a busy worker can exceed, failing the execution.
	const raw = this.getNodeParameter(parameter, itemIndex) as INodeParameterResourceLocator | string;
	const mode = typeof raw === 'object' && raw !== null && '__rl' in raw ? raw.mode : 'id';
	const value = String((typeof raw === 'object' && raw !== null ? raw.value : raw) ?? '').trim();
	if (!value) {
		throw new NodeOperationError(this.getNode(), `No user given in "${parameter}"`, {
			itemIndex,
			description: 'Choose a user from the list, or enter a user ID or a username.',
		});
	}
	if (mode === 'username') {
		if (!USERNAME.test(value)) {
			throw new NodeOperationError(this.getNode(), `"${value}" is not a username`, {
				itemIndex,
				description: 'Enter a username like alice or @alice (no spaces).',
			});
		}
		return await lookupUser.call(this, itemIndex, 'username', value.replace(/^@/, ''));
	}
	if (!USER_ID.test(value)) {
		throw new NodeOperationError(this.getNode(), `"${value}" is not a Rocket.Chat user ID`, {
			itemIndex,
			description: 'A user ID looks like Kn9WThg3Yc8yxQjgP. To give a username instead, switch the field to By Username (alice or @alice).',
		});
	}
	return await lookupUser.call(this, itemIndex, 'userId', value);
}

/** Splits a list of usernames given as text (commas, spaces or new lines) or as an array; strips `@`. */
export function parseUsernames(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map((entry) => String(entry)) : String(value ?? '').split(/[\s,;]+/);
	const seen = new Set<string>();
	const out: string[] = [];
	for (const part of parts) {
		const username = part.trim().replace(/^@/, '');
		if (!username || seen.has(username.toLowerCase())) continue;
		seen.add(username.toLowerCase());
		out.push(username);
	}
	return out;
}

/** "From list" search of users (`users.autocomplete`, selector `{"term": "…"}`). */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const term = (filter ?? '').trim().replace(/^@/, '');
	const body = await rocketChatApiRequest.call(this, {
		endpoint: 'users.autocomplete',
		qs: { selector: JSON.stringify({ term }) },
	});
	const items = (body.items ?? []) as IDataObject[];
	return {
		results: items
			.filter((user) => typeof user._id === 'string')
			.map((user) => ({
				name: user.name && user.name !== user.username ? `${String(user.name)} (@${String(user.username)})` : `@${String(user.username)}`,
				value: String(user._id),
			})),
	};
}
