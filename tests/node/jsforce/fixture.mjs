// Shared setup of the jsforce conformance tests: the org definition they run against, its
// credentials, and a started local org per test file.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsforce from 'jsforce';
import { startLocalOrg } from '../support/local-org.mjs';

export { jsforce };

export const ORG_DEF = path.join(path.dirname(fileURLToPath(import.meta.url)), 'org-def.json');
export const VERSION = '60.0';
export const CLIENT_ID = '3MVG9jsforce.key';
export const CLIENT_SECRET = 'jsforce-secret';
export const ADMIN = 'admin@acme.test';
export const ADMIN_PASSWORD = 'Passw0rd!TOKEN123'; // password + security token

export const INVALID_LOGIN =
  'INVALID_LOGIN: Invalid username, password, security token; or user locked out.';

/** Starts a local org for one test file. */
export function startOrg() {
  return startLocalOrg({ orgDef: ORG_DEF });
}

/** A connection logged in with the OAuth 2.0 username-password flow. */
export async function oauthConnection(org, { version = VERSION } = {}) {
  const conn = new jsforce.Connection({
    oauth2: { loginUrl: org.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    version,
  });
  await conn.login(ADMIN, ADMIN_PASSWORD);
  return conn;
}

/** Resolves to the error a promise rejects with (fails when it resolves). */
export async function rejection(promise) {
  try {
    const value = await promise;
    throw Object.assign(new Error(`expected a rejection, got ${JSON.stringify(value)}`), {
      resolvedInstead: true,
    });
  } catch (e) {
    if (e.resolvedInstead) throw e;
    return e;
  }
}
