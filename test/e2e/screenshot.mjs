#!/usr/bin/env node
// Screenshot of a workflow in a running n8n editor (e.g. the demo) with headless Chromium:
//   node test/e2e/screenshot.mjs --workflow exNightlyCleanup [--node "Count old messages (dry run)"] \
//     [--execute 1] [--url http://127.0.0.1:5678] [--out examples/editor.png]
// Needs `chromium` (Debian: apt-get install chromium). Logs in as the demo owner.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, waitFor } from './lib/n8n.mjs';
import { REPO_DIR } from './lib/paths.mjs';

const args = Object.fromEntries(
	process.argv
		.slice(2)
		.reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const base = args.url ?? 'http://127.0.0.1:5678';
const out = args.out ?? join(REPO_DIR, 'examples', 'editor.png');
const email = args.email ?? 'demo@example.com';
const password = args.password ?? 'Demo-Passw0rd!';
const WebSocket = createRequire(join(REPO_DIR, 'package.json'))('ws');

const port = await freePort();
const profile = mkdtempSync(join(tmpdir(), 'n8n-shot-'));
const chromium = spawn(
	args.chromium ?? 'chromium',
	[
		'--headless',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run',
		'--hide-scrollbars',
		`--user-data-dir=${profile}`,
		`--remote-debugging-port=${port}`,
		'--window-size=1600,900',
		'about:blank',
	],
	{ stdio: 'ignore' },
);

try {
	const target = await waitFor(
		async () => (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()).find((t) => t.type === 'page'),
		{ timeoutMs: 20_000, what: 'Chromium' },
	);
	const socket = new WebSocket(target.webSocketDebuggerUrl);
	await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
	let nextId = 1;
	const pending = new Map();
	socket.on('message', (data) => {
		const message = JSON.parse(data);
		if (message.id && pending.has(message.id)) {
			pending.get(message.id)(message);
			pending.delete(message.id);
		}
	});
	const send = (method, params = {}) =>
		new Promise((resolve, reject) => {
			const id = nextId++;
			pending.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result)));
			socket.send(JSON.stringify({ id, method, params }));
		});
	const evaluate = async (expression) =>
		(await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })).result.value;
	const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

	await send('Page.enable');
	await send('Emulation.setDeviceMetricsOverride', { width: 1600, height: 900, deviceScaleFactor: 1, mobile: false });
	await send('Page.navigate', { url: `${base}/signin` });
	await sleep(3000);
	const status = await evaluate(`(async () => {
		const id = localStorage.getItem('n8n-browserId') || crypto.randomUUID();
		localStorage.setItem('n8n-browserId', id);
		const r = await fetch('/rest/login', { method: 'POST', headers: { 'content-type': 'application/json', 'browser-id': id },
			body: JSON.stringify({ emailOrLdapLoginId: ${JSON.stringify(email)}, password: ${JSON.stringify(password)} }) });
		return r.status;
	})()`);
	if (status !== 200) throw new Error(`login in the browser: ${status}`);
	const path = args.workflow ? `/workflow/${args.workflow}` : '/home/workflows';
	await send('Page.navigate', { url: `${base}${path}` });
	const ready = args.workflow ? '[data-test-id="canvas-node"]' : '[data-test-id="resources-list-item"]';
	await waitFor(() => evaluate(`!!document.querySelector(${JSON.stringify(ready)})`), {
		timeoutMs: Number(args.timeout ?? 90_000),
		intervalMs: 1000,
		what: `the editor to show ${ready} (page: ${path})`,
	}).catch(async (error) => {
		console.error(`${error.message}; page text: ${String(await evaluate('document.body.innerText')).slice(0, 300)}`);
	});
	await sleep(Number(args.wait ?? 3000));
	if (args.node) {
		// Open the node's details view: a real double-click on the node on the canvas.
		const box = await evaluate(`(() => {
			const el = [...document.querySelectorAll('[data-test-id="canvas-node"]')].find((n) => n.textContent.includes(${JSON.stringify(args.node)}));
			if (!el) return null;
			const r = el.getBoundingClientRect();
			return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
		})()`);
		if (!box) console.error(`node "${args.node}" not found on the canvas`);
		else {
			for (const clickCount of [1, 2]) {
				await send('Input.dispatchMouseEvent', { type: 'mousePressed', x: box.x, y: box.y, button: 'left', clickCount });
				await send('Input.dispatchMouseEvent', { type: 'mouseReleased', x: box.x, y: box.y, button: 'left', clickCount });
			}
		}
		await sleep(3000);
		if (args.execute !== undefined) {
			// Run the node ("Execute step") so that its output shows in the details view.
			await evaluate(`(() => {
				const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Execute step');
				button?.click();
				return !!button;
			})()`);
			await waitFor(() => evaluate(`!document.body.innerText.includes('No output data')`), {
				timeoutMs: 60_000,
				what: 'the node output',
			}).catch((error) => console.error(error.message));
			await sleep(2000);
		}
	}
	const shot = await send('Page.captureScreenshot', { format: 'png' });
	writeFileSync(out, Buffer.from(shot.data, 'base64'));
	console.log(`saved ${out}`);
	socket.close();
} finally {
	chromium.kill('SIGTERM');
	await new Promise((r) => setTimeout(r, 500));
	rmSync(profile, { recursive: true, force: true });
}
