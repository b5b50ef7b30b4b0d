/**
 * Upload File / Download File with files of several MB, run in both binary-data modes: the test files
 * `room-files-stream.test.ts` (inline binary data, n8n's `default`) and
 * `room-files-stream-filesystem.test.ts` (n8n's `filesystem` mode, where the node streams) call
 * `describeStreamedFiles` after setting the mode.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { FakeRocketChat, type FakeFile } from '../../fake';
import { patCredentials } from '../../harness/fixtures';
import { rl, runRocketChat } from '../../harness/run';
import { runChain } from './files-helpers';

const MB = 1024 * 1024;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function storedBytes(file: FakeFile | undefined): Buffer {
	if (!file) throw new Error('no such file in the fake');
	return file.diskPath ? readFileSync(file.diskPath) : file.data;
}

/** An input item whose binary data is kept the way n8n keeps it in the current mode (on disk with an id, or inline). */
async function fileItem(bytes: Buffer, fileName: string, mimeType: string): Promise<INodeExecutionData> {
	const binary: IBinaryData = { data: '', mimeType, fileName, fileExtension: fileName.split('.').pop() };
	const stored = await Container.get(BinaryDataService).store({ type: 'execution', workflowId: 'wf-test', executionId: 'input' }, bytes, binary);
	return { json: { note: 'input' }, binary: { data: stored } };
}

/** Every file under a folder (n8n's binary data storage), to see that a failed download left nothing behind. */
function filesUnder(dir: string | undefined): string[] {
	if (!dir) return [];
	const out: string[] = [];
	const walk = (path: string) => {
		let entries: string[];
		try {
			entries = readdirSync(path);
		} catch {
			return;
		}
		for (const name of entries) {
			const full = join(path, name);
			if (statSync(full).isDirectory()) walk(full);
			else out.push(full);
		}
	};
	walk(dir);
	return out;
}

const upload = (roomId: string, extra: IDataObject = {}) => ({ resource: 'room', operation: 'uploadFile', roomId: rl(roomId), ...extra });
const download = (extra: IDataObject) => ({ resource: 'room', operation: 'downloadFile', ...extra });

export function describeStreamedFiles(mode: 'default' | 'filesystem', storagePath?: () => string) {
	let fake: FakeRocketChat;
	let v69: FakeRocketChat;

	beforeAll(async () => {
		[fake, v69] = await Promise.all([FakeRocketChat.start(), FakeRocketChat.start({ version: '6.9.3' })]);
	});

	afterAll(async () => {
		await Promise.all([fake.stop(), v69.stop()]);
	});

	beforeEach(() => {
		for (const server of [fake, v69]) {
			server.clearRequests();
			server.clearFaults();
		}
	});

	const requestsTo = (server: FakeRocketChat, endpoint: string) => server.requests.filter((r) => r.endpoint === endpoint);

	describe.each([
		['8.8 (rooms.media + rooms.mediaConfirm)', () => fake, 'rooms.media/:rid'],
		['6.9 (rooms.upload)', () => v69, 'rooms.upload/:rid'],
	])(`Room › Upload File / Download File of a 12 MB file, ${mode} binary data, server %s`, (_label, server, endpoint) => {
		it('round trip: the downloaded bytes are the uploaded ones (same hash), with name, type and size', async () => {
			const rc = server();
			const bytes = randomBytes(12 * MB);
			const { error, output } = await runChain(
				[
					{ name: 'Upload', parameters: upload(rc.fixtures.rooms.general, { options: { message: 'big file' } }) },
					{ name: 'Download', parameters: download({ messageId: '={{ $json.messageId }}', binaryPropertyName: 'copy' }) },
				],
				patCredentials(rc, rc.fixtures.bot),
				[await fileItem(bytes, 'video.mp4', 'video/mp4')],
			);
			expect(error).toBeUndefined();
			const uploaded = output('Upload')[0].json;
			expect(uploaded).toMatchObject({ fileName: 'video.mp4', mimeType: 'video/mp4', size: bytes.length });
			expect(sha256(storedBytes(rc.state.files.get(String(uploaded.fileId))))).toBe(sha256(bytes));

			// One multipart request with a Content-Length (the size is known), no chunked encoding.
			const [sent] = requestsTo(rc, endpoint);
			expect(sent.status).toBe(200);
			expect(sent.headers['transfer-encoding']).toBeUndefined();
			expect(Number(sent.headers['content-length'])).toBeGreaterThan(bytes.length);
			expect(sent.body).toMatchObject({ files: [{ field: 'file', filename: 'video.mp4', contentType: 'video/mp4', size: bytes.length }] });

			const item = output('Download')[0];
			expect(item.json).toMatchObject({ fileName: 'video.mp4', mimeType: 'video/mp4', size: bytes.length });
			const binary = item.binary!.copy;
			if (mode === 'filesystem') expect(binary.id).toMatch(/^filesystem(-v2)?:/);
			else expect(binary.id).toBeUndefined();
			expect(binary).toMatchObject({ fileName: 'video.mp4', mimeType: 'video/mp4' });
			expect(sha256(await Container.get(BinaryDataService).getAsBuffer(binary))).toBe(sha256(bytes));
		});
	});

	describe(`Room › Upload File failures and retries, ${mode} binary data`, () => {
		it("a file above the server's Maximum File Upload Size: Rocket.Chat's error-file-too-large with the hint, nothing stored", async () => {
			const before = fake.state.files.size;
			fake.state.settings.FileUpload_MaxFileSize = 2 * MB;
			try {
				const big = await runChain([{ name: 'Upload', parameters: upload('GENERAL') }], patCredentials(fake, fake.fixtures.bot), [
					await fileItem(randomBytes(2 * MB + 1), 'big.bin', 'application/octet-stream'),
				]);
				expect(big.error?.message).toBe('error-file-too-large');
				expect(big.error?.httpCode).toBe('400');
				expect(big.error?.description).toMatch(/Maximum File Upload Size/);
				expect(fake.state.files.size).toBe(before);
				// Exactly the limit passes (the server's parser allows maxSize + 1 before truncating).
				const exact = await runChain([{ name: 'Upload', parameters: upload('GENERAL') }], patCredentials(fake, fake.fixtures.bot), [
					await fileItem(randomBytes(2 * MB), 'exact.bin', 'application/octet-stream'),
				]);
				expect(exact.error).toBeUndefined();
			} finally {
				fake.state.settings.FileUpload_MaxFileSize = 104857600;
			}
		});

		it('413 from a proxy in front of Rocket.Chat: a clear error naming the proxy limit', async () => {
			// Every attempt: a proxy answering early may also reset the connection while the body is still being
			// sent (as nginx does), which the node retries for rooms.media; whichever the client sees first wins.
			fake.inject({ endpoint: 'rooms.media/:rid', status: 413, times: 20 });
			const result = await runChain([{ name: 'Upload', parameters: upload('GENERAL') }], patCredentials(fake, fake.fixtures.bot), [
				await fileItem(randomBytes(3 * MB), 'clip.mov', 'video/quicktime'),
			]);
			expect(result.error).toBeDefined();
			if (result.error?.httpCode === '413') {
				expect(result.error?.message).toBe('Rocket.Chat answered 413 Payload Too Large with a non-JSON page: "413 Request Entity Too Large"');
				expect(result.error?.description).toMatch(/client_max_body_size/);
			} else {
				expect(result.error?.message).toMatch(/^The upload to Rocket\.Chat at .* failed: the connection was closed unexpectedly/);
				expect(result.error?.description).toMatch(/proxy's size or time limit/);
			}
			expect(requestsTo(fake, 'rooms.mediaConfirm/:rid/:fileId')).toHaveLength(0);
		});

		it('429 during the upload: waits for the limiter and sends the whole file again', async () => {
			// The limiter's answer (ApiClass.ts enforceRateLimit) while another client used up the window.
			fake.inject({
				endpoint: 'rooms.media/:rid',
				status: 429,
				body: {
					success: false,
					error: 'Error, too many requests. Please slow down. You must wait 1 seconds before trying this endpoint again. [error-too-many-requests]',
				},
				headers: { 'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Date.now() + 600) },
			});
			const bytes = randomBytes(3 * MB);
			const { error, output } = await runChain([{ name: 'Upload', parameters: upload('GENERAL') }], patCredentials(fake, fake.fixtures.bot), [
				await fileItem(bytes, 'two.bin', 'application/octet-stream'),
			]);
			expect(error).toBeUndefined();
			const media = requestsTo(fake, 'rooms.media/:rid');
			expect(media.map((request) => request.status)).toEqual([429, 200]);
			expect(media[1].body).toMatchObject({ files: [{ filename: 'two.bin', size: bytes.length }] });
			expect(sha256(storedBytes(fake.state.files.get(String(output('Upload')[0].json.fileId))))).toBe(sha256(bytes));
		});

		it('a lost connection during rooms.media is retried with the file read again; rooms.upload (posts a message) is not', async () => {
			const bytes = randomBytes(3 * MB);
			fake.inject({ endpoint: 'rooms.media/:rid', destroySocket: true });
			const retried = await runChain([{ name: 'Upload', parameters: upload('GENERAL') }], patCredentials(fake, fake.fixtures.bot), [
				await fileItem(bytes, 'again.bin', 'application/octet-stream'),
			]);
			expect(retried.error).toBeUndefined();
			expect(requestsTo(fake, 'rooms.media/:rid').map((request) => request.status)).toEqual([0, 200]);
			expect(sha256(storedBytes(fake.state.files.get(String(retried.output('Upload')[0].json.fileId))))).toBe(sha256(bytes));

			v69.inject({ endpoint: 'rooms.upload/:rid', destroySocket: true });
			const failed = await runChain([{ name: 'Upload', parameters: upload('GENERAL') }], patCredentials(v69, v69.fixtures.bot), [
				await fileItem(bytes, 'once.bin', 'application/octet-stream'),
			]);
			expect(failed.error?.message).toBe(`The upload to Rocket.Chat at ${v69.url} failed: the connection was closed unexpectedly`);
			expect(requestsTo(v69, 'rooms.upload/:rid')).toHaveLength(1);
		});
	});

	describe(`Room › Download File cut off mid-way, ${mode} binary data`, () => {
		it('fails saying it broke off and how long the file is, and no binary data is passed on or left in the store', async () => {
			const bytes = randomBytes(3 * MB);
			const file = fake.state.addUpload('GENERAL', fake.state.findUserByUsername('alice')!, { name: 'cut.bin', type: 'application/octet-stream', data: bytes });
			const credentials = patCredentials(fake, fake.fixtures.bot);
			const filesBefore = filesUnder(storagePath?.());

			fake.inject({ endpoint: '/file-upload/:id/:name', cutAfterBytes: MB });
			const failed = await runRocketChat({ parameters: download({ source: 'url', fileUrl: file.path }), credentials });
			expect(failed.error?.message).toBe(`The download of "cut.bin" broke off before its end (${bytes.length} bytes announced)`);
			expect(failed.error?.description).toMatch(/nothing was stored/);

			fake.inject({ endpoint: '/file-upload/:id/:name', cutAfterBytes: MB });
			const continued = await runRocketChat({ parameters: download({ source: 'url', fileUrl: file.path }), credentials, continueOnFail: true });
			expect(continued.items).toHaveLength(1);
			expect(continued.items[0].binary).toBeUndefined();
			expect(String(continued.items[0].json.error)).toMatch(/broke off/);
			expect(filesUnder(storagePath?.())).toEqual(filesBefore);

			// Without the fault the same download is whole.
			const whole = await runRocketChat({ parameters: download({ source: 'url', fileUrl: file.path }), credentials });
			expect(whole.error).toBeUndefined();
			expect(sha256(await Container.get(BinaryDataService).getAsBuffer(whole.items[0].binary!.data))).toBe(sha256(bytes));
		});
	});
}
