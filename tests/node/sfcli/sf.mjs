// Runs the real Salesforce CLI (`sf`, pinned in tests/node/sfcli/package.json) against a local
// org: a private HOME per suite (so the developer's own logins are never read or written), no
// telemetry, no update checks, the generic unix keychain (key in ~/.sfdx/key.json), and an
// access-token login (`sf org login access-token`) made from a password-grant token.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalOrg } from '../support/local-org.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SF_BIN = path.join(here, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
export const ORG_DEF = path.join(here, '..', 'jsforce', 'org-def.json');
export const CLIENT_ID = '3MVG9jsforce.key';
export const CLIENT_SECRET = 'jsforce-secret';
export const ADMIN = 'admin@acme.test';
export const ADMIN_PASSWORD = 'Passw0rd!TOKEN123';
export const VERSION = '66.0';

/** Throws (the suite fails, it is never skipped) when the pinned CLI is not installed. */
export function requireSf() {
  if (!existsSync(SF_BIN)) {
    throw new Error(
      `the Salesforce CLI is not installed at ${SF_BIN}: run scripts/npm-deps.sh ` +
        '(npm install in tests/node/sfcli)',
    );
  }
}

/**
 * A local org, a password-grant token and a private HOME with `sf org login access-token`
 * done under `alias`. Resolves to { org, token, home, work, sf(args, opts), rest(path, init), stop() }.
 */
export async function startSfSession({ alias = 'local', serveArgs = [] } = {}) {
  requireSf();
  const org = await startLocalOrg({ orgDef: ORG_DEF, args: serveArgs });
  const home = mkdtempSync(path.join(os.tmpdir(), 'sfkit-sfcli-'));
  const work = path.join(home, 'work');
  mkdirSync(work);
  let token;
  try {
    const res = await fetch(`${org.url}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        username: ADMIN,
        password: ADMIN_PASSWORD,
      }),
    });
    token = await res.json();
    if (!res.ok) throw new Error(`password grant failed: ${JSON.stringify(token)}`);
  } catch (e) {
    await org.stop();
    rmSync(home, { recursive: true, force: true });
    throw e;
  }
  const env = {
    ...process.env,
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_ACCESS_TOKEN: token.access_token,
    SF_LOG_LEVEL: 'warn',
    http_proxy: '',
    HTTP_PROXY: '',
    https_proxy: '',
    HTTPS_PROXY: '',
  };
  delete env.SF_TARGET_ORG;
  delete env.SFDX_TARGET_ORG;

  /**
   * Starts `sf <args> [--json]` in the work dir without waiting: { child, done }, where `done`
   * resolves to { code, json, stdout, stderr } once sf exits; it never rejects on a non-zero exit
   * (the tests assert the code).
   */
  function sfStart(args, { cwd = work, json = true, timeoutMs = 180000, extraEnv = {} } = {}) {
    const argv = [SF_BIN, ...args, ...(json ? ['--json'] : [])];
    let child;
    const done = new Promise((resolve) => {
      child = execFile(
        process.execPath,
        argv,
        { cwd, env: { ...env, ...extraEnv }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          let parsed;
          if (json) {
            try {
              parsed = JSON.parse(stdout);
            } catch {
              parsed = undefined;
            }
          }
          resolve({ code, json: parsed, stdout, stderr, argv: args.join(' ') });
        },
      );
    });
    return { child, done };
  }

  /** Runs sf to its end (see sfStart). */
  const sf = (args, options) => sfStart(args, options).done;

  /** A REST call to the org as the same user (to check what the org holds). */
  async function rest(p, init = {}) {
    const res = await fetch(`${org.url}/services/data/v${VERSION}${p}`, {
      ...init,
      headers: { Authorization: `Bearer ${token.access_token}`, ...(init.headers ?? {}) },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** All rows of a SOQL query (REST), records without attributes. */
  async function query(soql, { all = false } = {}) {
    const r = await rest(`/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`);
    if (r.status !== 200) throw new Error(`query failed (${r.status}): ${JSON.stringify(r.body)}`);
    return r.body.records.map(({ attributes, ...rest }) => rest);
  }

  const login = await sf(['org', 'login', 'access-token', '--instance-url', org.url, '--alias', alias, '--no-prompt']);
  if (login.code !== 0) {
    await org.stop();
    throw new Error(`sf org login access-token failed (${login.code}):\n${login.stdout}\n${login.stderr}`);
  }

  return {
    org,
    token,
    home,
    work,
    env,
    login: login.json,
    sf,
    sfStart,
    rest,
    query,
    async stop() {
      await org.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A failure message that shows what sf said. */
export function said(run) {
  return `sf ${run.argv} exited ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
}
