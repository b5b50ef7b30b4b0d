/** Rocket.Chat Trigger with an archived Selected Room: `rooms.info` refuses it, the trigger still resolves it. */
import { FakeRocketChat } from '../../fake';
import { patCredentials } from '../../harness/fixtures';
import { rl } from '../../harness/run';
import { runTriggerManually } from '../../harness/trigger';
import { post, triggerParameters, user } from './helpers';

jest.setTimeout(60_000);

let fake: FakeRocketChat;

beforeAll(async () => {
	fake = await FakeRocketChat.start();
});

afterAll(async () => {
	await fake.stop();
});

const POLL = { receiveVia: 'polling', pollInterval: 1, pollUnit: 'seconds' };

it.each([
	['#name', (name: string) => rl(`#${name}`, 'name')],
	['ID (a channel the user has not joined)', (_name: string, id: string) => rl(id)],
])('resolves an archived Selected Room given by %s', async (_label, locator) => {
	const alice = user(fake, 'alice');
	const room = fake.state.createRoom('c', `archive-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`, alice);
	const last = post(fake, room._id, alice, 'last words before the archive');
	room.archived = true;
	const { items, error } = await runTriggerManually({
		parameters: triggerParameters({ ...POLL, roomScope: 'selected', rooms: { room: [{ roomId: locator(room.name!, room._id) }] } }),
		credentials: patCredentials(fake, fake.fixtures.bob),
	});
	expect(error).toBeUndefined();
	expect(items.map((item) => item.json.id)).toEqual([last._id]);
	expect(fake.requests.some((request) => request.endpoint === 'rooms.info' && request.status === 400)).toBe(true);
});
