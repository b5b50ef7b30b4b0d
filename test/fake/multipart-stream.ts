/**
 * Streaming `multipart/form-data` reception for the upload routes, in the manner of the server's
 * `MultipartUploadHandler.parseRequest` (`apps/meteor/app/api/server/lib/MultipartUploadHandler.ts`
 * @0eed983e): busboy with `limits: {files: 1, fileSize: maxSize + 1}`, the file piped to a temporary file as
 * it arrives, the rest of the body read even after the limit was passed, and `error-file-too-large` once
 * the body has ended when the file was truncated.
 *
 * Files up to `memoryLimit` stay in memory (what the tests look at); bigger ones are written to a temporary
 * file, so that the fake keeps its memory flat however big the upload.
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { headerValue } from './request';

export interface ReceivedFile {
	field: string;
	filename: string;
	contentType: string;
	/** Bytes of the file part as sent (also past the limit). */
	size: number;
	/** More than `maxFileSize` bytes were sent: nothing is kept. */
	truncated: boolean;
	/** The bytes, when kept in memory. */
	data?: Buffer;
	/** The temporary file holding the bytes, when they were too many for memory. */
	diskPath?: string;
}

export interface ReceivedForm {
	fields: Record<string, string>;
	files: ReceivedFile[];
	/** Bytes of the whole body. */
	bytes: number;
}

export interface ReceiveOptions {
	/** The server setting `FileUpload_MaxFileSize`; 0 or less means no limit. */
	maxFileSize: number;
	/** Files above this many bytes go to a temporary file. Default 8 MiB. */
	memoryLimit?: number;
}

let spillDir: string | undefined;

/** The folder for big uploads (one per process, removed with `removeSpilledUploads`). */
function spillFolder(): string {
	spillDir ??= mkdtempSync(join(tmpdir(), 'fake-rocketchat-uploads-'));
	return spillDir;
}

/** Removes every temporary upload file of this process. */
export function removeSpilledUploads(): void {
	if (spillDir) rmSync(spillDir, { recursive: true, force: true });
	spillDir = undefined;
}

function boundaryOf(contentType: string | undefined): string | undefined {
	const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
	return match ? (match[1] ?? match[2]).trim() : undefined;
}

function parsePartHeaders(text: string): { name?: string; filename?: string; contentType?: string } {
	const out: { name?: string; filename?: string; contentType?: string } = {};
	for (const line of text.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon < 0) continue;
		const key = line.slice(0, colon).trim().toLowerCase();
		const value = line.slice(colon + 1).trim();
		if (key === 'content-disposition') {
			out.name = /\bname="([^"]*)"/i.exec(value)?.[1];
			const filename = /\bfilename="([^"]*)"/i.exec(value)?.[1];
			if (filename !== undefined) out.filename = filename.replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
		} else if (key === 'content-type') {
			out.contentType = value;
		}
	}
	return out;
}

/** Receives a multipart body as it streams in; undefined when the request is not multipart. */
export async function receiveMultipart(req: IncomingMessage, options: ReceiveOptions): Promise<ReceivedForm | undefined> {
	const boundary = boundaryOf(headerValue(req.headers, 'content-type'));
	if (!boundary || !/multipart\/form-data/i.test(headerValue(req.headers, 'content-type') ?? '')) return undefined;
	const memoryLimit = options.memoryLimit ?? 8 * 1024 * 1024;
	const limit = options.maxFileSize > 0 ? options.maxFileSize : Infinity;
	const delimiter = Buffer.from(`\r\n--${boundary}`);
	const form: ReceivedForm = { fields: {}, files: [], bytes: 0 };

	type State = 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'done';
	let state: State = 'preamble';
	// The first boundary has no CRLF before it: start as if one had been received.
	let pending: Buffer = Buffer.from('\r\n');
	let part: { field: string; file?: ReceivedFile; chunks: Buffer[]; kept: number; disk?: WriteStream } | undefined;

	const write = async (data: Buffer) => {
		if (!part || data.length === 0) return;
		const file = part.file;
		if (!file) {
			part.chunks.push(Buffer.from(data));
			return;
		}
		file.size += data.length;
		if (file.truncated) return;
		if (file.size > limit) {
			file.truncated = true;
			part.chunks = [];
			part.disk?.destroy();
			return;
		}
		if (!part.disk && part.kept + data.length > memoryLimit) {
			file.diskPath = join(spillFolder(), `${Date.now()}-${Math.random().toString(36).slice(2)}`);
			part.disk = createWriteStream(file.diskPath);
			for (const chunk of part.chunks) part.disk.write(chunk);
			part.chunks = [];
		}
		if (part.disk) {
			if (!part.disk.write(data)) await once(part.disk, 'drain');
		} else {
			part.chunks.push(Buffer.from(data));
			part.kept += data.length;
		}
	};

	const endPart = async () => {
		if (!part) return;
		const { file } = part;
		if (!file) {
			form.fields[part.field] = Buffer.concat(part.chunks).toString('utf8');
		} else {
			if (part.disk && !part.disk.destroyed) {
				part.disk.end();
				await once(part.disk, 'close');
			}
			if (file.truncated) {
				if (file.diskPath) rmSync(file.diskPath, { force: true });
				delete file.diskPath;
			} else if (!file.diskPath) {
				file.data = Buffer.concat(part.chunks);
			}
			form.files.push(file);
		}
		part = undefined;
	};

	const discard = () => {
		const open = part;
		part = undefined;
		open?.disk?.destroy();
		if (open?.file?.diskPath) rmSync(open.file.diskPath, { force: true });
	};

	try {
		await readParts();
	} catch (error) {
		// The client went away mid-body: keep nothing of the part being received.
		discard();
		throw error;
	}
	// A body that ended inside a part: what the server's parser reports as an unexpected end.
	if (part) {
		discard();
		throw new Error('Unexpected end of form');
	}
	return form;

	async function readParts(): Promise<void> {
		for await (const chunk of req as AsyncIterable<Buffer>) {
			form.bytes += chunk.length;
			pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
			for (;;) {
				if (state === 'done') {
					pending = Buffer.alloc(0);
					break;
				}
				if (state === 'preamble') {
					const index = pending.indexOf(delimiter);
					if (index < 0) {
						pending = pending.subarray(Math.max(0, pending.length - delimiter.length));
						break;
					}
					pending = pending.subarray(index + delimiter.length);
					state = 'afterDelimiter';
					continue;
				}
				if (state === 'afterDelimiter') {
					if (pending.length < 2) break;
					if (pending[0] === 0x2d && pending[1] === 0x2d) {
						state = 'done';
						continue;
					}
					// Skip the rest of the boundary line (transport padding, CRLF).
					const lineEnd = pending.indexOf('\r\n');
					if (lineEnd < 0) break;
					pending = pending.subarray(lineEnd + 2);
					state = 'headers';
					continue;
				}
				if (state === 'headers') {
					const end = pending.indexOf('\r\n\r\n');
					if (end < 0) break;
					const headers = parsePartHeaders(pending.subarray(0, end).toString('utf8'));
					pending = pending.subarray(end + 4);
					const field = headers.name ?? '';
					part =
						headers.filename !== undefined
							? {
									field,
									file: { field, filename: headers.filename, contentType: headers.contentType ?? 'application/octet-stream', size: 0, truncated: false },
									chunks: [],
									kept: 0,
								}
							: { field, chunks: [], kept: 0 };
					state = 'body';
					continue;
				}
				// state === 'body'
				const index = pending.indexOf(delimiter);
				if (index < 0) {
					const safe = pending.length - (delimiter.length - 1);
					if (safe > 0) {
						await write(pending.subarray(0, safe));
						pending = pending.subarray(safe);
					}
					break;
				}
				await write(pending.subarray(0, index));
				await endPart();
				pending = pending.subarray(index + delimiter.length);
				state = 'afterDelimiter';
			}
		}
	}
}
