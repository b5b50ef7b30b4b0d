// The n8n editor in Chromium, driven with playwright-core (the system's `chromium`, no browser download),
// against the running `n8n start` leg: what a person sees of the package. One step per screen; each saves
// a screenshot in $E2E_TMP_DIR/editor-screenshots/ (the latest run's).
//
//   1. node picker: "Rocket" finds our entry, described as the whole package, with Rocket.Chat's mark
//   2. Room › From list: the rooms load and the search filters them; Execute step sends the message
//   3. credential: its test passes with the token and explains a wrong token and a wrong Server URL
//   4. trigger: added from the picker; its panel names n8n's buttons; Execute step receives a message
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { REPO_DIR, TMP_DIR } from '../lib/paths.mjs';
import { CREDENTIAL_TYPE, credentialRef, ROCKETCHAT_NODE, rl, workflow } from '../lib/workflows.mjs';
import { params } from '../lib/parameters.mjs';

const WAIT = 30_000;
const SEND_TEXT = 'Sent from the n8n editor (e2e)';
const TRIGGER_TEXT = 'Hello from alice, for the trigger in the editor (e2e)';

/** The system's Chromium, or undefined. */
export function findChromium() {
	try {
		return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim() || undefined;
	} catch {
		return undefined;
	}
}

/**
 * Runs the editor steps. `ctx`: {steps, serverUrl, n8n (N8nRest, logged in), owner, fake, realtime,
 * credentials, assert, waitFor, outDir, only}.
 */
export async function editorPhase(ctx) {
	const { steps, only } = ctx;
	if (only && !only.some((text) => 'editor'.includes(text) || text.includes('editor'))) return;
	const title = (t) => `editor (Chromium): ${t}`;
	const executablePath = findChromium();
	if (!executablePath) {
		await steps.run(title('Chromium is installed'), () => {
			throw new Error('no `chromium` on PATH: install it (Debian: apt-get install -y chromium); .ci/run does');
		});
		return;
	}
	const { chromium, selectors } = createRequire(join(REPO_DIR, 'package.json'))('playwright-core');
	selectors.setTestIdAttribute('data-test-id'); // n8n's attribute
	// Screenshots of the latest run, outside the run folder (which a passing run removes).
	const outDir = ctx.outDir ?? join(TMP_DIR, 'editor-screenshots');
	rmSync(outDir, { recursive: true, force: true });
	mkdirSync(outDir, { recursive: true });
	const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
	const shots = [];
	const state = {};
	try {
		const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
		context.setDefaultTimeout(WAIT);
		const page = await context.newPage();
		const shot = async (name) => {
			const file = join(outDir, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`);
			await page.screenshot({ path: file });
			shots.push(file);
			return file;
		};
		const ui = { page, shot, ...ctx, state };

		const steps_ = [
			['log in', () => logIn(ui)],
			['node picker: "Rocket" shows the package entry with its description and icon', () => nodePicker(ui)],
			['Room › From list loads and searches rooms; Execute step sends the message', () => roomListAndSend(ui)],
			['credential test: OK with the token; a wrong token and a wrong Server URL explained', () => credentialTest(ui)],
			['trigger from the picker: panel texts, Execute step receives a posted message', () => triggerStep(ui)],
		];
		let failed = false;
		for (const [name, fn] of steps_) {
			if (failed) {
				steps.notRun([title(name)], title(steps_[0][0]));
				continue;
			}
			const ok = await steps.run(title(name), async () => {
				try {
					const detail = await fn();
					return detail ?? 'ok';
				} catch (error) {
					await shot('failure').catch(() => {});
					throw error;
				}
			});
			if (ok === undefined) failed = true;
		}
	} finally {
		await browser.close().catch(() => {});
	}
	steps.log(`  screenshots: ${outDir}`);
}

async function logIn({ page, serverUrl, owner, shot }) {
	await page.goto(`${serverUrl}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first().fill(owner.email);
	await page.locator('input[name="password"], input[type="password"]').first().fill(owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	await shot('logged-in');
	return owner.email;
}

/** A workflow with Manual Trigger → Rocket.Chat (Send to #general by name), created through the REST API. */
async function createWorkflow({ n8n, credentials }, { name, nodes, connections }) {
	const wf = workflow({ id: 'unused', name, nodes, connections });
	const { id: _unused, ...body } = wf;
	const res = await n8n.request('POST', '/rest/workflows', body);
	if (res.status !== 200) throw new Error(`POST /rest/workflows: ${res.status} ${res.text.slice(0, 300)}`);
	void credentials;
	return res.json.data.id;
}

async function openWorkflow({ page, serverUrl }, id) {
	await page.goto(`${serverUrl}/workflow/${id}`);
	await page.getByTestId('canvas-node').first().waitFor();
}

async function openNode({ page }, name) {
	await page.getByTestId('canvas-node').filter({ hasText: name }).first().dblclick();
	await page.getByTestId('ndv').waitFor();
}

async function nodePicker(ui) {
	const { page, assert, state } = ui;
	state.workflowId = await createWorkflow(ui, {
		name: 'e2e: editor',
		nodes: [
			{ name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1 },
			{
				name: 'Rocket.Chat',
				type: ROCKETCHAT_NODE,
				typeVersion: 1,
				parameters: params.messageSend({ room: rl('#general', 'name'), text: SEND_TEXT }),
				credentials: credentialRef(ui.credentials.pat),
			},
		],
		connections: { 'Manual Trigger': { main: [[{ node: 'Rocket.Chat', type: 'main', index: 0 }]] } },
	});
	await openWorkflow(ui, state.workflowId);
	await page.getByTestId('node-creator-plus-button').click();
	await page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first().fill('Rocket');
	const items = page.getByTestId('item-iterator-item');
	const ours = items.filter({ has: page.getByTestId('node-creator-item-name').getByText('Rocket.Chat', { exact: true }) });
	await ours.first().waitFor();
	const description = (await ours.first().getByTestId('node-creator-item-description').innerText()).trim();
	assert.ok(/complete rocket\.chat integration/i.test(description), `the picker entry says: "${description}"`);
	assert.ok(!/^starts the workflow/i.test(description), `the picker entry speaks of the trigger only: "${description}"`);
	// The entry's icon is Rocket.Chat's mark (icons/rocketchat.svg), served by n8n.
	const iconSrc = await ours.first().locator('img').first().getAttribute('src');
	assert.ok(iconSrc, 'the picker entry has no icon image');
	const icon = await page.evaluate(async (src) => (await fetch(src)).text(), iconSrc);
	assert.equal(icon.trim(), readFileSync(join(REPO_DIR, 'icons', 'rocketchat.svg'), 'utf8').trim(), `icon served at ${iconSrc}`);
	assert.ok(icon.includes('<title>Rocket.Chat</title>'), 'the icon is not the Rocket.Chat mark');
	const names = await page.getByTestId('node-creator-item-name').allInnerTexts();
	await ui.shot('node-picker-rocket');
	await page.keyboard.press('Escape');
	return `entries: ${names.slice(0, 4).join(' | ')}; ours: "${description}"`;
}

async function roomListAndSend(ui) {
	const { page, assert, fake, state, waitFor } = ui;
	await openWorkflow(ui, state.workflowId);
	await openNode(ui, 'Rocket.Chat');
	const room = page.getByTestId('parameter-input-roomId').or(page.locator('[data-test-id="resource-locator-roomId"]'));
	await room.first().waitFor();
	// Mode: By Name → From List
	await room.first().getByTestId('rlc-mode-selector').click();
	await page.getByRole('option', { name: 'From List' }).click();
	await room.first().getByTestId('rlc-input').click();
	// The list is a popover teleported to the page's end: its rows and search field are found on the page.
	const rows = page.getByTestId('rlc-item');
	await rows.filter({ hasText: 'random' }).first().waitFor();
	const all = await rows.allInnerTexts();
	assert.ok(all.some((t) => t.includes('general')) && all.some((t) => t.includes('random')), `rooms listed: ${all.join(' | ')}`);
	await ui.shot('room-from-list');
	await page.locator('[data-test-id="rlc-search"] input, input[data-test-id="rlc-search"]').first().fill('rand');
	await waitFor(async () => {
		const shown = await rows.allInnerTexts();
		return shown.length > 0 && shown.every((t) => /rand/i.test(t));
	}, { timeoutMs: WAIT, what: 'the room list to show only rooms matching "rand"' });
	const filtered = await rows.allInnerTexts();
	await ui.shot('room-search-rand');
	await rows.filter({ hasText: 'random' }).first().click();
	const before = new Set(fake.state.messagesOf(fake.fixtures.rooms.random).map((m) => m._id));
	await page.getByTestId('node-execute-button').first().click();
	const sent = await waitFor(() => fake.state.messagesOf(fake.fixtures.rooms.random).find((m) => m.msg === SEND_TEXT && !before.has(m._id)), {
		timeoutMs: 60_000,
		what: `the message "${SEND_TEXT}" in #random`,
	});
	await page.getByText(sent._id, { exact: true }).first().waitFor(); // the node's output shows the message
	await ui.shot('send-executed');
	await page.keyboard.press('Escape');
	return `${all.length} rooms listed, "rand" → ${filtered.length} (${filtered.join(', ')}); message ${sent._id} in #random`;
}

async function credentialTest(ui) {
	const { page, n8n, fake, serverUrl, assert, waitFor } = ui;
	const { bot } = fake.fixtures;
	const res = await n8n.request('POST', '/rest/credentials', {
		name: 'e2e: editor credential',
		type: CREDENTIAL_TYPE,
		data: { domain: fake.url, authentication: 'accessToken', userId: bot.userId, token: bot.pat },
	});
	if (res.status !== 200) throw new Error(`POST /rest/credentials: ${res.status} ${res.text.slice(0, 300)}`);
	const id = res.json.data.id;
	await page.goto(`${serverUrl}/home/credentials/${id}`);
	const dialog = page.getByTestId('credential-edit-dialog');
	await dialog.waitFor();
	const field = (label) => dialog.getByTestId('credential-connection-parameter').filter({ hasText: label }).locator('input').first();
	// n8n tests a saved credential when its dialog opens.
	const ok = await waitFor(async () => {
		const text = await dialog.innerText();
		return /Connection tested successfully/i.test(text) ? text : undefined;
	}, { timeoutMs: WAIT, what: 'the credential test to pass' });
	assert.ok(!/Couldn.t connect/i.test(ok), 'the good token is reported as failing');
	await ui.shot('credential-ok');

	await field('Personal Access Token').fill('not-the-token');
	// n8n shows the test's message under "More details" (open once, it stays open).
	const failure = async (expected) =>
		await waitFor(
			async () => {
				const text = await dialog.innerText();
				if (expected.test(text)) return text;
				const more = dialog.getByText('More details');
				if (await more.count()) await more.first().click();
				return undefined;
			},
			{ timeoutMs: WAIT, what: `the credential test to say ${expected}` },
		);
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	const wrongToken = await failure(/refused these credentials/);
	assert.ok(wrongToken.includes('Rocket.Chat refused these credentials (401)'), `wrong token: ${wrongToken.slice(0, 400)}`);
	assert.ok(wrongToken.includes('User ID and Personal Access Token must belong together'), 'the 401 hint of the node is missing');
	await ui.shot('credential-wrong-token');

	await field('Personal Access Token').fill(bot.pat);
	await field('Server URL').fill(serverUrl);
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	const wrongUrl = await failure(/does not point to Rocket\.Chat|not with Rocket\.Chat's API/);
	await ui.shot('credential-n8n-url');
	// Back to the right Server URL (the trigger below picks this, the newest, credential).
	await field('Server URL').fill(fake.url);
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await waitFor(async () => /Connection tested successfully/i.test(await dialog.innerText()), { timeoutMs: WAIT, what: 'the credential test to pass again' });
	await page.keyboard.press('Escape');
	const said = (text) => text.split('\n').find((line) => /refused these credentials|Nothing at this Server URL|not with Rocket\.Chat's API/.test(line))?.slice(0, 70);
	return `OK; wrong token: "${said(wrongToken)}…"; n8n's URL: "${said(wrongUrl)}…"`;
}

async function triggerStep(ui) {
	const { page, assert, fake, realtime, state, waitFor } = ui;
	await openWorkflow(ui, state.workflowId);
	// "Add another trigger" lists triggers; the package entry offers "On new Rocket.Chat event".
	await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('item-iterator-item').filter({ hasText: 'Add another trigger' }).first().click();
	await page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first().fill('Rocket');
	await page
		.getByTestId('item-iterator-item')
		.filter({ has: page.getByTestId('node-creator-item-name').getByText('Rocket.Chat', { exact: true }) })
		.first()
		.click();
	const header = page.getByTestId('trigger-header');
	const action = page.getByTestId('node-creator').getByText(/^On new Rocket\.Chat/);
	await header.or(action).first().waitFor();
	if (await action.count()) await action.first().click();
	await header.waitFor();
	const headerText = (await header.innerText()).trim();
	assert.ok(!/listening/i.test(headerText), `the trigger panel says "${headerText}" before anything listens`);
	const button = page.getByTestId('trigger-execute-button').first();
	assert.equal((await button.innerText()).trim(), 'Execute step', 'the trigger panel button');
	await page.getByText('When will this node trigger my flow?').click();
	const help = await page.getByTestId('ndv').innerText();
	assert.ok(help.includes("click 'Execute step'"), 'the trigger panel help does not name the Execute step button');
	assert.ok(!/Listen for test event/i.test(help), 'the trigger panel help names "Listen for test event", which n8n 2.41 does not show');
	await ui.shot('trigger-panel');

	const subscriptions = realtime ? realtime.framesReceived('sub', 'stream-room-messages').length : 0;
	await button.click();
	await waitFor(async () => /Stop Listening/i.test(await page.getByTestId('ndv').innerText()), { timeoutMs: WAIT, what: 'the button to read "Stop Listening"' });
	if (realtime) {
		await waitFor(() => realtime.framesReceived('sub', 'stream-room-messages').length > subscriptions, {
			timeoutMs: WAIT,
			what: 'the trigger to subscribe on the Realtime API',
		});
	}
	await ui.shot('trigger-listening');
	const { alice, rooms } = fake.fixtures;
	const response = await fetch(`${fake.url}/api/v1/chat.postMessage`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-user-id': alice.userId, 'x-auth-token': alice.pat },
		body: JSON.stringify({ roomId: rooms.random, text: TRIGGER_TEXT }),
	});
	if (!response.ok) throw new Error(`chat.postMessage as alice: ${response.status} ${await response.text()}`);
	await page.getByText(TRIGGER_TEXT).first().waitFor({ timeout: 60_000 });
	await ui.shot('trigger-received');
	await page.keyboard.press('Escape');
	return `panel "${headerText}"; the message arrived in the editor`;
}

