import { FakeRocketChat } from '../../fake';
import { versionAtLeast } from '../../fake/handlers/room-admin';
import { call } from './helpers';

describe('fake Rocket.Chat: room routes follow the server version', () => {
	it('versionAtLeast compares major.minor.patch numerically', () => {
		expect(versionAtLeast('8.8.1', '8.6')).toBe(true);
		expect(versionAtLeast('7.10.0', '7.9')).toBe(true);
		expect(versionAtLeast('7.9.8', '7.10')).toBe(false);
		expect(versionAtLeast('6.10', '6.10.0')).toBe(true);
		expect(versionAtLeast('6.9.3', '6.10')).toBe(false);
	});

	const cases: Array<[string, Record<string, boolean>]> = [
		['6.6.0', { 'rooms.upload/GENERAL': true, 'rooms.media/GENERAL': false, 'rooms.muteUser': false, 'rooms.hide': false }],
		['6.9.3', { 'rooms.upload/GENERAL': true, 'rooms.media/GENERAL': false, 'rooms.muteUser': true, 'rooms.membersOrderedByRole': false }],
		['7.4.0', { 'rooms.upload/GENERAL': true, 'rooms.media/GENERAL': true, 'rooms.hide': true, 'rooms.open': false, 'rooms.membersOrderedByRole': true }],
		['7.10.0', { 'rooms.open': true, 'rooms.roles': true, 'rooms.join': false }],
		['8.0.0', { 'rooms.upload/GENERAL': false, 'rooms.media/GENERAL': true, 'rooms.join': false }],
		['8.6.1', { 'rooms.join': true }],
	];

	it.each(cases)('%s has exactly the expected endpoints', async (version, expected) => {
		const rc = await FakeRocketChat.start({ version });
		try {
			for (const [endpoint, present] of Object.entries(expected)) {
				const method = endpoint === 'rooms.roles' || endpoint === 'rooms.membersOrderedByRole' ? 'GET' : 'POST';
				const result = await call(rc, method, endpoint, { as: rc.fixtures.admin, json: method === 'POST' ? {} : undefined });
				// An unknown route is a plain-text 404; a present route answers JSON (here a validation failure).
				expect([endpoint, result.status === 404 && result.json === undefined]).toEqual([endpoint, !present]);
			}
		} finally {
			await rc.stop();
		}
	});
});

describe('fake Rocket.Chat: rooms.cleanHistory and rooms.delete', () => {
	let rc: FakeRocketChat;
	beforeAll(async () => {
		rc = await FakeRocketChat.start();
	});
	afterAll(async () => {
		await rc.stop();
	});

	it('rooms.cleanHistory validates like rest-typings (required dates, no unknown keys)', async () => {
		const missing = await call(rc, 'POST', 'rooms.cleanHistory', { as: rc.fixtures.admin, json: { roomId: 'GENERAL' } });
		expect(missing.status).toBe(400);
		expect(missing.json).toEqual({ success: false, error: "must have required property 'latest' [invalid-params]", errorType: 'invalid-params' });
		const extra = await call(rc, 'POST', 'rooms.cleanHistory', {
			as: rc.fixtures.admin,
			json: { roomId: 'GENERAL', latest: '2020-01-01T00:00:00Z', oldest: '2019-01-01T00:00:00Z', dryRun: true },
		});
		expect(extra.json.errorType).toBe('invalid-params');
	});

	it('rooms.delete needs roomId, answers error-invalid-room for an unknown room and checks delete-<type>', async () => {
		const none = await call(rc, 'POST', 'rooms.delete', { as: rc.fixtures.admin, json: {} });
		expect(none.json).toEqual({ success: false, error: "The 'roomId' param is required" });
		const unknown = await call(rc, 'POST', 'rooms.delete', { as: rc.fixtures.admin, json: { roomId: 'nope' } });
		expect(unknown.json).toMatchObject({ errorType: 'error-invalid-room' });
		const denied = await call(rc, 'POST', 'rooms.delete', { as: rc.fixtures.bob, json: { roomId: 'GENERAL' } });
		expect(denied.json).toMatchObject({ error: 'Not allowed [error-not-allowed]' });
		expect(rc.state.rooms.has('GENERAL')).toBe(true);
	});

	it('serves uploaded files only with valid auth headers and access to the room', async () => {
		const alice = rc.state.findUserByUsername('alice')!;
		const file = rc.state.addUpload(rc.fixtures.rooms.privateGroup, alice, { name: 'a b.txt', type: 'text/plain', data: 'secret' });
		const anonymous = await call(rc, 'GET', file.path);
		expect(anonymous.status).toBe(403);
		const outsider = await call(rc, 'GET', file.path, { as: rc.fixtures.bob });
		expect(outsider.status).toBe(403);
		const member = await call(rc, 'GET', file.path, { as: rc.fixtures.alice });
		expect(member.status).toBe(200);
		expect(member.text).toBe('secret');
		expect(member.headers.get('content-type')).toBe('text/plain');
		expect(member.headers.get('content-disposition')).toBe('inline; filename="a%20b.txt"');
	});
});
