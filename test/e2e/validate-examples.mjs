#!/usr/bin/env node
// Checks examples/*.json: `node test/e2e/validate-examples.mjs` (after `npm run build`).
//
// - valid workflow JSON: name, nodes, connections; unique node names; every connection between
//   existing nodes and outputs;
// - nodes of this package: a node the built package has, resource and operation the node describes,
//   parameter names (and collection fields, resource locator modes) the node shows for that
//   operation — or, for what is not built yet, listed as pending in test/e2e/lib/parameters.mjs
//   (printed as a NOTICE, never silently);
// - n8n-nodes-base nodes: type and typeVersion exist in the provisioned n8n (when test/e2e/runtime is
//   installed; otherwise a NOTICE says it was not checked);
// - each file equals what test/e2e/lib/examples.mjs generates (`node test/e2e/build-examples.mjs`).
// Exits 1 with one line per problem.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { exampleText } from './build-examples.mjs';
import { examples } from './lib/examples.mjs';
import { describeBuiltPackage } from './lib/package.mjs';
import { pending } from './lib/parameters.mjs';
import { EXAMPLES_DIR, PACKAGE_NAME, REPO_DIR, RUNTIME_DIR } from './lib/paths.mjs';

const problems = [];
const notices = [];
const problem = (file, message) => problems.push(`examples/${file}: ${message}`);

function loadBaseNodes() {
	const file = join(RUNTIME_DIR, 'node_modules', 'n8n-nodes-base', 'dist', 'types', 'nodes.json');
	if (!existsSync(file)) return null;
	const versions = new Map();
	for (const node of JSON.parse(readFileSync(file, 'utf8'))) {
		const list = Array.isArray(node.version) ? node.version : [node.version];
		versions.set(node.name, [...(versions.get(node.name) ?? []), ...list]);
	}
	return versions;
}

function shownFor(property, resource, operation) {
	const show = property.displayOptions?.show;
	if (!show) return true;
	if (show.resource && !show.resource.includes(resource)) return false;
	if (show.operation && !show.operation.includes(operation)) return false;
	return true;
}

/** Whether the other `displayOptions.show` conditions (e.g. `range: ['olderThan']`) hold for these parameters. */
function conditionsHold(property, parameters, applicable) {
	for (const [key, allowed] of Object.entries(property.displayOptions?.show ?? {})) {
		if (key === 'resource' || key === 'operation' || key.startsWith('@')) continue;
		const value = key in parameters ? parameters[key] : applicable.find((p) => p.name === key)?.default;
		if (typeof value === 'string' && value.startsWith('=')) continue;
		if (!allowed.some((a) => a === value)) return false;
	}
	return true;
}

function checkValue(file, where, property, value) {
	if (property.type === 'resourceLocator') {
		if (typeof value === 'string') return; // a plain value or expression is accepted by n8n
		if (!value || value.__rl !== true) return problem(file, `${where}: a resource locator needs {"__rl": true, "mode", "value"}`);
		const modes = (property.modes ?? []).map((m) => m.name);
		if (!modes.includes(value.mode)) problem(file, `${where}: mode "${value.mode}" is not one of ${modes.join(', ')}`);
	} else if (property.type === 'collection' && value && typeof value === 'object') {
		const names = (property.options ?? []).map((o) => o.name);
		for (const key of Object.keys(value)) {
			if (!names.includes(key)) problem(file, `${where}.${key}: not a field of "${property.name}" (has ${names.join(', ')})`);
		}
	} else if (property.type === 'options' && typeof value === 'string' && !value.startsWith('=')) {
		const values = (property.options ?? []).map((o) => o.value);
		if (values.length && !values.includes(value)) problem(file, `${where}: "${value}" is not one of ${values.join(', ')}`);
	}
}

function checkOurNode(file, node, description) {
	const localName = node.type.slice(PACKAGE_NAME.length + 1);
	const described = description.nodes[localName];
	const label = `node "${node.name}"`;
	if (node.credentials && !node.credentials.rocketChatApi) problem(file, `${label}: credentials must be of type rocketChatApi`);
	if (!node.credentials?.rocketChatApi?.name) problem(file, `${label}: no rocketChatApi credential reference`);
	if (!described) {
		if (pending.nodes.includes(localName)) {
			notices.push(`examples/${file}: ${label} is a ${node.type}, which the built package does not have yet (pending)`);
		} else {
			problem(file, `${label}: the built package has no node ${node.type} and it is not listed as pending`);
		}
		return;
	}
	if (!described.version || ![described.version].flat().includes(node.typeVersion)) {
		problem(file, `${label}: typeVersion ${node.typeVersion}, the node has ${JSON.stringify(described.version)}`);
	}
	const parameters = node.parameters ?? {};
	const { resource, operation } = parameters;
	if (Object.keys(described.resources).length) {
		const key = `${resource}.${operation}`;
		const known = described.resources[resource]?.includes(operation);
		if (!known) {
			if (pending.operations.includes(key)) {
				notices.push(`examples/${file}: ${label} uses ${key}, which the built node does not describe yet (pending)`);
			} else {
				problem(file, `${label}: ${key} is not an operation of the built node and not listed as pending`);
			}
			return;
		}
	}
	const applicable = described.properties.filter((p) => shownFor(p, resource, operation));
	for (const [name, value] of Object.entries(parameters)) {
		const candidates = applicable.filter((p) => p.name === name);
		if (!candidates.length) {
			problem(file, `${label}: parameter "${name}" is not shown for ${resource ?? ''}.${operation ?? ''} (known: ${[...new Set(applicable.map((p) => p.name))].join(', ')})`);
			continue;
		}
		const visible = candidates.filter((p) => conditionsHold(p, parameters, applicable));
		if (!visible.length) {
			problem(file, `${label}: parameter "${name}" is hidden by ${JSON.stringify(candidates[0].displayOptions?.show)} with these parameters (n8n would drop it)`);
			continue;
		}
		candidates.splice(0, candidates.length, ...visible);
		checkValue(file, `${label} "${name}"`, candidates[0], value);
	}
}

function checkWorkflow(file, text, description, baseNodes) {
	let workflow;
	try {
		workflow = JSON.parse(text);
	} catch (error) {
		return problem(file, `not valid JSON: ${error.message}`);
	}
	if (typeof workflow.name !== 'string' || !workflow.name.trim()) problem(file, 'no "name"');
	if (!Array.isArray(workflow.nodes) || workflow.nodes.length === 0) return problem(file, '"nodes" must be a non-empty array');
	if (!workflow.connections || typeof workflow.connections !== 'object') return problem(file, '"connections" must be an object');

	const names = new Set();
	const ids = new Set();
	for (const node of workflow.nodes) {
		if (typeof node.name !== 'string' || !node.name) problem(file, `a node has no name: ${JSON.stringify(node).slice(0, 80)}`);
		if (names.has(node.name)) problem(file, `duplicate node name "${node.name}"`);
		names.add(node.name);
		if (node.id) {
			if (ids.has(node.id)) problem(file, `duplicate node id "${node.id}"`);
			ids.add(node.id);
		}
		if (typeof node.type !== 'string' || !node.type.includes('.')) problem(file, `node "${node.name}": bad type ${JSON.stringify(node.type)}`);
		if (typeof node.typeVersion !== 'number') problem(file, `node "${node.name}": typeVersion must be a number`);
		if (!Array.isArray(node.position) || node.position.length !== 2 || !node.position.every(Number.isFinite)) {
			problem(file, `node "${node.name}": position must be [x, y]`);
		}
		if (node.parameters === null || typeof node.parameters !== 'object' || Array.isArray(node.parameters)) {
			problem(file, `node "${node.name}": parameters must be an object`);
		}
		if (node.type?.startsWith(`${PACKAGE_NAME}.`)) {
			checkOurNode(file, node, description);
		} else if (node.type?.startsWith('n8n-nodes-base.') && baseNodes) {
			const versions = baseNodes.get(node.type.slice('n8n-nodes-base.'.length));
			if (!versions) problem(file, `node "${node.name}": n8n has no node type ${node.type}`);
			else if (!versions.includes(node.typeVersion)) problem(file, `node "${node.name}": ${node.type} has no typeVersion ${node.typeVersion} (has ${versions.join(', ')})`);
		}
	}
	const outputsOf = (name) => workflow.nodes.find((n) => n.name === name);
	for (const [source, byType] of Object.entries(workflow.connections)) {
		if (!names.has(source)) problem(file, `connections start at "${source}", which is not a node`);
		const sourceNode = outputsOf(source);
		if (sourceNode?.type === 'n8n-nodes-base.stickyNote') problem(file, `a sticky note ("${source}") has connections`);
		for (const [type, outputs] of Object.entries(byType ?? {})) {
			if (!Array.isArray(outputs)) {
				problem(file, `connections of "${source}".${type} must be an array of outputs`);
				continue;
			}
			for (const targets of outputs) {
				for (const target of targets ?? []) {
					if (!names.has(target?.node)) problem(file, `"${source}" connects to "${target?.node}", which is not a node`);
					if (target?.type !== type) problem(file, `"${source}" → "${target?.node}": type "${target?.type}" under "${type}"`);
					if (!Number.isInteger(target?.index) || target.index < 0) problem(file, `"${source}" → "${target?.node}": bad input index`);
				}
			}
		}
	}
	const triggers = workflow.nodes.filter((n) => /trigger|webhook/i.test(n.type) && !n.disabled);
	if (triggers.length === 0) problem(file, 'no trigger node: an example must start on its own (schedule, webhook, Rocket.Chat Trigger)');
}

let description;
try {
	description = describeBuiltPackage(REPO_DIR);
} catch (error) {
	console.error(`validate-examples: cannot load the built package (run \`npm run build\` first): ${error.message}`);
	process.exit(1);
}
const baseNodes = loadBaseNodes();
if (!baseNodes) notices.push('n8n-nodes-base types were not checked: test/e2e/runtime is not provisioned (node test/e2e/provision.mjs)');

const files = existsSync(EXAMPLES_DIR) ? readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort() : [];
if (files.length === 0) problems.push('examples/: no example workflows');
const generated = new Map(examples.map((e) => [e.file, exampleText(e.workflow)]));
for (const file of files) {
	const text = readFileSync(join(EXAMPLES_DIR, file), 'utf8');
	checkWorkflow(file, text, description, baseNodes);
	if (!generated.has(file)) problem(file, 'not generated by test/e2e/lib/examples.mjs (add it there)');
	else if (generated.get(file) !== text) problem(file, 'differs from test/e2e/lib/examples.mjs: run `node test/e2e/build-examples.mjs`');
}
for (const file of generated.keys()) if (!files.includes(file)) problems.push(`examples/${file}: missing (run \`node test/e2e/build-examples.mjs\`)`);

for (const notice of notices) console.log(`NOTICE ${notice}`);
if (problems.length) {
	for (const line of problems) console.error(`ERROR ${line}`);
	console.error(`validate-examples: ${problems.length} problem(s) in ${files.length} example(s)`);
	process.exit(1);
}
console.log(`validate-examples: ${files.length} example(s) valid${notices.length ? ` (${notices.length} notice(s) about pending operations)` : ''}`);
