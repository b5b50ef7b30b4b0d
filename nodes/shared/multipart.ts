import { randomBytes } from 'node:crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

/** A Node.js readable stream, as n8n's binary helpers hand it out (the type without importing `node:stream`). */
export type ByteStream = Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

/** One request body, ready to send: bytes in memory or a stream read once. */
export interface UploadBody {
	body: Buffer | ByteStream;
	headers: Record<string, string>;
	/** Why the body could not be produced in full (the file changed size or could not be read), if so. */
	failure(): Error | undefined;
}

/** Opens a fresh body for every attempt: a stream cannot be sent twice. */
export type UploadBodyFactory = () => Promise<UploadBody>;

export interface UploadFile {
	field: string;
	fileName: string;
	mimeType: string;
	/** Byte count when known; then the body gets a Content-Length and a file of another size fails. */
	size?: number;
	/** The file's bytes: in memory, or a new stream each call. */
	open(): Promise<Buffer | ByteStream>;
}

/** Quotes a name for Content-Disposition as browsers and Node's FormData do (WHATWG multipart/form-data encoding). */
function quoted(value: string): string {
	return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

function isStream(value: Buffer | ByteStream): value is ByteStream {
	return !Buffer.isBuffer(value);
}

/**
 * A `multipart/form-data` body with text fields and one file, built on the fly: the part headers, then the
 * file's bytes as they are read, then the closing boundary. Nothing but the file's chunks in flight is held
 * in memory; with a known size the body has a Content-Length (no chunked encoding).
 */
export function multipartUpload(fields: Record<string, string>, file: UploadFile): UploadBodyFactory {
	return async () => {
		const boundary = `----n8nRocketChat${randomBytes(12).toString('hex')}`;
		const head =
			Object.entries(fields)
				.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`)
				.join('') +
			`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; filename="${quoted(file.fileName)}"\r\n` +
			`Content-Type: ${file.mimeType.replace(/[\r\n]/g, '')}\r\n\r\n`;
		const preamble = Buffer.from(head, 'utf8');
		const closing = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
		const headers: Record<string, string> = { 'Content-Type': `multipart/form-data; boundary=${boundary}` };
		const bytes = await file.open();

		if (!isStream(bytes)) {
			headers['Content-Length'] = String(preamble.length + bytes.length + closing.length);
			return { body: Buffer.concat([preamble, bytes, closing]), headers, failure: () => undefined };
		}

		let failure: Error | undefined;
		const expected = file.size;
		if (expected !== undefined) headers['Content-Length'] = String(preamble.length + expected + closing.length);
		const body = bytes.compose(async function* (source: AsyncIterable<Buffer>) {
			yield preamble;
			let sent = 0;
			try {
				for await (const chunk of source) {
					sent += chunk.length;
					if (expected !== undefined && sent > expected) break;
					yield chunk;
				}
			} catch (error) {
				failure = new Error(`The file "${file.fileName}" could not be read: ${(error as Error).message}`);
				throw failure;
			}
			if (expected !== undefined && sent !== expected) {
				// Sending other bytes than announced would store a wrong file: stop the request instead.
				failure = new Error(`The file "${file.fileName}" has ${sent > expected ? 'more' : 'fewer'} bytes than its binary data says (${expected})`);
				throw failure;
			}
			yield closing;
		}) as ByteStream;
		return { body, headers, failure: () => failure };
	};
}
