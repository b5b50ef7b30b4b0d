/**
 * Message › Send › Parse URLs: Rocket.Chat 7.4 – 7.9.7 refuse `parseUrls` in `chat.postMessage`
 * (`invalid-params`); the node sends it only where the server takes it, and only to turn previews off.
 */
import { FakeRocketChat } from '../../fake';
import { patCredentials } from '../../harness/fixtures';
import { rl, runRocketChat } from '../../harness/run';

jest.setTimeout(60_000);

let current: FakeRocketChat;
let v76: FakeRocketChat;
let v72: FakeRocketChat;

beforeAll(async () => {
	[current, v76, v72] = await Promise.all([FakeRocketChat.start(), FakeRocketChat.start({ version: '7.6.1' }), FakeRocketChat.start({ version: '7.2.0' })]);
});

afterAll(async () => {
	await Promise.all([current.stop(), v76.stop(), v72.stop()]);
});

const send = (fake: FakeRocketChat, parseUrls: boolean) =>
	runRocketChat({
		parameters: { resource: 'message', operation: 'send', roomId: rl(fake.fixtures.rooms.general), text: 'see https://example.com', options: { parseUrls } },
		credentials: patCredentials(fake, fake.fixtures.bot),
	});
const posts = (fake: FakeRocketChat) => fake.requests.filter((request) => request.endpoint === 'chat.postMessage');

describe('Message › Send › Parse URLs', () => {
	it('a 7.6 server refuses parseUrls in chat.postMessage (as the real server does)', async () => {
		const response = await fetch(`${v76.url}/api/v1/chat.postMessage`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-User-Id': v76.fixtures.bot.userId, 'X-Auth-Token': v76.fixtures.bot.pat },
			body: JSON.stringify({ roomId: 'GENERAL', text: 'x', parseUrls: false }),
		});
		expect(response.status).toBe(400);
		expect(((await response.json()) as { errorType: string }).errorType).toBe('invalid-params');
	});

	it('turns previews off on servers that accept parseUrls (before 7.4, and current ones)', async () => {
		for (const fake of [current, v72]) {
			fake.clearRequests();
			const { error } = await send(fake, false);
			expect(error).toBeUndefined();
			expect(posts(fake)[0].body).toMatchObject({ parseUrls: false });
		}
	});

	it('refuses Parse URLs off on 7.4 – 7.9 before posting, with a clear error', async () => {
		v76.clearRequests();
		const { error } = await send(v76, false);
		expect(error?.message).toBe('Parse URLs cannot be turned off on Rocket.Chat 7.6');
		expect(error?.description).toMatch(/7\.4 to 7\.9 refuses the parseUrls parameter/);
		expect(posts(v76)).toHaveLength(0);
	});

	it('Parse URLs on is the server default: not sent, so it works on every version', async () => {
		v76.clearRequests();
		const { error } = await send(v76, true);
		expect(error).toBeUndefined();
		expect(posts(v76)[0].body).not.toHaveProperty('parseUrls');
	});
});
