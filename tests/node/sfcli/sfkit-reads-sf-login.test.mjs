// sfkit uses a login made by the real Salesforce CLI (apps/sfkit/sf_logins.cpp): with the generic
// unix keychain, sf writes its key to ~/.sfdx/key.json, the login (tokens AES-256-GCM encrypted)
// to ~/.sfdx/<username>.json and its alias to ~/.sfdx/alias.json. `sfkit org list` shows it,
// `-o <sf alias>` and `-o <username>` use it, for both of sf's key versions (v1, the default, and
// v2 with SF_CRYPTO_V2=true). sfkit has no login of its own here (a private XDG_CONFIG_HOME).
// The last test logs sf in with `sf org login web` (the local org's built-in PlatformCLI app,
// PKCE, sf's listener on localhost:1717), the browser played by the test.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sfkitBinary } from '../support/local-org.mjs';
import { ADMIN, said, startSfSession } from './sf.mjs';

let s;
before(async () => {
  s = await startSfSession({ alias: 'sf-local' });
});
after(async () => {
  await s?.stop();
});

/** Runs sfkit with HOME = `home` (where sf keeps ~/.sfdx) and no sfkit logins. */
function sfkit(args, home = s.home) {
  return new Promise((resolve) => {
    execFile(
      sfkitBinary(),
      args,
      {
        env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'sfkit-config'), SFKIT_TARGET_ORG: '' },
        timeout: 60000,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? error.code : 0, stdout, stderr });
      },
    );
  });
}

function json(run) {
  assert.equal(run.code, 0, `sfkit exited ${run.code}: ${run.stdout} ${run.stderr}`);
  return JSON.parse(run.stdout).result;
}

test('sfkit org list shows the sf login under its alias, flow sf', async () => {
  const key = JSON.parse(readFileSync(path.join(s.home, '.sfdx', 'key.json'), 'utf8'));
  assert.equal(key.key.length, 32); // sf's default (v1) key
  const list = json(await sfkit(['org', 'list', '--json']));
  assert.deepEqual(list, [
    {
      alias: 'sf-local',
      username: ADMIN,
      instanceUrl: s.org.url,
      orgId: s.login.result.orgId,
      flow: 'sf',
      isDefault: false,
      sfAliases: ['sf-local'],
    },
  ]);
  const human = await sfkit(['org', 'list']);
  assert.match(human.stdout, new RegExp(`sf-local\\s+${ADMIN.replace('.', '\\.')}\\s+\\S+\\s+sf`));
});

test('-o <sf alias> and -o <sf username> reach the org with the decrypted token', async () => {
  const shown = json(await sfkit(['org', 'display', '-o', 'sf-local', '--json']));
  assert.equal(shown.connectedStatus, 'Connected');
  assert.equal(shown.accessToken, s.token.access_token);
  assert.equal(shown.instanceUrl, s.org.url);
  assert.equal(shown.flow, 'sf');
  const q = json(await sfkit(['query', '-o', ADMIN, '--json', "SELECT Id, Username FROM User WHERE Username = 'admin@acme.test'"]));
  assert.equal(q.totalSize, 1);
  assert.equal(q.records[0].Username, ADMIN);
  const missing = await sfkit(['org', 'display', '-o', 'no-such-login', '--json']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stdout, /NO_SUCH_ALIAS/);
});

test('a v2 key (SF_CRYPTO_V2=true) is read too; a tampered token is a clear error', async () => {
  const home2 = path.join(s.home, 'v2');
  mkdirSync(home2);
  const login = await s.sf(['org', 'login', 'access-token', '--instance-url', s.org.url, '--alias', 'v2', '--no-prompt'],
    { extraEnv: { HOME: home2, SF_CRYPTO_V2: 'true' } });
  assert.equal(login.code, 0, said(login));
  const key = JSON.parse(readFileSync(path.join(home2, '.sfdx', 'key.json'), 'utf8'));
  assert.equal(key.key.length, 64);
  const shown = json(await sfkit(['org', 'display', '-o', 'v2', '--json'], home2));
  assert.equal(shown.accessToken, s.token.access_token);
  assert.equal(shown.connectedStatus, 'Connected');

  // One flipped ciphertext character: GCM's tag no longer matches.
  const home3 = path.join(s.home, 'tampered');
  cpSync(home2, home3, { recursive: true });
  const file = path.join(home3, '.sfdx', `${ADMIN}.json`);
  const auth = JSON.parse(readFileSync(file, 'utf8'));
  const t = auth.accessToken;
  auth.accessToken = t.slice(0, 30) + (t[30] === 'a' ? 'b' : 'a') + t.slice(31);
  writeFileSync(file, JSON.stringify(auth));
  const bad = await sfkit(['org', 'display', '-o', 'v2', '--json'], home3);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /SF_LOGIN_UNREADABLE/);
  assert.ok(!bad.stdout.includes(s.token.access_token));
});

test('sf org login web through the built-in PlatformCLI app; sfkit uses that login too', async () => {
  // sf opens the authorize URL with the `open` package's xdg-open, which honours $BROWSER: a
  // script that writes the URL down plays the browser's first step; the test does the rest (login
  // page, form POST, the redirect to sf's listener on localhost:1717).
  const home = path.join(s.home, 'web');
  mkdirSync(home);
  const opened = path.join(home, 'opened-url');
  const browser = path.join(home, 'browser.sh');
  writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, { mode: 0o755 });
  const run = s.sfStart(['org', 'login', 'web', '--instance-url', s.org.url, '--alias', 'web'],
    { extraEnv: { HOME: home, BROWSER: browser } });
  let url;
  for (let i = 0; i < 600 && !url; i++) {
    try {
      url = readFileSync(opened, 'utf8');
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  assert.ok(url, 'sf did not open the authorize URL');
  const authorize = new URL(url);
  assert.equal(authorize.origin, s.org.url);
  assert.equal(authorize.pathname, '/services/oauth2/authorize');
  assert.equal(authorize.searchParams.get('client_id'), 'PlatformCLI');
  assert.equal(authorize.searchParams.get('redirect_uri'), 'http://localhost:1717/OauthRedirect');
  assert.ok(authorize.searchParams.get('code_challenge'));

  const page = await fetch(url);
  assert.equal(page.status, 200);
  const html = await page.text();
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const fields = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]] = m[2].replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  }
  const post = await fetch(new URL('/services/oauth2/authorize', s.org.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...fields, username: ADMIN, password: 'Passw0rd!' }),
  });
  assert.equal(post.status, 302, await post.text());
  const location = post.headers.get('location');
  assert.ok(location.startsWith('http://localhost:1717/OauthRedirect?code='), location);
  const landing = await fetch(location); // sf's listener: 303 to its success page
  assert.equal(landing.status, 200);
  const done = await run.done;
  assert.equal(done.code, 0, said(done));
  assert.equal(done.json.result.username, ADMIN);
  assert.equal(done.json.result.clientId, 'PlatformCLI');
  assert.equal(done.json.result.orgId, s.login.result.orgId);
  const auth = JSON.parse(readFileSync(path.join(home, '.sfdx', `${ADMIN}.json`), 'utf8'));
  assert.ok(auth.refreshToken, 'sf stored a refresh token');

  const shown = json(await sfkit(['org', 'display', '-o', 'web', '--json'], home));
  assert.equal(shown.connectedStatus, 'Connected');
  assert.equal(shown.clientId, 'PlatformCLI');
  const q = json(await sfkit(['query', '-o', 'web', '--json', 'SELECT Id FROM Organization'], home));
  assert.equal(q.totalSize, 1);

  // The access token revoked: sf meets 401 INVALID_SESSION_ID, refreshes with its refresh token
  // (grant_type=refresh_token, client PlatformCLI), retries, and stores the new token, which
  // sfkit then reads.
  const revoked = await fetch(`${s.org.url}/services/oauth2/revoke`, {
    method: 'POST',
    body: new URLSearchParams({ token: shown.accessToken }),
  });
  assert.equal(revoked.status, 200);
  const after = await s.sf(['data', 'query', '--query', 'SELECT Id FROM Organization', '--target-org', 'web'],
    { extraEnv: { HOME: home } });
  assert.equal(after.code, 0, said(after));
  assert.equal(after.json.result.totalSize, 1);
  const refreshed = json(await sfkit(['org', 'display', '-o', 'web', '--json'], home));
  assert.notEqual(refreshed.accessToken, shown.accessToken);
  assert.equal(refreshed.connectedStatus, 'Connected');
});
