/**
 * Multi-MB uploads and downloads with inline binary data (n8n's binary data service not initialised: the
 * `default` mode, where files live in the items as base64).
 */
import { describeStreamedFiles } from './files-stream-cases';

jest.setTimeout(120_000);

describeStreamedFiles('default');
