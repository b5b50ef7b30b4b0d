// The example workflows of examples/*.json, defined once here. `node test/e2e/build-examples.mjs`
// writes them; validate-examples.mjs checks the files against the built node and against this source.
// Rocket.Chat parameters come from lib/parameters.mjs, so a renamed parameter is changed in one place.
import { params } from './parameters.mjs';
import { chain, nodeId, rl, ROCKETCHAT_NODE, ROCKETCHAT_TRIGGER } from './workflows.mjs';

/** The credential the examples reference; the demo imports one with this id and name. */
export const EXAMPLE_CREDENTIAL = { id: 'rocketChatDemo01', name: 'Rocket.Chat account' };
const creds = { rocketChatApi: { ...EXAMPLE_CREDENTIAL } };

function example({ file, id, name, description, nodes, connections }) {
	return {
		file,
		workflow: {
			id,
			name,
			nodes: nodes.map(({ at, ...node }) => ({
				parameters: {},
				...node,
				id: nodeId(id, node.name),
				position: at,
			})),
			connections,
			active: false,
			settings: { executionOrder: 'v1' },
			pinData: {},
			meta: { templateCredsSetupCompleted: false, description },
		},
	};
}

const note = (name, content, at, { width = 380, height = 220 } = {}) => ({
	name,
	type: 'n8n-nodes-base.stickyNote',
	typeVersion: 1,
	parameters: { content, width, height },
	at,
});

const rocketChat = (name, parameters, at, extra = {}) => ({
	name,
	type: ROCKETCHAT_NODE,
	typeVersion: 1,
	parameters,
	credentials: creds,
	at,
	...extra,
});

const trigger = (name, parameters, at) => ({
	name,
	type: ROCKETCHAT_TRIGGER,
	typeVersion: 1,
	parameters,
	credentials: creds,
	at,
});

function switchRule(key, words) {
	return {
		conditions: {
			options: { caseSensitive: false, leftValue: '', typeValidation: 'loose', version: 2 },
			conditions: words.map((word, index) => ({
				id: nodeId(`rule-${key}`, String(index)),
				leftValue: '={{ $json.text }}',
				rightValue: word,
				operator: { type: 'string', operation: 'contains' },
			})),
			combinator: 'or',
		},
		renameOutput: true,
		outputKey: key,
	};
}

export const examples = [
	example({
		file: 'unread-overview.json',
		id: 'exUnreadOverview',
		name: 'Rocket.Chat: unread overview',
		description: 'Every weekday morning (or on a click), list the rooms with unread messages and mentions, most urgent first.',
		nodes: [
			{
				name: 'Weekdays at 09:00',
				type: 'n8n-nodes-base.scheduleTrigger',
				typeVersion: 1.2,
				parameters: { rule: { interval: [{ field: 'cronExpression', expression: '0 9 * * 1-5' }] } },
				at: [0, 0],
			},
			{ name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {}, at: [0, 200] },
			rocketChat(
				'Get unread subscriptions',
				{ resource: 'subscription', operation: 'getMany', returnAll: true, filters: { onlyUnread: true } },
				[240, 100],
			),
			{
				name: 'Summarise',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: {
					jsCode: [
						'// One overview item: rooms with unread messages, mentions first.',
						'const rooms = $input.all().map((item) => item.json);',
						'rooms.sort((a, b) => (b.userMentions - a.userMentions) || (b.unread - a.unread));',
						'const lines = rooms.map((r) => `${r.t === "d" ? "@" : "#"}${r.fname ?? r.name}: ${r.unread} unread${r.userMentions ? `, ${r.userMentions} mention${r.userMentions === 1 ? "" : "s"}` : ""}`);',
						'return [{ json: { rooms: rooms.length, unread: rooms.reduce((sum, r) => sum + (r.unread ?? 0), 0), text: lines.join("\\n") } }];',
					].join('\n'),
				},
				at: [480, 100],
			},
		],
		connections: {
			'Weekdays at 09:00': { main: [[{ node: 'Get unread subscriptions', type: 'main', index: 0 }]] },
			'Run now': { main: [[{ node: 'Get unread subscriptions', type: 'main', index: 0 }]] },
			'Get unread subscriptions': { main: [[{ node: 'Summarise', type: 'main', index: 0 }]] },
		},
	}),

	example({
		file: 'nightly-cleanup.json',
		id: 'exNightlyCleanup',
		name: 'Rocket.Chat: nightly history cleanup (dry run first)',
		description: 'Every night, count the messages older than 30 days in a room (dry run). Enable "Clean history" once the counts look right.',
		nodes: [
			{
				name: 'Every night at 03:00',
				type: 'n8n-nodes-base.scheduleTrigger',
				typeVersion: 1.2,
				parameters: { rule: { interval: [{ field: 'days', triggerAtHour: 3 }] } },
				at: [0, 0],
			},
			{ name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {}, at: [0, 200] },
			rocketChat('Count old messages (dry run)', params.roomCleanHistory({ room: rl('#team-deploys', 'name'), olderThanDays: 30, dryRun: true }), [240, 0]),
			rocketChat('Clean history', params.roomCleanHistory({ room: rl('#team-deploys', 'name'), olderThanDays: 30, dryRun: false }), [480, 0], { disabled: true }),
			note(
				'How to use',
				'## Nightly cleanup\nThe first Rocket.Chat node only **counts** what would be deleted (dry run).\n\nCheck its output in a few executions, then **enable "Clean history"** (it is disabled) to delete messages older than 30 days.\n\nThe credentials need the `clean-channel-history` permission (admins have it).',
				[0, -240],
				{ width: 700, height: 190 },
			),
		],
		connections: {
			'Every night at 03:00': { main: [[{ node: 'Count old messages (dry run)', type: 'main', index: 0 }]] },
			'Run now': { main: [[{ node: 'Count old messages (dry run)', type: 'main', index: 0 }]] },
			'Count old messages (dry run)': { main: [[{ node: 'Clean history', type: 'main', index: 0 }]] },
		},
	}),

	example({
		file: 'alert-to-room.json',
		id: 'exAlertToRoom',
		name: 'Rocket.Chat: monitoring alert to a room',
		description: 'POST an alert as JSON ({"title", "severity", "details", "link"}) to the webhook; it is posted to #team-ops with a coloured attachment.',
		nodes: [
			{
				name: 'Alert webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				webhookId: '6f1d3a52-4c1e-4b8e-9a57-2f0e7c1d9b10',
				parameters: { httpMethod: 'POST', path: 'rocketchat-alert', responseMode: 'onReceived', options: {} },
				at: [0, 0],
			},
			rocketChat(
				'Post alert',
				params.messageSend({
					room: rl('#team-ops', 'name'),
					text: '={{ ($json.body.severity === "critical" ? ":rotating_light: " : ":warning: ") + $json.body.title }}',
					attachments:
						'={{ [{ "title": $json.body.title, "title_link": $json.body.link, "text": $json.body.details, "color": $json.body.severity === "critical" ? "#d0021b" : "#f5a623", "fields": [{ "short": true, "title": "Severity", "value": $json.body.severity }] }] }}',
				}),
				[240, 0],
			),
			note(
				'How to use',
				'## Alert to room\n`curl -X POST <webhook URL> -H "content-type: application/json" -d \'{"title":"API error rate > 5%","severity":"critical","details":"5xx on /export","link":"https://grafana.example.com"}\'`',
				[0, -260],
				{ width: 620, height: 200 },
			),
		],
		connections: chain('Alert webhook', 'Post alert'),
	}),

	example({
		file: 'support-triage.json',
		id: 'exSupportTriage',
		name: 'Rocket.Chat: support triage in threads',
		description: 'New messages in #team-support are sorted by keywords and answered in their thread.',
		nodes: [
			trigger('New support message', params.trigger({ rooms: [rl('#team-support', 'name')] }), [0, 0]),
			{
				name: 'Sort by keywords',
				type: 'n8n-nodes-base.switch',
				typeVersion: 3.2,
				parameters: {
					rules: { values: [switchRule('Urgent', ['urgent', 'outage', 'is down', 'not working']), switchRule('Billing', ['invoice', 'refund', 'billing', 'payment'])] },
					options: { fallbackOutput: 'extra', renameFallbackOutput: 'Other' },
				},
				at: [240, 0],
			},
			rocketChat(
				'Reply: urgent',
				params.messageSend({ room: rl('={{ $json.roomId }}'), threadId: '={{ $json.threadId ?? $json.id }}', text: '=:rotating_light: Thanks @{{ $json.user.username }}, the on-call engineer has been paged.' }),
				[520, -180],
			),
			rocketChat(
				'Reply: billing',
				params.messageSend({ room: rl('={{ $json.roomId }}'), threadId: '={{ $json.threadId ?? $json.id }}', text: '=Thanks @{{ $json.user.username }}, billing will answer here within one business day.' }),
				[520, 0],
			),
			rocketChat(
				'Reply: other',
				params.messageSend({ room: rl('={{ $json.roomId }}'), threadId: '={{ $json.threadId ?? $json.id }}', text: '=Thanks @{{ $json.user.username }}, we picked this up and will reply in this thread.' }),
				[520, 180],
			),
		],
		connections: {
			'New support message': { main: [[{ node: 'Sort by keywords', type: 'main', index: 0 }]] },
			'Sort by keywords': {
				main: [
					[{ node: 'Reply: urgent', type: 'main', index: 0 }],
					[{ node: 'Reply: billing', type: 'main', index: 0 }],
					[{ node: 'Reply: other', type: 'main', index: 0 }],
				],
			},
		},
	}),

	example({
		file: 'daily-digest.json',
		id: 'exDailyDigest',
		name: 'Rocket.Chat: daily digest of a room',
		description: "Every evening, summarise the day's messages of #team-support and post the digest to #general.",
		nodes: [
			{
				name: 'Every day at 18:00',
				type: 'n8n-nodes-base.scheduleTrigger',
				typeVersion: 1.2,
				parameters: { rule: { interval: [{ field: 'days', triggerAtHour: 18 }] } },
				at: [0, 0],
			},
			{ name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {}, at: [0, 200] },
			rocketChat(
				"Get today's messages",
				params.messageGetMany({ room: rl('#team-support', 'name'), returnAll: true, since: '={{ $now.minus({ days: 1 }).toISO() }}' }),
				[240, 0],
			),
			{
				name: 'Summarise',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: {
					jsCode: [
						'// One digest item from the messages of the day (simplified or raw messages).',
						'const messages = $input.all().map((item) => item.json).filter((m) => !m.t);',
						'const byUser = {};',
						'for (const m of messages) {',
						'  const user = m.authorUsername ?? m.u?.username ?? "unknown";',
						'  byUser[user] = (byUser[user] ?? 0) + 1;',
						'}',
						'const top = Object.entries(byUser).sort((a, b) => b[1] - a[1]).slice(0, 5);',
						'const threads = messages.filter((m) => (m.threadReplyCount ?? m.tcount ?? 0) > 0).length;',
						'const lines = [',
						'  `*Daily digest of #team-support*: ${messages.length} messages, ${threads} threads`,',
						'  ...top.map(([user, count]) => `• @${user}: ${count}`),',
						'];',
						'return [{ json: { text: lines.join("\\n"), count: messages.length } }];',
					].join('\n'),
				},
				at: [480, 0],
			},
			rocketChat('Post digest', params.messageSend({ room: rl('#general', 'name'), text: '={{ $json.text }}' }), [720, 0]),
		],
		connections: {
			'Every day at 18:00': { main: [[{ node: "Get today's messages", type: 'main', index: 0 }]] },
			'Run now': { main: [[{ node: "Get today's messages", type: 'main', index: 0 }]] },
			"Get today's messages": { main: [[{ node: 'Summarise', type: 'main', index: 0 }]] },
			Summarise: { main: [[{ node: 'Post digest', type: 'main', index: 0 }]] },
		},
	}),

	example({
		file: 'file-archive.json',
		id: 'exFileArchive',
		name: 'Rocket.Chat: archive shared files to disk',
		description: 'Every file posted in #team-data is downloaded and written to the n8n files folder.',
		nodes: [
			trigger('New message in #team-data', params.trigger({ rooms: [rl('#team-data', 'name')] }), [0, 0]),
			{
				name: 'Has files?',
				type: 'n8n-nodes-base.if',
				typeVersion: 2.2,
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
						conditions: [
							{
								id: nodeId('file-archive', 'has-files'),
								leftValue: '={{ ($json.files ?? []).length }}',
								rightValue: 0,
								operator: { type: 'number', operation: 'gt' },
							},
						],
						combinator: 'and',
					},
					looseTypeValidation: true,
					options: {},
				},
				at: [240, 0],
			},
			rocketChat('Download file', params.roomDownloadFile({ messageId: '={{ $json.id }}', binaryProperty: 'data' }), [480, -20]),
			{
				name: 'Write to disk',
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1,
				parameters: {
					operation: 'write',
					fileName: "=/home/node/.n8n-files/rocketchat-{{ $('New message in #team-data').item.json.roomName }}-{{ $('New message in #team-data').item.json.id }}-{{ $binary.data.fileName }}",
					dataPropertyName: 'data',
					options: {},
				},
				at: [720, -20],
			},
			note(
				'Where files go',
				'## Archive shared files\nn8n may only write inside `N8N_RESTRICT_FILE_ACCESS_TO` (default `~/.n8n-files`; `/home/node/.n8n-files` in the Docker image). Change the path in **Write to disk** to your folder.',
				[0, -240],
				{ width: 620, height: 180 },
			),
		],
		connections: {
			'New message in #team-data': { main: [[{ node: 'Has files?', type: 'main', index: 0 }]] },
			'Has files?': { main: [[{ node: 'Download file', type: 'main', index: 0 }], []] },
			'Download file': { main: [[{ node: 'Write to disk', type: 'main', index: 0 }]] },
		},
	}),
];
