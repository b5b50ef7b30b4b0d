import type { IDataObject } from 'n8n-workflow';

import { FakeRocketChat } from '../../fake';
import { patCredentials } from '../../harness/fixtures';
import { rl, runRocketChat } from '../../harness/run';
import { binaryItem, runChain, sampleBytes } from './files-helpers';

// Several workflows per test: allow for a loaded machine.
jest.setTimeout(60_000);

let fake: FakeRocketChat;
let v80: FakeRocketChat;
let v69: FakeRocketChat;

beforeAll(async () => {
	[fake, v80, v69] = await Promise.all([
		FakeRocketChat.start(),
		FakeRocketChat.start({ version: '8.0.2' }),
		FakeRocketChat.start({ version: '6.9.3' }),
	]);
});

afterAll(async () => {
	await Promise.all([fake.stop(), v80.stop(), v69.stop()]);
});

beforeEach(() => {
	for (const server of [fake, v80, v69]) server.clearRequests();
});

const requestsTo = (server: FakeRocketChat, endpoint: string) => server.requests.filter((r) => r.endpoint === endpoint);
const upload = (roomId: string, extra: IDataObject = {}) => ({ resource: 'room', operation: 'uploadFile', roomId: rl(roomId), ...extra });
const download = (extra: IDataObject) => ({ resource: 'room', operation: 'downloadFile', ...extra });

async function roundTrip(server: FakeRocketChat, bytes: Buffer, fileName: string, mimeType: string, options: IDataObject = {}) {
	const result = await runChain(
		[
			{ name: 'Upload', parameters: upload(server.fixtures.rooms.general, { options }) },
			{ name: 'Download', parameters: download({ messageId: '={{ $json.messageId }}', binaryPropertyName: 'file' }) },
		],
		patCredentials(server, server.fixtures.bot),
		[binaryItem(bytes, fileName, mimeType)],
	);
	return result;
}

describe('Room › Upload File / Download File', () => {
	it('uploads with rooms.media + rooms.mediaConfirm and downloads the same bytes, name and type (inline binary data)', async () => {
		const bytes = sampleBytes();
		const { error, output, items } = await roundTrip(fake, bytes, 'chart été.png', 'image/png', { message: 'Weekly chart', description: 'KPIs' });
		expect(error).toBeUndefined();
		const uploaded = output('Upload')[0].json;
		expect(uploaded).toMatchObject({ fileName: 'chart été.png', mimeType: 'image/png', size: bytes.length, roomId: 'GENERAL' });
		expect(uploaded).not.toHaveProperty('legacyEndpoint');

		const [media] = requestsTo(fake, 'rooms.media/:rid');
		expect(media.path).toBe('/api/v1/rooms.media/GENERAL');
		expect(String(media.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
		expect(media.body).toEqual({ fields: {}, files: [{ field: 'file', filename: 'chart été.png', contentType: 'image/png', size: bytes.length }] });
		const [confirm] = requestsTo(fake, 'rooms.mediaConfirm/:rid/:fileId');
		expect(confirm.body).toEqual({ msg: 'Weekly chart', description: 'KPIs' });

		const message = fake.state.getMessage(String(uploaded.messageId))!;
		expect(message).toMatchObject({ msg: 'Weekly chart', file: { _id: uploaded.fileId, name: 'chart été.png', type: 'image/png' } });

		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ messageId: uploaded.messageId, fileId: uploaded.fileId, fileName: 'chart été.png', mimeType: 'image/png', size: bytes.length });
		const binary = items[0].binary!.file;
		expect(binary).toMatchObject({ fileName: 'chart été.png', mimeType: 'image/png' });
		expect(Buffer.from(binary.data, 'base64').equals(bytes)).toBe(true);
		const [get] = requestsTo(fake, '/file-upload/:id/:name');
		expect(get.headers['x-user-id']).toBe(fake.fixtures.bot.userId);
		expect(get.headers['x-auth-token']).toBe(fake.fixtures.bot.pat);
	});

	it('downloads by file ID and by file URL (path or full URL of the server) with the auth headers', async () => {
		const bytes = Buffer.from('id,value\n1,2\n');
		const { output, error } = await roundTrip(fake, bytes, 'export.csv', 'text/csv');
		expect(error).toBeUndefined();
		const uploaded = output('Upload')[0].json;
		const credentials = patCredentials(fake, fake.fixtures.bot);

		const byId = await runRocketChat({ parameters: download({ source: 'fileId', fileId: uploaded.fileId }), credentials });
		expect(byId.error).toBeUndefined();
		expect(byId.items[0].json).toMatchObject({ fileId: uploaded.fileId, fileName: 'export.csv', mimeType: 'text/csv' });
		expect(Buffer.from(byId.items[0].binary!.data.data, 'base64').equals(bytes)).toBe(true);

		for (const fileUrl of [String(uploaded.fileUrl), `${fake.url}${String(uploaded.fileUrl)}`]) {
			const byUrl = await runRocketChat({ parameters: download({ source: 'url', fileUrl }), credentials });
			expect(byUrl.error).toBeUndefined();
			expect(byUrl.items[0].json).toMatchObject({ fileName: 'export.csv', mimeType: 'text/csv', size: bytes.length });
			expect(Buffer.from(byUrl.items[0].binary!.data.data, 'base64').equals(bytes)).toBe(true);
		}
	});

	it('on 8.x (rooms.upload removed) the upload uses rooms.media only', async () => {
		const bytes = sampleBytes();
		const { error, output, items } = await roundTrip(v80, bytes, 'report.bin', 'application/octet-stream', { message: 'eight' });
		expect(error).toBeUndefined();
		expect(output('Upload')[0].json).not.toHaveProperty('legacyEndpoint');
		expect(requestsTo(v80, 'rooms.media/:rid')).toHaveLength(1);
		expect(requestsTo(v80, 'rooms.upload/GENERAL')).toHaveLength(0);
		expect(Buffer.from(items[0].binary!.file.data, 'base64').equals(bytes)).toBe(true);
		// The fake really has no rooms.upload on 8.x.
		const direct = await fetch(`${v80.url}/api/v1/rooms.upload/GENERAL`, {
			method: 'POST',
			headers: { 'X-User-Id': v80.fixtures.bot.userId, 'X-Auth-Token': v80.fixtures.bot.pat },
		});
		expect(direct.status).toBe(404);
	});

	it('on 6.9 (no rooms.media) it falls back to rooms.upload with the message fields in the form', async () => {
		const bytes = sampleBytes();
		const { error, output, items } = await roundTrip(v69, bytes, 'old server.png', 'image/png', { message: 'legacy', description: 'from 6.9' });
		expect(error).toBeUndefined();
		const uploaded = output('Upload')[0].json;
		expect(uploaded).toMatchObject({ legacyEndpoint: true, fileName: 'old server.png', size: bytes.length });
		expect(requestsTo(v69, 'rooms.media/GENERAL')[0].status).toBe(404);
		const [legacy] = requestsTo(v69, 'rooms.upload/:rid');
		expect(legacy.body).toEqual({
			fields: { msg: 'legacy', description: 'from 6.9' },
			files: [{ field: 'file', filename: 'old server.png', contentType: 'image/png', size: bytes.length }],
		});
		expect(v69.state.getMessage(String(uploaded.messageId))?.msg).toBe('legacy');
		expect(Buffer.from(items[0].binary!.file.data, 'base64').equals(bytes)).toBe(true);
	});

	it('posts into a thread with Thread Message ID; a wrong thread ID is refused by the server', async () => {
		const root = fake.state.postMessage('GENERAL', fake.state.findUserByUsername('alice')!, 'thread root');
		const credentials = patCredentials(fake, fake.fixtures.bot);
		const ok = await runChain([{ name: 'Upload', parameters: upload('GENERAL', { options: { threadId: root._id } }) }], credentials, [
			binaryItem(Buffer.from('x'), 'x.txt', 'text/plain'),
		]);
		expect(ok.error).toBeUndefined();
		expect(fake.state.getMessage(String(ok.items[0].json.messageId))?.tmid).toBe(root._id);

		const bad = await runChain([{ name: 'Upload', parameters: upload('GENERAL', { options: { threadId: 'NoSuchMessage1234' } }) }], credentials, [
			binaryItem(Buffer.from('x'), 'x.txt', 'text/plain'),
		]);
		expect(bad.error?.message).toBe('Invalid message [error-invalid-message]');
	});

	it('upload failures: no binary input, a room the user is not in, a file above the server limit', async () => {
		const credentials = patCredentials(fake, fake.fixtures.bot);
		const noBinary = await runRocketChat({ parameters: upload('GENERAL'), credentials });
		expect(noBinary.error?.message).toMatch(/binary/i);
		expect(requestsTo(fake, 'rooms.media/:rid')).toHaveLength(0);

		const foreign = fake.state.createRoom('p', `files-${Date.now()}`, fake.state.findUserByUsername('bob')!);
		const notMember = await runChain([{ name: 'Upload', parameters: upload(foreign._id) }], credentials, [binaryItem(Buffer.from('x'), 'x.txt', 'text/plain')]);
		expect(notMember.error?.httpCode).toBe('403');

		fake.state.settings.FileUpload_MaxFileSize = 4;
		try {
			const big = await runChain([{ name: 'Upload', parameters: upload('GENERAL') }], credentials, [binaryItem(Buffer.from('too large'), 'big.txt', 'text/plain')]);
			expect(big.error?.message).toBe('error-file-too-large');
			expect(big.error?.description).toMatch(/Maximum File Upload Size/);
		} finally {
			fake.state.settings.FileUpload_MaxFileSize = 104857600;
		}
	});

	it('download failures: a message without a file, a URL of another server, a deleted file', async () => {
		const credentials = patCredentials(fake, fake.fixtures.bot);
		const plain = fake.state.postMessage('GENERAL', fake.state.findUserByUsername('alice')!, 'no file here');
		const noFile = await runRocketChat({ parameters: download({ messageId: plain._id }), credentials });
		expect(noFile.error?.message).toBe(`The message "${plain._id}" has no file`);

		const unknown = await runRocketChat({ parameters: download({ messageId: 'NoSuchMessage1234' }), credentials });
		expect(unknown.error?.description).toMatch(/No message with ID "NoSuchMessage1234"/);

		fake.clearRequests();
		const elsewhere = await runRocketChat({ parameters: download({ source: 'url', fileUrl: 'https://evil.example.com/file-upload/abc/x.txt' }), credentials });
		expect(elsewhere.error?.message).toMatch(/is not on the Rocket.Chat server/);
		expect(fake.requests).toHaveLength(0);

		const file = fake.state.addUpload('GENERAL', fake.state.findUserByUsername('alice')!, { name: 'gone.txt', type: 'text/plain', data: 'bye' });
		fake.state.files.delete(file._id);
		const gone = await runRocketChat({ parameters: download({ source: 'url', fileUrl: file.path }), credentials });
		expect(gone.error?.httpCode).toBe('404');
		expect(gone.error?.description).toMatch(/deleted or pruned/);
	});
});
