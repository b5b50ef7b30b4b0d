/**
 * `subscriptions.get`, `subscriptions.getOne`, `subscriptions.read`, `subscriptions.unread`.
 *
 * Source: `apps/meteor/server/api/v1/subscriptions.ts` @4f0f6711 — typed routes (`API.v1.get/post` with
 * rest-typings `isSubscriptions*Props` validators, so schema failures come from `@rocket.chat/http-router`),
 * `publications/subscription.ts` `getSubscriptions` (`update` = `_updatedAt > updatedSince`, `remove` from
 * the subscription trash), `lib/messaging/unread/unreadMessages.ts`; parameters as in OpenAPI `rooms.yaml`.
 */
import { apiFailure, meteorError } from '../errors';
import type { FakeRocketChat, RouteContext } from '../server';
import { type FakeUser, toRestSubscription } from '../state';
import type { Schema } from '../validation';

const getSchema: Schema = {
	type: 'object',
	properties: { updatedSince: { type: 'string' } },
	additionalProperties: false,
};

const getOneSchema: Schema = {
	type: 'object',
	properties: { roomId: { type: 'string' } },
	required: ['roomId'],
	additionalProperties: false,
};

const readSchema: Schema = {
	anyOf: [
		{ type: 'object', properties: { rid: { type: 'string' }, readThreads: { type: 'boolean', nullable: true } }, required: ['rid'], additionalProperties: false },
		{ type: 'object', properties: { roomId: { type: 'string' }, readThreads: { type: 'boolean', nullable: true } }, required: ['roomId'], additionalProperties: false },
	],
};

const unreadSchema: Schema = {
	anyOf: [
		{ type: 'object', properties: { roomId: { type: 'string' } }, required: ['roomId'], additionalProperties: false },
		{
			type: 'object',
			properties: {
				firstUnreadMessage: { type: 'object', properties: { _id: { type: 'string' } }, required: ['_id'], additionalProperties: false },
			},
			required: ['firstUnreadMessage'],
			additionalProperties: false,
		},
	],
};

function me(ctx: RouteContext): FakeUser {
	return ctx.user as FakeUser;
}

function subscriptionsGet(ctx: RouteContext): Record<string, unknown> {
	const { updatedSince } = ctx.query as { updatedSince?: string };
	const subscriptions = ctx.state.subscriptionsOfUser(me(ctx)._id);
	if (!updatedSince) {
		return { update: subscriptions.map(toRestSubscription), remove: [] };
	}
	if (Number.isNaN(Date.parse(updatedSince))) {
		throw meteorError('error-roomId-param-invalid', 'The "lastUpdate" query parameter must be a valid date.');
	}
	const since = new Date(updatedSince).getTime();
	return {
		update: subscriptions.filter((subscription) => subscription._updatedAt.getTime() > since).map(toRestSubscription),
		remove: ctx.state.subscriptionTrash
			.filter((entry) => entry.userId === me(ctx)._id && entry._deletedAt.getTime() > since)
			.map((entry) => ({ _id: entry._id, _deletedAt: entry._deletedAt })),
	};
}

function subscriptionsGetOne(ctx: RouteContext): Record<string, unknown> {
	const { roomId } = ctx.query as { roomId: string };
	if (!roomId) throw apiFailure("The 'roomId' param is required");
	const subscription = ctx.state.getSubscription(roomId, me(ctx)._id);
	return { subscription: subscription ? toRestSubscription(subscription) : null };
}

function subscriptionsRead(ctx: RouteContext): undefined {
	const body = ctx.body as { rid?: string; roomId?: string; readThreads?: boolean | null };
	const roomId = 'rid' in body ? body.rid : body.roomId;
	const room = roomId ? ctx.state.rooms.get(roomId) : undefined;
	// The route throws a plain `Error('error-invalid-subscription')` (no Meteor error code), so the answer
	// is `{success:false, error:'error-invalid-subscription'}`; `readMessages` does the same without a subscription.
	if (!room || !ctx.state.markRead(room._id, me(ctx)._id, body.readThreads === true)) {
		throw apiFailure('error-invalid-subscription');
	}
	return undefined;
}

function subscriptionsUnread(ctx: RouteContext): undefined {
	const body = ctx.body as { roomId?: string; firstUnreadMessage?: { _id: string } };
	const user = me(ctx);
	const notAllowed = () => meteorError('error-action-not-allowed', 'Not allowed', { method: 'unreadMessages', action: 'Unread_messages' });
	if (typeof body.roomId === 'string') {
		const messages = ctx.state.messagesOf(body.roomId).filter((message) => !message._hidden);
		const last = messages[messages.length - 1];
		// `unreadMessages`: a room without messages.
		if (!last) throw meteorError('error-no-message-for-unread', 'There are no messages to mark unread', { method: 'unreadMessages', action: 'Unread_messages' });
		ctx.state.markUnreadFrom(last.rid, user._id, last.ts);
		return undefined;
	}
	const message = body.firstUnreadMessage ? ctx.state.getMessage(body.firstUnreadMessage._id) : undefined;
	if (!message || message.u._id === user._id) throw notAllowed();
	const subscription = ctx.state.getSubscription(message.rid, user._id);
	if (!subscription?.ls) {
		throw meteorError('error-subscription-not-found', 'Subscription not found', { method: 'unreadMessages', action: 'Unread_messages' });
	}
	ctx.state.markUnreadFrom(message.rid, user._id, message.ts);
	return undefined;
}

export function register(server: FakeRocketChat): void {
	server.route({ method: 'GET', path: 'subscriptions.get', validationStyle: 'typed', query: getSchema, handler: subscriptionsGet });
	server.route({ method: 'GET', path: 'subscriptions.getOne', validationStyle: 'typed', query: getOneSchema, handler: subscriptionsGetOne });
	server.route({ method: 'POST', path: 'subscriptions.read', validationStyle: 'typed', body: readSchema, handler: subscriptionsRead });
	server.route({ method: 'POST', path: 'subscriptions.unread', validationStyle: 'typed', body: unreadSchema, handler: subscriptionsUnread });
}
