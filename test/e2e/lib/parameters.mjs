// Node parameters of the operations the examples and the e2e cases use, in one place.
//
// If a parameter name changes in the node, adjust it here, then run `node test/e2e/build-examples.mjs`
// to rewrite examples/*.json; validate-examples.mjs checks every name against the built node, and
// the e2e cases use the same builders.
import { rl } from './workflows.mjs';

export const params = {
	/**
	 * Message › Send to a room. `threadId` posts the message as a reply in that thread; `attachments`
	 * is a Rocket.Chat attachment list (title, text, color, fields...) as JSON or an expression.
	 */
	messageSend({ room, text, threadId, attachments } = {}) {
		return {
			resource: 'message',
			operation: 'send',
			sendTo: 'room',
			roomId: room,
			text,
			...(attachments !== undefined ? { attachmentsMode: 'json', attachmentsJson: attachments } : {}),
			...(threadId !== undefined ? { options: { tmid: threadId } } : {}),
		};
	},

	/** Message › Get Many of one room, optionally only those sent after `since`. */
	messageGetMany({ room, returnAll = false, limit = 100, since } = {}) {
		return {
			resource: 'message',
			operation: 'getMany',
			roomId: room,
			returnAll,
			...(returnAll ? {} : { limit }),
			...(since !== undefined ? { filters: { oldest: since } } : {}),
		};
	},

	/** Room › Clean History: messages older than a number of days; the dry run only counts them. */
	roomCleanHistory({ room, olderThanDays = 30, dryRun = true } = {}) {
		return {
			resource: 'room',
			operation: 'cleanHistory',
			roomId: room,
			range: 'olderThan',
			olderThan: olderThanDays,
			olderThanUnit: 'days',
			dryRun,
		};
	},

	/** Room › Download File: the file attached to a message, as binary data. */
	roomDownloadFile({ messageId, binaryProperty = 'data' } = {}) {
		return {
			resource: 'room',
			operation: 'downloadFile',
			source: 'message',
			messageId,
			binaryPropertyName: binaryProperty,
		};
	},

	/**
	 * Rocket.Chat Trigger on new messages in selected rooms (`rooms`: room locators; without: All My
	 * Rooms), in realtime (WebSocket) or by polling every `pollSeconds`. Its simplified output item has `id`, `roomId`,
	 * `text`, `user.username`, `threadId` (replies), `files[]`.
	 */
	trigger({ rooms, receiveVia = 'realtime', pollSeconds = 2, textContains, maxInFlight } = {}) {
		return {
			receiveVia,
			...(receiveVia === 'polling' ? { pollInterval: pollSeconds, pollUnit: 'seconds' } : {}),
			...(rooms ? { roomScope: 'selected', rooms: { room: rooms.map((roomId) => ({ roomId })) } } : { roomScope: 'all' }),
			...(textContains !== undefined ? { filters: { textContains } } : {}),
			...(maxInFlight !== undefined ? { options: { maxInFlight } } : {}),
		};
	},
};

/**
 * Node types and `resource.operation`s that examples may use before the built package has them.
 * validate-examples.mjs accepts them with a NOTICE while they are missing, and checks them fully
 * once the built package describes them.
 */
export const pending = {
	nodes: [],
	operations: [],
};

export { rl };
