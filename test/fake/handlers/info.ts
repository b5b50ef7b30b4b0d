/**
 * `GET /api/info` (no `/v1`, no authentication, not rate limited: `API.default` has no version).
 *
 * Source: `apps/meteor/server/api/default/info.ts`, `lib/getServerInfo.ts`, `getTrimmedServerVersion.ts`:
 * `version` is `major.minor` unless the caller is authenticated and has `view-statistics`; then it is the
 * full version and `info` holds the build data. No `workspaceUrl`/`supportedVersions`/`cloudWorkspaceId`
 * (an unregistered workspace).
 */
import type { FakeRocketChat, RouteContext } from '../server';

/** `minimumClientVersions` of `apps/meteor/app/utils/rocketchat.info`. */
export const MINIMUM_CLIENT_VERSIONS = { desktop: '3.9.6', mobile: '4.39.0' };

function buildInfo(version: string): Record<string, unknown> {
	return {
		version,
		build: {
			date: '2026-01-01T00:00:00.000Z',
			nodeVersion: 'v22.16.0',
			arch: 'x64',
			platform: 'linux',
			osRelease: '6.1.0',
			totalMemory: 8589934592,
			freeMemory: 4294967296,
			cpus: 4,
		},
		marketplaceApiVersion: '1.56.0',
		commit: {
			hash: '0000000000000000000000000000000000000000',
			date: 'Thu Jan 1 00:00:00 2026 +0000',
			author: 'fake',
			subject: `Release ${version}`,
			tag: version,
			branch: 'HEAD',
		},
	};
}

export function trimmedVersion(version: string): string {
	return version.split('.').slice(0, 2).join('.');
}

function info(ctx: RouteContext): Record<string, unknown> {
	const full = ctx.server.version;
	const privileged = !!ctx.user && ctx.hasPermission('view-statistics');
	return {
		version: privileged ? full : trimmedVersion(full),
		...(privileged && { info: buildInfo(full) }),
		minimumClientVersions: { ...MINIMUM_CLIENT_VERSIONS },
	};
}

export function register(server: FakeRocketChat): void {
	server.route({ method: 'GET', path: '/api/info', absolute: true, auth: false, handler: info });
}
