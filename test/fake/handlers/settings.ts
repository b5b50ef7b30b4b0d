/**
 * `settings.public` (no authentication): the public settings, filtered with `_id` (comma-separated, 7.0+).
 *
 * Source: `apps/meteor/app/api/server/v1/settings.ts` (`settings.public`: `{ ...query, _id: {$in: ids},
 * hidden: {$ne: true}, public: true }`, answered as `{settings: [{_id, value, enterprise?}], count, offset,
 * total}`); only the public settings the fake keeps in `state.settings` are listed.
 */
import type { FakeRocketChat, RouteContext } from '../server';

/** Settings of `state.settings` that the server marks `public: true`. */
export const PUBLIC_SETTINGS: readonly string[] = ['UI_Use_Real_Name', 'Message_MaxAllowedSize', 'Threads_enabled', 'Discussion_enabled', 'FileUpload_MaxFileSize'];

function publicSettings(ctx: RouteContext): Record<string, unknown> {
	const raw = ctx.query._id;
	const ids = typeof raw === 'string' && raw ? raw.split(',').map((id) => id.trim()) : undefined;
	const page = ctx.paginate();
	const all = PUBLIC_SETTINGS.filter((id) => !ids || ids.includes(id)).map((id) => ({ _id: id, value: ctx.state.settings[id], enterprise: false }));
	const settings = page.count ? all.slice(page.offset, page.offset + page.count) : all.slice(page.offset);
	return { settings, count: settings.length, offset: page.offset, total: all.length };
}

export function register(server: FakeRocketChat): void {
	server.route({ method: 'GET', path: 'settings.public', auth: false, handler: publicSettings });
}
