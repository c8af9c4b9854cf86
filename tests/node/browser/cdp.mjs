// A small Chrome DevTools Protocol driver for Debian's headless Chromium, over
// --remote-debugging-pipe (no WebSocket, no npm package, nothing downloaded): launch, open a page,
// navigate, evaluate, type, click, screenshot.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The Chromium executable: SFKIT_CHROMIUM when set (null if that path does not exist), else
 * Debian's /usr/bin/chromium; null if absent.
 */
export function findChromium() {
  if (process.env.SFKIT_CHROMIUM) {
    return existsSync(process.env.SFKIT_CHROMIUM) ? process.env.SFKIT_CHROMIUM : null;
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? null;
}

export class Browser {
  /** Starts headless Chromium with a throw-away profile. */
  static async launch(executable) {
    const profile = mkdtempSync(path.join(os.tmpdir(), 'sfkit-chromium-'));
    const args = [
      '--headless=new',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-gpu',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--metrics-recording-only',
      '--password-store=basic',
      '--use-mock-keychain',
      '--window-size=900,700',
      'about:blank',
    ];
    if (process.getuid?.() === 0) {
      args.unshift('--no-sandbox'); // Chromium refuses to run its sandbox as root (CI runs as root)
    }
    const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d.toString();
    });
    const browser = new Browser(child, profile, () => stderr);
    await browser.send('Browser.getVersion');
    return browser;
  }

  constructor(child, profile, stderr) {
    this.child = child;
    this.profile = profile;
    this.stderr = stderr;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    child.once('exit', (code, signal) => {
      for (const { reject } of this.pending.values()) {
        reject(new Error(`chromium exited (${code ?? signal}):\n${stderr()}`));
      }
      this.pending.clear();
    });
    this.input = child.stdio[3];
    let buffer = Buffer.alloc(0);
    child.stdio[4].on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      let end;
      while ((end = buffer.indexOf(0)) >= 0) {
        const message = JSON.parse(buffer.subarray(0, end).toString('utf8'));
        buffer = buffer.subarray(end + 1);
        this.dispatch(message);
      }
    });
  }

  dispatch(message) {
    if (message.id !== undefined) {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      if (message.error) {
        p.reject(new Error(`${p.method}: ${message.error.message}`));
      } else {
        p.resolve(message.result);
      }
      return;
    }
    for (const l of [...this.listeners]) {
      if (l.method === message.method && (l.sessionId ?? null) === (message.sessionId ?? null)) {
        l.callback(message.params);
      }
    }
  }

  /** Sends one command (to a page when sessionId is given) and resolves to its result. */
  send(method, params = {}, sessionId = undefined) {
    const id = this.nextId++;
    const message = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.input.write(`${JSON.stringify(message)}\0`);
    });
  }

  /** Calls `callback(params)` for each event `method` (of a page session when given). */
  on(method, callback, sessionId = undefined) {
    const listener = { method, callback, sessionId };
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Resolves to the params of the next event `method`, or rejects after timeoutMs. */
  waitFor(method, sessionId, timeoutMs = 15000, predicate = () => true) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out waiting for ${method}`));
      }, timeoutMs);
      const off = this.on(
        method,
        (params) => {
          if (!predicate(params)) return;
          clearTimeout(timer);
          off();
          resolve(params);
        },
        sessionId,
      );
    });
  }

  /** Opens a new tab and returns a Page attached to it. */
  async newPage() {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, sessionId);
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    return page;
  }

  async close() {
    try {
      let timer;
      await Promise.race([
        this.send('Browser.close'),
        new Promise((r) => {
          timer = setTimeout(r, 3000);
        }),
      ]);
      clearTimeout(timer);
    } catch {
      // already gone
    }
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
    }
    await this.exited;
    // Helper processes may still be writing the profile for a moment: retry, never fail on it.
    try {
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // a leftover temporary profile is harmless
    }
  }
}

export class Page {
  constructor(browser, sessionId) {
    this.browser = browser;
    this.sessionId = sessionId;
  }

  send(method, params = {}) {
    return this.browser.send(method, params, this.sessionId);
  }

  waitFor(method, timeoutMs, predicate) {
    return this.browser.waitFor(method, this.sessionId, timeoutMs, predicate);
  }

  /** Navigates and waits for the load event. */
  async goto(url) {
    const loaded = this.waitFor('Page.loadEventFired');
    const { errorText } = await this.send('Page.navigate', { url });
    if (errorText) throw new Error(`navigation to ${url} failed: ${errorText}`);
    await loaded;
  }

  /** Evaluates an expression in the page and returns its value (JSON-serialisable). */
  async evaluate(expression) {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (exceptionDetails) {
      throw new Error(`evaluate failed: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    }
    return result.value;
  }

  /** The centre of the element `selector` in viewport coordinates (throws if absent). */
  async centerOf(selector) {
    const box = await this.evaluate(`(() => {
      const e = document.querySelector(${JSON.stringify(selector)});
      if (!e) return null;
      e.scrollIntoView({ block: 'center' });
      const r = e.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, h: r.height };
    })()`);
    if (!box || box.w === 0 || box.h === 0) throw new Error(`no visible element ${selector}`);
    return box;
  }

  /** A left click at the element's centre, with real mouse events. */
  async click(selector) {
    const { x, y } = await this.centerOf(selector);
    await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
    await this.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount: 1 });
    await this.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount: 1 });
  }

  /** Clicks into the field and types `text` key by key. */
  async type(selector, text) {
    await this.click(selector);
    for (const ch of text) {
      await this.send('Input.dispatchKeyEvent', { type: 'keyDown', text: ch, key: ch, unmodifiedText: ch });
      await this.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch });
    }
  }

  /** A PNG screenshot of the viewport, as a Buffer. */
  async screenshot() {
    const { data } = await this.send('Page.captureScreenshot', { format: 'png' });
    return Buffer.from(data, 'base64');
  }
}
