// Must come first: n8n-core reads the binary data mode when it is first configured.
import { BINARY_DATA_MODE } from './filesystem-env';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';

import { FakeRocketChat } from '../../fake';
import { patCredentials } from '../../harness/fixtures';
import { rl } from '../../harness/run';
import { binaryItem, runChain, sampleBytes } from './files-helpers';

let fake: FakeRocketChat;
let v69: FakeRocketChat;

beforeAll(async () => {
	await Container.get(BinaryDataService).init();
	[fake, v69] = await Promise.all([FakeRocketChat.start(), FakeRocketChat.start({ version: '6.9.0' })]);
});

afterAll(async () => {
	await Promise.all([fake.stop(), v69.stop()]);
});

const upload = (roomId: string) => ({ resource: 'room', operation: 'uploadFile', roomId: rl(roomId), options: { message: 'via filesystem mode' } });
const download = (property: string) => ({ resource: 'room', operation: 'downloadFile', messageId: '={{ $json.messageId }}', binaryPropertyName: property });

describe.each([
	['8.8 (rooms.media)', () => fake],
	['6.9 (rooms.upload)', () => v69],
])('Room › Upload File / Download File with filesystem binary data, server %s', (_label, server) => {
	it('upload → download → upload the downloaded file → download returns the same bytes', async () => {
		expect(BINARY_DATA_MODE).toBe('filesystem');
		const rc = server();
		const bytes = sampleBytes();
		const { error, output } = await runChain(
			[
				{ name: 'Upload', parameters: upload(rc.fixtures.rooms.general) },
				{ name: 'Download', parameters: download('data') },
				{ name: 'Upload Again', parameters: upload(rc.fixtures.rooms.random) },
				{ name: 'Download Again', parameters: download('copy') },
			],
			patCredentials(rc, rc.fixtures.bot),
			[binaryItem(bytes, 'snapshot.png', 'image/png')],
		);
		expect(error).toBeUndefined();
		const service = Container.get(BinaryDataService);

		const first = output('Download')[0].binary!.data;
		expect(first.id).toMatch(/^filesystem(-v2)?:/);
		expect(first).toMatchObject({ fileName: 'snapshot.png', mimeType: 'image/png' });
		expect((await service.getAsBuffer(first)).equals(bytes)).toBe(true);

		const again = output('Upload Again')[0].json;
		expect(again).toMatchObject({ roomId: rc.fixtures.rooms.random, fileName: 'snapshot.png', size: bytes.length });
		const file = rc.state.files.get(String(again.fileId))!;
		expect(file.data.equals(bytes)).toBe(true);

		const second = output('Download Again')[0].binary!.copy;
		expect(second.id).toMatch(/^filesystem(-v2)?:/);
		expect((await service.getAsBuffer(second)).equals(bytes)).toBe(true);
	});
});
