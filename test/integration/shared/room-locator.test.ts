import type { INodeProperties } from 'n8n-workflow';

import { RocketChat } from '../../../nodes/RocketChat/RocketChat.node';
import { RocketChatTrigger } from '../../../nodes/RocketChatTrigger/RocketChatTrigger.node';
import { FakeRocketChat } from '../../fake';
import { patCredentials } from '../../harness/fixtures';
import { listSearch } from '../../harness/load-options';
import { rl, runRocketChat } from '../../harness/run';

let fake: FakeRocketChat;

beforeAll(async () => {
	fake = await FakeRocketChat.start();
});

afterAll(async () => {
	await fake.stop();
});

describe('room locator: From list (searchRooms)', () => {
	it("lists the user's rooms with labels and web-app URLs", async () => {
		const result = await listSearch({ method: 'searchRooms', credentials: patCredentials(fake, fake.fixtures.bot) });
		const byValue = new Map(result.results.map((r) => [r.value, r]));
		expect(byValue.get(fake.fixtures.rooms.general)).toEqual({
			name: '#general',
			value: fake.fixtures.rooms.general,
			url: `${fake.url}/channel/general`,
		});
		expect(byValue.get(fake.fixtures.rooms.privateGroup)?.name).toBe('private-team (private)');
		expect(byValue.get(fake.fixtures.rooms.privateGroup)?.url).toBe(`${fake.url}/group/private-team`);
		expect(byValue.get(fake.fixtures.rooms.dmBotAlice)?.name).toBe('@alice');
		expect(result.paginationToken).toBeUndefined();
	});

	it('filters by name, ignoring # and case', async () => {
		const result = await listSearch({
			method: 'searchRooms',
			credentials: patCredentials(fake, fake.fixtures.bot),
			filter: '#GEN',
		});
		expect(result.results.map((r) => r.name)).toEqual(['#general']);
	});

	it('pages a long list 100 at a time', async () => {
		const owner = fake.state.getUser(fake.fixtures.bot.userId)!;
		for (let i = 0; i < 130; i++) fake.state.createRoom('c', `bulk-${String(i).padStart(3, '0')}`, owner, []);
		const first = await listSearch({ method: 'searchRooms', credentials: patCredentials(fake, fake.fixtures.bot), filter: 'bulk-' });
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('100');
		const second = await listSearch({
			method: 'searchRooms',
			credentials: patCredentials(fake, fake.fixtures.bot),
			filter: 'bulk-',
			paginationToken: first.paginationToken as string,
		});
		expect(second.results).toHaveLength(30);
		expect(second.paginationToken).toBeUndefined();
		expect(new Set([...first.results, ...second.results].map((r) => r.value)).size).toBe(130);
	});

	it('a bad token fails with the credentials hint', async () => {
		await expect(
			listSearch({ method: 'searchRooms', credentials: { ...patCredentials(fake, fake.fixtures.bot), token: 'nope-nope' } }),
		).rejects.toMatchObject({ message: 'You must be logged in to do this.' });
	});
});

describe('room and user locators: checked by the node, not by regexes in the description', () => {
	const asBot = () => patCredentials(fake, fake.fixtures.bot);
	const send = (roomId: ReturnType<typeof rl>) => ({ resource: 'message', operation: 'send', roomId, text: 'locator check' });

	it('no locator mode carries validation or extractValue regexes (n8n runs them at each execution start with a 250 ms timeout)', () => {
		const regexModes: string[] = [];
		for (const node of [new RocketChat(), new RocketChatTrigger()]) {
			const visit = (properties: INodeProperties[]) => {
				for (const property of properties) {
					for (const mode of property.modes ?? []) {
						if (mode.validation?.length || mode.extractValue) regexModes.push(`${node.description.name}.${property.name}.${mode.name}`);
					}
					for (const option of (property.options ?? []) as Array<{ values?: INodeProperties[] }>) {
						if (Array.isArray(option.values)) visit(option.values);
					}
				}
			};
			visit(node.description.properties);
		}
		expect(regexModes).toEqual([]);
	});

	it('By URL: a room URL of the web app picks that room', async () => {
		const { items, error } = await runRocketChat({ parameters: send(rl(`${fake.url}/channel/general?msg=abc`, 'url')), credentials: asBot() });
		expect(error).toBeUndefined();
		expect(items[0].json.rid).toBe(fake.fixtures.rooms.general);
	});

	it.each([
		['id', 'general channel', '"general channel" is not a Rocket.Chat room ID', /switch the field to By Name/],
		['name', '#two words', '"#two words" is not a room name', /#general/],
		['url', 'chat.example.com/general', '"chat.example.com/general" is not a Rocket.Chat room URL', /https:\/\/chat\.example\.com\/channel\/general/],
	] as const)('By %s: a value of the wrong shape fails before any request, with a hint', async (mode, value, message, hint) => {
		fake.requests.length = 0;
		const { error } = await runRocketChat({ parameters: send(rl(value, mode)), credentials: asBot() });
		expect(error?.message).toBe(message);
		expect(error?.description).toMatch(hint);
		expect(fake.requests.filter((request) => request.endpoint === 'chat.postMessage')).toHaveLength(0);
	});

	it('Continue On Fail: the bad item gets the error with its index, the good one is sent', async () => {
		const { items } = await runRocketChat({
			parameters: send(rl('={{ $json.room }}', 'id')),
			credentials: asBot(),
			items: [{ room: fake.fixtures.rooms.general }, { room: 'not a room' }],
			continueOnFail: true,
		});
		expect(items[0].json.rid).toBe(fake.fixtures.rooms.general);
		expect(items[1].json.error).toBe('"not a room" is not a Rocket.Chat room ID');
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('a user locator with a value of the wrong shape fails with a hint', async () => {
		const parameters = { resource: 'room', operation: 'muteUser', roomId: rl(fake.fixtures.rooms.general) };
		const byId = await runRocketChat({ parameters: { ...parameters, userId: { __rl: true, mode: 'id', value: 'no such id' } }, credentials: asBot() });
		expect(byId.error?.message).toBe('"no such id" is not a Rocket.Chat user ID');
		expect(byId.error?.description).toMatch(/By Username/);
		const byName = await runRocketChat({ parameters: { ...parameters, userId: { __rl: true, mode: 'username', value: 'two words' } }, credentials: asBot() });
		expect(byName.error?.message).toBe('"two words" is not a username');
	});
});
