import type { IBinaryKeyData, IDataObject, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';

import { roomTypeName, roomTypePath } from '../shared/roomTypes';
import { storeDownload, type CallbackClient, type StreamResponse } from '../shared/transport';
import type { RoomInfo } from './catchUp';


export interface FileRef {
	id: string;
	name: string;
	type?: string;
	size?: number;
	/** Path on the server, `/file-upload/<id>/<name>`. */
	path: string;
}

/** The files of a message: `files[]` (6.x+), else `file`; thumbnails (`thumb-…`) are left out. */
export function messageFiles(message: IDataObject): FileRef[] {
	const list = Array.isArray(message.files) && message.files.length ? (message.files as IDataObject[]) : message.file ? [message.file as IDataObject] : [];
	const attachments = Array.isArray(message.attachments) ? (message.attachments as IDataObject[]) : [];
	return list
		.filter((file) => typeof file._id === 'string' && typeof file.name === 'string' && !String(file.name).startsWith('thumb-'))
		.map((file) => {
			const id = String(file._id);
			const name = String(file.name);
			const link = attachments
				.map((attachment) => attachment.title_link)
				.find((href) => typeof href === 'string' && href.startsWith(`/file-upload/${id}/`)) as string | undefined;
			return {
				id,
				name,
				type: typeof file.type === 'string' ? file.type : undefined,
				size: typeof file.size === 'number' ? file.size : undefined,
				path: link ?? `/file-upload/${id}/${encodeURIComponent(name)}`,
			};
		});
}

function messageLink(server: string, room: RoomInfo, messageId: string): string | undefined {
	const path = roomTypePath(room.t);
	if (!path) return undefined;
	const target = room.t === 'd' || !room.name ? room._id : room.name;
	return `${server}/${path}/${encodeURIComponent(target)}?msg=${encodeURIComponent(messageId)}`;
}

/** The output item's JSON: the simplified message, or the raw message with the room's name and type. */
export function messageJson(message: IDataObject, room: RoomInfo, simplify: boolean, server: string, isEdit: boolean): IDataObject {
	const roomType = roomTypeName(room.t);
	const roomName = room.fname ?? room.name ?? room._id;
	if (!simplify) return { ...message, roomName, roomType, isEdit };
	const user = (message.u ?? {}) as IDataObject;
	const mentions = Array.isArray(message.mentions) ? (message.mentions as IDataObject[]) : [];
	const out: IDataObject = {
		id: message._id,
		roomId: message.rid,
		roomName,
		roomType,
		text: typeof message.msg === 'string' ? message.msg : '',
		createdAt: message.ts,
		user: { id: user._id, username: user.username, ...(user.name !== undefined && { name: user.name }) },
		isThreadReply: typeof message.tmid === 'string',
		isEdit,
		mentions: mentions.map((mention) => mention.username).filter((username) => typeof username === 'string'),
	};
	if (typeof message.tmid === 'string') out.threadId = message.tmid;
	if (message.editedAt !== undefined) out.editedAt = message.editedAt;
	if (typeof message.t === 'string') out.systemType = message.t;
	if (message.bot) out.bot = true;
	if (typeof message.alias === 'string') out.alias = message.alias;
	const files = messageFiles(message);
	if (files.length) out.files = files.map(({ id, name, type, size }) => ({ id, name, type, size }));
	if (Array.isArray(message.attachments) && message.attachments.length) out.attachments = message.attachments;
	const link = messageLink(server, room, String(message._id));
	if (link) out.link = link;
	return out;
}

/** Downloads the message's files into `attachment_0`, `attachment_1`, … with the callback client. */
export async function downloadFiles(ctx: ITriggerFunctions, client: CallbackClient, message: IDataObject): Promise<IBinaryKeyData | undefined> {
	const files = messageFiles(message);
	if (!files.length) return undefined;
	const binary: IBinaryKeyData = {};
	for (const [index, file] of files.entries()) {
		const response = await client.request<StreamResponse>({ endpoint: '', path: file.path, stream: true });
		const mimeType = file.type ?? response.headers['content-type']?.split(';')[0] ?? 'application/octet-stream';
		binary[`attachment_${index}`] = await storeDownload(ctx.helpers, ctx.getNode(), response, { fileName: file.name, mimeType });
	}
	return binary;
}

export function item(json: IDataObject, binary?: IBinaryKeyData): INodeExecutionData {
	return binary ? { json, binary } : { json };
}

/** The same items, marked as an edit (`isEdit: true`). */
export function asEditItems(data: INodeExecutionData[][]): INodeExecutionData[][] {
	return data.map((items) => items.map((entry) => ({ ...entry, json: { ...entry.json, isEdit: true } })));
}
