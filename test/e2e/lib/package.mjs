// Builds and packs the package, installs the tarball as an n8n community package, and reads the
// node descriptions that the built package offers.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { PACKAGE_NAME, REPO_DIR } from './paths.mjs';
import { run } from './proc.mjs';

export async function buildPackage({ logFile } = {}) {
	await run('npm', ['run', 'build'], { cwd: REPO_DIR, logFile, timeoutMs: 5 * 60_000 });
}

/** `npm pack` into `destination`; returns the tarball's path. */
export async function packPackage(destination, { logFile } = {}) {
	mkdirSync(destination, { recursive: true });
	const result = await run('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: REPO_DIR,
		logFile,
		timeoutMs: 2 * 60_000,
	});
	const info = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
	return { tarball: join(destination, info[0].filename), files: info[0].files.map((f) => f.path), size: info[0].size };
}

/**
 * Installs the tarball the way n8n installs a community package: into
 * `<user-folder>/.n8n/nodes/node_modules`, without the n8n-workflow peer (n8n provides it). n8n 2.41
 * strips peerDependencies before its own `npm install`; `--legacy-peer-deps` has the same effect and
 * spares npm resolving n8n-workflow's tree from the registry (1-2 s instead of ~20 s).
 */
export async function installCommunityPackage(userFolder, tarball, { logFile } = {}) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(join(nodesDir, 'package.json'), `${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`);
	await run('npm', ['install', tarball, '--omit=peer', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: nodesDir,
		logFile,
		timeoutMs: 5 * 60_000,
	});
	const installedDir = join(nodesDir, 'node_modules', PACKAGE_NAME);
	const manifest = JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8'));
	return { nodesDir, installedDir, manifest };
}

/**
 * What the built package offers, read from the same `dist/` files the tarball contains, the way
 * n8n reads them (the `n8n.nodes` list of package.json, then each node's description):
 * `{ nodes: { rocketChat: { type, displayName, resources: { subscription: ['get', ...] } } } }`.
 */
export function describeBuiltPackage(packageDir = REPO_DIR) {
	const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
	// Resolve n8n-workflow (a peer) from the repository's node_modules.
	const req = createRequire(join(REPO_DIR, 'package.json'));
	const nodes = {};
	for (const file of manifest.n8n?.nodes ?? []) {
		const exported = req(join(packageDir, file));
		for (const NodeClass of Object.values(exported)) {
			if (typeof NodeClass !== 'function') continue;
			const instance = new NodeClass();
			const description = instance.description ?? instance.baseDescription;
			if (!description?.name) continue;
			const properties = description.properties ?? instance.nodeVersions?.[description.defaultVersion]?.description?.properties ?? [];
			nodes[description.name] = {
				type: `${manifest.name}.${description.name}`,
				displayName: description.displayName,
				version: description.version,
				resources: resourcesOf(properties),
				parameterNames: [...new Set(properties.map((p) => p.name))],
				properties,
			};
		}
	}
	return { name: manifest.name, version: manifest.version, nodes };
}

function resourcesOf(properties) {
	const resources = {};
	const resourceProp = properties.find((p) => p.name === 'resource' && p.type === 'options');
	for (const option of resourceProp?.options ?? []) resources[option.value] = [];
	for (const prop of properties) {
		if (prop.name !== 'operation' || prop.type !== 'options') continue;
		const forResources = prop.displayOptions?.show?.resource ?? Object.keys(resources);
		for (const resource of forResources) {
			resources[resource] = [...new Set([...(resources[resource] ?? []), ...prop.options.map((o) => o.value)])];
		}
	}
	return resources;
}

/** Whether the described package offers `requires` = {node, resource?, operation?}; else the reason. */
export function missingCapability(description, requires) {
	const node = description.nodes[requires.node];
	if (!node) return `the package has no node "${description.name}.${requires.node}" yet`;
	if (requires.resource && !node.resources[requires.resource]) {
		return `node "${requires.node}" has no resource "${requires.resource}" yet (has: ${Object.keys(node.resources).join(', ') || 'none'})`;
	}
	if (requires.operation && !node.resources[requires.resource]?.includes(requires.operation)) {
		return `resource "${requires.resource}" has no operation "${requires.operation}" yet (has: ${node.resources[requires.resource].join(', ')})`;
	}
	return null;
}
