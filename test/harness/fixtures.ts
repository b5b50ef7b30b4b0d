import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { FakeRocketChat, FixtureUser } from '../fake';

/** Personal-access-token credentials for a fixture user of the fake server. */
export function patCredentials(fake: FakeRocketChat, user: FixtureUser, domain = fake.url): ICredentialDataDecryptedObject {
	return {
		domain,
		authentication: 'accessToken',
		userId: user.userId,
		token: user.pat,
		sessionToken: '',
		sessionUserId: '',
		ignoreSslIssues: false,
	};
}

/** Username/password credentials; the session token starts empty as in a new n8n credential. */
export function passwordCredentials(fake: FakeRocketChat, user: FixtureUser): ICredentialDataDecryptedObject {
	return {
		domain: `${fake.url}/`,
		authentication: 'password',
		username: user.username,
		password: user.password,
		sessionToken: '',
		sessionUserId: '',
		ignoreSslIssues: false,
	};
}
