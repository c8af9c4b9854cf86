// jsforce 3.10.16 against a local org: OAuth 2.0 username-password and SOAP login, login with an
// existing access token, identity, logout/revoke, and the exact errors jsforce reports.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, jsforce, startOrg, oauthConnection, rejection, VERSION, CLIENT_ID, CLIENT_SECRET, ADMIN,
  ADMIN_PASSWORD, INVALID_LOGIN,
} from './fixture.mjs';

let org;
before(async () => {
  org = await startOrg();
});
after(async () => {
  await org?.stop();
});

const ID18 = /^[a-zA-Z0-9]{18}$/;

test('OAuth 2.0 username-password login establishes the session', async () => {
  const conn = await oauthConnection(org);
  assert.equal(conn.instanceUrl, org.url);
  assert.match(conn.accessToken, /^00D[a-zA-Z0-9]{12}!AQ[a-zA-Z0-9._]{94}$/);
  assert.match(conn.userInfo.id, ID18);
  assert.ok(conn.userInfo.id.startsWith('005'));
  assert.ok(conn.userInfo.organizationId.startsWith('00D'));
  assert.equal(conn.userInfo.url, `${org.url}/id/${conn.userInfo.organizationId}/${conn.userInfo.id}`);
  assert.equal(conn.refreshToken, undefined, 'the password flow issues no refresh token');
  const global = await conn.describeGlobal();
  assert.ok(global.sobjects.some((s) => s.name === 'Account'));
});

test('OAuth 2.0 errors carry the token endpoint error as the name', async () => {
  const conn = new jsforce.Connection({
    oauth2: { loginUrl: org.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    version: VERSION,
  });
  let e = await rejection(conn.login('wrong@acme.test', 'not-the-password'));
  assert.equal(e.name, 'invalid_grant');
  assert.equal(e.message, 'authentication failure');
  e = await rejection(conn.login('inactive@acme.test', 'Gone-passw0rd'));
  assert.equal(e.name, 'invalid_grant');
  assert.equal(e.message, 'inactive user');
  const badSecret = new jsforce.Connection({
    oauth2: { loginUrl: org.url, clientId: CLIENT_ID, clientSecret: 'nope' },
    version: VERSION,
  });
  e = await rejection(badSecret.login(ADMIN, ADMIN_PASSWORD));
  assert.equal(e.name, 'invalid_client');
  assert.equal(e.message, 'invalid client credentials');
  const badClient = new jsforce.Connection({
    oauth2: { loginUrl: org.url, clientId: 'nope', clientSecret: CLIENT_SECRET },
    version: VERSION,
  });
  e = await rejection(badClient.login(ADMIN, ADMIN_PASSWORD));
  assert.equal(e.name, 'invalid_client_id');
  assert.equal(e.message, 'client identifier invalid');
});

test('OAuth 2.0 refresh with an unknown refresh token', async () => {
  const oauth2 = new jsforce.OAuth2({ loginUrl: org.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  const e = await rejection(oauth2.refreshToken('5Aep861unknown'));
  assert.equal(e.name, 'invalid_grant');
  assert.equal(e.message, 'expired access/refresh token');
});

/**
 * The browser part of the web-server flow without a browser: open the authorize URL jsforce
 * built, then post the login form the local org shows (password alone: a browser login needs no
 * security token) with the page's anti-forgery token (hidden field + cookie), and read the code
 * from the redirect.
 */
async function browserLogin(authorizeUrl) {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<form method="POST" action="\/services\/oauth2\/authorize">/);
  // What a browser carries back: the page's anti-forgery field and its cookie.
  const token = html.match(/name="sfkit_csrf" value="([^"]+)"/)[1];
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const form = new URLSearchParams(new URL(authorizeUrl).searchParams);
  form.set('sfkit_login', '1');
  form.set('sfkit_csrf', token);
  form.set('username', ADMIN);
  form.set('password', 'Passw0rd!');
  const res = await fetch(`${org.url}/services/oauth2/authorize`, {
    method: 'POST', body: form, redirect: 'manual', headers: { cookie },
  });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location'));
  assert.equal(`${location.origin}${location.pathname}`, 'http://localhost:1717/OauthRedirect');
  assert.equal(location.searchParams.get('state'), 'st8');
  return location.searchParams.get('code');
}

test('OAuth 2.0 web server flow: requestToken(code) with PKCE, then refreshToken()', async () => {
  const oauth2 = new jsforce.OAuth2({
    loginUrl: org.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET,
    redirectUri: 'http://localhost:1717/OauthRedirect', useVerifier: true,
  });
  const code = await browserLogin(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'st8' }));
  assert.match(code, /^aPrx[A-Za-z0-9+/]+==$/);
  const token = await oauth2.requestToken(code);
  assert.equal(token.scope, 'api refresh_token');
  assert.match(token.refresh_token, /^5Aep/);
  assert.equal(token.instance_url, org.url);
  // The code is single use.
  const reused = await rejection(oauth2.requestToken(code));
  assert.equal(reused.name, 'invalid_grant');
  assert.equal(reused.message, 'expired authorization code');

  const conn = new jsforce.Connection({ oauth2, instanceUrl: token.instance_url, accessToken: token.access_token, version: VERSION });
  const result = await conn.query('SELECT Id FROM User');
  assert.ok(result.totalSize >= 1);

  const refreshed = await oauth2.refreshToken(token.refresh_token);
  assert.notEqual(refreshed.access_token, token.access_token);
  assert.equal(refreshed.refresh_token, undefined, 'no rotation');
  assert.equal(refreshed.scope, 'api refresh_token');

  // Revoking the refresh token ends it (and its access tokens).
  await oauth2.revokeToken(token.refresh_token);
  const e = await rejection(oauth2.refreshToken(token.refresh_token));
  assert.equal(e.name, 'invalid_grant');
  assert.equal(e.message, 'expired access/refresh token');
  const stale = new jsforce.Connection({ instanceUrl: token.instance_url, accessToken: refreshed.access_token, version: VERSION });
  const dead = await rejection(stale.query('SELECT Id FROM User'));
  assert.equal(dead.errorCode, 'INVALID_SESSION_ID');
});

test('client credentials flow through jsforce OAuth2', async () => {
  // jsforce 3 has no client-credentials helper: request the token through its transport.
  const conn = new jsforce.Connection({ instanceUrl: org.url, version: VERSION });
  const token = await conn.request({
    method: 'POST',
    url: `${org.url}/services/oauth2/token`,
    body: new URLSearchParams({
      grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET,
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(token.token_type, 'Bearer');
  assert.equal(token.scope, 'api id', 'client credentials never grant web or refresh_token');
  const cc = new jsforce.Connection({ instanceUrl: token.instance_url, accessToken: token.access_token, version: VERSION });
  const identity = await cc.identity();
  assert.equal(identity.username, ADMIN);
});

test('SOAP login (partner) gives a session usable for REST and identity', async () => {
  const conn = new jsforce.Connection({ loginUrl: org.url, version: VERSION });
  const userInfo = await conn.login(ADMIN, ADMIN_PASSWORD);
  assert.match(userInfo.id, ID18);
  assert.match(userInfo.organizationId, ID18);
  assert.equal(conn.instanceUrl, org.url);
  assert.match(conn.accessToken, /^00D[a-zA-Z0-9]{12}!/);
  const identity = await conn.identity();
  assert.equal(identity.user_id, userInfo.id);
  assert.equal(identity.organization_id, userInfo.organizationId);
  assert.equal(identity.username, ADMIN);
  const account = await conn.describe('Account');
  assert.equal(account.name, 'Account');
  const { accessToken } = conn;
  await conn.logout(); // SOAP logout() with the session header
  assert.equal(conn.accessToken, null);
  const stale = new jsforce.Connection({ instanceUrl: org.url, accessToken, version: VERSION });
  const e = await rejection(stale.describeGlobal());
  assert.equal(e.errorCode, 'INVALID_SESSION_ID');
});

test('SOAP login faults are thrown with the fault string', async () => {
  const conn = new jsforce.Connection({ loginUrl: org.url, version: VERSION });
  let e = await rejection(conn.login('wrong@acme.test', 'not-the-passwordTOKENWRONG'));
  assert.equal(e.message, INVALID_LOGIN);
  e = await rejection(conn.login('nobody@acme.test', ADMIN_PASSWORD));
  assert.equal(e.message, INVALID_LOGIN);
  e = await rejection(conn.login('token@acme.test', 'Token-passw0rd'));
  assert.match(e.message, /^LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user locked out\. Are you at a new location\?/);
  e = await rejection(conn.login('noapi@acme.test', 'NoApi-passw0rd'));
  assert.equal(e.message, 'API_CURRENTLY_DISABLED: API is disabled for this User');
  const v65 = new jsforce.Connection({ loginUrl: org.url, version: '65.0' });
  e = await rejection(v65.login(ADMIN, ADMIN_PASSWORD));
  assert.equal(
    e.message,
    'INVALID_OPERATION: The SOAP Login operation is not available in the API version specified (65.0). Refer to the documentation for supported versions.',
  );
  const v30 = new jsforce.Connection({ loginUrl: org.url, version: '30.0' });
  e = await rejection(v30.login(ADMIN, ADMIN_PASSWORD));
  assert.equal(e.message, 'UNSUPPORTED_API_VERSION: Invalid Api version specified on URL');
});

test('SOAP login lockout after five failures (org definition threshold)', async () => {
  const conn = new jsforce.Connection({ loginUrl: org.url, version: VERSION });
  for (let i = 0; i < 5; i += 1) {
    const e = await rejection(conn.login('locked@acme.test', `bad-${i}`));
    assert.equal(e.message, INVALID_LOGIN);
  }
  const e = await rejection(conn.login('locked@acme.test', 'Lock-passw0rdTOKENLOCK'));
  assert.equal(e.message, INVALID_LOGIN, 'the right password is refused while locked');
  const oauth = new jsforce.Connection({
    oauth2: { loginUrl: org.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    version: VERSION,
  });
  const o = await rejection(oauth.login('locked@acme.test', 'Lock-passw0rdTOKENLOCK'));
  assert.equal(o.name, 'invalid_grant');
});

test('SOAP enterprise endpoint and envelope', async () => {
  const envelope = (ns) => `<?xml version="1.0" encoding="utf-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="${ns}">
  <soapenv:Body><urn:login><urn:username>${ADMIN}</urn:username><urn:password>${ADMIN_PASSWORD}</urn:password></urn:login></soapenv:Body>
</soapenv:Envelope>`;
  const post = (path, body) => fetch(`${org.url}${path}`, {
    method: 'POST', body, headers: { 'Content-Type': 'text/xml; charset=UTF-8', SOAPAction: 'login' },
  });
  const ok = await post(`/services/Soap/c/${VERSION}`, envelope('urn:enterprise.soap.sforce.com'));
  assert.equal(ok.status, 200);
  const text = await ok.text();
  assert.match(text, /xmlns="urn:enterprise\.soap\.sforce\.com"/);
  const serverUrl = text.match(/<serverUrl>([^<]+)<\/serverUrl>/)[1];
  assert.match(serverUrl, new RegExp(`^${org.url}/services/Soap/c/${VERSION}/00D[a-zA-Z0-9]{12}$`));
  const sessionId = text.match(/<sessionId>([^<]+)<\/sessionId>/)[1];
  const conn = new jsforce.Connection({ instanceUrl: org.url, accessToken: sessionId, version: VERSION });
  assert.equal((await conn.identity()).username, ADMIN);

  const wrongNs = await post(`/services/Soap/c/${VERSION}`, envelope('urn:partner.soap.sforce.com'));
  assert.equal(wrongNs.status, 500);
  assert.match(await wrongNs.text(), /<faultcode>soapenv:Client<\/faultcode><faultstring>No operation available for request \{urn:partner\.soap\.sforce\.com\}login, please check the WSDL for the service\.<\/faultstring>/);
  const badLogin = await post(`/services/Soap/c/${VERSION}`, envelope('urn:enterprise.soap.sforce.com').replace(ADMIN_PASSWORD, 'nope'));
  assert.equal(badLogin.status, 500);
  assert.match(await badLogin.text(), /xmlns:sf="urn:fault\.enterprise\.soap\.sforce\.com".*<faultcode>INVALID_LOGIN<\/faultcode>/s);
  const get = await fetch(`${org.url}/services/Soap/u/${VERSION}`);
  assert.equal(get.status, 405);
  assert.match(await get.text(), /Only POST allowed/);
});

test('login with an existing access token', async () => {
  const source = await oauthConnection(org);
  const conn = new jsforce.Connection({
    instanceUrl: source.instanceUrl, accessToken: source.accessToken, version: VERSION,
  });
  const identity = await conn.identity();
  assert.equal(identity.user_id, source.userInfo.id);
  assert.equal(identity.display_name, 'Ada Admin');
  // Without ?version= the identity URLs keep the literal {version} (§A.8).
  assert.equal(identity.urls.rest, `${org.url}/services/data/v{version}/`);
  const res = await conn.request(`/services/data/v${VERSION}/sobjects/Account/describe`);
  assert.equal(res.name, 'Account');

  const bad = new jsforce.Connection({ instanceUrl: org.url, accessToken: '00Dbogus!token', version: VERSION });
  const e = await rejection(bad.describeGlobal());
  assert.equal(e.name, 'INVALID_SESSION_ID');
  assert.equal(e.errorCode, 'INVALID_SESSION_ID');
  assert.equal(e.message, 'Session expired or invalid');
});

test('identity document and userinfo', async () => {
  const conn = await oauthConnection(org);
  const identity = await conn.identity();
  assert.equal(identity.id, conn.userInfo.url);
  assert.equal(identity.organization_id, conn.userInfo.organizationId);
  assert.equal(identity.username, ADMIN);
  assert.equal(identity.active, true);
  assert.equal(identity.urls.partner, `${org.url}/services/Soap/u/{version}/${conn.userInfo.organizationId.slice(0, 15)}`);
  const userinfo = await conn.request(`${org.url}/services/oauth2/userinfo`);
  assert.equal(userinfo.user_id, conn.userInfo.id);
  assert.equal(userinfo.preferred_username, ADMIN);
});

test('revoke errors reach jsforce as OAuth errors', async () => {
  // jsforce parses revoke errors as a form body (as Salesforce sends them).
  const oauth2 = new jsforce.OAuth2({ loginUrl: org.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  const e = await rejection(oauth2.revokeToken('00Dnot!a-live-token'));
  assert.equal(e.name, 'invalid_token');
  assert.equal(e.message, 'Token was invalid');
});

test('logout revokes the OAuth token', async () => {
  const conn = await oauthConnection(org);
  const { accessToken, instanceUrl } = conn;
  await conn.logout();
  const stale = new jsforce.Connection({ instanceUrl, accessToken, version: VERSION });
  const e = await rejection(stale.describeGlobal());
  assert.equal(e.errorCode, 'INVALID_SESSION_ID');
});
