/** Rocket.Chat Trigger with username/password credentials while `/api/v1/login` is rate-limited: it waits, then starts. */
import { FakeRocketChat } from '../../fake';
import { passwordCredentials } from '../../harness/fixtures';
import { runTriggerManually } from '../../harness/trigger';
import { triggerParameters } from './helpers';

jest.setTimeout(60_000);

let fake: FakeRocketChat;

beforeAll(async () => {
	fake = await FakeRocketChat.start();
});

afterAll(async () => {
	await fake.stop();
});

it('a login answered 429 waits for the window instead of failing the trigger', async () => {
	fake.setRateLimit({ enabled: true, perEndpoint: { login: { calls: 1, windowMs: 5000 } } });
	await fetch(`${fake.url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'x' }) });
	fake.clearRequests();
	const { items, error } = await runTriggerManually({
		parameters: triggerParameters({ receiveVia: 'polling', pollInterval: 1, pollUnit: 'seconds' }),
		credentials: passwordCredentials(fake, fake.fixtures.bot),
	});
	expect(error).toBeUndefined();
	expect(items.length).toBeGreaterThan(0);
	const logins = fake.requests.filter((request) => request.path === '/api/v1/login');
	expect(logins[0].status).toBe(429);
	expect(logins.at(-1)?.status).toBe(200);
});
