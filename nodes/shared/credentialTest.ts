import type { IAuthenticateRuleResponseCode, IAuthenticateRuleResponseSuccessBody } from 'n8n-workflow';

import { HINTS } from './errors';

/**
 * How n8n's credential test reports `GET /api/v1/me`, in the words the node uses for the same answers
 * (nodes/shared/errors.ts).
 *
 * n8n 2.41's tester (packages/cli/src/services/credentials-tester.service.ts) uses the message of the
 * first `responseCode` rule whose value equals the HTTP status of a failed request, else the bare
 * status text ("Unauthorized"); after a 2xx answer, the message of the first `responseSuccessBody` rule
 * whose `key` in the body equals `value`. A request without any answer (refused connection, unknown
 * host, bad URL) is reported with the bare error code before any rule is read, so it cannot be worded here.
 */
const byStatus: IAuthenticateRuleResponseCode[] = [
	{
		type: 'responseCode',
		properties: { value: 401, message: `Rocket.Chat refused these credentials (401). ${HINTS.credentials}` },
	},
	{
		type: 'responseCode',
		properties: {
			value: 403,
			message: `Rocket.Chat refused access (403). ${HINTS.forbidden} A proxy in front of Rocket.Chat may also block /api/v1.`,
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 404,
			message:
				'Nothing at this Server URL answers /api/v1/me (404): it does not point to Rocket.Chat. Use the address you open Rocket.Chat with in the browser (not the address of n8n), including a path prefix if Rocket.Chat has one.',
		},
	},
	...[502, 503, 504].map(
		(value): IAuthenticateRuleResponseCode => ({
			type: 'responseCode',
			properties: { value, message: `A proxy or the server at this Server URL answered ${value} instead of Rocket.Chat. ${HINTS.webPage}` },
		}),
	),
];

/**
 * Every successful Rocket.Chat REST answer carries `success: true` (`success()` in
 * apps/meteor/app/api/server/ApiClass.ts). A 2xx answer without it is a web page or another service's
 * JSON: the Server URL points elsewhere. (The body of a web page is a string, whose `success` is
 * undefined as well.)
 */
const notRocketChat: IAuthenticateRuleResponseSuccessBody = {
	type: 'responseSuccessBody',
	properties: {
		key: 'success',
		value: undefined,
		message:
			"The Server URL answered, but not with Rocket.Chat's API: /api/v1/me gave a web page or other data. Use the address you open Rocket.Chat with in the browser. " +
			HINTS.webPage,
	},
};

/** The rules of the credential test. n8n reads both kinds from one list; its type allows one kind per list. */
export const credentialTestRules = [...byStatus, notRocketChat] as unknown as IAuthenticateRuleResponseCode[];
