/**
 * The server lines the version matrix runs against: one release of each line whose request validators the
 * fake loads (`test/fake/upstream.ts`: 6.x → rest-typings 6.13.1, 7.x → 7.10.0, 8.x → 8.8.1).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { FakeRocketChat, type FakeMessage, type FakeRoom, type FakeUser } from '../../fake';
import { patCredentials } from '../../harness/fixtures';

export const MATRIX_VERSIONS = ['6.13.1', '7.10.0', '8.8.1'] as const;
export type MatrixVersion = (typeof MATRIX_VERSIONS)[number];

export class MatrixServer {
	private counter = 0;

	constructor(
		readonly version: MatrixVersion,
		readonly fake: FakeRocketChat,
	) {}

	static async start(version: MatrixVersion): Promise<MatrixServer> {
		return new MatrixServer(version, await FakeRocketChat.start({ version, rateLimit: { enabled: false } }));
	}

	user(username: string): FakeUser {
		const found = this.fake.state.findUserByUsername(username);
		if (!found) throw new Error(`no user ${username}`);
		return found;
	}

	as(name: 'bot' | 'admin' | 'alice' | 'bob'): ICredentialDataDecryptedObject {
		return patCredentials(this.fake, this.fake.fixtures[name]);
	}

	/** A fresh room of `type` owned by `owner` with `members`. */
	room(type: 'c' | 'p', members: string[] = ['alice'], owner = 'bot'): FakeRoom {
		return this.fake.state.createRoom(type, `matrix-${this.version.replace(/\./g, '-')}-${++this.counter}`, this.user(owner), members.map((name) => this.user(name)));
	}

	message(roomId: string, text = 'matrix message', author = 'bot', extra: Parameters<FakeRocketChat['state']['postMessage']>[3] = {}): FakeMessage {
		return this.fake.state.postMessage(roomId, this.user(author), text, extra);
	}

	/** Requests answered by the server, except the node's room/user look-ups. */
	requestsTo(endpoint: string) {
		return this.fake.requests.filter((request) => request.endpoint === endpoint);
	}
}
