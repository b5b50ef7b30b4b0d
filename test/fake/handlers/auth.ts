/**
 * `POST /api/v1/login`, `POST|GET /api/v1/logout`, `GET /api/v1/me`.
 *
 * Sources: `apps/meteor/server/api/ApiClass.ts` @0358e0dc `_initAuth` (`loginCompatibility`, the 401 body
 * `unauthorized()` + `{status:'error', error, details, message}`, "User not found" masked as
 * `Unauthorized`), Meteor accounts (`Unrecognized options for login request` 400, `Incorrect password`
 * 403, resume `You've been logged out by the server. Please log in again.` 403), the 2FA login check
 * (`totp-required` / `totp-invalid` with `details`), reference §2.3/§2.4, OpenAPI `authentication.yaml`.
 */
import { ApiFailure } from '../errors';
import { headerValue } from '../request';
import type { FakeRocketChat, RouteContext } from '../server';
import { type FakeUser, toRestMe } from '../state';
import { isPlainObject } from '../validation';

const LOGIN_KEYS = new Set(['user', 'username', 'email', 'password', 'code']);

/** The login failure body: `{success:false, error:<Meteor error>, status:'error', details?, message:<reason>}`, 401. */
function loginFailure(error: string | number, message: string, details?: object): ApiFailure {
	const body: Record<string, unknown> = { success: false, error, status: 'error' };
	if (details !== undefined) body.details = details;
	body.message = message;
	return new ApiFailure(401, body);
}

/** Unknown user (and any login the server cannot even start): masked as `Unauthorized`. */
function maskedUnauthorized(): ApiFailure {
	return loginFailure('Unauthorized', 'Unauthorized');
}

function loginSuccess(ctx: RouteContext, user: FakeUser, authToken: string): Record<string, unknown> {
	user.lastLogin = ctx.state.now();
	return {
		status: 'success',
		data: {
			userId: user._id,
			authToken,
			me: toRestMe(ctx.state, user),
		},
	};
}

function login(ctx: RouteContext): Record<string, unknown> {
	// 7.6+ answers a form-encoded (or any non-JSON) login with the masked 401
	// (https://github.com/jadolg/rocketchat_API/issues/299: `{"success":false,"error":"Unauthorized",...}`).
	if (ctx.bodyKind !== 'json' || !isPlainObject(ctx.body)) {
		throw maskedUnauthorized();
	}
	const body = ctx.body;
	const { user, username, email, password } = body;

	const passedThrough = password === undefined || password === null || Object.keys(body).some((key) => !LOGIN_KEYS.has(key));
	let lookup: { username: string } | { email: string } | undefined;
	if (!passedThrough) {
		if (typeof user === 'string') lookup = user.includes('@') ? { email: user } : { username: user };
		else if (typeof username === 'string' && username) lookup = { username };
		else if (typeof email === 'string' && email) lookup = { email };
	}

	if (!lookup) {
		// The body goes to Meteor's `login` method unchanged.
		if (typeof body.resume === 'string' && Object.keys(body).length === 1) {
			const owner = ctx.state.findUserByToken(body.resume);
			if (!owner) throw loginFailure(403, "You've been logged out by the server. Please log in again.");
			if (!owner.active) throw loginFailure('error-user-is-not-activated', 'User is not activated', { function: 'Accounts.validateLoginAttempt' });
			return loginSuccess(ctx, owner, body.resume);
		}
		if (password !== undefined && password !== null) throw loginFailure(400, 'Match failed');
		throw loginFailure(400, 'Unrecognized options for login request');
	}

	const isDigest = isPlainObject(password) && typeof password.digest === 'string';
	if (typeof password !== 'string' && !isDigest) throw loginFailure(400, 'Match failed');
	const code = body.code ?? headerValue(ctx.headers, 'x-2fa-code');
	if (code !== undefined && typeof code !== 'string') throw loginFailure(400, 'Match failed');

	const account = 'username' in lookup ? ctx.state.findUserByUsername(lookup.username) : ctx.state.findUserByEmail(lookup.email);
	if (!account) throw maskedUnauthorized();
	if (!account.services.password) throw loginFailure(403, 'User has no password set');
	const secret = typeof password === 'string' ? password : { digest: String((password as Record<string, unknown>).digest) };
	if (!ctx.state.checkPassword(account, secret)) throw loginFailure(403, 'Incorrect password');
	if (!account.active) throw loginFailure('error-user-is-not-activated', 'User is not activated', { function: 'Accounts.validateLoginAttempt' });

	const totp = account.services.totp;
	if (totp?.enabled) {
		if (!code) {
			throw loginFailure('totp-required', 'TOTP Required', { method: 'totp', codeGenerated: false, availableMethods: ['totp'] });
		}
		if (code !== totp.code) {
			throw loginFailure('totp-invalid', 'TOTP Invalid', { method: 'totp' });
		}
	}

	return loginSuccess(ctx, account, ctx.state.createLoginToken(account));
}

function logout(ctx: RouteContext): Record<string, unknown> {
	// The token used for the call is pulled from `services.resume.loginTokens` — a PAT included.
	if (ctx.user && ctx.authToken) ctx.state.removeToken(ctx.user, ctx.authToken);
	return { status: 'success', data: { message: "You've been logged out!" } };
}

export function register(server: FakeRocketChat): void {
	server.route({ method: 'POST', path: 'login', auth: false, handler: login });
	server.route({ method: 'POST', path: 'logout', handler: logout });
	server.route({ method: 'GET', path: 'logout', handler: logout });
	server.route({ method: 'GET', path: 'me', handler: (ctx) => toRestMe(ctx.state, ctx.user as FakeUser) });
}
