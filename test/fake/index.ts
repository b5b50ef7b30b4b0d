/**
 * The fake Rocket.Chat used by the tests, benchmarks and demo.
 *
 *   const rc = await startFakeRocketChat();
 *   const { bot } = rc.fixtures;
 *   await fetch(`${rc.url}/api/v1/me`, { headers: { 'X-User-Id': bot.userId, 'X-Auth-Token': bot.pat } });
 *   await rc.stop();
 */
import { type FakeOptions, FakeRocketChat } from './server';

export * from './server';
export * from './errors';
export * from './request';
export * from './validation';
export {
	FakeState,
	DEFAULT_PERMISSIONS,
	DEFAULT_SETTINGS,
	DEFAULT_USER_PREFERENCES,
	hashLoginToken,
	randomId,
	randomSecret,
	sha256Hex,
	toRestFile,
	toRestMe,
	toRestMessage,
	toRestRoom,
	toRestSubscription,
	toRestUserInfo,
	userRef,
} from './state';
export type {
	CreateRoomOptions,
	CreateUserInput,
	FakeSettings,
	FileRef,
	LoginTokenEntry,
	MentionRef,
	PostMessageExtra,
	Reaction,
	RoomType,
	TrashEntry,
	UploadInput,
	UserEmail,
	UserRef,
	UserStatus,
} from './state';
export { FIXTURE_PASSWORDS, FIXTURE_TOTP_CODE, seedDefaults, seedTeam } from './seed';
export type { SeedTeamOptions, SeedTeamResult } from './seed';

export function startFakeRocketChat(options?: FakeOptions): Promise<FakeRocketChat> {
	return FakeRocketChat.start(options);
}
