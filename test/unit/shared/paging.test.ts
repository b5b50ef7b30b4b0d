import type { IDataObject } from 'n8n-workflow';

import { applyLimit, getAllOffset } from '../../../nodes/shared/paging';
import type { RocketChatRequest } from '../../../nodes/shared/transport';

/** A list server with Rocket.Chat's clamps: count > upper → upper, count 0 → everything. */
function listServer(total: number, options: { upper?: number; withTotal?: boolean } = {}) {
	const upper = options.upper ?? 100;
	const calls: IDataObject[] = [];
	const send = async (request: RocketChatRequest): Promise<IDataObject> => {
		const qs = request.qs ?? {};
		calls.push({ ...qs });
		const offset = Number(qs.offset ?? 0);
		let count = Number(qs.count ?? 50);
		if (count === 0) count = total;
		count = Math.min(count, upper);
		const items = Array.from({ length: Math.max(0, Math.min(count, total - offset)) }, (_, i) => ({ n: offset + i }));
		return options.withTotal === false
			? { items }
			: { items, count: items.length, offset, total };
	};
	return { send, calls };
}

describe('getAllOffset', () => {
	it('stops exactly at total with pages of 100', async () => {
		const server = listServer(250);
		const items = await getAllOffset(server.send, { request: { endpoint: 'x' }, itemsKey: 'items' });
		expect(items.map((i) => i.n)).toEqual(Array.from({ length: 250 }, (_, i) => i));
		expect(server.calls).toEqual([
			{ offset: 0, count: 100 },
			{ offset: 100, count: 100 },
			{ offset: 200, count: 100 },
		]);
	});

	it('makes one request when total is a multiple of the page size boundary', async () => {
		const server = listServer(100);
		await getAllOffset(server.send, { request: { endpoint: 'x' }, itemsKey: 'items' });
		expect(server.calls).toHaveLength(1);
	});

	it('honours a Limit by asking only for what is missing, never count=0', async () => {
		const server = listServer(1000);
		const items = await getAllOffset(server.send, { request: { endpoint: 'x' }, itemsKey: 'items', limit: 130 });
		expect(items).toHaveLength(130);
		expect(server.calls).toEqual([
			{ offset: 0, count: 100 },
			{ offset: 100, count: 30 },
		]);
		expect(server.calls.every((c) => Number(c.count) > 0)).toBe(true);
	});

	it('keeps going while total says so even if the server clamps pages below 100', async () => {
		const server = listServer(120, { upper: 50 });
		const items = await getAllOffset(server.send, { request: { endpoint: 'x' }, itemsKey: 'items' });
		expect(items).toHaveLength(120);
		expect(server.calls.map((c) => c.offset)).toEqual([0, 50, 100]);
	});

	it('without total, stops at the first short page', async () => {
		const server = listServer(205, { withTotal: false });
		const items = await getAllOffset(server.send, { request: { endpoint: 'x' }, itemsKey: 'items' });
		expect(items).toHaveLength(205);
		expect(server.calls).toHaveLength(3);
	});

	it('an empty list costs one request', async () => {
		const server = listServer(0);
		expect(await getAllOffset(server.send, { request: { endpoint: 'x' }, itemsKey: 'items' })).toEqual([]);
		expect(server.calls).toHaveLength(1);
	});

	it('keeps the caller query parameters and a starting offset', async () => {
		const server = listServer(30);
		await getAllOffset(server.send, { request: { endpoint: 'x', qs: { roomId: 'R1', offset: 10 } }, itemsKey: 'items' });
		expect(server.calls).toEqual([{ roomId: 'R1', offset: 10, count: 100 }]);
	});

	it('fails clearly when the answer has no list under the key', async () => {
		const send = async () => ({ items: 'nope' }) as IDataObject;
		await expect(getAllOffset(send, { request: { endpoint: 'chat.search' }, itemsKey: 'items' })).rejects.toThrow(
			/chat\.search has no "items" list/,
		);
	});
});

describe('applyLimit', () => {
	it('returns everything with Return All, else the first Limit items', () => {
		expect(applyLimit([1, 2, 3], undefined)).toEqual([1, 2, 3]);
		expect(applyLimit([1, 2, 3], 2)).toEqual([1, 2]);
	});
});
