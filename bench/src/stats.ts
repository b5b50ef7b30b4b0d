/** Small statistics helpers. */

export function median(values: number[]): number {
	return percentile(values, 50);
}

/** Linear interpolation between the closest ranks (the method of numpy's default `percentile`). */
export function percentile(values: number[], p: number): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = (p / 100) * (sorted.length - 1);
	const low = Math.floor(rank);
	const high = Math.ceil(rank);
	return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function round(value: number, digits = 2): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

/** Progress on stderr (stdout carries the result). */
export function log(message: string): void {
	process.stderr.write(`  ${message}\n`);
}
