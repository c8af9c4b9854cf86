// jsforce 3.10.16 `conn.bulk2.query(soql)` against a local org: it creates the query job, polls
// it, and reads every results page by following Sforce-Locator until the literal `null`
// (bulk-wire.md §5.2). The 130 records fit the default page (100,000 rows), as a small result
// does on Salesforce: jsforce 3.10.16 pipes every page into one stream that the first page
// ends, so a result of several pages fails in jsforce itself with ERR_STREAM_WRITE_AFTER_END,
// against Salesforce too (jsforce/jsforce#1546, #1693). The locator loop over many pages is
// covered by the wire tests (Bulk2Query.* in tests/integration/bulk2_query_test.cpp).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { test, startOrg, oauthConnection, rejection, VERSION } from './fixture.mjs';

let org;
let conn;
const COUNT = 130;
before(async () => {
  org = await startOrg();
  conn = await oauthConnection(org);
  const records = [];
  for (let i = 1; i <= COUNT; i++) {
    records.push({ Name: `Bulk Query ${String(i).padStart(3, '0')}`, NumberOfEmployees: i });
  }
  for (let at = 0; at < records.length; at += 200) {
    const saved = await conn.sobject('Account').create(records.slice(at, at + 200));
    assert.ok(saved.every((r) => r.success));
  }
});
after(async () => {
  await org?.stop();
});

test('bulk2.query reads every record', async () => {
  const stream = await conn.bulk2.query(
    "SELECT Id, Name, NumberOfEmployees, Owner.Username FROM Account WHERE Name LIKE 'Bulk Query %'",
  );
  const records = await stream.toArray();
  assert.equal(records.length, COUNT);
  const names = new Set(records.map((r) => r.Name));
  assert.equal(names.size, COUNT);
  assert.ok(!names.has('Name'), 'no header row is read as a record');
  const first = records.find((r) => r.Name === 'Bulk Query 007');
  assert.match(first.Id, /^001[a-zA-Z0-9]{15}$/);
  assert.equal(first.NumberOfEmployees, '7');
  assert.equal(first['Owner.Username'], 'admin@acme.test');
});

test('the job is JobComplete with numberRecordsProcessed equal to the rows, then deletable', async () => {
  const jobs = await conn.request(`/services/data/v${VERSION}/jobs/query`);
  assert.equal(jobs.done, true);
  const job = jobs.records.at(-1);
  assert.equal(job.jobType, 'V2Query');
  const info = await conn.request(`/services/data/v${VERSION}/jobs/query/${job.id}`);
  assert.equal(info.state, 'JobComplete');
  assert.equal(info.numberRecordsProcessed, COUNT);
  await conn.request({ method: 'DELETE', url: `/services/data/v${VERSION}/jobs/query/${job.id}` });
  const e = await rejection(conn.request(`/services/data/v${VERSION}/jobs/query/${job.id}`));
  assert.equal(e.errorCode, 'NOT_FOUND');
});

test('queryAll (scanAll) sees deleted records; refusals reject with the errorCode', async () => {
  const gone = await conn.sobject('Account').create({ Name: 'Bulk Gone' });
  await conn.sobject('Account').destroy(gone.id);
  const soql = "SELECT Id, IsDeleted FROM Account WHERE Name = 'Bulk Gone'";
  assert.equal((await (await conn.bulk2.query(soql)).toArray()).length, 0);
  const all = await (await conn.bulk2.query(soql, { scanAll: true })).toArray();
  assert.equal(all.length, 1);
  assert.equal(all[0].IsDeleted, 'true');
  const e = await rejection(conn.bulk2.query('SELECT Name, COUNT(Id) FROM Account GROUP BY Name'));
  assert.equal(e.name, 'API_ERROR');
  assert.equal(e.message, 'GROUP BY not supported in Bulk V2 Query');
});
