#!/usr/bin/env node
// Runs Salesforce's own Postman collection (tests/postman/collection, the newman-ready copy) with newman
// against a local org started here, checks every response with our own assertion table
// (expectations.mjs; the collection has none), and prints a summary: requests sent, answered as
// Salesforce would, and the rest with the reason. Exit status 1 when a request that is expected
// to be answered is not (a regression), 2 when the run cannot start; requests that need features
// sfkit lacks are listed, never counted as passes, and do not fail the run.
//
// Usage: node tests/postman/run-newman.mjs [--verbose] [--json REPORT.json]
// Env:   SFKIT_BINARY (the built sfkit), SFKIT_POSTMAN_DIR (default: tests/postman/collection)
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalOrg, repoRoot } from '../node/support/local-org.mjs';
import { SCENARIOS, EXPECTATIONS } from './expectations.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const jsonReport = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;

const VERSION = '60.0';
const USERNAME = 'admin@acme.test';
const PASSWORD = 'Passw0rd!';
const SECURITY_TOKEN = 'TOKEN123';
const CLIENT_ID = '3MVG9postman.key';
const CLIENT_SECRET = 'postman-secret';
const REDIRECT_URL = 'http://127.0.0.1/callback';

function die(message) {
  console.error(`run-newman: ${message}`);
  process.exit(2);
}

const postmanDir = process.env.SFKIT_POSTMAN_DIR ?? path.join(repoRoot, 'tests', 'postman', 'collection');
const collectionFile = path.join(
  postmanDir, 'salesforce-platform-apis.2023-06.newman.postman_collection.json');
const environmentFile = path.join(postmanDir, 'local.postman_environment.json');
if (!existsSync(collectionFile) || !existsSync(environmentFile)) {
  die(`the Postman collection is missing: ${collectionFile}\n` +
      'It is vendored in tests/postman/collection (set SFKIT_POSTMAN_DIR to use another copy).');
}
let newman;
try {
  newman = createRequire(path.join(repoRoot, 'tests', 'node', 'package.json'))('newman');
} catch (e) {
  die(`newman is not installed (${e.message}); run scripts/npm-deps.sh`);
}
const collection = JSON.parse(readFileSync(collectionFile, 'utf8'));

// ---- picking requests out of the collection ----------------------------------------------------

/** Every request under `items` as {path, item, auth}: path "Auth/Revoke Token", inherited auth. */
function flatten(items, prefix = '', inheritedAuth = undefined) {
  const out = [];
  for (const it of items) {
    const p = prefix ? `${prefix}/${it.name}` : it.name;
    if (it.item) {
      out.push(...flatten(it.item, p, it.auth ?? inheritedAuth));
    } else {
      out.push({ path: p, item: it, auth: it.request?.auth ?? inheritedAuth });
    }
  }
  return out;
}
const allRequests = flatten(collection.item);

/** A scenario entry: "Folder" (every request under it, in order) or "Folder/Request" (first). */
function select(entry) {
  const exact = allRequests.find((r) => r.path === entry);
  if (exact) return [exact];
  const under = allRequests.filter((r) => r.path.startsWith(`${entry}/`));
  if (under.length === 0) die(`scenario entry '${entry}' matches nothing in the collection`);
  return under;
}

/** A copy of the collection whose items are exactly `requests`, each tagged with an id. */
function buildCollection(requests, tag) {
  const copy = structuredClone(collection);
  copy.item = requests.map((r, i) => {
    const item = structuredClone(r.item);
    item.id = `${tag}-${i}`;
    if (r.auth && !item.request.auth) item.request.auth = r.auth;
    return item;
  });
  return copy;
}

// ---- the local org ------------------------------------------------------------------------------

async function seed(base) {
  const tokenRes = await fetch(`${base}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password', client_id: CLIENT_ID, client_secret: CLIENT_SECRET,
      username: USERNAME, password: PASSWORD + SECURITY_TOKEN,
    }),
  });
  if (tokenRes.status !== 200) die(`seed login failed: ${tokenRes.status} ${await tokenRes.text()}`);
  const token = await tokenRes.json();
  const [orgId, userId] = token.id.split('/').slice(-2);
  const create = await fetch(`${base}/services/data/v${VERSION}/sobjects/Account`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ Name: 'Postman seed' }),
  });
  if (create.status !== 201) die(`seed Account failed: ${create.status} ${await create.text()}`);
  const { id: recordId } = await create.json();
  // A second record for the external-id request: the collection deletes RECORD_ID before it.
  const ext = await fetch(`${base}/services/data/v${VERSION}/sobjects/Account`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ Name: 'Postman external id', Ext_Key__c: 'PM-2' }),
  });
  if (ext.status !== 201) die(`seed Account failed: ${ext.status} ${await ext.text()}`);
  const { id: extRecordId } = await ext.json();
  const queryJobId = await seedQueryJob(base, token.access_token);
  // The All Accounts list view (the list view requests' QUERY_LOCATOR and LIST_VIEW_ID).
  const views = await (await fetch(`${base}/services/data/v${VERSION}/sobjects/Account/listviews`, {
    headers: { Authorization: `Bearer ${token.access_token}` },
  })).json();
  const listViewId = views.listviews?.find((v) => v.developerName === 'AllAccounts')?.id ?? '';
  // An Attachment whose Body the blob retrieve reads ("hello, blob" in base64).
  const att = await fetch(`${base}/services/data/v${VERSION}/sobjects/Attachment`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ Name: 'hello.txt', ParentId: extRecordId, Body: 'aGVsbG8sIGJsb2I=' }),
  });
  if (att.status !== 201) die(`seed Attachment failed: ${att.status} ${await att.text()}`);
  const { id: attachmentId } = await att.json();
  const post = async (what, resource, body) => {
    const res = await fetch(`${base}/services/data/v${VERSION}/${resource}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) die(`seed ${what} failed: ${res.status} ${await res.text()}`);
    return (await res.json()).id;
  };
  // A Contact of the external-id Account (the relationship traversal runs), and Tooling records
  // for the Sandbox and Change Data Capture requests that read, update and delete one.
  const contactId = await post('Contact', 'sobjects/Contact',
    { LastName: 'Postman child', AccountId: extRecordId });
  const sandboxId = await post('SandboxInfo', 'tooling/sobjects/SandboxInfo',
    { SandboxName: 'seedSbx', LicenseType: 'DEVELOPER' });
  const channelId = await post('PlatformEventChannel', 'tooling/sobjects/PlatformEventChannel',
    { FullName: 'Seed_Orders__chn', Metadata: { channelType: 'data', label: 'Seed channel' } });
  const memberId = await post('PlatformEventChannelMember', 'tooling/sobjects/PlatformEventChannelMember',
    { FullName: 'Seed_Orders_chn_AccountChangeEvent',
      Metadata: { eventChannel: 'Seed_Orders__chn', selectedEntity: 'AccountChangeEvent' } });
  return {
    orgId, userId, recordId, extRecordId, extField: 'Ext_Key__c', extValue: 'PM-2', queryJobId,
    listViewId, attachmentId, contactId, sandboxId, channelId, memberId,
  };
}

/** A finished Bulk 2.0 query job over the seeded Accounts (the "Bulk v2 query job" scenario). */
async function seedQueryJob(base, accessToken) {
  const url = `${base}/services/data/v${VERSION}/jobs/query`;
  const headers = { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' };
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ operation: 'query', query: 'SELECT Id, Name FROM Account ORDER BY Name' }),
  });
  if (res.status !== 200) die(`seed query job failed: ${res.status} ${await res.text()}`);
  const { id } = await res.json();
  for (let i = 0; i < 200; i++) {
    const info = await (await fetch(`${url}/${id}`, { headers })).json();
    if (info.state === 'JobComplete') return id;
    if (info.state === 'Failed' || info.state === 'Aborted') die(`seed query job ${info.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return die('seed query job did not complete');
}

function runNewman(options) {
  return new Promise((resolve, reject) => {
    const results = new Map(); // item id -> {status, headers, text, scriptErrors}
    const emitter = newman.run(options, (err, summary) => (err ? reject(err) : resolve({ results, summary })));
    emitter.on('request', (err, a) => {
      const id = a.item.id;
      const r = results.get(id) ?? { scriptErrors: [] };
      if (err) {
        r.error = err.message;
      } else {
        r.status = a.response.code;
        r.headers = Object.fromEntries(a.response.headers.all().map((h) => [h.key.toLowerCase(), h.value]));
        r.text = a.response.stream ? a.response.stream.toString('utf8') : '';
        r.method = a.request.method;
        r.url = a.request.url.toString();
      }
      results.set(id, r);
    });
    emitter.on('script', (err, a) => {
      if (!err) return;
      const id = a.item.id;
      const r = results.get(id) ?? { scriptErrors: [] };
      r.scriptErrors.push(`${a.event.listen} script: ${err.message}`);
      results.set(id, r);
    });
  });
}

// ---- checking -------------------------------------------------------------------------------------

function describeAnswer(res) {
  if (res.error) return `no answer (${res.error})`;
  let body = (res.text ?? '').replace(/\s+/g, ' ').trim();
  if (body.length > 140) body = `${body.slice(0, 137)}...`;
  return `${res.status}${body ? ` ${body}` : ''}`;
}

/** Applies one expectation; returns {verdict: 'answered'|'unsupported'|'regression', why}. */
function judge(expectation, res, ctx) {
  if (!expectation) {
    return { verdict: 'regression', why: 'no expectation in tests/postman/expectations.mjs' };
  }
  const check = expectation.unsupported ? expectation.degraded : expectation;
  let failure;
  if (res.error) {
    failure = `no answer: ${res.error}`;
  } else if (check) {
    try {
      if (check.status !== undefined && res.status !== check.status) {
        throw new Error(`status ${res.status}, expected ${check.status}`);
      }
      if (check.scriptOk && res.scriptErrors.length) {
        throw new Error(`the collection's own script failed: ${res.scriptErrors.join('; ')}`);
      }
      const json = () => {
        try {
          return JSON.parse(res.text);
        } catch {
          throw new Error(`body is not JSON: ${res.text.slice(0, 80)}`);
        }
      };
      check.check?.({ ...res, json }, ctx);
    } catch (e) {
      failure = e.message.split('\n')[0];
    }
  }
  if (expectation.unsupported) {
    if (failure) {
      return { verdict: 'regression', why: `${expectation.unsupported}; its stand-in answer changed: ${failure}` };
    }
    return { verdict: 'unsupported', why: expectation.unsupported };
  }
  return failure ? { verdict: 'regression', why: failure } : { verdict: 'answered' };
}

// ---- main -----------------------------------------------------------------------------------------

const org = await startLocalOrg({ orgDef: path.join(here, 'org-def.json') });
const rows = [];
try {
  const ids = await seed(org.url);
  // The shared environment file (it has a name, so the collection's scripts store _accessToken
  // and friends in it, as with `newman run -e`), pointed at this org.
  const overrides = {
    url: org.url, version: VERSION, username: USERNAME, password: PASSWORD,
    secretToken: SECURITY_TOKEN, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET,
    redirectUrl: REDIRECT_URL, site: '',
    SOBJECT_API_NAME: 'Account', RECORD_ID: ids.recordId, FIELD_NAME: ids.extField,
    FIELD_VALUE: ids.extValue, USER_ID: ids.userId,
    _jobId: ids.queryJobId,
    // Layouts of the Master record type; the approval layouts list (no process name); the
    // All Accounts list view.
    RECORD_TYPE_ID: '012000000000000AAA', APPROVAL_PROCESS_NAME: '',
    QUERY_LOCATOR: ids.listViewId, LIST_VIEW_ID: ids.listViewId,
  };
  const environment = JSON.parse(readFileSync(environmentFile, 'utf8'));
  environment.values = [
    ...environment.values.filter((v) => !(v.key in overrides)),
    ...Object.entries(overrides).map(([key, value]) => ({ key, value, enabled: true })),
  ];
  const ctx = { base: org.url, version: VERSION, username: USERNAME, clientId: CLIENT_ID, ...ids };
  for (const [s, scenario] of SCENARIOS.entries()) {
    const requests = scenario.requests.flatMap((entry) => {
      const [name, as] = Array.isArray(entry) ? entry : [entry];
      return select(name).map((r) => ({ ...r, key: as ?? r.path }));
    });
    // A scenario may point some variables elsewhere (the Tooling folder's SOBJECT_API_NAME).
    const scenarioEnv = structuredClone(environment);
    const env = typeof scenario.env === 'function' ? scenario.env(ids) : scenario.env ?? {};
    for (const [key, value] of Object.entries(env)) {
      scenarioEnv.values = [...scenarioEnv.values.filter((v) => v.key !== key), { key, value, enabled: true }];
    }
    const { results } = await runNewman({
      collection: buildCollection(requests, `s${s}`),
      environment: scenarioEnv,
      ignoreRedirects: true,
      timeoutRequest: 10000,
      reporters: [],
    });
    requests.forEach((r, i) => {
      const res = results.get(`s${s}-${i}`) ?? { error: 'not sent', scriptErrors: [] };
      const { verdict, why } = judge(EXPECTATIONS[r.key], res, ctx);
      rows.push({ scenario: scenario.name, key: r.key, verdict, why, answer: describeAnswer(res) });
    });
  }
} finally {
  await org.stop();
}

// ---- summary -------------------------------------------------------------------------------------

const count = (v) => rows.filter((r) => r.verdict === v).length;
const answered = count('answered');
const unsupported = rows.filter((r) => r.verdict === 'unsupported');
const regressions = rows.filter((r) => r.verdict === 'regression');
console.log('Postman collection "Salesforce Platform APIs" (2023-06) against sfkit serve, via newman');
for (const scenario of SCENARIOS) {
  const mine = rows.filter((r) => r.scenario === scenario.name);
  const ok = mine.filter((r) => r.verdict === 'answered').length;
  console.log(`  ${scenario.name}: ${mine.length} requests, ${ok} answered as Salesforce would`);
}
console.log(`requests sent: ${rows.length}`);
console.log(`answered as Salesforce would: ${answered}`);
console.log(`not answered (features sfkit does not have yet): ${unsupported.length}`);
for (const r of unsupported) {
  console.log(`  - ${r.key}: ${r.why}${verbose ? ` [got ${r.answer}]` : ''}`);
}
console.log(`regressions (expected to be answered, were not): ${regressions.length}`);
for (const r of regressions) {
  console.log(`  - [${r.scenario}] ${r.key}: ${r.why}\n      got ${r.answer}`);
}
if (verbose) {
  console.log('answered:');
  for (const r of rows.filter((x) => x.verdict === 'answered')) {
    console.log(`  - [${r.scenario}] ${r.key}: ${r.answer}`);
  }
}
if (jsonReport) {
  writeFileSync(jsonReport, `${JSON.stringify({ sent: rows.length, answered, rows }, null, 2)}\n`);
}
process.exit(regressions.length ? 1 : 0);
