import type { IBinaryData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, roomLocator } from '../../../shared/descriptions';
import { resolveRoomId } from '../../../shared/rooms';
import { multipartUpload } from '../../../shared/multipart';
import { rocketChatApiRequest } from '../../../shared/transport';
import { showFor, withFallback } from './common';

const show = showFor('uploadFile');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room to post the file in' }),
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to upload',
		description: 'Name of the binary property of the input item that holds the file',
	},
	optionsCollection([
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			default: '',
			description: 'Description of the file, shown under it',
		},
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'e.g. report.pdf',
			description: 'Name of the file in Rocket.Chat; empty: the name of the binary data',
		},
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			default: '',
			typeOptions: { rows: 2 },
			description: 'Text of the message that carries the file',
		},
		{
			displayName: 'Thread Message ID',
			name: 'threadId',
			type: 'string',
			default: '',
			placeholder: 'e.g. aobEdbYhXfu5hkeqG',
			description: 'Post the file as a reply in the thread of this message',
		},
	]),
];

export const description = updateDisplayOptions({ show }, properties);

const UPLOAD_HINTS = {
	byErrorType: {
		'error-file-too-large':
			'The file is larger than the server allows (Administration › Settings › File Upload › Maximum File Upload Size).',
		'error-invalid-file-type': 'The server does not accept files of this type (File Upload › Accepted Media Types).',
		'error-not-allowed': 'The user may not post files in this room (a read-only or archived room, or uploads are disabled).',
	},
};

/**
 * Chunks read from n8n's binary data store (its default is 64 KB): fewer, larger chunks pass the multipart
 * framing and the HTTP helper's byte counting with less overhead; a few of them in flight stay well within
 * the memory a file may cost (`npm run bench`, files: peak RSS growth).
 */
const READ_CHUNK_BYTES = 512 * 1024;

/**
 * The input file, read without loading it: binary data kept by n8n on disk or in the database (`id` set)
 * is streamed; inline binary data (n8n's `default` mode) is already in memory.
 */
async function inputFile(this: IExecuteFunctions, itemIndex: number, property: string, binary: IBinaryData) {
	if (binary.id) {
		const id = binary.id;
		const metadata = await this.helpers.getBinaryMetadata(id);
		const size = Number.isInteger(metadata.fileSize) ? metadata.fileSize : binary.bytes;
		return {
			size,
			fileName: metadata.fileName,
			mimeType: metadata.mimeType,
			open: async () => await this.helpers.getBinaryStream(id, READ_CHUNK_BYTES),
		};
	}
	const buffer = await this.helpers.getBinaryDataBuffer(itemIndex, property);
	return { size: buffer.length, fileName: undefined, mimeType: undefined, open: async () => buffer };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	if (!property) {
		throw new NodeOperationError(this.getNode(), 'No input binary field given', {
			itemIndex,
			description: 'Enter the name of the binary field holding the file, usually "data".',
		});
	}
	const binary = this.helpers.assertBinaryData(itemIndex, property);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const source = await inputFile.call(this, itemIndex, property, binary);
	const extension = binary.fileExtension ? `.${binary.fileExtension}` : '';
	const fileName = String(options.fileName || binary.fileName || source.fileName || `file${extension}`);
	const mimeType = binary.mimeType || source.mimeType || 'application/octet-stream';
	const roomId = await resolveRoomId.call(this, itemIndex);

	const message: Record<string, string> = {};
	if (typeof options.message === 'string' && options.message !== '') message.msg = options.message;
	if (typeof options.description === 'string' && options.description !== '') message.description = options.description;
	if (typeof options.threadId === 'string' && options.threadId.trim() !== '') message.tmid = options.threadId.trim();

	const form = (fields: Record<string, string> = {}) =>
		multipartUpload(fields, { field: 'file', fileName, mimeType, size: source.size, open: source.open });
	const rid = encodeURIComponent(roomId);

	const { value: body, fallback } = await withFallback(
		// Rocket.Chat 6.10+: upload, then confirm with the message fields.
		async () => {
			const uploaded = await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: `rooms.media/${rid}`,
				upload: form(),
				// A temporary upload that nobody confirms is discarded after 24 h: sending it again is harmless.
				idempotent: true,
				itemIndex,
				hints: UPLOAD_HINTS,
			});
			const fileId = String((uploaded.file as IDataObject | undefined)?._id ?? '');
			return await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: `rooms.mediaConfirm/${rid}/${encodeURIComponent(fileId)}`,
				body: message,
				itemIndex,
				hints: UPLOAD_HINTS,
			});
		},
		// Before 6.10 (and removed in 8.0): one multipart request with the message fields.
		async () =>
			await rocketChatApiRequest.call(this, {
				method: 'POST',
				endpoint: `rooms.upload/${rid}`,
				upload: form(message),
				itemIndex,
				hints: UPLOAD_HINTS,
			}),
	);

	const posted = (body.message ?? {}) as IDataObject;
	const file = (posted.file ?? (Array.isArray(posted.files) ? posted.files[0] : undefined) ?? {}) as IDataObject;
	const attachment = (Array.isArray(posted.attachments) ? posted.attachments[0] : undefined) as IDataObject | undefined;
	return [
		{
			messageId: posted._id,
			roomId: posted.rid ?? roomId,
			fileId: file._id,
			fileName: file.name ?? fileName,
			mimeType: file.type ?? mimeType,
			size: file.size ?? source.size,
			fileUrl: attachment?.title_link,
			...(fallback && { legacyEndpoint: true }),
			message: posted,
		},
	];
}
