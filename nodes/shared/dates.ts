import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A date-time parameter as the ISO string Rocket.Chat's date parameters read (`updatedSince`, `oldest`,
 * `latest`, …). Empty gives undefined; anything that is not a date is refused before any request.
 */
export function toIsoDate(
	this: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const date = value instanceof Date ? value : new Date(String(value));
	if (Number.isNaN(date.getTime())) {
		throw new NodeOperationError(this.getNode(), `"${String(value)}" in "${label}" is not a date`, {
			itemIndex,
			description: `${label} needs a date and time, e.g. 2024-05-01T12:00:00Z or {{ $now.minus(30, "days") }}`,
		});
	}
	return date.toISOString();
}

/** A Rocket.Chat time (ISO string, `Date`, epoch ms or EJSON `{$date}`) as epoch ms; undefined if none. */
export function toMillis(value: unknown): number | undefined {
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value) {
		const time = Date.parse(value);
		return Number.isNaN(time) ? undefined : time;
	}
	if (value && typeof value === 'object' && typeof (value as { $date?: unknown }).$date === 'number') {
		return (value as { $date: number }).$date;
	}
	return undefined;
}
