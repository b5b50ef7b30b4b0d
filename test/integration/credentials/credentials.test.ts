import { FakeRocketChat } from '../../fake';
import { normalizeServerUrl } from '../../../nodes/shared/url';
import { credentialTestBaseUrl, testCredentials } from '../../harness/credential-test';
import { passwordCredentials, patCredentials } from '../../harness/fixtures';

let fake: FakeRocketChat;

beforeAll(async () => {
	fake = await FakeRocketChat.start();
});

afterAll(async () => {
	await fake.stop();
});

beforeEach(() => fake.clearRequests());

describe('Rocket.Chat API credential test', () => {
	it('passes with a personal access token and calls GET /api/v1/me with the headers', async () => {
		const result = await testCredentials(patCredentials(fake, fake.fixtures.bot));
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		const me = fake.requests.filter((r) => r.path === '/api/v1/me');
		expect(me).toHaveLength(1);
		expect(me[0].method).toBe('GET');
		expect(me[0].headers['x-user-id']).toBe(fake.fixtures.bot.userId);
	});

	it('accepts a Server URL with a trailing slash or /api/v1', async () => {
		for (const domain of [`${fake.url}/`, `${fake.url}/api/v1`, `${fake.url}/api/v1/`]) {
			const result = await testCredentials(patCredentials(fake, fake.fixtures.bot, domain));
			expect(result.status).toBe('OK');
		}
	});

	it('accepts every Server URL the node accepts: web-app paths, query, fragment', async () => {
		for (const domain of [`${fake.url}/home`, `${fake.url}/channel/general`, `${fake.url}/group/private-team/`, `${fake.url}/home?tab=1#top`, ` ${fake.url}/api/v1/home `]) {
			const result = await testCredentials(patCredentials(fake, fake.fixtures.bot, domain));
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		}
	});

	it('normalises the test URL exactly as the node does (https:// added when no scheme is given)', async () => {
		const domains = ['chat.example.com', 'chat.example.com/', 'chat.example.com:3000/home', 'https://example.com/chat/', 'https://example.com/chat/channel/general?x=1', 'HTTP://Chat.Example.com/api/v1/', 'https://chat.example.com/direct/abc123#x'];
		for (const domain of domains) {
			// Compared as URLs: scheme and host case do not matter to a request.
			expect(new URL(await credentialTestBaseUrl({ domain })).href).toBe(new URL(normalizeServerUrl(domain)).href);
		}
	});

	it('fails with a wrong token, with a readable message', async () => {
		const result = await testCredentials({ ...patCredentials(fake, fake.fixtures.bot), token: 'not-the-token' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/You must be logged in to do this/);
	});

	it('passes with username & password (logs in first)', async () => {
		const result = await testCredentials(passwordCredentials(fake, fake.fixtures.alice));
		expect(result.status).toBe('OK');
		expect(fake.requests.filter((r) => r.path === '/api/v1/login')).toHaveLength(1);
		const me = fake.requests.find((r) => r.path === '/api/v1/me');
		expect(me?.headers['x-user-id']).toBe(fake.fixtures.alice.userId);
	});

	it('fails with a wrong password, saying what to check', async () => {
		const result = await testCredentials({ ...passwordCredentials(fake, fake.fixtures.alice), password: 'wrong' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Check the username and password/);
	});

	it('fails for a 2FA account with advice to use a personal access token', async () => {
		const result = await testCredentials(passwordCredentials(fake, fake.fixtures.carol2fa));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/two-factor authentication/);
		expect(result.message).toMatch(/Personal Access Token/);
	});

	it('fails when the server cannot be reached', async () => {
		const result = await testCredentials(passwordCredentials({ ...fake, url: 'http://127.0.0.1:9' } as FakeRocketChat, fake.fixtures.alice));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/could not reach http:\/\/127\.0\.0\.1:9/);
	});
});
