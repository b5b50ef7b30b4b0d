// Small assertions with readable messages for the e2e cases.
import { isDeepStrictEqual } from 'node:util';

import { AssertionFailure } from './steps.mjs';

const show = (value) => {
	const text = JSON.stringify(value);
	if (text === undefined) return String(value);
	return text.length > 400 ? `${text.slice(0, 397)}...` : text;
};

export function ok(condition, message) {
	if (!condition) throw new AssertionFailure(message);
}

export function equal(actual, expected, what = 'value') {
	if (!isDeepStrictEqual(actual, expected)) {
		throw new AssertionFailure(`${what}: expected ${show(expected)}, got ${show(actual)}`);
	}
}

/** Every key of `partial` is present in `actual` with an equal (recursively partial) value. */
export function matches(actual, partial, what = 'value', path = '') {
	if (partial instanceof RegExp) {
		if (!partial.test(String(actual))) throw new AssertionFailure(`${what}${path}: ${show(actual)} does not match ${partial}`);
		return;
	}
	if (partial !== null && typeof partial === 'object' && !Array.isArray(partial)) {
		if (actual === null || typeof actual !== 'object') {
			throw new AssertionFailure(`${what}${path}: expected an object like ${show(partial)}, got ${show(actual)}`);
		}
		for (const [key, value] of Object.entries(partial)) matches(actual[key], value, what, `${path}.${key}`);
		return;
	}
	if (!isDeepStrictEqual(actual, partial)) {
		throw new AssertionFailure(`${what}${path}: expected ${show(partial)}, got ${show(actual)}`);
	}
}

/** Returns the first element matching `predicate`, failing with `message` (and the list) if none does. */
export function findOne(list, predicate, message) {
	const found = list.find(predicate);
	if (found === undefined) throw new AssertionFailure(`${message} (among ${list.length}: ${show(list)})`);
	return found;
}

export { AssertionFailure };
