import { FakeRocketChat } from '../../fake';
import { patCredentials } from '../../harness/fixtures';
import { listSearch } from '../../harness/load-options';

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
