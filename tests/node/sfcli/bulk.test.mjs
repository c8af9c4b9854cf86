// The real Salesforce CLI (@salesforce/cli 2.146.3, tests/node/sfcli/package.json) against a local
// org: Bulk API 2.0 sessions as `sf data import|update|upsert|delete|export bulk`, their resume
// commands and `sf data bulk results`, a Bulk API 1.0 job read by `sf data resume`, and the
// everyday REST commands (`data query|create record|get record|update record|delete record`,
// `org display`). Each command runs with --json; every result is checked against what the org
// holds (read back over REST as the same user). The org serves Bulk 2.0 query results in pages of
// 3 rows, so the exports exercise sf's locator loop (header skipped on every later page).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ADMIN, said, startSfSession } from './sf.mjs';

const ID18 = /^[a-zA-Z0-9]{18}$/;
let s;

before(async () => {
  s = await startSfSession({ serveArgs: ['--bulk-query-page-rows', '3'] });
});
after(async () => {
  await s?.stop();
});

function write(name, text) {
  const file = path.join(s.work, name);
  writeFileSync(file, text);
  return file;
}
const read = (name) => readFileSync(path.join(s.work, name), 'utf8');

/** Runs sf, asserting exit 0 and a success JSON envelope; returns `result`. */
async function ok(args) {
  const run = await s.sf(args);
  assert.equal(run.code, 0, said(run));
  assert.equal(run.json?.status, 0, said(run));
  return run.json.result;
}

test('org login access-token and org display describe the local org', async () => {
  assert.equal(s.login.status, 0);
  const orgId18 = s.token.id.split('/').at(-2);
  assert.equal(s.login.result.orgId, orgId18);
  assert.equal(s.login.result.username, ADMIN);
  assert.equal(s.login.result.instanceUrl, `${s.org.url}/`);
  assert.equal(s.login.result.name, 'Acme jsforce');
  const shown = await ok(['org', 'display', '--target-org', 'local']);
  assert.equal(shown.id, orgId18);
  assert.equal(shown.username, ADMIN);
  assert.equal(shown.alias, 'local');
  assert.equal(shown.connectedStatus, 'Connected');
  assert.equal(shown.instanceUrl, `${s.org.url}/`);
  assert.match(shown.apiVersion, /^\d+\.0$/);
});

test('data import bulk --wait: quoting, embedded newline and empty cells round-trip', async () => {
  write(
    'accounts.csv',
    'Name,Phone,Ext_Key__c,Description\n' +
      'Sf One,111,SF-1,plain\n' +
      '"Sf, Two",222,SF-2,"two\nlines"\n' +
      'Sf Three,,SF-3,"say ""hi"""\n' +
      'Sf Four,444,SF-4,\n',
  );
  const r = await ok(['data', 'import', 'bulk', '--sobject', 'Account', '--file', 'accounts.csv',
    '--target-org', 'local', '--wait', '5']);
  assert.match(r.jobId, /^750/);
  assert.equal(r.processedRecords, 4);
  assert.equal(r.successfulRecords, 4);
  assert.equal(r.failedRecords, 0);
  const rows = await s.query("SELECT Name, Phone, Ext_Key__c, Description FROM Account WHERE Ext_Key__c LIKE 'SF-%' ORDER BY Ext_Key__c");
  assert.deepEqual(rows, [
    { Name: 'Sf One', Phone: '111', Ext_Key__c: 'SF-1', Description: 'plain' },
    { Name: 'Sf, Two', Phone: '222', Ext_Key__c: 'SF-2', Description: 'two\nlines' },
    { Name: 'Sf Three', Phone: null, Ext_Key__c: 'SF-3', Description: 'say "hi"' },
    { Name: 'Sf Four', Phone: '444', Ext_Key__c: 'SF-4', Description: null },
  ]);
});

test('data update bulk with a failing row, then data bulk results writes both files', async () => {
  const [one] = await s.query("SELECT Id FROM Account WHERE Ext_Key__c = 'SF-1'");
  write('update.csv', `Id,Phone\n${one.Id},999\n001000000000000AAA,1\n`);
  const run = await s.sf(['data', 'update', 'bulk', '--sobject', 'Account', '--file', 'update.csv',
    '--target-org', 'local', '--wait', '5']);
  // sf exits 1 when any row failed, naming the job whose results hold the details.
  assert.equal(run.code, 1, said(run));
  assert.equal(run.json.name, 'FailedRecordDetailsError', said(run));
  assert.equal(run.json.message, 'Job finished being processed but failed to process 1 records.');
  assert.equal(run.json.data.state, 'JobComplete');
  const jobId = run.json.data.jobId;
  assert.match(jobId, /^750/);
  assert.deepEqual(await s.query("SELECT Phone FROM Account WHERE Ext_Key__c = 'SF-1'"), [{ Phone: '999' }]);

  const res = await ok(['data', 'bulk', 'results', '--job-id', jobId, '--target-org', 'local']);
  assert.equal(res.status, 'JobComplete');
  assert.equal(res.operation, 'update');
  assert.equal(res.object, 'Account');
  assert.equal(res.processedRecords, 2);
  assert.equal(res.successfulRecords, 1);
  assert.equal(res.failedRecords, 1);
  assert.equal(res.successFilePath, `${jobId}-success-records.csv`);
  assert.equal(res.failedFilePath, `${jobId}-failed-records.csv`);
  assert.equal(read(res.successFilePath), `"sf__Id","sf__Created",Id,Phone\n"${one.Id}","false","${one.Id}","999"\n`);
  assert.equal(
    read(res.failedFilePath),
    '"sf__Id","sf__Error",Id,Phone\n' +
      '"001000000000000AAA","INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--","001000000000000AAA","1"\n',
  );
});

test('data upsert bulk --external-id: one update, one insert, results in the JSON', async () => {
  write('upsert.csv', 'Ext_Key__c,Name\nSF-3,Sf Three Renamed\nSF-5,Sf Five\n');
  const r = await ok(['data', 'upsert', 'bulk', '--sobject', 'Account', '--file', 'upsert.csv',
    '--external-id', 'Ext_Key__c', '--target-org', 'local', '--wait', '5']);
  assert.equal(r.jobInfo.state, 'JobComplete');
  assert.equal(r.jobInfo.operation, 'upsert');
  assert.equal(r.jobInfo.externalIdFieldName, 'Ext_Key__c');
  assert.equal(r.jobInfo.numberRecordsProcessed, 2);
  assert.equal(r.jobInfo.numberRecordsFailed, 0);
  const [three] = await s.query("SELECT Id, Name FROM Account WHERE Ext_Key__c = 'SF-3'");
  const [five] = await s.query("SELECT Id, Name FROM Account WHERE Ext_Key__c = 'SF-5'");
  assert.equal(three.Name, 'Sf Three Renamed');
  assert.equal(five.Name, 'Sf Five');
  assert.deepEqual(r.records.successfulResults, [
    { sf__Id: three.Id, sf__Created: 'false', Ext_Key__c: 'SF-3', Name: 'Sf Three Renamed' },
    { sf__Id: five.Id, sf__Created: 'true', Ext_Key__c: 'SF-5', Name: 'Sf Five' },
  ]);
  assert.deepEqual(r.records.failedResults, []);
  assert.deepEqual(r.records.unprocessedRecords, []);
});

test('data export bulk: csv over several result pages, json, --query-file, TAB and CRLF', async () => {
  const expected = await s.query("SELECT Id, Name, Phone FROM Account WHERE Ext_Key__c LIKE 'SF-%' ORDER BY Ext_Key__c");
  assert.equal(expected.length, 5);
  const soql = "SELECT Id, Name, Phone FROM Account WHERE Ext_Key__c LIKE 'SF-%' ORDER BY Ext_Key__c";
  const csv = await ok(['data', 'export', 'bulk', '--query', soql, '--output-file', 'export.csv',
    '--target-org', 'local', '--wait', '5']);
  assert.equal(csv.totalSize, 5);
  assert.equal(csv.filePath, 'export.csv');
  const q = (v) => (v === null ? '' : `"${v}"`);
  assert.equal(
    read('export.csv'),
    `"Id","Name","Phone"\n${expected.map((r) => [r.Id, r.Name, r.Phone].map(q).join(',') + '\n').join('')}`,
  );

  const json = await ok(['data', 'export', 'bulk', '--query', soql, '--output-file', 'export.json',
    '--result-format', 'json', '--target-org', 'local', '--wait', '5']);
  assert.equal(json.totalSize, 5);
  // Bulk query CSV has no null: an empty cell comes back as "".
  assert.deepEqual(JSON.parse(read('export.json')), expected.map((r) => ({ ...r, Phone: r.Phone ?? '' })));

  writeFileSync(path.join(s.work, 'contacts.soql'), "SELECT Id, LastName, Account.Name FROM Contact WHERE LastName = 'Kontakt'");
  const [acct] = await s.query("SELECT Id FROM Account WHERE Ext_Key__c = 'SF-2'");
  const created = await s.rest('/sobjects/Contact', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ LastName: 'Kontakt', AccountId: acct.Id }),
  });
  assert.equal(created.status, 201);
  const tab = await ok(['data', 'export', 'bulk', '--query-file', 'contacts.soql', '--output-file', 'contacts.tsv',
    '--column-delimiter', 'TAB', '--line-ending', 'CRLF', '--target-org', 'local', '--wait', '5']);
  assert.equal(tab.totalSize, 1);
  assert.equal(
    read('contacts.tsv'),
    `"Id"\t"LastName"\t"Account.Name"\r\n"${created.body.id}"\t"Kontakt"\t"Sf, Two"\r\n`,
  );
});

test('data delete bulk, then data export bulk --all-rows sees the deleted rows', async () => {
  const [four] = await s.query("SELECT Id FROM Account WHERE Ext_Key__c = 'SF-4'");
  write('delete.csv', `Id\n${four.Id}\n`);
  const r = await ok(['data', 'delete', 'bulk', '--sobject', 'Account', '--file', 'delete.csv',
    '--target-org', 'local', '--wait', '5']);
  assert.equal(r.jobInfo.operation, 'delete');
  assert.equal(r.jobInfo.numberRecordsProcessed, 1);
  assert.deepEqual(r.records.successfulResults, [{ sf__Id: four.Id, sf__Created: 'false', Id: four.Id }]);
  assert.deepEqual(await s.query("SELECT Id FROM Account WHERE Ext_Key__c = 'SF-4'"), []);

  const all = await ok(['data', 'export', 'bulk', '--query', 'SELECT Id, IsDeleted FROM Account WHERE IsDeleted = true',
    '--all-rows', '--output-file', 'deleted.csv', '--target-org', 'local', '--wait', '5']);
  assert.equal(all.totalSize, 1);
  assert.equal(read('deleted.csv'), `"Id","IsDeleted"\n"${four.Id}","true"\n`);
});

test('data import bulk without --wait, then data import resume', async () => {
  write('async.csv', 'Name,Ext_Key__c\nAsync A,AS-1\nAsync B,AS-2\n');
  const started = await ok(['data', 'import', 'bulk', '--sobject', 'Account', '--file', 'async.csv',
    '--target-org', 'local']);
  assert.match(started.jobId, /^750/);
  assert.deepEqual(Object.keys(started), ['jobId']);
  const done = await ok(['data', 'import', 'resume', '--job-id', started.jobId, '--wait', '5']);
  assert.equal(done.jobId, started.jobId);
  assert.equal(done.processedRecords, 2);
  assert.equal(done.successfulRecords, 2);
  assert.equal(done.failedRecords, 0);
  const rows = await s.query("SELECT Name FROM Account WHERE Ext_Key__c LIKE 'AS-%' ORDER BY Name");
  assert.deepEqual(rows, [{ Name: 'Async A' }, { Name: 'Async B' }]);
  // --use-most-recent reads sf's own cache of the job it started.
  const recent = await ok(['data', 'import', 'resume', '--use-most-recent', '--wait', '5']);
  assert.equal(recent.jobId, started.jobId);
});

test('data export bulk without --wait, then data export resume', async () => {
  const started = await ok(['data', 'export', 'bulk', '--query', "SELECT Name FROM Account WHERE Ext_Key__c LIKE 'AS-%' ORDER BY Name",
    '--output-file', 'async.json', '--result-format', 'json', '--target-org', 'local']);
  assert.match(started.jobId, /^750/);
  const done = await ok(['data', 'export', 'resume', '--job-id', started.jobId]);
  assert.equal(done.totalSize, 2);
  assert.equal(done.filePath, 'async.json');
  assert.deepEqual(JSON.parse(read('async.json')), [{ Name: 'Async A' }, { Name: 'Async B' }]);
});

test('data delete bulk --hard-delete, and data delete bulk -w 0 then data delete resume', async () => {
  const [a] = await s.query("SELECT Id FROM Account WHERE Ext_Key__c = 'AS-1'");
  write('hard.csv', `Id\n${a.Id}\n`);
  const r = await ok(['data', 'delete', 'bulk', '--sobject', 'Account', '--file', 'hard.csv', '--hard-delete',
    '--target-org', 'local', '--wait', '5']);
  assert.equal(r.jobInfo.operation, 'hardDelete');
  assert.equal(r.jobInfo.numberRecordsProcessed, 1);
  // Hard-deleted rows skip the recycle bin: queryAll no longer finds them.
  assert.deepEqual(await s.query(`SELECT Id FROM Account WHERE Id = '${a.Id}'`, { all: true }), []);

  // -w 0 starts the job and records it in sf's resume cache (only async runs are cached).
  const [b] = await s.query("SELECT Id FROM Account WHERE Ext_Key__c = 'AS-2'");
  write('soft.csv', `Id\n${b.Id}\n`);
  const started = await ok(['data', 'delete', 'bulk', '--sobject', 'Account', '--file', 'soft.csv', '-w', '0',
    '--target-org', 'local']);
  const jobId = started.jobInfo.id;
  assert.match(jobId, /^750/);
  const resumed = await ok(['data', 'delete', 'resume', '--job-id', jobId, '--wait', '5']);
  assert.equal(resumed.jobInfo.id, jobId);
  assert.equal(resumed.jobInfo.state, 'JobComplete');
  assert.equal(resumed.jobInfo.operation, 'delete');
  assert.deepEqual(resumed.records.successfulResults, [{ sf__Id: b.Id, sf__Created: 'false', Id: b.Id }]);
  assert.deepEqual(await s.query(`SELECT Id, IsDeleted FROM Account WHERE Id = '${b.Id}'`, { all: true }), [{ Id: b.Id, IsDeleted: true }]);
});

test('a Bulk API 1.0 job and batch read by sf data resume', async () => {
  const session = s.token.access_token;
  const base = `${s.org.url}/services/async/${'60.0'}`;
  const job = await fetch(`${base}/job`, {
    method: 'POST',
    headers: { 'X-SFDC-Session': session, 'Content-Type': 'application/json' },
    body: JSON.stringify({ operation: 'insert', object: 'Account', contentType: 'CSV' }),
  }).then((r) => r.json());
  assert.match(job.id, /^750/);
  // A CSV job answers its batches in XML, whatever the job was created with.
  const xmlText = (xml, tag) => xml.match(new RegExp(`<${tag}>([^<]*)</${tag}>`))?.[1];
  const batchXml = await fetch(`${base}/job/${job.id}/batch`, {
    method: 'POST',
    headers: { 'X-SFDC-Session': session, 'Content-Type': 'text/csv' },
    body: 'Name,Ext_Key__c\nV1 A,V1-1\nV1 B,V1-2\n',
  }).then((r) => r.text());
  const batch = { id: xmlText(batchXml, 'id') };
  assert.match(batch.id, /^751/);
  for (let i = 0; i < 100; i++) {
    const info = await fetch(`${base}/job/${job.id}/batch/${batch.id}`, { headers: { 'X-SFDC-Session': session } }).then((r) => r.text());
    if (['Completed', 'Failed'].includes(xmlText(info, 'state'))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const jobStatus = await ok(['data', 'resume', '--job-id', job.id, '--target-org', 'local']);
  assert.equal(jobStatus.id, job.id);
  assert.equal(jobStatus.object, 'Account');
  assert.equal(jobStatus.operation, 'insert');
  assert.equal(jobStatus.numberBatchesCompleted, '1');
  assert.equal(jobStatus.numberRecordsProcessed, '2');
  const batches = await ok(['data', 'resume', '--job-id', job.id, '--batch-id', batch.id, '--target-org', 'local']);
  assert.equal(batches.length, 1);
  assert.equal(batches[0].id, batch.id);
  assert.equal(batches[0].state, 'Completed');
  assert.equal(batches[0].numberRecordsProcessed, '2');
  // Job and batch dates in whole seconds, as recorded (…:59.000Z).
  for (const date of [jobStatus.createdDate, jobStatus.systemModstamp, batches[0].createdDate, batches[0].systemModstamp]) {
    assert.match(date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  }
  assert.deepEqual(await s.query("SELECT Name FROM Account WHERE Ext_Key__c LIKE 'V1-%' ORDER BY Name"), [{ Name: 'V1 A' }, { Name: 'V1 B' }]);
});

test('data create record, get record, update record, query and delete record', async () => {
  const created = await ok(['data', 'create', 'record', '--sobject', 'Account', '--values',
    "Name='Rec One' Phone=555 Ext_Key__c=R-1", '--target-org', 'local']);
  assert.match(created.id, ID18);
  assert.equal(created.success, true);
  const got = await ok(['data', 'get', 'record', '--sobject', 'Account', '--record-id', created.id, '--target-org', 'local']);
  assert.equal(got.Id, created.id);
  assert.equal(got.Name, 'Rec One');
  assert.equal(got.Phone, '555');
  assert.equal(got.attributes.type, 'Account');
  await ok(['data', 'update', 'record', '--sobject', 'Account', '--where', 'Ext_Key__c=R-1', '--values', 'Phone=556',
    '--target-org', 'local']);
  const byWhere = await ok(['data', 'get', 'record', '--sobject', 'Account', '--where', 'Ext_Key__c=R-1', '--target-org', 'local']);
  assert.equal(byWhere.Phone, '556');

  const q = await ok(['data', 'query', '--query', "SELECT Id, Name, Phone FROM Account WHERE Ext_Key__c = 'R-1'", '--target-org', 'local']);
  assert.equal(q.totalSize, 1);
  assert.equal(q.done, true);
  assert.equal(q.records[0].Id, created.id);
  assert.equal(q.records[0].Phone, '556');
  const csv = await ok(['data', 'query', '--query', "SELECT Id, Name, Account.Name FROM Contact WHERE LastName = 'Kontakt'",
    '--result-format', 'csv', '--output-file', 'contacts-query.csv', '--target-org', 'local']);
  assert.equal(csv.totalSize, 1);
  assert.equal(read('contacts-query.csv'), `Id,Name,Account.Name\n${csv.records[0].Id},Kontakt,"Sf, Two"\n`);

  await ok(['data', 'delete', 'record', '--sobject', 'Account', '--record-id', created.id, '--target-org', 'local']);
  assert.deepEqual(await s.query(`SELECT Id FROM Account WHERE Id = '${created.id}'`), []);
  assert.ok(!readdirSync(s.work).includes('undefined'));
});
