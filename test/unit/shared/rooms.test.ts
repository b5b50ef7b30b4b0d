import { parseRoomLocator } from '../../../nodes/shared/rooms';

const rl = (value: string, mode: string) => ({ __rl: true, mode, value });

describe('parseRoomLocator', () => {
	it.each([
		[rl('GENERAL', 'id'), { kind: 'id', value: 'GENERAL' }],
		[rl(' 8Hzm6tt4c9DvaTJZ5 ', 'list'), { kind: 'id', value: '8Hzm6tt4c9DvaTJZ5' }],
		['8Hzm6tt4c9DvaTJZ5', { kind: 'id', value: '8Hzm6tt4c9DvaTJZ5' }],
		[rl('#general', 'name'), { kind: 'name', value: 'general' }],
		[rl('private-team', 'name'), { kind: 'name', value: 'private-team' }],
		[rl('@alice', 'name'), { kind: 'user', value: 'alice' }],
		[rl('https://chat.example.com/channel/general?msg=1', 'url'), { kind: 'name', value: 'general' }],
		[rl('https://chat.example.com/chat/group/private-team', 'url'), { kind: 'name', value: 'private-team' }],
		[rl('https://chat.example.com/direct/alice', 'url'), { kind: 'user', value: 'alice' }],
		[rl('https://chat.example.com/direct/8Hzm6tt4c9DvaTJZ5xYz9w7Qp3LmN2bK4', 'url'), { kind: 'id', value: '8Hzm6tt4c9DvaTJZ5xYz9w7Qp3LmN2bK4' }],
		[rl('https://chat.example.com/channel/caf%C3%A9', 'url'), { kind: 'name', value: 'café' }],
		[rl('https://chat.example.com/channel/100%', 'url'), { kind: 'name', value: '100%' }],
		[rl('', 'id'), { kind: 'id', value: '' }],
	])('%j → %j', (raw, expected) => {
		expect(parseRoomLocator(raw)).toEqual(expected);
	});

	it.each([
		[rl('two words', 'id'), 'is not a Rocket.Chat room ID'],
		[rl('ab', 'id'), 'is not a Rocket.Chat room ID'],
		[rl('#two words', 'name'), 'is not a room name'],
		[rl('#', 'name'), 'is not a room name'],
		[rl('chat.example.com/channel/general', 'url'), 'is not a Rocket.Chat room URL'],
		[rl('https://chat.example.com/home', 'url'), 'is not a Rocket.Chat room URL'],
	])('%j is refused with a hint', (raw, message) => {
		const parsed = parseRoomLocator(raw);
		expect(parsed).toMatchObject({ kind: 'invalid', message: expect.stringContaining(message), hint: expect.any(String) });
	});
});
