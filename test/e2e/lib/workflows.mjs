// Building blocks for the workflows the e2e cases import into n8n.
import { createHash } from 'node:crypto';

import { PACKAGE_NAME } from './paths.mjs';

export const ROCKETCHAT_NODE = `${PACKAGE_NAME}.rocketChat`;
export const ROCKETCHAT_TRIGGER = `${PACKAGE_NAME}.rocketChatTrigger`;
export const CREDENTIAL_TYPE = 'rocketChatApi';

/** A stable node id (UUID format) from the workflow id and the node name. */
export function nodeId(workflowId, name) {
	const h = createHash('sha1').update(`${workflowId}/${name}`).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `{__rl: true, mode, value}` for a resource locator parameter. */
export function rl(value, mode = 'id') {
	return { __rl: true, mode, value };
}

/** Connects nodes in a line: main output 0 of each to main input 0 of the next. */
export function chain(...names) {
	const connections = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

export function credentialRef(credential) {
	return { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
}

/** A workflow in the form `n8n import:workflow` takes. Node ids are filled in. */
export function workflow({ id, name, nodes, connections, tags }) {
	return {
		id,
		name,
		active: false,
		nodes: nodes.map((node, index) => ({
			id: nodeId(id, node.name),
			position: [index * 220, 0],
			...node,
			parameters: node.parameters ?? {},
		})),
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
		...(tags ? { tags } : {}),
	};
}

/**
 * Manual Trigger → one Rocket.Chat node (named "Rocket.Chat"), the shape `n8n execute --id` needs.
 * `after` appends more nodes after it (e.g. a second Rocket.Chat node).
 */
export function actionWorkflow({ id, name, parameters, credential, after = [] }) {
	const trigger = { name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1 };
	const node = {
		name: 'Rocket.Chat',
		type: ROCKETCHAT_NODE,
		typeVersion: 1,
		parameters,
		credentials: credentialRef(credential),
	};
	const rest = after.map((n) => ({ typeVersion: 1, ...n, credentials: n.credentials ?? (n.type === ROCKETCHAT_NODE ? credentialRef(credential) : undefined) }));
	return workflow({
		id,
		name,
		nodes: [trigger, node, ...rest],
		connections: chain(trigger.name, node.name, ...rest.map((n) => n.name)),
	});
}

/** A credential of type rocketChatApi as `n8n import:credentials` takes it (plain data, encrypted on import). */
export function credential({ id, name, domain, authentication = 'accessToken', userId = '', token = '', username = '', password = '' }) {
	return {
		id,
		name,
		type: CREDENTIAL_TYPE,
		data: {
			domain,
			authentication,
			userId,
			token,
			username,
			password,
			sessionToken: '',
			sessionUserId: '',
			ignoreSslIssues: false,
		},
	};
}
