import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { globalWebSocket } from '../shared/realtime';
import { searchRooms } from '../shared/rooms';
import { createCallbackClient } from '../shared/transport';
import { triggerProperties } from './description';
import type { FeedSettings } from './feed';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_OVERLAP_MS, isFatal, MessageFeed } from './feed';
import { readFilters } from './filters';
import { cronExpression, emitSample, PollingRunner, RealtimeRunner } from './runners';

function seconds(value: unknown, fallback: number): number {
	const number = Number(value);
	return Number.isFinite(number) && number > 0 ? number * 1000 : fallback * 1000;
}

export class RocketChatTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Rocket.Chat Trigger',
		name: 'rocketChatTrigger',
		icon: { light: 'file:../../icons/rocketchat.svg', dark: 'file:../../icons/rocketchat.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["receiveVia"] === "polling" ? "New message (polling)" : "New message (realtime)"}}',
		// n8n's node picker merges this trigger into the Rocket.Chat node's entry and shows this description
		// there: it speaks for the whole package, actions and trigger.
		description:
			'Complete Rocket.Chat integration: messages, threads, reactions, files, rooms and subscriptions, plus a trigger on new messages that needs no public URL',
		defaults: { name: 'Rocket.Chat Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'rocketChatApi', required: true }],
		// n8n 2.41 shows these texts as they are (only hideContent may be an expression) and the same in both
		// Receive Via modes; its button for this node reads "Execute step", and "Stop Listening" while it waits.
		triggerPanel: {
			header: 'Get a Rocket.Chat message to build with',
			executionsHelp: {
				inactive:
					"<b>While building your workflow</b>, click 'Execute step'. With Receive Via <i>Realtime</i>, the node then waits (the button reads 'Stop Listening') for the next message in a watched room that passes the filters: post one. With <i>Polling</i>, it fetches the latest matching message at once. The message shows up in this editor as test data.<br /><br /><b>Once you're happy with your workflow</b>, publish it. Then every new message starts an execution, including messages sent while n8n was stopped (within Max Catch-Up Age / Count). These executions show up in the <a data-key=\"executions\">executions list</a>, but not in the editor.",
				active:
					"<b>While building your workflow</b>, click 'Execute step'. With Receive Via <i>Realtime</i>, the node then waits (the button reads 'Stop Listening') for the next message in a watched room that passes the filters: post one. With <i>Polling</i>, it fetches the latest matching message at once. The message shows up in this editor as test data.<br /><br /><b>Your workflow is published</b>: every new message starts an execution. These executions show up in the <a data-key=\"executions\">executions list</a>, but not in the editor.",
			},
			activationHint: {
				inactive:
					"Once you've finished building your workflow, publish it to have it also start an execution for each new message (you just won't see those executions here).",
				active: "This node also starts an execution for each new message in the watched rooms (those executions don't show up here).",
			},
		},
		properties: triggerProperties,
	};

	methods = { listSearch: { searchRooms } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const node = this.getNode();
		const credentials = await this.getCredentials('rocketChatApi');
		const manual = this.getMode() === 'manual';

		let receiveVia = this.getNodeParameter('receiveVia', 'realtime') as string;
		const scope = this.getNodeParameter('roomScope', 'all') === 'selected' ? 'selected' : 'all';
		const roomsParameter = (scope === 'selected' ? this.getNodeParameter('rooms', {}) : {}) as IDataObject;
		const targets = ((roomsParameter.room ?? []) as IDataObject[]).map((entry) => ({ raw: entry.roomId }));
		const filters = readFilters(node, this.getNodeParameter('filters', {}) as IDataObject);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const maxCount = Number(options.maxCatchUpCount ?? 500);
		const maxAgeHours = Number(options.maxCatchUpAgeHours ?? 24);

		if (scope === 'selected' && !targets.some((target) => String((target.raw as IDataObject)?.value ?? target.raw ?? '').trim())) {
			throw new NodeOperationError(node, 'No room chosen in Selected Rooms', {
				description: 'Add at least one room under Selected Rooms, or set Rooms to All My Rooms.',
			});
		}
		if (!filters.roomTypes.size) {
			throw new NodeOperationError(node, 'No room type chosen in Filters › Room Types', {
				description: 'Choose at least one of Channel, Private Group and Direct Message, or remove the filter.',
			});
		}

		if (receiveVia === 'realtime' && !globalWebSocket()) {
			this.logger.warn(
				'Rocket.Chat Trigger: this n8n host has no WebSocket client (Node.js 22 or newer, or Node.js 20 with --experimental-websocket); receiving new messages by polling every minute instead',
			);
			receiveVia = 'polling';
		}

		const settings: FeedSettings = {
			scope,
			targets,
			filters,
			simplify: this.getNodeParameter('simplify', true) as boolean,
			downloadAttachments: options.downloadAttachments === true,
			maxCatchUpAgeMs: Number.isFinite(maxAgeHours) && maxAgeHours > 0 ? maxAgeHours * 3600 * 1000 : 0,
			maxCatchUpCount: Number.isFinite(maxCount) && maxCount >= 1 ? Math.floor(maxCount) : 500,
			overlapMs: seconds(options.lateMessageWindow, DEFAULT_OVERLAP_MS / 1000),
			maxInFlight: Number(options.maxInFlight) >= 1 ? Math.floor(Number(options.maxInFlight)) : DEFAULT_MAX_IN_FLIGHT,
		};
		const staticData = manual ? undefined : this.getWorkflowStaticData('node');
		const feed = new MessageFeed(this, () => createCallbackClient(this, credentials), settings, staticData, manual);

		if (!manual) {
			// The first cursor is taken now so that n8n saves it with the activation; a server that cannot be
			// reached now is tried again in the background.
			try {
				await feed.enqueue(async () => await feed.prepare());
			} catch (error) {
				if (isFatal(error)) {
					if (error instanceof NodeApiError) throw new NodeApiError(node, error as unknown as JsonObject);
					throw new NodeOperationError(node, error as Error);
				}
				this.logger.warn(`Rocket.Chat Trigger: Rocket.Chat is not reachable yet (${(error as Error).message}); retrying in the background`);
			}
		}

		if (receiveVia === 'realtime') {
			const runner = new RealtimeRunner(
				this,
				feed,
				{
					pingIntervalMs: seconds(options.pingInterval, 30),
					reconnectBaseMs: seconds(options.reconnectDelay, 1),
					reconnectMaxMs: Math.max(seconds(options.reconnectMaxDelay, 30), seconds(options.reconnectDelay, 1)),
				},
				manual,
				credentials.authentication === 'password',
			);
			const closeFunction = async () => await runner.stop();
			if (manual) return { closeFunction, manualTriggerFunction: async () => runner.start() };
			runner.start();
			return { closeFunction };
		}

		if (manual) {
			return {
				closeFunction: async () => {
					feed.stopped = true;
				},
				manualTriggerFunction: async () => await emitSample(this, feed),
			};
		}
		const interval = this.getNodeParameter('pollInterval', 1) as number;
		const unit = this.getNodeParameter('pollUnit', 'minutes') as string;
		const poller = new PollingRunner(this, feed, cronExpression(interval, unit));
		poller.start();
		return { closeFunction: async () => await poller.stop() };
	}
}
