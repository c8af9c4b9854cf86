// `sfkit login web` and `sfkit login device` end to end against a local org, with the browser
// played by the test: it reads the URL the CLI prints on stderr, fetches the login page, posts the
// form with its anti-forgery token and cookie, and follows the redirect to the CLI's loopback
// listener (or, for the device flow, approves the code on the verification page). Then the stored
// login is used for an API call and its refresh token for a refresh.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sfkitBinary, startLocalOrg } from '../support/local-org.mjs';

const USERNAME = 'admin@acme.test';
const PASSWORD = 'Passw0rd!';

let dir;
let org;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sfkit-login-'));
  const orgDef = path.join(dir, 'org-def.json');
  writeFileSync(
    orgDef,
    JSON.stringify({ orgName: 'Login', users: [{ username: USERNAME, password: PASSWORD, lastName: 'Admin' }] }),
  );
  org = await startLocalOrg({ orgDef });
});

after(async () => {
  await org?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs sfkit with a private config dir; `onStderr` sees stderr as it comes. */
function sfkit(args, { onStderr } = {}) {
  const child = spawn(sfkitBinary(), args, {
    env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'config'), http_proxy: '', HTTP_PROXY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
    onStderr?.(err);
  });
  const done = new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
  return { child, done };
}

/** Starts a command and resolves with the first stderr line matching `re`, plus the run. */
function startAndWaitFor(args, re) {
  let resolveLine;
  const line = new Promise((r) => {
    resolveLine = r;
  });
  const run = sfkit(args, {
    onStderr: (err) => {
      const m = err.match(re);
      if (m) resolveLine(m);
    },
  });
  return { run, line: Promise.race([line, run.done.then((r) => { throw new Error(`exited early: ${r.err}`); })]) };
}

function formToken(html) {
  return html.match(/name="sfkit_csrf" value="([^"]+)"/)?.[1];
}

function hiddenFields(html) {
  const fields = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]] = m[2].replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  return fields;
}

/** The browser's part of the web-server flow: login page, form POST, returns the 302 Location. */
async function logInThroughPage(authorizeUrl, password = PASSWORD) {
  const page = await fetch(authorizeUrl);
  assert.equal(page.status, 200);
  const html = await page.text();
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const fields = hiddenFields(html);
  assert.equal(fields.client_id, 'PlatformCLI', 'the built-in CLI app by default');
  assert.equal(fields.code_challenge_method, 'S256');
  assert.ok(fields.code_challenge);
  assert.ok(fields.state);
  const post = await fetch(new URL('/services/oauth2/authorize', org.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...fields, username: USERNAME, password }),
  });
  assert.equal(post.status, 302, await post.text());
  return post.headers.get('location');
}

/** The user's part of the device flow: the verification page, then approving `userCode`. */
async function approveDevice(verificationUri, userCode) {
  const page = await fetch(verificationUri);
  assert.equal(page.status, 200);
  const html = await page.text();
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const approve = await fetch(verificationUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({
      sfkit_login: '1',
      sfkit_csrf: formToken(html),
      user_code: userCode,
      username: USERNAME,
      password: PASSWORD,
      decision: 'allow',
    }),
  });
  assert.equal(approve.status, 200);
  assert.match(await approve.text(), /Device connected/);
}

function storedLogin(alias) {
  return JSON.parse(readFileSync(path.join(dir, 'config', 'sfkit', 'logins', `${alias}.json`), 'utf8'));
}

describe('sfkit login web', () => {
  test('browser login through the loopback listener stores a working token and a refresh token', async () => {
    const { run, line } = startAndWaitFor(
      ['login', 'web', '-r', org.url, '--port', '0', '--no-browser', '--alias', 'web', '--json'],
      /^(http:\/\/\S+)$/m,
    );
    const [, url] = await line;
    const authorize = new URL(url);
    assert.equal(authorize.pathname, '/services/oauth2/authorize');
    assert.match(authorize.searchParams.get('redirect_uri'), /^http:\/\/localhost:\d+\/OauthRedirect$/);
    const location = await logInThroughPage(url);
    assert.ok(location.startsWith(authorize.searchParams.get('redirect_uri') + '?code='), location);
    // The redirect reaches the CLI's listener, which answers with a page for the browser.
    const landing = await fetch(location);
    assert.equal(landing.status, 200);
    assert.match(await landing.text(), /You can close this window/);
    const r = await run.done;
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^Log in to the org in your browser at:\n/);
    const env = JSON.parse(r.out);
    assert.equal(env.status, 0);
    assert.equal(env.result.alias, 'web');
    assert.equal(env.result.flow, 'web');
    assert.equal(env.result.username, USERNAME);
    assert.equal(env.result.refreshToken, true);
    assert.equal(env.result.scope, 'api refresh_token');
    const stored = storedLogin('web');
    assert.match(stored.refreshToken, /^5Aep/);
    assert.equal(stored.clientId, 'PlatformCLI');

    // The stored login works for an API call through the CLI ...
    const q = await sfkit(['query', 'SELECT Username FROM User', '--alias', 'web', '--json']).done;
    assert.equal(q.code, 0, q.err);
    assert.equal(JSON.parse(q.out).result.records[0].Username, USERNAME);
    // ... and its refresh token gives a new access token (a public client: no secret).
    const refreshed = await fetch(new URL('/services/oauth2/token', org.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'PlatformCLI', refresh_token: stored.refreshToken }),
    });
    assert.equal(refreshed.status, 200);
    assert.match((await refreshed.json()).access_token, /^00D/);
  });

  test('a redirect with another state is refused and its code not used', async () => {
    const { run, line } = startAndWaitFor(
      ['login', 'web', '-r', org.url, '--port', '0', '--no-browser', '--alias', 'forged', '--json'],
      /^(http:\/\/\S+)$/m,
    );
    const [, url] = await line;
    const redirect = new URL(url).searchParams.get('redirect_uri');
    const landing = await fetch(`${redirect}?code=aPrxforged&state=not-the-one`);
    assert.equal(landing.status, 400);
    assert.match(await landing.text(), /state mismatch/);
    const r = await run.done;
    assert.notEqual(r.code, 0);
    const env = JSON.parse(r.out);
    assert.equal(env.name, 'STATE_MISMATCH');
    assert.throws(() => storedLogin('forged'));
  });

  test('error=access_denied ends the login with that error', async () => {
    const { run, line } = startAndWaitFor(
      ['login', 'web', '-r', org.url, '--port', '0', '--no-browser', '--alias', 'denied', '--json'],
      /^(http:\/\/\S+)$/m,
    );
    const [, url] = await line;
    const params = new URL(url).searchParams;
    const landing = await fetch(
      `${params.get('redirect_uri')}?error=access_denied&error_description=end-user+denied+authorization&state=${encodeURIComponent(params.get('state'))}`,
    );
    assert.equal(landing.status, 200);
    assert.match(await landing.text(), /access_denied: end-user denied authorization/);
    const r = await run.done;
    assert.notEqual(r.code, 0);
    const env = JSON.parse(r.out);
    assert.equal(env.name, 'access_denied');
    assert.match(env.message, /end-user denied authorization/);
  });

  test('the fixed port of the CLI app is the default, and a busy port is reported', async () => {
    const { run, line } = startAndWaitFor(['login', 'web', '-r', org.url, '--no-browser', '--alias', 'p1'], /^(http:\/\/\S+)$/m);
    const [, url] = await line;
    assert.equal(new URL(url).searchParams.get('redirect_uri'), 'http://localhost:1717/OauthRedirect');
    // A second login while the first listens: port 1717 is taken.
    const second = await sfkit(['login', 'web', '-r', org.url, '--no-browser', '--alias', 'p2', '--json']).done;
    assert.notEqual(second.code, 0);
    assert.equal(JSON.parse(second.out).name, 'PORT_IN_USE');
    run.child.kill('SIGTERM');
    await run.done;
  });
});

describe('sfkit login device', () => {
  test('the user approves the code on the verification page; the CLI stores the login', async () => {
    const { run, line } = startAndWaitFor(
      ['login', 'device', '-r', org.url, '--alias', 'dev', '--json'],
      /Enter the code (\S+) at:\n(\S+)\n/,
    );
    const [, userCode, verificationUri] = await line;
    assert.equal(verificationUri, `${org.url}/setup/connect`);
    await approveDevice(verificationUri, userCode);
    const r = await run.done;
    assert.equal(r.code, 0, r.err);
    const env = JSON.parse(r.out);
    assert.equal(env.result.flow, 'device');
    assert.equal(env.result.username, USERNAME);
    assert.equal(env.result.refreshToken, true);
    assert.match(storedLogin('dev').refreshToken, /^5Aep/);
    const q = await sfkit(['query', 'SELECT Username FROM User', '--alias', 'dev', '--json']).done;
    assert.equal(q.code, 0, q.err);
  });
});

describe('refresh on expiry', () => {
  const SESSION_SECONDS = 2;
  let shortOrg;

  before(async () => {
    shortOrg = await startLocalOrg({
      orgDef: path.join(dir, 'org-def.json'),
      args: ['--session-timeout', String(SESSION_SECONDS)],
    });
  });

  after(async () => {
    await shortOrg?.stop();
  });

  test('a command after the session expired refreshes it, succeeds and stores the new token', async () => {
    const { run, line } = startAndWaitFor(
      ['login', 'device', '-r', shortOrg.url, '--alias', 'short', '--json', '--verbose'],
      /Enter the code (\S+) at:\n(\S+)\n/,
    );
    const [, userCode, verificationUri] = await line;
    await approveDevice(verificationUri, userCode);
    const login = await run.done;
    assert.equal(login.code, 0, login.err);
    const first = storedLogin('short');
    assert.match(first.refreshToken, /^5Aep/);

    await new Promise((r) => setTimeout(r, SESSION_SECONDS * 1000 + 700));
    const q = await sfkit(['query', 'SELECT Username FROM User', '--alias', 'short', '--json', '--verbose']).done;
    assert.equal(q.code, 0, q.err);
    assert.equal(JSON.parse(q.out).result.records[0].Username, USERNAME);
    // The trace shows the expired call, the refresh and the call again.
    assert.match(q.err, /< HTTP\/1\.1 401/);
    assert.match(q.err, /> POST http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/token/);
    assert.match(q.err, /< HTTP\/1\.1 200/);

    const afterRefresh = storedLogin('short');
    assert.notEqual(afterRefresh.accessToken, first.accessToken, 'the new access token is stored');
    assert.equal(afterRefresh.refreshToken, first.refreshToken, 'and the refresh token kept');
    assert.equal(afterRefresh.clientId, first.clientId);

    // No secret ever reaches the trace: not the tokens, not the device code, not the password.
    for (const [name, result] of [['login', login], ['query', q]]) {
      for (const secret of [first.accessToken, afterRefresh.accessToken, first.refreshToken, PASSWORD]) {
        assert.ok(!result.err.includes(secret), `${name} trace shows a secret`);
      }
      assert.match(result.err, /Authorization: Bearer REDACTED|\[body \d+ bytes\]/);
    }

    // Without a refresh token the 401 is the answer, as first.
    writeFileSync(
      path.join(dir, 'config', 'sfkit', 'logins', 'short.json'),
      JSON.stringify({ ...afterRefresh, refreshToken: undefined }),
    );
    await new Promise((r) => setTimeout(r, SESSION_SECONDS * 1000 + 700));
    const expired = await sfkit(['query', 'SELECT Username FROM User', '--alias', 'short', '--json']).done;
    assert.notEqual(expired.code, 0);
    assert.equal(JSON.parse(expired.out).name, 'INVALID_SESSION_ID');
  });
});
