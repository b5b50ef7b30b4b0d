import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as message from './actions/message';
import * as room from './actions/room';
import * as subscription from './actions/subscription';
import { router } from './actions/router';
import { listSearch } from './methods';

export class RocketChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Rocket.Chat',
		name: 'rocketChat',
		icon: { light: 'file:../../icons/rocketchat.svg', dark: 'file:../../icons/rocketchat.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send, edit, search, pin and react to messages, upload and download files, manage rooms, members and subscriptions in Rocket.Chat',
		defaults: { name: 'Rocket.Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'rocketChatApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Message', value: 'message' },
					{ name: 'Room', value: 'room' },
					{ name: 'Subscription', value: 'subscription' },
				],
				default: 'message',
			},
			...message.description,
			...room.description,
			...subscription.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
