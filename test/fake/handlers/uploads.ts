/**
 * File uploads and downloads: `rooms.media/:rid` + `rooms.mediaConfirm/:rid/:fileId` (6.10+),
 * `rooms.upload/:rid` (before 8.0), and `GET /file-upload/:id/:name` with the `X-User-Id`/`X-Auth-Token`
 * headers. Routes the configured server version does not have are not registered (404 like an unknown
 * route): 8.x has no `rooms.upload`, 6.9 and older no `rooms.media`.
 *
 * Sources: `apps/meteor/app/api/server/v1/rooms.ts` @0013cdd5 (`rooms.upload` deprecated for 8.0 in favour
 * of `rooms.media`; `rooms.media` answers `{file: {_id, url}}` for a temporary upload kept 24 h;
 * `rooms.mediaConfirm` answers `{message}` and fails with `[invalid-file]` for an unknown, expired or
 * foreign upload; unknown keys fail the `check()`), `apps/meteor/server/api/v1/rooms.ts` @04f79fdd,
 * `app/file-upload/server/lib/FileUpload.ts` (`requestCanAccessFiles`: 403 without access; the
 * `Content-Disposition` filename), reference rocketchat-api.md §1 (6.10, 8.0), §8, §8.1; PR
 * https://github.com/RocketChat/Rocket.Chat/pull/36857 (removal of `rooms.upload`).
 *
 * The body is read as it streams in (`apps/meteor/app/api/server/lib/MultipartUploadHandler.ts` @0eed983e,
 * see `../multipart-stream.ts`), after the room check. A file above `FileUpload_MaxFileSize` (busboy limit
 * `maxSize + 1`, so a file of exactly the limit passes) is read to the end, dropped, and answered with the
 * `MeteorError('error-file-too-large', …)` of `@rocket.chat/core-services` (whose message is the bare code)
 * turned into `API.v1.failure(e.message, e.error)` by `ApiClass.ts`: 400
 * `{success:false, error:"error-file-too-large", errorType:"error-file-too-large"}`. The server itself never
 * answers 413; that status comes from a proxy in front of it (nginx `client_max_body_size`), which the tests
 * inject as a fault.
 */
import { createReadStream } from 'node:fs';

import { apiFailure, forbidden, meteorError } from '../errors';
import { receiveMultipart } from '../multipart-stream';
import type { FakeRocketChat, RouteContext } from '../server';
import { type FakeRoom, type FakeUser, toRestMessage } from '../state';
import { isPlainObject } from '../validation';
import { versionAtLeast } from './room-admin';

const DAY = 24 * 60 * 60 * 1000;
/** Fields `rooms.mediaConfirm` accepts (everything else fails the `check()`). */
const CONFIRM_KEYS = new Set(['msg', 'description', 'tmid', 'alias', 'avatar', 'emoji', 'groupable', 'customFields', 'fileName', 'fileContent']);
/** Message fields `rooms.upload` reads from the form. */
const UPLOAD_FIELDS = new Set(['msg', 'description', 'tmid', 'alias', 'avatar', 'emoji', 'groupable', 'customFields']);

function me(ctx: RouteContext): FakeUser {
	return ctx.user as FakeUser;
}

/** The room the caller may post in (`canSendMessage`), else 403. */
function writableRoom(ctx: RouteContext): FakeRoom {
	const room = ctx.state.rooms.get(ctx.params.rid);
	if (!room || !ctx.state.getSubscription(room._id, me(ctx)._id)) throw forbidden();
	if (room.archived) throw meteorError('error-room-archived', 'Room is archived');
	if (room.ro && !ctx.hasPermission('post-readonly', room._id)) throw meteorError('error-not-allowed', 'Not allowed');
	return room;
}

async function uploadedFile(ctx: RouteContext) {
	const form = await receiveMultipart(ctx.req, { maxFileSize: Number(ctx.state.settings.FileUpload_MaxFileSize) }).catch(() => {
		throw meteorError('error-upload-failed', 'Unexpected end of form');
	});
	ctx.logBody(
		form
			? {
					fields: form.fields,
					files: form.files.map((file) => ({ field: file.field, filename: file.filename, contentType: file.contentType, size: file.size })),
				}
			: { multipart: false },
	);
	const file = form?.files.find((entry) => entry.field === 'file');
	if (!form || !file) throw meteorError('error-no-file-uploaded', 'No file uploaded');
	if (file.truncated) throw apiFailure('error-file-too-large', 'error-file-too-large');
	const content = file.diskPath !== undefined ? { diskPath: file.diskPath, size: file.size, data: Buffer.alloc(0) } : { data: file.data ?? Buffer.alloc(0) };
	return { form, file, content };
}

function checkThread(ctx: RouteContext, room: FakeRoom, tmid: unknown): void {
	if (tmid === undefined) return;
	const parent = ctx.state.getMessage(String(tmid));
	if (!parent || parent.rid !== room._id) throw meteorError('error-invalid-message', 'Invalid message', { method: 'sendMessage' });
}

async function media(ctx: RouteContext): Promise<Record<string, unknown>> {
	const room = writableRoom(ctx);
	const { form, file, content } = await uploadedFile(ctx);
	const stored = ctx.state.addUpload(room._id, me(ctx), {
		name: file.filename,
		type: file.contentType,
		...content,
		expiresAt: new Date(Date.now() + DAY),
		...(form.fields.content !== undefined && { content: form.fields.content }),
	});
	return { file: { _id: stored._id, url: stored.url } };
}

function mediaConfirm(ctx: RouteContext): Record<string, unknown> {
	const room = writableRoom(ctx);
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	const unknown = Object.keys(body).find((key) => !CONFIRM_KEYS.has(key));
	if (unknown) throw apiFailure(`Match error: Unknown key in field ${unknown}`);
	const file = ctx.state.files.get(ctx.params.fileId);
	const expired = file?.expiresAt !== undefined && file.expiresAt.getTime() < Date.now();
	if (!file || expired || file.rid !== room._id || file.userId !== me(ctx)._id || file.expiresAt === undefined) {
		throw meteorError('invalid-file');
	}
	checkThread(ctx, room, body.tmid);
	const message = ctx.state.postFileMessage(room._id, me(ctx), file._id, {
		...(typeof body.msg === 'string' && { msg: body.msg }),
		...(typeof body.description === 'string' && { description: body.description }),
		...(typeof body.tmid === 'string' && { tmid: body.tmid }),
	});
	return { message: toRestMessage(message) };
}

async function upload(ctx: RouteContext): Promise<Record<string, unknown>> {
	const room = writableRoom(ctx);
	const { form, file, content } = await uploadedFile(ctx);
	const unknown = Object.keys(form.fields).find((key) => !UPLOAD_FIELDS.has(key));
	if (unknown) throw apiFailure(`Match error: Unknown key in field ${unknown}`);
	checkThread(ctx, room, form.fields.tmid);
	const stored = ctx.state.addUpload(room._id, me(ctx), { name: file.filename, type: file.contentType, ...content });
	const message = ctx.state.postFileMessage(room._id, me(ctx), stored._id, {
		...(form.fields.msg !== undefined && { msg: form.fields.msg }),
		...(form.fields.description !== undefined && { description: form.fields.description }),
		...(form.fields.tmid !== undefined && { tmid: form.fields.tmid }),
	});
	return { message: toRestMessage(message) };
}

/** `GET /file-upload/:id/:name`: the bytes for users who can access the file's room; the name is not checked. */
function download(ctx: RouteContext) {
	if (!ctx.user) return { status: 403, raw: '', contentType: 'text/plain' };
	const file = ctx.state.files.get(ctx.params.id);
	if (!file) return { status: 404, raw: '', contentType: 'text/plain' };
	const room = ctx.state.rooms.get(file.rid);
	if (!room || !ctx.state.canAccessRoom(ctx.user, room)) return { status: 403, raw: '', contentType: 'text/plain' };
	const diskPath = file.diskPath;
	return {
		status: 200,
		...(diskPath !== undefined ? { stream: () => createReadStream(diskPath) } : { raw: file.data }),
		contentType: file.type,
		headers: {
			'Content-Disposition': `inline; filename="${encodeURI(file.name)}"`,
			'Content-Length': String(file.size),
			'Last-Modified': file.uploadedAt.toUTCString(),
		},
	};
}

export function register(server: FakeRocketChat): void {
	const version = server.version;
	if (versionAtLeast(version, '6.10')) {
		server.route({ method: 'POST', path: 'rooms.media/:rid', streamBody: true, handler: media });
		server.route({ method: 'POST', path: 'rooms.mediaConfirm/:rid/:fileId', handler: mediaConfirm });
	}
	if (!versionAtLeast(version, '8.0')) {
		server.route({ method: 'POST', path: 'rooms.upload/:rid', streamBody: true, handler: upload });
	}
	server.route({ method: 'GET', path: '/file-upload/:id/:name', absolute: true, auth: false, handler: download });
}
