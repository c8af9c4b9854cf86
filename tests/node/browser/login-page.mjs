// The web-server flow's login page in a real browser: Debian's Chromium, headless, driven over the
// DevTools protocol (cdp.mjs). Starts `sfkit serve` and a callback server on free ports, opens
// /services/oauth2/authorize with PKCE, types the username and password into the form, clicks
// "Log In", and checks that the browser lands on the callback with a code that the token
// endpoint exchanges for a working access token. Keeps a screenshot of the login page.
//
// Exit codes: 0 passed, 1 failed, 77 skipped (no Chromium; CTest's SKIP_RETURN_CODE).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startLocalOrg } from '../support/local-org.mjs';
import { Browser, findChromium } from './cdp.mjs';

const CLIENT_ID = '3MVG9browser.key';
const CLIENT_SECRET = 'browser-secret';
const USERNAME = 'admin@acme.test';
const PASSWORD = 'Passw0rd!';

const chromium = findChromium();
if (!chromium) {
  console.log('chromium not found (apt-get install chromium, or set SFKIT_CHROMIUM): skipped');
  process.exit(77);
}

const artifacts = process.env.SFKIT_ARTIFACT_DIR ?? path.join(os.tmpdir(), 'sfkit-artifacts');
mkdirSync(artifacts, { recursive: true });

/** A callback server: resolves `hit` with the first request's URL, answers a small page. */
function startCallbackServer() {
  let resolveHit;
  const hit = new Promise((r) => {
    resolveHit = r;
  });
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><title>callback</title><p id="done">Logged in</p>');
    resolveHit(new URL(req.url, `http://${req.headers.host}`));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, hit, port: server.address().port }));
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function run() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sfkit-browser-'));
  const callback = await startCallbackServer();
  const redirectUri = `http://127.0.0.1:${callback.port}/callback`;
  const orgDef = path.join(dir, 'org-def.json');
  writeFileSync(
    orgDef,
    JSON.stringify({
      orgName: 'Browser',
      users: [{ username: USERNAME, password: PASSWORD, securityToken: 'TOKEN123', lastName: 'Admin' }],
      connectedApps: [
        {
          name: 'Browser App',
          consumerKey: CLIENT_ID,
          consumerSecret: CLIENT_SECRET,
          scopes: ['api', 'refresh_token'],
          callbackUrls: [redirectUri],
        },
      ],
    }),
  );
  const org = await startLocalOrg({ orgDef });
  let browser;
  try {
    browser = await Browser.launch(chromium);
    const page = await browser.newPage();

    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URL('/services/oauth2/authorize', org.url);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: redirectUri,
      scope: 'api refresh_token',
      state: 'browser-state',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();

    await page.goto(authorize.toString());
    assert.equal(await page.evaluate('document.title'), 'Login | Local Org');
    assert.equal(await page.evaluate('document.querySelectorAll("input[name=username]").length'), 1);
    const shot = path.join(artifacts, 'login-page.png');
    writeFileSync(shot, await page.screenshot());
    console.log(`screenshot of the login page: ${shot}`);

    // Drive the form as a person would: type into the fields, click the button.
    await page.type('input[name=username]', USERNAME);
    await page.type('input[name=password]', PASSWORD);
    assert.equal(await page.evaluate('document.querySelector("input[name=username]").value'), USERNAME);
    const landed = page.waitFor('Page.frameNavigated', 15000, (p) => !p.frame.parentId && p.frame.url.startsWith(redirectUri));
    await page.click('button[type=submit]');

    const hit = await withTimeout(callback.hit, 15000, 'the browser reaching the callback');
    const frame = await landed;
    assert.equal(`${hit.origin}${hit.pathname}`, redirectUri);
    assert.equal(hit.searchParams.get('state'), 'browser-state');
    const code = hit.searchParams.get('code');
    assert.match(code ?? '', /^aPrx/, `callback without a code: ${hit}`);
    assert.ok(frame.frame.url.includes('code='), frame.frame.url);
    // The callback page itself shows in the tab (the navigation committed and loaded).
    let shown = null;
    for (let i = 0; i < 100 && shown !== 'Logged in'; ++i) {
      shown = await page.evaluate('document.getElementById("done")?.textContent ?? null').catch(() => null);
      if (shown !== 'Logged in') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(shown, 'Logged in');
    writeFileSync(path.join(artifacts, 'login-callback.png'), await page.screenshot());

    // The code is exchanged for a token that works.
    const token = await fetch(new URL('/services/oauth2/token', org.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    });
    const tokenBody = await token.json();
    assert.equal(token.status, 200, JSON.stringify(tokenBody));
    assert.match(tokenBody.access_token, /^00D/);
    assert.match(tokenBody.refresh_token, /^5Aep/);
    const me = await fetch(new URL('/services/oauth2/userinfo', org.url), {
      headers: { authorization: `Bearer ${tokenBody.access_token}` },
    });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).preferred_username, USERNAME);
  } finally {
    await browser?.close();
    await org.stop();
    callback.server.closeAllConnections();
    callback.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  await run();
  console.log('web-server flow in headless Chromium: login page typed into, submitted, callback reached, code exchanged');
  console.log('1 passed, 0 failed');
} catch (e) {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
