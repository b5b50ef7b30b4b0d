import { type FakeRocketChat, type Schema, startFakeRocketChat, validate } from '../../fake';
import { call } from './helpers';

const roomIdSchema: Schema = { type: 'object', properties: { roomId: { type: 'string' } }, required: ['roomId'], additionalProperties: false };

describe('fake Rocket.Chat: AJV-like validator', () => {
	it('reports the first missing required property', () => {
		const result = validate({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, required: ['a', 'b'] }, { b: 'x' });
		expect(result.valid).toBe(false);
		expect(result.errors.map((error) => error.message)).toEqual(["must have required property 'a'"]);
	});

	it('checks required before additional properties, like AJV keyword order', () => {
		const result = validate(roomIdSchema, { extra: 1 });
		expect(result.errors.map((error) => error.message)).toEqual(["must have required property 'roomId'"]);
		const extra = validate(roomIdSchema, { roomId: 'x', extra: 1 });
		expect(extra.errors.map((error) => error.message)).toEqual(['must NOT have additional properties']);
		expect(extra.errors[0].params).toEqual({ additionalProperty: 'extra' });
	});

	it('reports type errors with AJV wording', () => {
		const schema: Schema = {
			type: 'object',
			properties: { s: { type: 'string' }, n: { type: 'number' }, b: { type: 'boolean' }, a: { type: 'array' }, o: { type: 'object' } },
		};
		expect(validate(schema, { s: 1 }).errors[0].message).toBe('must be string');
		expect(validate(schema, { n: 'x' }).errors[0].message).toBe('must be number');
		expect(validate(schema, { b: 'yes' }).errors[0].message).toBe('must be boolean');
		expect(validate(schema, { a: 'x' }).errors[0].message).toBe('must be array');
		expect(validate(schema, { o: 'x' }).errors[0].message).toBe('must be object');
		expect(validate({ type: 'string', nullable: true }, 5).errors[0].message).toBe('must be string');
		expect(validate({ type: 'string', nullable: true }, null).valid).toBe(true);
		expect(validate({ type: ['string', 'null'] }, 5).errors[0].message).toBe('must be string,null');
	});

	it('collects one error per anyOf branch, then the anyOf error', () => {
		const schema: Schema = {
			anyOf: [
				{ type: 'object', properties: { rid: { type: 'string' } }, required: ['rid'], additionalProperties: false },
				{ type: 'object', properties: { roomId: { type: 'string' } }, required: ['roomId'], additionalProperties: false },
			],
		};
		expect(validate(schema, {}).errors.map((error) => error.message)).toEqual([
			"must have required property 'rid'",
			"must have required property 'roomId'",
			'must match a schema in anyOf',
		]);
		expect(validate(schema, { roomId: 'x' }).valid).toBe(true);
	});

	it('fails oneOf when several branches match', () => {
		const schema: Schema = { oneOf: [{ type: 'object', required: ['a'] }, { type: 'object', required: ['b'] }] };
		expect(validate(schema, { a: 1 }).valid).toBe(true);
		expect(validate(schema, { a: 1, b: 1 }).errors.map((error) => error.message)).toEqual(['must match exactly one schema in oneOf']);
		expect(validate(schema, {}).errors.map((error) => error.message)).toEqual([
			"must have required property 'a'",
			"must have required property 'b'",
			'must match exactly one schema in oneOf',
		]);
	});

	it('coerces query strings like coerceTypes "array"', () => {
		const schema: Schema = {
			type: 'object',
			properties: { flag: { type: 'boolean' }, count: { type: 'number' }, types: { type: 'array', items: { type: 'string' } }, id: { type: 'string' } },
		};
		const result = validate(schema, { flag: 'true', count: '25', types: 'c', id: ['only'] }, 'array');
		expect(result.valid).toBe(true);
		expect(result.value).toEqual({ flag: true, count: 25, types: ['c'], id: 'only' });
		expect(validate(schema, { flag: 'yes' }, 'array').errors[0].message).toBe('must be boolean');
		expect(validate(schema, { count: '12abc' }, 'array').errors[0].message).toBe('must be number');
		expect(validate(schema, { id: ['a', 'b'] }, 'array').errors[0].message).toBe('must be string');
	});

	it('does not wrap scalars into arrays for bodies (coerceTypes true)', () => {
		const schema: Schema = { type: 'object', properties: { users: { type: 'array' }, n: { type: 'integer' } } };
		expect(validate(schema, { users: 'alice' }, true).errors[0].message).toBe('must be array');
		expect(validate(schema, { n: '3' }, true).value).toEqual({ n: 3 });
		expect(validate(schema, { n: '3.5' }, true).errors[0].message).toBe('must be integer');
	});

	it('does not mutate its input', () => {
		const input = { flag: 'true' };
		validate({ type: 'object', properties: { flag: { type: 'boolean' } } }, input, true);
		expect(input.flag).toBe('true');
	});
});

describe('fake Rocket.Chat: invalid-params answers', () => {
	let rc: FakeRocketChat;

	beforeAll(async () => {
		rc = await startFakeRocketChat({ rateLimit: { enabled: false } });
		rc.route({ method: 'POST', path: 'test.legacyBody', body: roomIdSchema, handler: (ctx) => ({ got: ctx.body }) });
		rc.route({ method: 'GET', path: 'test.legacyQuery', query: roomIdSchema, handler: (ctx) => ({ got: ctx.query }) });
	});

	afterAll(async () => {
		await rc.stop();
	});

	it('legacy routes: messages + " [invalid-params]", errorType invalid-params', async () => {
		const missing = await call(rc, 'POST', 'test.legacyBody', { as: rc.fixtures.bot, json: {} });
		expect(missing.status).toBe(400);
		expect(missing.text).toBe(JSON.stringify({ success: false, error: "must have required property 'roomId' [invalid-params]", errorType: 'invalid-params' }));
		const unknown = await call(rc, 'POST', 'test.legacyBody', { as: rc.fixtures.bot, json: { roomId: 'GENERAL', foo: 'bar' } });
		expect(unknown.json).toEqual({ success: false, error: 'must NOT have additional properties [invalid-params]', errorType: 'invalid-params' });
		const query = await call(rc, 'GET', 'test.legacyQuery', { as: rc.fixtures.bot, query: 'roomId=GENERAL&fields=%7B%7D' });
		expect(query.json).toEqual({ success: false, error: 'must NOT have additional properties [invalid-params]', errorType: 'invalid-params' });
	});

	it('legacy routes: valid input reaches the handler coerced', async () => {
		const ok = await call(rc, 'GET', 'test.legacyQuery', { as: rc.fixtures.bot, query: 'roomId[]=GENERAL' });
		expect(ok.status).toBe(200);
		expect(ok.json).toEqual({ got: { roomId: 'GENERAL' }, success: true });
	});

	it('typed GET routes (subscriptions.getOne): errorType error-invalid-params, no suffix', async () => {
		const missing = await call(rc, 'GET', 'subscriptions.getOne', { as: rc.fixtures.bot });
		expect(missing.status).toBe(400);
		expect(missing.text).toBe(JSON.stringify({ success: false, errorType: 'error-invalid-params', error: "must have required property 'roomId'" }));
		const unknown = await call(rc, 'GET', 'subscriptions.getOne', { as: rc.fixtures.bot, query: 'roomId=GENERAL&count=5' });
		expect(unknown.json).toEqual({ success: false, errorType: 'error-invalid-params', error: 'must NOT have additional properties' });
	});

	it('typed POST routes (subscriptions.read): anyOf messages joined with "\\n "', async () => {
		const res = await call(rc, 'POST', 'subscriptions.read', { as: rc.fixtures.bot, json: { room: 'GENERAL' } });
		expect(res.status).toBe(400);
		expect(res.json).toEqual({
			success: false,
			errorType: 'invalid-params',
			error: "must have required property 'rid'\n must have required property 'roomId'\n must match a schema in anyOf",
		});
		const wrongType = await call(rc, 'POST', 'subscriptions.read', { as: rc.fixtures.bot, json: { rid: 'GENERAL', readThreads: 'maybe' } });
		expect(wrongType.json.error).toBe("must be boolean\n must have required property 'roomId'\n must match a schema in anyOf");
	});

	it('users.info: one of userId/username/importId/email/freeSwitchExtension', async () => {
		const res = await call(rc, 'GET', 'users.info', { as: rc.fixtures.bot, query: 'fields=%7B%7D' });
		expect(res.status).toBe(400);
		expect(res.json.error).toBe(
			[
				"must have required property 'userId'",
				"must have required property 'username'",
				"must have required property 'importId'",
				"must have required property 'email'",
				"must have required property 'freeSwitchExtension'",
				'must match a schema in anyOf',
			].join('\n '),
		);
	});

	it('authenticates before validating', async () => {
		const res = await call(rc, 'GET', 'subscriptions.getOne');
		expect(res.status).toBe(401);
	});
});
