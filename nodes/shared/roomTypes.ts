/**
 * The one table of Rocket.Chat's room types (the `t` of a room or subscription): what the node shows for
 * each, the REST family that serves it and the path of the web app. Every map or option list of room types
 * is read from here.
 */
export interface RoomTypeInfo {
	/** Name in option lists, e.g. "Private Group". */
	label: string;
	/** Description of the option where the type is chosen to create a room. */
	description?: string;
	/** `roomType` of the outputs, e.g. `private`. */
	name: string;
	/** The per-type REST family (`channels.*`, `groups.*`, `dm.*`); omnichannel and VoIP rooms have none. */
	prefix?: string;
	/** The web app's path of a room, e.g. `/group/<name>`. */
	path?: string;
}

export const ROOM_TYPES: Readonly<Record<string, RoomTypeInfo>> = {
	c: {
		label: 'Channel',
		description: 'A public channel anyone in the workspace can find and join',
		name: 'channel',
		prefix: 'channels',
		path: 'channel',
	},
	p: {
		label: 'Private Group',
		description: 'A private room only invited members see',
		name: 'private',
		prefix: 'groups',
		path: 'group',
	},
	d: {
		label: 'Direct Message',
		description: 'A direct conversation with one or more users',
		name: 'direct',
		prefix: 'dm',
		path: 'direct',
	},
	l: { label: 'Omnichannel', name: 'livechat' },
	v: { label: 'VoIP', name: 'voip' },
};

/** The table's entry of a type, if it has one (never one of Object's own properties). */
export function roomType(t: unknown): RoomTypeInfo | undefined {
	const code = String(t);
	return Object.prototype.hasOwnProperty.call(ROOM_TYPES, code) ? ROOM_TYPES[code] : undefined;
}

/** `roomType` of an output: the type's name, or the code itself for a type the table does not know. */
export function roomTypeName<T>(t: T): string | T {
	return roomType(t)?.name ?? t;
}

/** The REST family of a type (`channels`, `groups`, `dm`), if it has one. */
export function roomTypePrefix(t: unknown): string | undefined {
	return roomType(t)?.prefix;
}

/** The web app's path of a type (`channel`, `group`, `direct`), if it has one. */
export function roomTypePath(t: unknown): string | undefined {
	return roomType(t)?.path;
}

/** The types with a REST family of their own (channels, private groups, direct messages), in table order. */
export const MESSAGE_ROOM_TYPES: readonly string[] = Object.keys(ROOM_TYPES).filter((code) => ROOM_TYPES[code].prefix);

/** One option of a room-type list: the type's label and code. */
export function roomTypeOption(code: string): { name: string; value: string } {
	return { name: ROOM_TYPES[code].label, value: code };
}

/** An option list of these room types, in the order given (with `describe`, each with its description). */
export function roomTypeOptions(codes: readonly string[], describe = false): Array<{ name: string; value: string; description?: string }> {
	return codes.map((code) =>
		describe ? { ...roomTypeOption(code), description: ROOM_TYPES[code].description } : roomTypeOption(code),
	);
}
