import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection, returnAllOrLimit, roomLocator } from '../../../shared/descriptions';
import { listAll, readListOptions } from '../../../shared/lists';
import { resolveRoom } from '../../../shared/rooms';
import { allMembers, showFor, typePrefix } from './common';

const show = showFor('getMembers');

const properties: INodeProperties[] = [
	roomLocator({ description: 'The room whose members to list' }),
	...returnAllOrLimit(show),
	optionsCollection([
		{
			displayName: 'Name Contains',
			name: 'filter',
			type: 'string',
			default: '',
			description: 'Only members whose username or name contains this text',
		},
		{
			displayName: 'Order by Role',
			name: 'orderByRole',
			type: 'boolean',
			default: false,
			description:
				'Whether to list owners, then moderators, then the others, each with their room roles (channels and groups, Rocket.Chat 7.3 and later)',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'multiOptions',
			default: [],
			options: [
				{ name: 'Away', value: 'away' },
				{ name: 'Busy', value: 'busy' },
				{ name: 'Offline', value: 'offline' },
				{ name: 'Online', value: 'online' },
			],
			description: 'Only members with one of these statuses. Empty: all.',
		},
	]),
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { limit } = readListOptions.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	const status = (options.status as string[] | undefined) ?? [];
	if (status.length) qs.status = status;
	if (typeof options.filter === 'string' && options.filter.trim()) qs.filter = options.filter.trim();

	const room = await resolveRoom.call(this, itemIndex);
	if (options.orderByRole === true) {
		typePrefix.call(this, room, itemIndex, { allowDirect: false, action: 'Ordering members by role' });
		return await listAll.call(
			this,
			{
				endpoint: 'rooms.membersOrderedByRole',
				qs: { roomId: room._id, ...qs },
				itemIndex,
				hints: {
					permission: 'view-broadcast-member-list',
					notFound:
						'Ordering members by role needs Rocket.Chat 7.3 or later (rooms.membersOrderedByRole). Turn off "Order by Role" on older servers.',
				},
			},
			'members',
			limit,
		);
	}
	return await allMembers.call(this, room, itemIndex, { qs, limit });
}
