/** Shared helpers of the trigger tests: short timings, fixture users and quick posting. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FakeMessage, FakeRocketChat, FakeUser, PostMessageExtra } from '../../fake';

/** Short timings so that reconnects and dead-connection checks happen within a test. */
export const FAST_OPTIONS = { reconnectDelay: 0.05, reconnectMaxDelay: 0.3, pingInterval: 1 };

export function triggerParameters(parameters: INodeParameters = {}): INodeParameters {
	const options = (parameters.options ?? {}) as IDataObject;
	return { ...parameters, options: { ...FAST_OPTIONS, ...options } };
}

export function user(fake: FakeRocketChat, name: 'bot' | 'alice' | 'bob' | 'admin'): FakeUser {
	const found = fake.state.getUser(fake.fixtures[name].userId);
	if (!found) throw new Error(`no fixture user ${name}`);
	return found;
}

export function post(fake: FakeRocketChat, roomId: string, author: FakeUser, text: string, extra: PostMessageExtra = {}): FakeMessage {
	return fake.state.postMessage(roomId, author, text, extra);
}

export function texts(items: IDataObject[]): string[] {
	return items.map((item) => String(item.text ?? item.msg));
}
