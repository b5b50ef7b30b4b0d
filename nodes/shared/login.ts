import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { limitsFrom, rateLimitWaitMs } from './rateLimit';
import { normalizeServerUrl } from './url';

export interface RocketChatSession {
	userId: string;
	authToken: string;
}

/** Start of every login failure message (the transport recognises it and does not retry). */
export const LOGIN_FAILED = 'Rocket.Chat login failed';

export type RawHttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

interface FullResponse {
	statusCode: number;
	headers?: Record<string, string>;
	body?: unknown;
}

/** Text Rocket.Chat gives in a failure body: `error`, else `message`. Non-JSON bodies give ''. */
function failureText(body: unknown): { error: string; errorType: string } {
	if (body && typeof body === 'object') {
		const data = body as IDataObject;
		const error = typeof data.error === 'string' ? data.error : typeof data.message === 'string' ? data.message : '';
		const errorType = typeof data.errorType === 'string' ? data.errorType : typeof data.error === 'string' ? data.error : '';
		return { error, errorType };
	}
	return { error: '', errorType: '' };
}

/**
 * Logs in with username (or email) and password at `POST /api/v1/login` with a JSON body (servers 7.6+
 * reject form bodies). Used by the credential's preAuthentication and by the transport's path for
 * trigger callbacks. Throws an Error whose message tells the user what to change; never includes the password.
 */
export async function loginWithPassword(
	send: RawHttpRequest,
	credentials: ICredentialDataDecryptedObject,
): Promise<RocketChatSession> {
	const server = normalizeServerUrl(credentials.domain);
	const user = String(credentials.username ?? '').trim();
	const password = String(credentials.password ?? '');
	if (!user || !password) {
		throw new Error('Rocket.Chat login needs a username (or email) and a password: fill both in the credentials');
	}
	const body: IDataObject = user.includes('@') ? { user, password } : { username: user, password };
	let response: FullResponse | undefined;
	let unreachable: string | undefined;
	// Logins are rate-limited like any endpoint (10 a minute per client address by default) and nothing
	// bypasses the limiter before the login: wait for the window as the transport does for other calls.
	const limits = limitsFrom(credentials);
	for (let attempt = 0; ; attempt++) {
		try {
			response = (await send({
				method: 'POST',
				url: `${server}/api/v1/login`,
				body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				skipSslCertificateValidation: credentials.ignoreSslIssues === true,
			})) as FullResponse;
		} catch (error) {
			// Node's error codes are left out: n8n swaps messages containing them for generic texts.
			unreachable = (error as Error)?.message?.includes('certificate') ? ' (its TLS certificate is not trusted: see Ignore SSL Issues)' : '';
		}
		if (response?.statusCode !== 429 || attempt >= limits.rateLimitRetries) break;
		const wait = rateLimitWaitMs(response.headers, response.body);
		if (wait > limits.maxWaitMs) break;
		await sleep(wait);
	}
	if (!response || unreachable !== undefined) {
		throw new Error(
			`Rocket.Chat login failed: could not reach ${server}${unreachable ?? ''}. Check the Server URL in the credentials.`,
		);
	}
	const data = (response.body ?? {}) as IDataObject;
	const { error, errorType } = failureText(response.body);
	if (response.statusCode >= 200 && response.statusCode < 300) {
		const session = (data.data ?? {}) as IDataObject;
		if (typeof session.userId === 'string' && typeof session.authToken === 'string') {
			return { userId: session.userId, authToken: session.authToken };
		}
		throw new Error(
			`Rocket.Chat login failed: ${server}/api/v1/login answered without a session. Check that the Server URL points to a Rocket.Chat server.`,
		);
	}
	if (/totp-required/i.test(errorType) || /totp-required/i.test(error)) {
		throw new Error(
			'Rocket.Chat login failed: this account uses two-factor authentication, which a workflow cannot answer. Use a Personal Access Token instead (Account › Personal Access Tokens, with "Ignore Two Factor Authentication" ticked).',
		);
	}
	if (response.statusCode === 401 || response.statusCode === 403) {
		throw new Error(
			`Rocket.Chat login failed: ${error || 'Unauthorized'}. Check the username and password in the credentials.`,
		);
	}
	if (response.statusCode === 429) {
		const seconds = /wait (\d+) seconds/i.exec(error)?.[1];
		throw new Error(
			`Rocket.Chat login failed: the rate limiter refused the login at ${server}${seconds ? ` (it asks to wait ${seconds} s)` : ''}. Too many logins came from this address: retries ran out or the wait exceeded Max Rate Limit Wait. Raise the login limit under Administration › Settings › Rate Limiter, or use a Personal Access Token (no login needed).`,
		);
	}
	if (response.statusCode === 400 && /form/i.test(error)) {
		throw new Error(`Rocket.Chat login failed: ${error}.`);
	}
	throw new Error(
		`Rocket.Chat login failed: the server answered ${response.statusCode}${error ? ` (${error})` : ''}. Check the Server URL in the credentials.`,
	);
}
