import type { IDataObject } from 'n8n-workflow';

import type { RocketChatContext } from './transport';
import { rocketChatApiRequest } from './transport';

/** A server version as `GET /api/info` gives it: `major.minor` for most users, the full version for admins. */
export interface ServerVersion {
	text: string;
	parts: number[];
}

/** The server's version from `GET /api/info` (no authentication needed, not rate limited). */
export async function serverVersion(this: RocketChatContext, itemIndex?: number): Promise<ServerVersion> {
	const body: IDataObject = await rocketChatApiRequest.call(this, { endpoint: 'info', path: '/api/info', itemIndex });
	const text = typeof body.version === 'string' ? body.version : '';
	return { text, parts: text.split('.').map((part) => Number.parseInt(part, 10) || 0) };
}

/** Whether `version` is at least `wanted` (`major.minor[.patch]`); a missing patch counts as 0. */
export function versionAtLeast(version: ServerVersion, wanted: string): boolean {
	const want = wanted.split('.').map((part) => Number.parseInt(part, 10) || 0);
	for (let i = 0; i < Math.max(version.parts.length, want.length); i++) {
		const a = version.parts[i] ?? 0;
		const b = want[i] ?? 0;
		if (a !== b) return a > b;
	}
	return true;
}
