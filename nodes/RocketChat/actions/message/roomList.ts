import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { roomLocator } from '../../../shared/descriptions';
import { listAll, listParameters, readListOptions } from '../../../shared/lists';
import { resolveRoomId } from '../../../shared/rooms';
import { outputMessages, showFor } from './common';

/** Description and execute of an offset/count message list of one room (`chat.get*Messages?roomId=`). */
export function roomMessageList(operation: string, endpoint: string, roomDescription: string) {
	const show = showFor(operation);
	const properties: INodeProperties[] = [roomLocator({ description: roomDescription }), ...listParameters(show)];
	return {
		description: updateDisplayOptions({ show }, properties),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
			const { limit, simplify } = readListOptions.call(this, itemIndex);
			const roomId = await resolveRoomId.call(this, itemIndex, 'roomId');
			const messages = await listAll.call(
				this,
				{
					endpoint,
					qs: { roomId },
					itemIndex,
					hints: {
						byErrorType: {
							'error-not-allowed': 'The user of these credentials cannot access this room: join it first, or pick a room from the list.',
						},
					},
				},
				'messages',
				limit,
			);
			return outputMessages(messages, simplify);
		},
	};
}
