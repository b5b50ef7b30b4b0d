/**
 * A small JSON-schema validator that answers like the AJV instances Rocket.Chat validates requests with
 * (`@rocket.chat/rest-typings`: body instance `coerceTypes: true`, query instance `coerceTypes: "array"`,
 * `allErrors` off).
 *
 * Reproduced AJV v8 behaviour:
 * - without `allErrors` a schema stops at its first failing keyword; `anyOf`/`oneOf` collect the first
 *   error of every failing branch and then add their own error;
 * - keyword order: type (with coercion) → const, enum, not, anyOf, oneOf, allOf → number, string, array,
 *   object keywords (object: min/maxProperties, required, additionalProperties, properties);
 * - messages are AJV's English defaults (`must have required property 'roomId'`,
 *   `must NOT have additional properties`, `must be string`, `must match a schema in anyOf`, …);
 * - type coercion mutates the validated copy exactly like AJV's `coerceTypes` (a one-element array is
 *   unwrapped for scalar types in "array" mode, a scalar is wrapped for array types).
 *
 * The server joins the messages with "\n " (`ApiClass.ts` / `http-router` `Router.ts`).
 */

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

export interface Schema {
	type?: JsonType | JsonType[];
	nullable?: boolean;
	description?: string;
	// untyped keywords
	const?: unknown;
	enum?: readonly unknown[];
	not?: Schema;
	anyOf?: Schema[];
	oneOf?: Schema[];
	allOf?: Schema[];
	// numbers
	minimum?: number;
	maximum?: number;
	exclusiveMinimum?: number;
	exclusiveMaximum?: number;
	multipleOf?: number;
	// strings
	minLength?: number;
	maxLength?: number;
	pattern?: string;
	format?: 'date-time' | 'date' | 'email' | 'uri';
	// arrays
	items?: Schema;
	minItems?: number;
	maxItems?: number;
	uniqueItems?: boolean;
	// objects
	properties?: Record<string, Schema>;
	required?: string[];
	additionalProperties?: boolean | Schema;
	minProperties?: number;
	maxProperties?: number;
}

export interface ValidationError {
	keyword: string;
	message: string;
	instancePath: string;
	params: Record<string, unknown>;
}

/** `false`: no coercion; `true`: AJV `coerceTypes: true` (bodies); `'array'`: AJV `coerceTypes: "array"` (queries). */
export type CoerceMode = boolean | 'array';

export interface ValidationResult {
	valid: boolean;
	errors: ValidationError[];
	/** The (coerced) data; equal to the input when nothing was coerced. */
	value: unknown;
}

interface NodeResult {
	errors: ValidationError[];
	value: unknown;
}

const NO_COERCION = Symbol('no-coercion');
const COERCIBLE: ReadonlySet<JsonType> = new Set<JsonType>(['string', 'number', 'integer', 'boolean', 'null']);

export function validate(schema: Schema, data: unknown, coerce: CoerceMode = false): ValidationResult {
	const result = validateNode(schema, data, '', coerce);
	return { valid: result.errors.length === 0, errors: result.errors, value: result.value };
}

/** The text the server puts before ` [invalid-params]`: AJV messages joined with "\n ". */
export function joinErrorMessages(errors: ValidationError[]): string {
	return errors.map((error) => error.message).join('\n ');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value);
}

function schemaTypes(schema: Schema): JsonType[] | undefined {
	if (schema.type === undefined) {
		return undefined;
	}
	const types = Array.isArray(schema.type) ? [...schema.type] : [schema.type];
	if (schema.nullable === true && !types.includes('null')) {
		types.push('null');
	}
	return types;
}

function isType(value: unknown, type: JsonType): boolean {
	switch (type) {
		case 'string':
			return typeof value === 'string';
		case 'number':
			// AJV strictNumbers (default true): NaN and Infinity are not numbers
			return typeof value === 'number' && Number.isFinite(value);
		case 'integer':
			return typeof value === 'number' && Number.isFinite(value) && value % 1 === 0;
		case 'boolean':
			return typeof value === 'boolean';
		case 'null':
			return value === null;
		case 'array':
			return Array.isArray(value);
		case 'object':
			return typeof value === 'object' && value !== null && !Array.isArray(value);
	}
}

function isNumericString(value: string): boolean {
	// AJV: `data && data == +data`
	return value !== '' && !Number.isNaN(Number(value));
}

function coerceTo(value: unknown, type: JsonType, mode: CoerceMode): unknown {
	switch (type) {
		case 'string':
			if (typeof value === 'number' || typeof value === 'boolean') return `${value}`;
			if (value === null) return '';
			return NO_COERCION;
		case 'number':
			if (typeof value === 'boolean') return Number(value);
			if (value === null) return 0;
			if (typeof value === 'string' && isNumericString(value)) return Number(value);
			return NO_COERCION;
		case 'integer':
			if (typeof value === 'boolean') return Number(value);
			if (value === null) return 0;
			if (typeof value === 'string' && isNumericString(value) && Number(value) % 1 === 0) return Number(value);
			return NO_COERCION;
		case 'boolean':
			if (value === 'false' || value === 0 || value === null) return false;
			if (value === 'true' || value === 1) return true;
			return NO_COERCION;
		case 'null':
			if (value === '' || value === 0 || value === false) return null;
			return NO_COERCION;
		case 'array':
			if (mode !== 'array') return NO_COERCION;
			if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return [value];
			return NO_COERCION;
		default:
			return NO_COERCION;
	}
}

function coerceValue(value: unknown, types: JsonType[], mode: CoerceMode): unknown {
	const targets = types.filter((type) => COERCIBLE.has(type) || (type === 'array' && mode === 'array'));
	if (targets.length === 0) {
		return NO_COERCION;
	}
	let data = value;
	if (mode === 'array' && Array.isArray(data) && data.length === 1) {
		data = data[0];
		if (types.some((type) => isType(data, type))) {
			return data;
		}
	}
	for (const type of targets) {
		const coerced = coerceTo(data, type, mode);
		if (coerced !== NO_COERCION) {
			return coerced;
		}
	}
	return NO_COERCION;
}

function error(keyword: string, message: string, instancePath: string, params: Record<string, unknown> = {}): NodeResult {
	return { errors: [{ keyword, message, instancePath, params }], value: undefined };
}

function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a) && Array.isArray(b)) {
		return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
	}
	const ao = a as Record<string, unknown>;
	const bo = b as Record<string, unknown>;
	const keys = Object.keys(ao);
	return keys.length === Object.keys(bo).length && keys.every((key) => deepEqual(ao[key], bo[key]));
}

const FORMATS: Record<NonNullable<Schema['format']>, (value: string) => boolean> = {
	'date-time': (value) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)),
	date: (value) => /^\d{4}-\d{2}-\d{2}$/.test(value),
	email: (value) => /^[^\s@]+@[^\s@]+$/.test(value),
	uri: (value) => /^[a-z][a-z0-9+.-]*:/i.test(value),
};

function validateNode(schema: Schema, data: unknown, path: string, coerce: CoerceMode): NodeResult {
	let value = data;

	const types = schemaTypes(schema);
	if (types && !types.some((type) => isType(value, type))) {
		const coerced = coerce ? coerceValue(value, types, coerce) : NO_COERCION;
		if (coerced === NO_COERCION) {
			// AJV's message prints the `type` keyword as written (`nullable` does not show)
			const declared = Array.isArray(schema.type) ? schema.type.join(',') : String(schema.type);
			return error('type', `must be ${declared}`, path, { type: declared });
		}
		value = coerced;
	}

	// keywords that apply to every data type
	if ('const' in schema && !deepEqual(value, schema.const)) {
		return error('const', 'must be equal to constant', path, { allowedValue: schema.const });
	}
	if (schema.enum && !schema.enum.some((allowed) => deepEqual(allowed, value))) {
		return error('enum', 'must be equal to one of the allowed values', path, { allowedValues: schema.enum });
	}
	if (schema.not) {
		const inner = validateNode(schema.not, value, path, coerce);
		if (inner.errors.length === 0) {
			return error('not', 'must NOT be valid', path);
		}
	}
	if (schema.anyOf) {
		const collected: ValidationError[] = [];
		let passed: NodeResult | undefined;
		for (const branch of schema.anyOf) {
			const result = validateNode(branch, value, path, coerce);
			if (result.errors.length === 0) {
				passed = result;
				break;
			}
			collected.push(...result.errors);
		}
		if (!passed) {
			collected.push({ keyword: 'anyOf', message: 'must match a schema in anyOf', instancePath: path, params: {} });
			return { errors: collected, value: undefined };
		}
		value = passed.value;
	}
	if (schema.oneOf) {
		const collected: ValidationError[] = [];
		const passing: number[] = [];
		let first: NodeResult | undefined;
		schema.oneOf.forEach((branch, index) => {
			const result = validateNode(branch, value, path, coerce);
			if (result.errors.length === 0) {
				passing.push(index);
				first ??= result;
			} else {
				collected.push(...result.errors);
			}
		});
		if (passing.length !== 1 || !first) {
			collected.push({
				keyword: 'oneOf',
				message: 'must match exactly one schema in oneOf',
				instancePath: path,
				params: { passingSchemas: passing.length > 1 ? passing : null },
			});
			return { errors: collected, value: undefined };
		}
		value = first.value;
	}
	if (schema.allOf) {
		for (const branch of schema.allOf) {
			const result = validateNode(branch, value, path, coerce);
			if (result.errors.length > 0) {
				return result;
			}
			value = result.value;
		}
	}

	if (typeof value === 'number') {
		if (schema.maximum !== undefined && !(value <= schema.maximum)) {
			return error('maximum', `must be <= ${schema.maximum}`, path, { comparison: '<=', limit: schema.maximum });
		}
		if (schema.minimum !== undefined && !(value >= schema.minimum)) {
			return error('minimum', `must be >= ${schema.minimum}`, path, { comparison: '>=', limit: schema.minimum });
		}
		if (schema.exclusiveMaximum !== undefined && !(value < schema.exclusiveMaximum)) {
			return error('exclusiveMaximum', `must be < ${schema.exclusiveMaximum}`, path, { comparison: '<', limit: schema.exclusiveMaximum });
		}
		if (schema.exclusiveMinimum !== undefined && !(value > schema.exclusiveMinimum)) {
			return error('exclusiveMinimum', `must be > ${schema.exclusiveMinimum}`, path, { comparison: '>', limit: schema.exclusiveMinimum });
		}
		if (schema.multipleOf !== undefined && value % schema.multipleOf !== 0) {
			return error('multipleOf', `must be multiple of ${schema.multipleOf}`, path, { multipleOf: schema.multipleOf });
		}
	}

	if (typeof value === 'string') {
		const length = [...value].length;
		if (schema.maxLength !== undefined && length > schema.maxLength) {
			return error('maxLength', `must NOT have more than ${schema.maxLength} characters`, path, { limit: schema.maxLength });
		}
		if (schema.minLength !== undefined && length < schema.minLength) {
			return error('minLength', `must NOT have fewer than ${schema.minLength} characters`, path, { limit: schema.minLength });
		}
		if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
			return error('pattern', `must match pattern "${schema.pattern}"`, path, { pattern: schema.pattern });
		}
		if (schema.format !== undefined && !FORMATS[schema.format](value)) {
			return error('format', `must match format "${schema.format}"`, path, { format: schema.format });
		}
	}

	if (Array.isArray(value)) {
		if (schema.maxItems !== undefined && value.length > schema.maxItems) {
			return error('maxItems', `must NOT have more than ${schema.maxItems} items`, path, { limit: schema.maxItems });
		}
		if (schema.minItems !== undefined && value.length < schema.minItems) {
			return error('minItems', `must NOT have fewer than ${schema.minItems} items`, path, { limit: schema.minItems });
		}
		if (schema.uniqueItems) {
			for (let i = value.length - 1; i > 0; i--) {
				for (let j = i - 1; j >= 0; j--) {
					if (deepEqual(value[i], value[j])) {
						return error('uniqueItems', `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, path, { i, j });
					}
				}
			}
		}
		if (schema.items) {
			let copy: unknown[] | undefined;
			for (let index = 0; index < value.length; index++) {
				const result = validateNode(schema.items, value[index], `${path}/${index}`, coerce);
				if (result.errors.length > 0) {
					return result;
				}
				if (result.value !== value[index]) {
					copy ??= [...value];
					copy[index] = result.value;
				}
			}
			if (copy) value = copy;
		}
	}

	if (isPlainObject(value)) {
		const object: Record<string, unknown> = value;
		const keys = Object.keys(object);
		if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
			return error('maxProperties', `must NOT have more than ${schema.maxProperties} properties`, path, { limit: schema.maxProperties });
		}
		if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
			return error('minProperties', `must NOT have fewer than ${schema.minProperties} properties`, path, { limit: schema.minProperties });
		}
		for (const property of schema.required ?? []) {
			if (object[property] === undefined) {
				return error('required', `must have required property '${property}'`, path, { missingProperty: property });
			}
		}
		let copy: Record<string, unknown> | undefined;
		const properties = schema.properties ?? {};
		if (schema.additionalProperties !== undefined && schema.additionalProperties !== true) {
			for (const key of keys) {
				if (Object.prototype.hasOwnProperty.call(properties, key)) continue;
				if (schema.additionalProperties === false) {
					return error('additionalProperties', 'must NOT have additional properties', path, { additionalProperty: key });
				}
				const result = validateNode(schema.additionalProperties, object[key], `${path}/${key}`, coerce);
				if (result.errors.length > 0) {
					return result;
				}
				if (result.value !== object[key]) {
					copy ??= { ...object };
					copy[key] = result.value;
				}
			}
		}
		for (const [key, propertySchema] of Object.entries(properties)) {
			if (object[key] === undefined) continue;
			const result = validateNode(propertySchema, object[key], `${path}/${key}`, coerce);
			if (result.errors.length > 0) {
				return result;
			}
			if (result.value !== object[key]) {
				copy ??= { ...object };
				copy[key] = result.value;
			}
		}
		if (copy) value = copy;
	}

	return { errors: [], value };
}
