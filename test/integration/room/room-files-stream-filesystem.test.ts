/**
 * Multi-MB uploads and downloads with n8n's `filesystem` binary data mode: the node streams the input file
 * from disk into the upload and the download onto disk.
 */
// Must come first: n8n-core reads the binary data mode when it is first configured.
import { BINARY_DATA_MODE } from './filesystem-env';

import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';

import { describeStreamedFiles } from './files-stream-cases';

jest.setTimeout(120_000);

beforeAll(async () => {
	expect(BINARY_DATA_MODE).toBe('filesystem');
	await Container.get(BinaryDataService).init();
});

describeStreamedFiles('filesystem', () => Container.get(BinaryDataConfig).localStoragePath);
