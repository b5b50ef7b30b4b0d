import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, jsonParse } from 'n8n-workflow';

/**
 * Attachment keys Rocket.Chat checks (`validateAttachment` in `app/lib/server/functions/sendMessage.ts`),
 * with the type it expects. `url` keys must be full URLs (or a `/file-upload/` path of the server). Its
 * check is `objectMaybeIncluding`: other keys (`description`, `type`, nested `attachments` for quotes, …)
 * pass unchecked, and so they do here.
 */
const ATTACHMENT_KEYS: Record<string, 'string' | 'number' | 'boolean' | 'url' | 'stringOrNumber' | 'object' | 'array'> = {
	color: 'string',
	text: 'string',
	ts: 'stringOrNumber',
	thumb_url: 'url',
	button_alignment: 'string',
	actions: 'array',
	message_link: 'url',
	collapsed: 'boolean',
	author_name: 'string',
	author_link: 'url',
	author_icon: 'url',
	title: 'string',
	title_link: 'url',
	title_link_download: 'boolean',
	image_dimensions: 'object',
	image_url: 'url',
	image_preview: 'string',
	image_type: 'string',
	image_size: 'number',
	audio_url: 'url',
	audio_type: 'string',
	audio_size: 'number',
	video_url: 'url',
	video_type: 'string',
	video_size: 'number',
	fields: 'array',
};

const urlField = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder: 'https://example.com/...',
	description,
});

/** The attachment builder (UI mode). */
export const attachmentsBuilder: INodeProperties = {
	displayName: 'Attachments',
	name: 'attachments',
	type: 'fixedCollection',
	placeholder: 'Add Attachment',
	typeOptions: { multipleValues: true },
	default: {},
	description: 'Rich attachments shown below the text (cards with title, link, image, fields)',
	options: [
		{
			displayName: 'Attachment',
			name: 'attachment',
			values: [
				urlField('Audio URL', 'audio_url', 'Full URL of an audio file to play in the attachment'),
				urlField('Author Icon', 'author_icon', 'Full URL of a small image shown left of the author name'),
				urlField('Author Link', 'author_link', 'Full URL the author name links to'),
				{
					displayName: 'Author Name',
					name: 'author_name',
					type: 'string',
					default: '',
					description: 'Name shown at the top of the attachment',
				},
				{
					displayName: 'Collapsed',
					name: 'collapsed',
					type: 'boolean',
					default: false,
					description: 'Whether the attachment starts collapsed (only its title is shown until clicked)',
				},
				{
					displayName: 'Color',
					name: 'color',
					type: 'color',
					default: '',
					description: 'Color of the bar on the left of the attachment, e.g. #ff0000',
				},
				{
					displayName: 'Fields',
					name: 'fields',
					type: 'fixedCollection',
					placeholder: 'Add Field',
					typeOptions: { multipleValues: true },
					default: {},
					description: 'A table of title/value pairs (Rocket.Chat shows a field without a title as a bare value)',
					options: [
						{
							displayName: 'Field',
							name: 'field',
							values: [
								{
									displayName: 'Short',
									name: 'short',
									type: 'boolean',
									default: false,
									description: 'Whether the field is short enough to be shown next to other short fields',
								},
								{
									displayName: 'Title',
									name: 'title',
									type: 'string',
									default: '',
									description: 'Label of the field',
								},
								{
									displayName: 'Value',
									name: 'value',
									type: 'string',
									default: '',
									description: 'Value of the field',
								},
							],
						},
					],
				},
				urlField('Image URL', 'image_url', 'Full URL of an image shown in the attachment'),
				urlField('Message Link', 'message_link', 'Full URL of a message this attachment quotes'),
				{
					displayName: 'Text',
					name: 'text',
					type: 'string',
					default: '',
					typeOptions: { rows: 2 },
					description: 'Text of the attachment (Markdown)',
				},
				urlField('Thumb URL', 'thumb_url', 'Full URL of a small image shown at the right'),
				{
					displayName: 'Timestamp',
					name: 'ts',
					type: 'dateTime',
					default: '',
					description: 'Date and time shown in the attachment',
				},
				{
					displayName: 'Title',
					name: 'title',
					type: 'string',
					default: '',
					description: 'Title of the attachment',
				},
				urlField('Title Link', 'title_link', 'Full URL the title links to'),
				{
					displayName: 'Title Link Download',
					name: 'title_link_download',
					type: 'boolean',
					default: false,
					description: 'Whether to show a download icon next to the title link',
				},
				urlField('Video URL', 'video_url', 'Full URL of a video to play in the attachment'),
			],
		},
	],
};

function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description: string): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
}

function isFullUrl(value: string): boolean {
	if (value.startsWith('/file-upload/')) return true;
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && !!url.host;
	} catch {
		return false;
	}
}

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Checks attachments as Rocket.Chat will, but before sending and with the attachment number and field in
 * the message: the types of the keys Rocket.Chat checks, full http(s) URLs, `fields[]` entries; other keys pass.
 */
export function validateAttachments(ctx: IExecuteFunctions, attachments: unknown, itemIndex: number): IDataObject[] {
	const list = Array.isArray(attachments) ? attachments : [attachments];
	return list.map((attachment, index) => {
		const label = `Attachment ${index + 1}`;
		if (typeof attachment !== 'object' || attachment === null || Array.isArray(attachment)) {
			fail(ctx, itemIndex, `${label} is not an object`, 'Each attachment is a JSON object such as {"title": "Report", "text": "…"}.');
		}
		const record = attachment as IDataObject;
		for (const [key, value] of Object.entries(record)) {
			const kind = ATTACHMENT_KEYS[key];
			if (!kind || value === null || value === undefined) continue;
			const wrong = (expected: string) =>
				fail(ctx, itemIndex, `${label}: "${key}" must be ${expected}, not ${typeName(value)}`, `Fix the value of "${key}" in attachment ${index + 1}.`);
			switch (kind) {
				case 'string':
					if (typeof value !== 'string') wrong('text');
					break;
				case 'number':
					if (typeof value !== 'number') wrong('a number');
					break;
				case 'boolean':
					if (typeof value !== 'boolean') wrong('true or false');
					break;
				case 'stringOrNumber':
					if (typeof value !== 'string' && typeof value !== 'number') wrong('a date text or a number');
					break;
				case 'object':
					if (typeof value !== 'object' || Array.isArray(value)) wrong('an object');
					break;
				case 'array':
					if (!Array.isArray(value)) wrong('a list');
					break;
				case 'url':
					if (typeof value !== 'string') wrong('a URL text');
					if (!isFullUrl(value as string)) {
						fail(
							ctx,
							itemIndex,
							`${label}: "${key}" is not a full http(s) URL: "${String(value).slice(0, 80)}"`,
							`Rocket.Chat accepts only full URLs here, e.g. https://example.com/image.png (javascript: and relative links are refused).`,
						);
					}
					break;
			}
		}
		(record.fields as unknown[] | undefined)?.forEach((field, fieldIndex) => {
			const where = `${label}, field ${fieldIndex + 1}`;
			const entry = (field ?? {}) as IDataObject;
			if (typeof field !== 'object' || field === null || Array.isArray(field)) {
				fail(ctx, itemIndex, `${where} is not an object`, 'Each field is an object such as {"title": "Status", "value": "OK", "short": true}.');
			}
			// `validateAttachmentsFields`: `title`, `value` and `short` are type-checked when present, none is required.
			if (entry.title != null && typeof entry.title !== 'string') fail(ctx, itemIndex, `${where}: "title" must be text`, 'Use a text title.');
			if (entry.value != null && !['string', 'number', 'boolean'].includes(typeof entry.value)) {
				fail(ctx, itemIndex, `${where}: "value" must be text, a number or true/false`, 'Use a simple value.');
			}
			if (entry.short != null && typeof entry.short !== 'boolean') {
				fail(ctx, itemIndex, `${where}: "short" must be true or false`, 'Use true or false.');
			}
		});
		(record.actions as unknown[] | undefined)?.forEach((action, actionIndex) => {
			const entry = (action ?? {}) as IDataObject;
			for (const key of ['url', 'image_url']) {
				if (entry[key] !== undefined && (typeof entry[key] !== 'string' || !isFullUrl(entry[key] as string))) {
					fail(ctx, itemIndex, `${label}, action ${actionIndex + 1}: "${key}" is not a full http(s) URL`, 'Use a full URL such as https://example.com.');
				}
			}
		});
		return record;
	});
}

/** The builder's values as Rocket.Chat attachments: empty texts and unset switches dropped. */
export function attachmentsFromBuilder(raw: IDataObject): IDataObject[] {
	const entries = ((raw?.attachment ?? []) as IDataObject[]).map((entry) => {
		const out: IDataObject = {};
		for (const [key, value] of Object.entries(entry)) {
			if (key === 'fields') {
				const fields = (((value ?? {}) as IDataObject).field ?? []) as IDataObject[];
				if (fields.length) {
					out.fields = fields.map((field) => {
						const item: IDataObject = { ...(field.title ? { title: field.title } : {}), value: field.value ?? '' };
						if (field.short === true) item.short = true;
						return item;
					});
				}
				continue;
			}
			if (value === '' || value === undefined || value === null || value === false) continue;
			out[key] = key === 'ts' && typeof value === 'string' ? new Date(value).toISOString() : value;
		}
		return out;
	});
	return entries.filter((entry) => Object.keys(entry).length > 0);
}

/** Attachments from the JSON mode: a JSON array (or one object), as text or already parsed. */
export function attachmentsFromJson(ctx: IExecuteFunctions, raw: unknown, itemIndex: number): unknown {
	if (raw === undefined || raw === null || raw === '') return [];
	if (typeof raw !== 'string') return raw;
	try {
		return jsonParse(raw);
	} catch (error) {
		return fail(
			ctx,
			itemIndex,
			'Attachments (JSON) is not valid JSON',
			`${(error as Error).message}. Enter a JSON array such as [{"title": "Report", "text": "Done", "fields": [{"title": "Status", "value": "OK"}]}].`,
		);
	}
}
