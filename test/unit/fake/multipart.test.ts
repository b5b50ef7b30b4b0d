import { type FakeRocketChat, parseMultipart, startFakeRocketChat } from '../../fake';

describe('fake Rocket.Chat: multipart bodies', () => {
	let rc: FakeRocketChat;

	beforeAll(async () => {
		rc = await startFakeRocketChat({ rateLimit: { enabled: false } });
		rc.route({
			method: 'POST',
			path: 'test.media/:rid',
			handler: (ctx) => {
				const form = parseMultipart(ctx);
				if (!form) return { status: 400, body: { success: false, error: 'not multipart' } };
				const [file] = form.files;
				return { rid: ctx.params.rid, fields: form.fields, body: ctx.body, file: { field: file.field, filename: file.filename, contentType: file.contentType, text: file.data.toString('utf8') } };
			},
		});
	});

	afterAll(async () => {
		await rc.stop();
	});

	it('keeps the raw body, parses fields and files, and logs a summary', async () => {
		const form = new FormData();
		form.append('msg', 'ignored by rooms.media');
		form.append('file', new Blob(['id,value\n1,2\n'], { type: 'text/csv' }), 'report ü.csv');
		rc.clearRequests();
		const response = await fetch(`${rc.url}/api/v1/test.media/GENERAL`, {
			method: 'POST',
			headers: { 'X-User-Id': rc.fixtures.alice.userId, 'X-Auth-Token': rc.fixtures.alice.pat },
			body: form,
		});
		const json = await response.json();
		expect(response.status).toBe(200);
		expect(json).toEqual({
			rid: 'GENERAL',
			fields: { msg: 'ignored by rooms.media' },
			body: {},
			file: { field: 'file', filename: 'report ü.csv', contentType: 'text/csv', text: 'id,value\n1,2\n' },
			success: true,
		});
		expect(rc.requests[0].body).toEqual({
			fields: { msg: 'ignored by rooms.media' },
			files: [{ field: 'file', filename: 'report ü.csv', contentType: 'text/csv', size: 13 }],
		});
	});

	it('returns undefined for other content types', async () => {
		const response = await fetch(`${rc.url}/api/v1/test.media/GENERAL`, {
			method: 'POST',
			headers: { 'X-User-Id': rc.fixtures.alice.userId, 'X-Auth-Token': rc.fixtures.alice.pat, 'Content-Type': 'application/json' },
			body: '{}',
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ success: false, error: 'not multipart' });
	});
});
