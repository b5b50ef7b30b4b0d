import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { credentialTestRules } from '../nodes/shared/credentialTest';
import { loginWithPassword } from '../nodes/shared/login';

/**
 * Rocket.Chat API credentials.
 *
 * - Personal Access Token: the user ID and token from Account › Personal Access Tokens; sent as the
 *   `X-User-Id` / `X-Auth-Token` headers on every request.
 * - Username & Password: n8n logs in at `/api/v1/login` before the first request (preAuthentication)
 *   and keeps the session token in a hidden, expirable field; a 401 makes n8n log in again once.
 */
export class RocketChatApi implements ICredentialType {
	name = 'rocketChatApi';

	displayName = 'Rocket.Chat API';

	icon: Icon = { light: 'file:../icons/rocketchat.svg', dark: 'file:../icons/rocketchat.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-rocketchat/n8n-nodes-rocketchat#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'domain',
			type: 'string',
			default: '',
			placeholder: 'https://chat.example.com',
			required: true,
			description:
				'Address of the Rocket.Chat server, as in the browser. A trailing slash or /api/v1 is accepted.',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Personal Access Token',
					value: 'accessToken',
					description: 'Recommended. Works with two-factor authentication and never expires.',
				},
				{
					name: 'Username & Password',
					value: 'password',
					description: 'Logs in at /api/v1/login. Not possible for accounts with two-factor authentication.',
				},
			],
			default: 'accessToken',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			required: true,
			description:
				'Shown next to the token when you create it under Account › Personal Access Tokens',
			displayOptions: { show: { authentication: ['accessToken'] } },
		},
		{
			displayName: 'Personal Access Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['accessToken'] } },
		},
		{
			displayName: 'Username or Email',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Session User ID',
			name: 'sessionUserId',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Max Rate Limit Retries',
			name: 'rateLimitRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 20 },
			default: 5,
			description:
				"How often a request refused by Rocket.Chat's rate limiter (429) is sent again after waiting for the limit to reset",
		},
		{
			displayName: 'Max Rate Limit Wait (Seconds)',
			name: 'rateLimitMaxWait',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 3600 },
			default: 65,
			description:
				'The longest single wait for the rate limiter to reset. A longer wait fails the item with a hint instead. Rocket.Chat resets its limits every 60 seconds by default.',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the server certificate cannot be verified. Only for servers with a self-signed certificate.',
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		if (credentials.authentication !== 'password') {
			// Personal access tokens need no session; returning nothing leaves the credentials unchanged.
			return {};
		}
		const session = await loginWithPassword((options) => this.helpers.httpRequest(options), credentials);
		return { sessionToken: session.authToken, sessionUserId: session.userId };
	}

	/**
	 * Adds the `X-User-Id` / `X-Auth-Token` headers. A function rather than generic expressions: n8n runs it
	 * on every request, and a function costs no trip through the sandboxed expression engine.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const password = credentials.authentication === 'password';
		requestOptions.headers = {
			...(requestOptions.headers ?? {}),
			'X-User-Id': String((password ? credentials.sessionUserId : credentials.userId) ?? ''),
			'X-Auth-Token': String((password ? credentials.sessionToken : credentials.token) ?? ''),
		};
		return requestOptions;
	}

	/**
	 * The base URL is normalised as the node normalises it (`normalizeServerUrl` in nodes/shared/url.ts):
	 * https:// added when no scheme is given, query and fragment dropped, trailing slashes and app paths
	 * (`/api/v1`, `/home`, `/channel/<name>`, `/group/<name>`, `/direct/<id>`) removed, a path prefix kept.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{(/^[a-z][a-z0-9+.-]*:\\/\\//i.test($credentials.domain.trim()) ? "" : "https://") + $credentials.domain.trim().replace(/[?#].*$/, "").replace(/(?:\\/+(?:api(?:\\/v1)?|home|(?:channel|group|direct)\\/[^/]*))*\\/*$/i, "")}}',
			url: '/api/v1/me',
			method: 'GET',
			skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}',
		},
		rules: credentialTestRules,
	};
}
