import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { rocketChatDownload, rocketChatApiRequest, serverUrl, storeDownload } from '../../../shared/transport';
import { showFor } from './common';

const show = showFor('downloadFile');

const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'message',
		options: [
			{ name: 'Message', value: 'message', description: 'The file attached to a message' },
			{ name: 'File ID', value: 'fileId', description: 'An uploaded file by its ID' },
			{ name: 'File URL', value: 'url', description: 'A file link of this server, e.g. /file-upload/ID/name' },
		],
		description: 'Where the file to download is found',
	},
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. aobEdbYhXfu5hkeqG',
		description: 'ID of the message whose file to download',
		displayOptions: { show: { source: ['message'] } },
	},
	{
		displayName: 'File ID',
		name: 'fileId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 8Hzm6tt4c9DvaTJZ5',
		description: 'ID of the uploaded file (the "file._id" of its message)',
		displayOptions: { show: { source: ['fileId'] } },
	},
	{
		displayName: 'File URL',
		name: 'fileUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. /file-upload/8Hzm6tt4c9DvaTJZ5/report.pdf',
		description:
			'Path or full URL of the file on the Rocket.Chat server of the credentials (the login is sent only to that server)',
		displayOptions: { show: { source: ['url'] } },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		description: 'Name of the binary property the file is written to',
	},
];

export const description = updateDisplayOptions({ show }, properties);

interface FileTarget {
	path: string;
	fileName?: string;
	mimeType?: string;
	fileId?: string;
	messageId?: string;
}

function fileOfMessage(message: IDataObject): { file?: IDataObject; link?: string } {
	const files = Array.isArray(message.files) ? (message.files as IDataObject[]) : [];
	const file = (message.file as IDataObject | undefined) ?? files[0];
	const attachments = Array.isArray(message.attachments) ? (message.attachments as IDataObject[]) : [];
	const link = attachments.map((attachment) => attachment.title_link).find((value) => typeof value === 'string') as
		| string
		| undefined;
	return { file, link };
}

async function targetOf(this: IExecuteFunctions, itemIndex: number): Promise<FileTarget> {
	const source = this.getNodeParameter('source', itemIndex, 'message') as string;
	if (source === 'message') {
		const messageId = String(this.getNodeParameter('messageId', itemIndex, '')).trim();
		if (!messageId) {
			throw new NodeOperationError(this.getNode(), 'No message ID given', {
				itemIndex,
				description: 'Enter the ID of the message with the file, e.g. {{ $json.messageId }} from Upload File.',
			});
		}
		const body = await rocketChatApiRequest.call(this, {
			endpoint: 'chat.getMessage',
			qs: { msgId: messageId },
			itemIndex,
		}).catch((error: Error & { description?: string | null }) => {
			if (!error.description || /without saying why/.test(error.description)) {
				error.description = `No message with ID "${messageId}" that this user can see. Check the ID.`;
			}
			throw error;
		});
		const message = (body.message ?? {}) as IDataObject;
		const { file, link } = fileOfMessage(message);
		if (!file?._id && !link) {
			throw new NodeOperationError(this.getNode(), `The message "${messageId}" has no file`, {
				itemIndex,
				description: 'Choose a message that carries an uploaded file (its "file" field is set).',
			});
		}
		const name = typeof file?.name === 'string' ? file.name : undefined;
		const path = link ?? `/file-upload/${String(file?._id)}/${encodeURI(name ?? 'file')}`;
		return {
			path,
			fileName: name,
			mimeType: typeof file?.type === 'string' ? file.type : undefined,
			fileId: file?._id as string | undefined,
			messageId,
		};
	}
	if (source === 'fileId') {
		const fileId = String(this.getNodeParameter('fileId', itemIndex, '')).trim();
		if (!/^[A-Za-z0-9_-]+$/.test(fileId)) {
			throw new NodeOperationError(this.getNode(), fileId ? `"${fileId}" is not a file ID` : 'No file ID given', {
				itemIndex,
				description: 'Enter the ID of the uploaded file, e.g. {{ $json.fileId }} from Upload File.',
			});
		}
		return { path: `/file-upload/${fileId}/file`, fileId };
	}
	const given = String(this.getNodeParameter('fileUrl', itemIndex, '')).trim();
	if (!given) {
		throw new NodeOperationError(this.getNode(), 'No file URL given', {
			itemIndex,
			description: 'Enter a file link such as /file-upload/<ID>/<name>, e.g. {{ $json.fileUrl }} from Upload File.',
		});
	}
	if (given.startsWith('/')) return { path: given };
	const server = await serverUrl.call(this);
	if (!given.startsWith(`${server}/`)) {
		throw new NodeOperationError(this.getNode(), `The URL "${given}" is not on the Rocket.Chat server ${server}`, {
			itemIndex,
			description:
				'Only files of the server in the credentials can be downloaded (the login is never sent elsewhere). Use the path, e.g. /file-upload/<ID>/<name>.',
		});
	}
	return { path: given.slice(server.length) };
}

function fileNameFromHeaders(headers: Record<string, string>): string | undefined {
	const disposition = headers['content-disposition'];
	if (!disposition) return undefined;
	const extended = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition)?.[1];
	const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1];
	const value = extended ?? plain;
	if (!value) return undefined;
	try {
		return decodeURIComponent(value.trim());
	} catch {
		return value.trim();
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
	const target = await targetOf.call(this, itemIndex);
	const response = await rocketChatDownload.call(this, {
		endpoint: target.path,
		path: target.path,
		itemIndex,
		hints: {
			notFound: 'The file does not exist (any more) on the server: it may have been deleted or pruned.',
		},
	});
	const headerType = response.headers['content-type']?.split(';')[0].trim();
	const mimeType = target.mimeType || headerType || 'application/octet-stream';
	const lastSegment = target.path.split('?')[0].split('/').pop() ?? '';
	let segmentName = lastSegment;
	try {
		segmentName = decodeURIComponent(lastSegment);
	} catch {
		// keep the raw segment
	}
	const fileName =
		target.fileName || fileNameFromHeaders(response.headers) || (target.fileId && lastSegment === 'file' ? undefined : segmentName) || 'file';
	// Streamed into n8n's binary data store as it arrives; a download cut short fails and stores nothing.
	const binary = await storeDownload(this.helpers, this.getNode(), response, { fileName, mimeType, itemIndex });
	return [
		{
			json: {
				...(target.messageId && { messageId: target.messageId }),
				...(target.fileId && { fileId: target.fileId }),
				fileName,
				mimeType,
				size: binary.bytes ?? response.expectedBytes,
			},
			binary: { [property]: binary },
		},
	];
}
