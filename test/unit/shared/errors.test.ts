import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { connectionError, invalidParamsHint, mapRocketChatError } from '../../../nodes/shared/errors';

const node: INode = {
	id: '1',
	name: 'Rocket.Chat',
	type: 'n8n-nodes-rocketchat.rocketChat',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const context = {
	node,
	method: 'GET',
	endpoint: 'subscriptions.getOne',
	server: 'https://chat.example.com',
	itemIndex: 3,
	secrets: ['pat-secret-value', 'hunter2-password'],
};

describe('mapRocketChatError', () => {
	it('401: Rocket.Chat text, credentials hint, item index', () => {
		const error = mapRocketChatError(
			{
				status: 401,
				body: {
					success: false,
					error: 'You must be logged in to do this.',
					status: 'error',
					message: 'You must be logged in to do this.',
				},
			},
			context,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('You must be logged in to do this.');
		expect(error.description).toMatch(/User ID and Personal Access Token/);
		expect(error.httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(3);
	});

	it('403: names the missing permission when the operation knows it', () => {
		const error = mapRocketChatError(
			{
				status: 403,
				body: { success: false, error: 'User does not have the permissions required for this action [error-unauthorized]' },
			},
			{ ...context, hints: { permission: 'clean-channel-history' } },
		);
		expect(error.message).toBe('User does not have the permissions required for this action [error-unauthorized]');
		expect(error.description).toContain('"clean-channel-history"');
		expect(error.context.errorType).toBe('error-unauthorized');
	});

	it('404: explains that the endpoint is missing on this server version', () => {
		const error = mapRocketChatError({ status: 404, body: 'Not Found' }, { ...context, endpoint: 'rooms.upload/abc' });
		expect(error.httpCode).toBe('404');
		expect(error.description).toMatch(/rooms\.upload\/abc is not available on this server/);
	});

	it('invalid-params: names the parameter', () => {
		const error = mapRocketChatError(
			{
				status: 400,
				body: {
					success: false,
					error: "must have required property 'roomId' [invalid-params]",
					errorType: 'invalid-params',
				},
			},
			context,
		);
		expect(error.message).toBe("must have required property 'roomId' [invalid-params]");
		expect(error.description).toContain("'roomId'");
		expect(error.context.errorType).toBe('invalid-params');
	});

	it('Meteor errors: errorType drives a specific hint, and operation hints win', () => {
		const body = {
			success: false,
			error: 'Invalid subscription [error-invalid-subscription]',
			errorType: 'error-invalid-subscription',
		};
		expect(mapRocketChatError({ status: 400, body }, context).description).toMatch(/not a member/);
		const custom = mapRocketChatError(
			{ status: 400, body },
			{ ...context, hints: { byErrorType: { 'error-invalid-subscription': 'Join #ops first.' } } },
		);
		expect(custom.description).toBe('Join #ops first.');
	});

	it('HTML bodies from a proxy: readable message, no markup', () => {
		const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';
		const error = mapRocketChatError({ status: 502, body: Buffer.from(html) }, context);
		expect(error.message).toBe('Rocket.Chat answered 502 Bad Gateway with a non-JSON page: "502 Bad Gateway"');
		expect(error.message).not.toContain('<');
		expect(error.description).toMatch(/proxy/);
	});

	it('an empty failure body (chat.getMessage style) still says what happened', () => {
		const error = mapRocketChatError({ status: 400, body: { success: false } }, { ...context, endpoint: 'chat.getMessage' });
		expect(error.message).toBe('Rocket.Chat answered 400 Bad Request to GET chat.getMessage');
		expect(error.description).toMatch(/IDs/);
	});

	it('429 after retries: says to slow down and how to avoid it', () => {
		const error = mapRocketChatError(
			{
				status: 429,
				body: {
					success: false,
					error:
						'Error, too many requests. Please slow down. You must wait 42 seconds before trying this endpoint again. [error-too-many-requests]',
				},
			},
			context,
		);
		expect(error.description).toMatch(/wait 42 s/);
		expect(error.description).toMatch(/bot role/);
	});

	it('never shows secrets, even when the server echoes them', () => {
		const error = mapRocketChatError(
			{ status: 400, body: { success: false, error: 'Invalid token pat-secret-value for hunter2-password' } },
			context,
		);
		const everything = JSON.stringify({ m: error.message, d: error.description, r: error.errorResponse, c: error.context });
		expect(everything).not.toContain('pat-secret-value');
		expect(everything).not.toContain('hunter2-password');
		expect(error.message).toBe('Invalid token *** for ***');
	});
});

describe('invalidParamsHint', () => {
	it('names several parameters', () => {
		expect(invalidParamsHint("must have required property 'msgId'\n must have required property 'roomId'")).toContain(
			"'msgId', 'roomId'",
		);
	});
	it('explains unknown parameters', () => {
		expect(invalidParamsHint('must NOT have additional properties [invalid-params]')).toMatch(/does not know/);
	});
});

describe('connectionError', () => {
	it('spells the reason in words and keeps the server address', () => {
		const error = connectionError('ECONNREFUSED', context, 4);
		expect(error.message).toBe('Could not reach Rocket.Chat at https://chat.example.com: the connection was refused');
		expect(error.description).toMatch(/Tried 4 times/);
		expect(error.context.itemIndex).toBe(3);
	});
});

describe('typed-route validation failures', () => {
	it('names the parameter for errorType error-invalid-params too', () => {
		const error = mapRocketChatError(
			{ status: 400, body: { success: false, errorType: 'error-invalid-params', error: "must have required property 'roomId'" } },
			context,
		);
		expect(error.description).toContain("'roomId'");
	});
});
