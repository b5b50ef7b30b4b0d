import { buildQueryString, normalizeServerUrl, websocketUrl } from '../../../nodes/shared/url';

describe('normalizeServerUrl', () => {
	it.each([
		['https://chat.example.com', 'https://chat.example.com'],
		['https://chat.example.com/', 'https://chat.example.com'],
		['https://chat.example.com///', 'https://chat.example.com'],
		['https://chat.example.com/api/v1', 'https://chat.example.com'],
		['https://chat.example.com/api/v1/', 'https://chat.example.com'],
		['https://chat.example.com/api', 'https://chat.example.com'],
		['https://chat.example.com/home', 'https://chat.example.com'],
		['https://chat.example.com/channel/general', 'https://chat.example.com'],
		['  https://chat.example.com/  ', 'https://chat.example.com'],
		['chat.example.com', 'https://chat.example.com'],
		['http://127.0.0.1:3000/api/v1', 'http://127.0.0.1:3000'],
		['https://example.com/chat/api/v1/', 'https://example.com/chat'],
		['https://example.com/chat/', 'https://example.com/chat'],
		['https://CHAT.example.com/?x=1#top', 'https://chat.example.com'],
		['https://user:secret@chat.example.com/', 'https://chat.example.com'],
	])('%s → %s', (input, expected) => {
		expect(normalizeServerUrl(input)).toBe(expected);
	});

	it.each([[''], ['   '], [undefined], ['ftp://chat.example.com'], ['https://']])('rejects %p with a hint', (input) => {
		expect(() => normalizeServerUrl(input)).toThrow(/Server URL/);
	});

	it('builds the realtime address', () => {
		expect(websocketUrl('https://chat.example.com/api/v1/')).toBe('wss://chat.example.com/websocket');
		expect(websocketUrl('http://127.0.0.1:3000')).toBe('ws://127.0.0.1:3000/websocket');
		expect(websocketUrl('https://example.com/chat')).toBe('wss://example.com/chat/websocket');
	});
});

describe('buildQueryString', () => {
	it('encodes ISO dates with offsets, & + # and spaces', () => {
		const qs = buildQueryString({
			oldest: '2024-05-01T10:00:00.000+02:00',
			searchText: 'a&b + c #d e',
		});
		expect(qs).toBe('oldest=2024-05-01T10%3A00%3A00.000%2B02%3A00&searchText=a%26b%20%2B%20c%20%23d%20e');
		const parsed = new URLSearchParams(qs);
		expect(parsed.get('oldest')).toBe('2024-05-01T10:00:00.000+02:00');
		expect(parsed.get('searchText')).toBe('a&b + c #d e');
	});

	it('sends arrays as repeated key[]=value', () => {
		expect(buildQueryString({ types: ['c', 'p'], status: ['online'] })).toBe('types[]=c&types[]=p&status[]=online');
	});

	it('turns Date objects and luxon-like values into ISO strings, objects into JSON, and drops empty values', () => {
		const date = new Date('2024-01-02T03:04:05.678Z');
		const luxonLike = { toISO: () => '2024-01-02T04:04:05.678+01:00' };
		const qs = buildQueryString({ a: date, b: luxonLike, sort: { ts: -1 }, skip: undefined, none: null, zero: 0, no: false });
		const parsed = new URLSearchParams(qs);
		expect(parsed.get('a')).toBe('2024-01-02T03:04:05.678Z');
		expect(parsed.get('b')).toBe('2024-01-02T04:04:05.678+01:00');
		expect(parsed.get('sort')).toBe('{"ts":-1}');
		expect(parsed.has('skip')).toBe(false);
		expect(parsed.has('none')).toBe(false);
		expect(parsed.get('zero')).toBe('0');
		expect(parsed.get('no')).toBe('false');
	});

	it('gives an empty string for no parameters', () => {
		expect(buildQueryString(undefined)).toBe('');
		expect(buildQueryString({})).toBe('');
	});
});
