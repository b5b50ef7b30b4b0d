import { type FakeRocketChat, paginateItems, sortItems, startFakeRocketChat } from '../../fake';
import { call } from './helpers';

const ITEMS = Array.from({ length: 230 }, (_, index) => ({ _id: `item${String(index).padStart(3, '0')}`, n: index % 7 }));

describe('fake Rocket.Chat: paging and query parsing', () => {
	let rc: FakeRocketChat;

	beforeAll(async () => {
		rc = await startFakeRocketChat({ rateLimit: { enabled: false } });
		rc.route({
			method: 'GET',
			path: 'test.list',
			handler: (ctx) => {
				const page = ctx.paginate();
				const { items, total } = paginateItems(sortItems(ITEMS, page.sort), page);
				return { items, count: items.length, offset: page.offset, total };
			},
		});
		rc.route({ method: 'GET', path: 'test.echo', handler: (ctx) => ({ query: ctx.query }) });
	});

	afterAll(async () => {
		await rc.stop();
	});

	const list = (query = '') => call(rc, 'GET', 'test.list', { as: rc.fixtures.alice, query });

	it('defaults to count 50 from offset 0, with the total', async () => {
		const res = await list();
		expect(res.json.count).toBe(50);
		expect(res.json.offset).toBe(0);
		expect(res.json.total).toBe(230);
		expect(res.json.items[0]._id).toBe('item000');
	});

	it('clamps count above 100 to 100 silently', async () => {
		const res = await list('count=500&offset=10');
		expect(res.status).toBe(200);
		expect(res.json.count).toBe(100);
		expect(res.json.items[0]._id).toBe('item010');
	});

	it('treats count=0 as unlimited', async () => {
		const res = await list('count=0');
		expect(res.json.count).toBe(230);
	});

	it('honours smaller counts and the last short page', async () => {
		expect((await list('count=7')).json.count).toBe(7);
		const last = await list('count=100&offset=200');
		expect(last.json.count).toBe(30);
		expect(last.json.total).toBe(230);
	});

	it('respects configured limits', async () => {
		const small = await startFakeRocketChat({ rateLimit: { enabled: false }, upperCountLimit: 20, defaultCount: 5 });
		try {
			small.route({ method: 'GET', path: 'test.page', handler: (ctx) => ({ page: ctx.paginate() }) });
			expect((await call(small, 'GET', 'test.page', { as: small.fixtures.alice })).json.page).toEqual({ offset: 0, count: 5 });
			expect((await call(small, 'GET', 'test.page', { as: small.fixtures.alice, query: 'count=50' })).json.page).toEqual({ offset: 0, count: 20 });
		} finally {
			await small.stop();
		}
	});

	it('sorts by a JSON sort of 1/-1', async () => {
		const res = await list(`count=3&sort=${encodeURIComponent('{"n":-1,"_id":1}')}`);
		expect(res.json.items.map((item: { _id: string }) => item._id)).toEqual(['item006', 'item013', 'item020']);
	});

	it('rejects any other sort with 400 error-invalid-sort', async () => {
		for (const sort of ['{"n":2}', 'n', '{"n":"asc"}']) {
			const res = await list(`sort=${encodeURIComponent(sort)}`);
			expect(res.status).toBe(400);
			expect(res.json).toEqual({
				success: false,
				error: `Invalid sort parameter provided: "${sort}" [error-invalid-sort]`,
				errorType: 'error-invalid-sort',
				details: { helperMethod: 'parseJsonQuery' },
			});
		}
	});

	it('decodes queries like URLSearchParams and builds arrays from key[] and repeated keys', async () => {
		const res = await call(rc, 'GET', 'test.echo', {
			as: rc.fixtures.alice,
			query: 'types[]=c&types[]=p&status=online&status=away&text=a+b%26c&date=2024-01-01T00%3A00%3A00%2B02%3A00&single[]=x&obj[k]=v',
		});
		expect(res.json.query).toEqual({
			types: ['c', 'p'],
			status: ['online', 'away'],
			text: 'a b&c',
			date: '2024-01-01T00:00:00+02:00',
			single: ['x'],
			obj: { k: 'v' },
		});
	});

	it('logs the raw URL exactly as sent', async () => {
		rc.clearRequests();
		await call(rc, 'GET', 'test.echo', { as: rc.fixtures.alice, query: 'latest=2024-01-01T00:00:00+02:00&q=%20x' });
		const [entry] = rc.requests;
		expect(entry.rawUrl).toBe('/api/v1/test.echo?latest=2024-01-01T00:00:00+02:00&q=%20x');
		expect(entry.path).toBe('/api/v1/test.echo');
		expect(entry.endpoint).toBe('test.echo');
		// an unencoded '+' decodes to a space: the client bug the reference warns about
		expect(entry.query).toEqual({ latest: '2024-01-01T00:00:00 02:00', q: ' x' });
		expect(entry.status).toBe(200);
		expect(entry.method).toBe('GET');
		expect(entry.headers['x-user-id']).toBe(rc.fixtures.alice.userId);
	});
});
