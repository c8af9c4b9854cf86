// jsforce 3.10.16 Bulk API 2.0 ingest against a local org: conn.bulk2.loadAndWaitForResults for
// insert, update, upsert and delete (jsforce's own calls: create job, PUT the CSV it writes,
// PATCH UploadComplete, poll, then the three result CSVs), checking the successful and failed
// results as jsforce parses them, and the job calls of IngestJobV2 one by one.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { test, startOrg, oauthConnection, rejection } from './fixture.mjs';

let org;
let conn;
before(async () => {
  org = await startOrg();
  conn = await oauthConnection(org);
  conn.bulk2.pollInterval = 200;
  conn.bulk2.pollTimeout = 20000;
});
after(async () => {
  await org?.stop();
});

const ID18 = /^[a-zA-Z0-9]{18}$/;

test('insert: successful and failed results', async () => {
  const res = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'insert',
    input: [
      { Name: 'Bulk2 One', Phone: '100', Ext_Key__c: 'B2-1' },
      { Name: 'Bulk2 Two', Phone: null, Ext_Key__c: 'B2-2' },
      { Phone: '300' },
    ],
  });
  assert.equal(res.successfulResults.length, 2);
  for (const r of res.successfulResults) {
    assert.match(r.sf__Id, ID18);
    assert.equal(r.sf__Created, 'true');
  }
  assert.deepEqual(
    res.successfulResults.map((r) => r.Name).sort(),
    ['Bulk2 One', 'Bulk2 Two'],
  );
  // The live-org assertion of jsforce's own bulk2 test (bulk-wire.md §2.9).
  assert.equal(res.failedResults.length, 1);
  assert.equal(res.failedResults[0].sf__Id, '');
  assert.equal(
    res.failedResults[0].sf__Error,
    'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --',
  );
  assert.deepEqual(res.unprocessedRecords, []);
  const found = await conn.query("SELECT Name, Phone FROM Account WHERE Name LIKE 'Bulk2 %' ORDER BY Name");
  assert.deepEqual(found.records.map((r) => [r.Name, r.Phone]), [['Bulk2 One', '100'], ['Bulk2 Two', null]]);
});

test('update, upsert and delete', async () => {
  const ids = (await conn.query("SELECT Id, Name FROM Account WHERE Name LIKE 'Bulk2 %' ORDER BY Name")).records;
  const update = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'update',
    input: [
      { Id: ids[0].Id, Phone: '111' },
      { Id: '001000000000000AAA', Phone: '222' },
    ],
  });
  assert.equal(update.successfulResults.length, 1);
  assert.equal(update.successfulResults[0].sf__Id, ids[0].Id);
  assert.equal(update.successfulResults[0].sf__Created, 'false');
  assert.equal(update.failedResults.length, 1);
  assert.equal(update.failedResults[0].sf__Id, '001000000000000AAA');
  assert.equal(update.failedResults[0].sf__Error, 'INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--');
  assert.equal((await conn.sobject('Account').retrieve(ids[0].Id)).Phone, '111');

  const upsert = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'upsert',
    externalIdFieldName: 'Ext_Key__c',
    input: [
      { Ext_Key__c: 'B2-2', Name: 'Bulk2 Two Renamed' },
      { Ext_Key__c: 'B2-3', Name: 'Bulk2 Three' },
    ],
  });
  assert.deepEqual(upsert.failedResults, []);
  const byKey = Object.fromEntries(upsert.successfulResults.map((r) => [r.Ext_Key__c, r]));
  assert.equal(byKey['B2-2'].sf__Created, 'false');
  assert.equal(byKey['B2-2'].sf__Id, ids[1].Id);
  assert.equal(byKey['B2-3'].sf__Created, 'true');
  assert.match(byKey['B2-3'].sf__Id, ID18);

  const del = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'delete',
    input: [{ Id: ids[0].Id }, { Id: byKey['B2-3'].sf__Id }],
  });
  assert.equal(del.successfulResults.length, 2);
  assert.ok(del.successfulResults.every((r) => r.sf__Created === 'false'));
  const left = await conn.query("SELECT Name FROM Account WHERE Name LIKE 'Bulk2 %'");
  assert.deepEqual(left.records.map((r) => r.Name), ['Bulk2 Two Renamed']);
});

test('IngestJobV2 step by step: open, upload, close, poll, job info', async () => {
  const job = conn.bulk2.createJob({ object: 'Account', operation: 'insert', lineEnding: 'LF' });
  await job.open();
  assert.match(job.id, /^750[a-zA-Z0-9]{15}$/);
  assert.equal(job.getInfo().state, 'Open');
  await job.uploadData('Name,Phone\nStep One,1\nStep Two,2\n');
  await job.close();
  await job.poll(200, 20000);
  const info = await job.check();
  assert.equal(info.state, 'JobComplete');
  assert.equal(info.numberRecordsProcessed, 2);
  assert.equal(info.numberRecordsFailed, 0);
  const ok = await job.getSuccessfulResults();
  assert.deepEqual(ok.map((r) => r.Name).sort(), ['Step One', 'Step Two']);
  await job.delete();
  const e = await rejection(job.check());
  assert.equal(e.name, 'NOT_FOUND');
  assert.equal(e.message, 'The requested resource does not exist');
});

test('a job that fails reports its errorMessage through jsforce', async () => {
  const e = await rejection(conn.bulk2.loadAndWaitForResults({
    object: 'Account', operation: 'insert', input: 'Name,Nope__c\nX,y\n',
  }));
  assert.match(e.message, /InvalidBatch : Field name not found : Nope__c/);
});
