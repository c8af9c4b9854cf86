// The web-server flow's login page in a real browser: Debian's Chromium, headless, driven over the
// DevTools protocol (cdp.mjs). Starts `sfkit serve` and a callback server on free ports, opens
// /services/oauth2/authorize with PKCE in a phone-size and a desktop viewport and checks the page
// is usable there (viewport meta, no sideways scrolling, labelled inputs, 16 px text, 44 px touch
// targets, a visible keyboard focus ring, no script, no external assets); submits a wrong password
// and checks the error state; then, with JavaScript switched off, types the username and password
// into the form, clicks "Log In", and checks that the browser lands on the callback with a code
// that the token endpoint exchanges for a working access token. Screenshots (PNG) are kept in
// SFKIT_ARTIFACT_DIR (CTest: <build>/tests/artifacts/).
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

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844, deviceScaleFactor: 3, mobile: true },
  { name: 'desktop', width: 1280, height: 800, deviceScaleFactor: 1, mobile: false },
];

async function setViewport(page, v) {
  await page.send('Emulation.setDeviceMetricsOverride', {
    width: v.width,
    height: v.height,
    deviceScaleFactor: v.deviceScaleFactor,
    mobile: v.mobile,
  });
}

/** What the layout checks need to know about the page, measured in the browser. */
const MEASURE = `(() => {
  const fields = [...document.querySelectorAll('input:not([type=hidden])')];
  const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.x, w: r.width, h: r.height }; };
  return {
    viewportMeta: document.querySelector('meta[name=viewport]')?.content ?? null,
    lang: document.documentElement.lang,
    scripts: document.scripts.length,
    resources: performance.getEntriesByType('resource').map((e) => e.name),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    fields: fields.map((e) => ({
      name: e.name,
      labels: [...e.labels].map((l) => l.textContent.trim()),
      fontSize: parseFloat(getComputedStyle(e).fontSize),
      ...box(e),
    })),
    buttons: [...document.querySelectorAll('button')].map((b) => ({ text: b.textContent.trim(), ...box(b) })),
    error: document.getElementById('error') ? {
      role: document.getElementById('error').getAttribute('role'),
      text: document.getElementById('error').textContent,
      visible: document.getElementById('error').getBoundingClientRect().height > 0,
    } : null,
    invalid: fields.map((e) => [e.getAttribute('aria-invalid'), e.getAttribute('aria-describedby')]),
  };
})()`;

function checkLayout(m, v) {
  assert.match(m.viewportMeta ?? '', /width=device-width/, 'viewport meta');
  assert.equal(m.lang, 'en');
  assert.equal(m.scripts, 0, 'no script on the login page');
  assert.deepEqual(m.resources, [], 'no external assets (no subresource loads at all)');
  assert.ok(m.scrollWidth <= m.innerWidth, `${v.name}: no sideways scrolling (${m.scrollWidth} > ${m.innerWidth})`);
  assert.deepEqual(m.fields.map((f) => f.name), ['username', 'password']);
  for (const f of m.fields) {
    assert.equal(f.labels.length, 1, `${f.name} has one label`);
    assert.ok(f.labels[0].length > 0, `${f.name}'s label has text`);
    assert.ok(f.fontSize >= 16, `${f.name}: ${f.fontSize}px text (phones zoom on smaller)`);
    assert.ok(f.h >= 44, `${f.name}: ${f.h}px tall, a 44px touch target`);
    assert.ok(f.x >= 0 && f.x + f.w <= m.innerWidth, `${f.name} fits the ${v.name} viewport`);
    if (v.mobile) assert.ok(f.w >= 0.8 * m.innerWidth, `${f.name} spans the phone's width (${f.w}px)`);
    else assert.ok(f.w <= 480, `${f.name} is not stretched across the desktop (${f.w}px)`);
  }
  assert.equal(m.buttons.length, 1);
  assert.equal(m.buttons[0].text, 'Log In');
  assert.ok(m.buttons[0].h >= 44, 'the button is a 44px touch target');
}

/** Moves the keyboard focus with Tab and returns the focused element's name and outline. */
async function tabToNext(page) {
  const key = { key: 'Tab', code: 'Tab', windowsVirtualKeyCode: 9, nativeVirtualKeyCode: 9 };
  await page.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...key });
  await page.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key });
  return page.evaluate(`(() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    return { name: e.name ?? e.tagName, outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) };
  })()`);
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

    // The page on a phone and on a desktop.
    for (const v of VIEWPORTS) {
      await setViewport(page, v);
      await page.goto(authorize.toString());
      assert.equal(await page.evaluate('document.title'), 'Login | Local Org');
      const m = await page.evaluate(MEASURE);
      checkLayout(m, v);
      assert.equal(m.error, null, 'no error before a login was tried');
      // Keyboard focus is visible: Tab moves to the username field, which shows a ring.
      const focused = await tabToNext(page);
      assert.equal(focused.name, 'username');
      assert.notEqual(focused.outlineStyle, 'none', 'a visible focus ring');
      assert.ok(focused.outlineWidth >= 2, `focus ring ${focused.outlineWidth}px`);
      const shot = path.join(artifacts, `login-page-${v.name}.png`);
      writeFileSync(shot, await page.screenshot());
      console.log(`screenshot of the login page (${v.name} ${v.width}x${v.height}): ${shot}`);
    }

    // A wrong password on the phone: the page again, with a clear error state.
    await setViewport(page, VIEWPORTS[0]);
    await page.goto(authorize.toString());
    await page.type('input[name=username]', USERNAME);
    await page.type('input[name=password]', 'not-the-password');
    let reloaded = page.waitFor('Page.loadEventFired', 15000);
    await page.click('button[type=submit]');
    await reloaded;
    const failed = await page.evaluate(MEASURE);
    checkLayout(failed, VIEWPORTS[0]);
    assert.ok(failed.error, 'an error box');
    assert.equal(failed.error.role, 'alert');
    assert.ok(failed.error.visible);
    assert.match(failed.error.text, /check your username and password/);
    assert.deepEqual(failed.invalid, [['true', 'error'], ['true', 'error']]);
    assert.equal(await page.evaluate('document.querySelector("input[name=username]").value'), USERNAME, 'the username is kept');
    writeFileSync(path.join(artifacts, 'login-page-error-phone.png'), await page.screenshot());

    // The device flow's verification page shares the look: labelled code, username, password.
    await page.goto(new URL('/setup/connect', org.url).toString());
    const device = await page.evaluate(MEASURE);
    assert.deepEqual(device.fields.map((f) => [f.name, f.labels.length]), [['user_code', 1], ['username', 1], ['password', 1]]);
    assert.deepEqual(device.buttons.map((b) => b.text), ['Allow', 'Deny']);
    assert.ok(device.scrollWidth <= device.innerWidth);
    writeFileSync(path.join(artifacts, 'device-page-phone.png'), await page.screenshot());

    // Logging in needs no script: JavaScript off, then the form typed into and submitted as a
    // person would.
    await setViewport(page, VIEWPORTS[1]);
    await page.goto(authorize.toString());
    await page.send('Emulation.setScriptExecutionDisabled', { value: true });
    await page.type('input[name=username]', USERNAME);
    await page.type('input[name=password]', PASSWORD);
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
