import type { IDataObject } from 'n8n-workflow';

import { pick } from '../../../shared/descriptions';
import { roomTypeName } from '../../../shared/roomTypes';

/** Fields kept by Simplify: what a workflow needs to route on unread state. */
export const SUBSCRIPTION_SIMPLE_FIELDS = [
	'_id',
	'rid',
	'name',
	'fname',
	't',
	'open',
	'alert',
	'unread',
	'userMentions',
	'groupMentions',
	'tunread',
	'f',
	'archived',
	'roles',
	'ls',
	'lr',
	'ts',
	'_updatedAt',
] as const;

export function simplifySubscription(subscription: IDataObject): IDataObject {
	const out = pick(subscription, SUBSCRIPTION_SIMPLE_FIELDS);
	if (typeof subscription.t === 'string') out.roomType = roomTypeName(subscription.t);
	if (Array.isArray(subscription.tunread)) out.tunread = subscription.tunread.length;
	return out;
}
