import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { globalWebSocket, realtimeUrl, RealtimeError, withRealtimeSession } from '../../../shared/realtime';
import { resolveRoomId } from '../../../shared/rooms';
import { createCallbackClient, rocketChatApiRequest } from '../../../shared/transport';
import { showFor } from './common';

const show = showFor('notifyActivity');

/** The activities of `<rid>/user-activity` (Rocket.Chat 4.0+; reference §12). */
const ACTIVITIES: Record<string, string[]> = {
	typing: ['user-typing'],
	recording: ['user-recording'],
	uploading: ['user-uploading'],
	none: [],
};

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room where the other members see the indicator' }),
	{
		displayName: 'Activity',
		name: 'activity',
		type: 'options',
		options: [
			{ name: 'Typing', value: 'typing', description: 'Show that the user is typing' },
			{ name: 'Recording Audio', value: 'recording', description: 'Show that the user records an audio message' },
			{ name: 'Uploading a File', value: 'uploading', description: 'Show that the user uploads a file' },
			{ name: 'None (Clear)', value: 'none', description: 'Remove the indicator again' },
		],
		default: 'typing',
		description:
			"What the room's members see next to the user's name. Clients drop an indicator by themselves after a few seconds; send it again for longer work, and None when done. Rocket.Chat drops indicators silently unless the user is a member and the name matches (display name when the server shows real names): the node checks both first.",
	},
];

export const description = updateDisplayOptions({ show }, properties);

/**
 * Whether the server shows display names (`UI_Use_Real_Name`, a public setting): then the `user-activity`
 * notice must carry the display name. `settings.public` filters by `_id` from 7.0; an older server, or one
 * that does not answer, counts as "usernames" (the default).
 */
async function usesRealNames(this: IExecuteFunctions, itemIndex: number): Promise<boolean> {
	const body = await rocketChatApiRequest
		.call(this, { endpoint: 'settings.public', qs: { _id: 'UI_Use_Real_Name' }, itemIndex })
		.catch((error: unknown) => {
			// Before 7.0 settings.public has no `_id` filter (400); a 404 means no such endpoint.
			if (error instanceof NodeApiError && ['400', '404'].includes(String(error.httpCode))) return undefined;
			throw error;
		});
	const setting = ((body?.settings ?? []) as IDataObject[]).find((entry) => entry._id === 'UI_Use_Real_Name');
	return setting?.value === true;
}

/**
 * Sends a typing / recording / uploading indicator through the Realtime API (there is no REST
 * equivalent): connects, logs in with the resume token, calls the `stream-notify-room` method with
 * `["<rid>/user-activity", <username>, [<activity>]]` (`[]` clears it), and closes the connection.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const activity = this.getNodeParameter('activity', itemIndex) as string;
	const activities = ACTIVITIES[activity];
	if (!activities) {
		throw new NodeOperationError(this.getNode(), `Unknown activity "${activity}"`, {
			itemIndex,
			description: 'Choose Typing, Recording Audio, Uploading a File, or None (Clear).',
		});
	}
	if (!globalWebSocket()) {
		throw new NodeOperationError(this.getNode(), 'This n8n host has no WebSocket client, which activity indicators need', {
			itemIndex,
			description: 'Run n8n on Node.js 22 or newer (or Node.js 20 with --experimental-websocket).',
		});
	}
	const roomId = await resolveRoomId.call(this, itemIndex);

	// Who the credentials belong to (the name is part of the notice); for username/password
	// credentials this also makes sure n8n holds a valid session token.
	const me = await rocketChatApiRequest.call(this, { endpoint: 'me', itemIndex });
	// Rocket.Chat drops a notice it does not allow without any error, so what it checks is checked here:
	// membership, and the name (the display name when UI_Use_Real_Name is on, else the username).
	const membership = await rocketChatApiRequest.call(this, { endpoint: 'subscriptions.getOne', qs: { roomId }, itemIndex });
	if (!membership.subscription) {
		throw new NodeOperationError(this.getNode(), `The user ${String(me.username ?? '')} is not a member of the room "${roomId}"`, {
			itemIndex,
			description: 'Rocket.Chat shows activity indicators only from members (it drops others without an error). Add the user to the room (Room › Join), or choose another room.',
		});
	}
	const username = (await usesRealNames.call(this, itemIndex)) && typeof me.name === 'string' && me.name ? me.name : String(me.username ?? '');
	const credentials = await this.getCredentials('rocketChatApi', itemIndex);
	const client = createCallbackClient(this, credentials);
	const token =
		credentials.authentication === 'password'
			? String(credentials.sessionToken || (await client.session()).authToken)
			: String(credentials.token ?? '');

	const outcome = await withRealtimeSession(
		{ url: realtimeUrl(client.server), token, timeoutMs: 15_000 },
		async (ddp) => await ddp.call('stream-notify-room', [`${roomId}/user-activity`, username, activities]),
	).then(
		() => undefined,
		(error: Error) => error,
	);
	if (outcome) {
		const code = outcome instanceof RealtimeError ? outcome.code : undefined;
		const refused = outcome instanceof RealtimeError && (outcome.kind === 'method' || outcome.kind === 'nosub');
		let hint = `Check that the Realtime API (${realtimeUrl(client.server)}) is reachable from n8n; proxies must let WebSocket upgrades through.`;
		if (refused && code === '403') {
			hint = 'Rocket.Chat refused the token of these credentials on its Realtime API. Check the User ID and token (or the username and password).';
		} else if (refused) {
			hint = `The user ${username} must be a member of the room "${roomId}" to show an indicator there.`;
		}
		throw new NodeOperationError(this.getNode(), `Rocket.Chat did not take the activity indicator: ${outcome.message}`, {
			itemIndex,
			description: hint,
		});
	}
	return [{ success: true, roomId, activity, activities, username }];
}
