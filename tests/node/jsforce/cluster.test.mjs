// The multi-node run's own checks (issue 13): with SFKIT_TEST_CLUSTER_NODES=2 every file of this
// suite runs against two sfkit nodes on one PostgreSQL org behind the round-robin proxy
// (scripts/lb.sh). These tests show that consecutive requests alternate nodes, that what one node
// issued or wrote the other serves, and that the proxy keeps what Salesforce clients depend on:
// the Host (so instance_url and the identity URLs name the proxy), chunked uploads,
// `Expect: 100-continue`, large bodies and kept-alive connections. Skipped on one node.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { test, jsforce, startOrg, oauthConnection, CLUSTER_NODES, VERSION, ADMIN, ADMIN_PASSWORD } from './fixture.mjs';

const skip = CLUSTER_NODES ? false : 'runs behind the proxy only (SFKIT_TEST_CLUSTER_NODES=2)';
let org;
let conn;
before(async () => {
  if (skip) return;
  org = await startOrg();
  conn = await oauthConnection(org);
});
after(async () => {
  await org?.stop();
});

const NODE_HEADER = 'x-sfkit-node';

/**
 * One request through the proxy on `agent` (node:http, so the socket and the interim 100 are
 * visible). `body` is a string or an array of chunks (sent chunked, no Content-Length).
 * Resolves to { status, headers, body, node, reusedSocket, continued }.
 */
function request(method, path, { body, headers = {}, agent, expectContinue = false } = {}) {
  const url = new URL(path, org.url);
  const chunked = Array.isArray(body);
  const h = { Authorization: `Bearer ${conn.accessToken}`, ...headers };
  if (h.Authorization === null) delete h.Authorization; // a request that carries no session
  if (body !== undefined && !chunked) h['Content-Length'] = Buffer.byteLength(body);
  if (expectContinue) h.Expect = '100-continue';
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = http.request(url, { method, headers: h, agent }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(parts).toString('utf8'),
          node: res.headers[NODE_HEADER],
          reusedSocket: req.reusedSocket,
          continued,
        }),
      );
    });
    req.on('error', reject);
    const send = () => {
      if (body === undefined) return req.end();
      if (!chunked) return req.end(body);
      for (const c of body) req.write(c);
      return req.end();
    };
    if (expectContinue) {
      req.on('continue', () => {
        continued = true;
        send();
      });
      req.flushHeaders();
    } else {
      send();
    }
  });
}

const sobjects = `/services/data/v${VERSION}/sobjects`;
const json = { 'Content-Type': 'application/json' };

test('consecutive requests alternate nodes, on one kept-alive connection', { skip }, async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const seen = [];
    for (let i = 0; i < 8; i++) {
      const r = await request('GET', `/services/data/v${VERSION}/limits`, { agent });
      assert.equal(r.status, 200, r.body);
      if (i > 0) assert.equal(r.reusedSocket, true, `request ${i} opened a new connection`);
      seen.push(r.node);
    }
    const addresses = org.nodes.map((n) => n.address);
    for (const node of seen) assert.ok(addresses.includes(node), `${node} is not a node`);
    assert.equal(new Set(seen).size, CLUSTER_NODES, `nodes seen: ${seen.join(' ')}`);
    for (let i = 1; i < seen.length; i++) {
      assert.notEqual(seen[i], seen[i - 1], `requests ${i - 1} and ${i} hit one node: ${seen.join(' ')}`);
    }
  } finally {
    agent.destroy();
  }
});

test('OAuth answers name the proxy, not the node that answered', { skip }, async () => {
  // The token and identity answers come from whichever node the proxy picked; all name the proxy.
  for (let i = 0; i < 2; i++) {
    const c = await oauthConnection(org);
    assert.equal(c.instanceUrl, org.url);
    assert.ok(c.userInfo.url.startsWith(`${org.url}/id/`), c.userInfo.url);
    const identity = await c.identity();
    assert.ok(identity.urls.rest.startsWith(`${org.url}/services/data/v`), identity.urls.rest);
  }
  const soap = new jsforce.Connection({ loginUrl: org.url, version: VERSION });
  await soap.loginBySoap(ADMIN, ADMIN_PASSWORD);
  assert.equal(soap.instanceUrl, org.url);
  const token = await request('POST', '/services/oauth2/token', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: null },
    body: new URLSearchParams({
      grant_type: 'password', client_id: '3MVG9jsforce.key', client_secret: 'jsforce-secret',
      username: ADMIN, password: ADMIN_PASSWORD,
    }).toString(),
  });
  assert.equal(token.status, 200, token.body);
  const t = JSON.parse(token.body);
  assert.equal(t.instance_url, org.url);
  assert.ok(t.id.startsWith(`${org.url}/id/`), t.id);
});

test('a record written through one node is read, updated and deleted through the other', { skip }, async () => {
  const created = await request('POST', `${sobjects}/Account/`, {
    headers: json, body: JSON.stringify({ Name: 'Cluster Written' }),
  });
  assert.equal(created.status, 201, created.body);
  const id = JSON.parse(created.body).id;
  const read = await request('GET', `${sobjects}/Account/${id}?fields=Name`);
  assert.equal(read.status, 200, read.body);
  assert.notEqual(read.node, created.node, 'the read went to the writing node');
  assert.equal(JSON.parse(read.body).Name, 'Cluster Written');
  const updated = await request('PATCH', `${sobjects}/Account/${id}`, {
    headers: json, body: JSON.stringify({ Name: 'Cluster Updated' }),
  });
  assert.equal(updated.status, 204, updated.body);
  const reread = await request('GET', `${sobjects}/Account/${id}?fields=Name`);
  assert.notEqual(reread.node, updated.node);
  assert.equal(JSON.parse(reread.body).Name, 'Cluster Updated');
  const deleted = await request('DELETE', `${sobjects}/Account/${id}`);
  assert.equal(deleted.status, 204, deleted.body);
  const gone = await request('GET', `${sobjects}/Account/${id}`);
  assert.notEqual(gone.node, deleted.node);
  assert.equal(gone.status, 404, gone.body);
});

test('a revoke on one node is seen by the other at once', { skip }, async () => {
  const c = await oauthConnection(org);
  const auth = { Authorization: `Bearer ${c.accessToken}` };
  const ok = await request('GET', `/services/data/v${VERSION}/limits`, { headers: auth });
  assert.equal(ok.status, 200, ok.body);
  const revoked = await request('POST', '/services/oauth2/revoke', {
    headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `token=${encodeURIComponent(c.accessToken)}`,
  });
  assert.equal(revoked.status, 200, revoked.body);
  const after = await request('GET', `/services/data/v${VERSION}/limits`, { headers: auth });
  assert.notEqual(after.node, revoked.node);
  assert.equal(after.status, 401, after.body);
  assert.equal(JSON.parse(after.body)[0].errorCode, 'INVALID_SESSION_ID');
});

test('a chunked upload passes the proxy', { skip }, async () => {
  const body = JSON.stringify({ Name: 'Chunked Upload', Description: 'x'.repeat(5000) });
  const chunks = [body.slice(0, 10), body.slice(10, 2000), body.slice(2000)];
  const r = await request('POST', `${sobjects}/Account/`, { headers: json, body: chunks });
  assert.equal(r.status, 201, r.body);
  const id = JSON.parse(r.body).id;
  const read = await request('GET', `${sobjects}/Account/${id}?fields=Name,Description`);
  assert.equal(JSON.parse(read.body).Description.length, 5000);
});

test('Expect: 100-continue gets its 100 before the body is sent', { skip }, async () => {
  const r = await request('POST', `${sobjects}/Account/`, {
    headers: json, body: JSON.stringify({ Name: 'Expect Continue' }), expectContinue: true,
  });
  assert.equal(r.continued, true, 'no 100 Continue');
  assert.equal(r.status, 201, r.body);
});

test('a large body (200 records, ~6 MB) passes the proxy and is written once', { skip }, async () => {
  const description = 'd'.repeat(30000);
  const records = Array.from({ length: 200 }, (_, i) => ({
    attributes: { type: 'Account' }, Name: `Large Body ${i}`, Description: description,
  }));
  const body = JSON.stringify({ allOrNone: true, records });
  assert.ok(body.length > 6_000_000);
  const r = await request('POST', `/services/data/v${VERSION}/composite/sobjects`, { headers: json, body });
  assert.equal(r.status, 200, r.body.slice(0, 500));
  const results = JSON.parse(r.body);
  assert.equal(results.length, 200);
  assert.ok(results.every((x) => x.success), r.body.slice(0, 500));
  const count = await conn.query("SELECT COUNT() FROM Account WHERE Name LIKE 'Large Body %'");
  assert.equal(count.totalSize, 200);
});

test('the proxy logs which node answered every request', { skip }, async () => {
  const log = org.accessLog();
  assert.ok(log.length > 10, `only ${log.length} requests logged`);
  const addresses = new Set(org.nodes.map((n) => n.address));
  for (const e of log) assert.ok(addresses.has(e.node), `unexpected log line: ${JSON.stringify(e)}`);
  const perNode = {};
  for (const e of log) perNode[e.node] = (perNode[e.node] ?? 0) + 1;
  // Strict round robin over one proxy worker: the counts differ by one at most.
  const counts = Object.values(perNode);
  assert.equal(counts.length, CLUSTER_NODES, JSON.stringify(perNode));
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, JSON.stringify(perNode));
});
