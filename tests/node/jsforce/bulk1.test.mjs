// jsforce 3.10.16 Bulk API 1.0 (conn.bulk) against a local org: load() insert, update, upsert by
// external id, delete, with per-row results in request order (a failing row included), and
// query() read back as records; a bad session is jsforce's InvalidSessionId error.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { test, jsforce, startOrg, oauthConnection, rejection } from './fixture.mjs';

let org;
let conn;
before(async () => {
  org = await startOrg();
  conn = await oauthConnection(org);
  conn.bulk.pollInterval = 100; // jsforce polls every second by default
  conn.bulk.pollTimeout = 20000;
});
after(async () => {
  await org?.stop();
});

const ID18 = /^[a-zA-Z0-9]{18}$/;

/** Every record of a Bulk 1.0 query, as jsforce parses its CSV result. */
async function bulkQuery(soql) {
  const stream = await conn.bulk.query(soql);
  const records = [];
  for await (const record of stream) records.push(record);
  return records;
}

test('load insert: one result per row, in request order, failures included', async () => {
  const results = await conn.bulk.load('Account', 'insert', [
    { Name: 'Bulk1 A', Phone: '111', NumberOfEmployees: 3 },
    { Name: '', Phone: 'no name', NumberOfEmployees: 4 }, // an empty cell sets nothing
    { Name: 'Bulk1 B', Phone: '', NumberOfEmployees: 12 },
  ]);
  assert.equal(results.length, 3);
  assert.match(results[0].id, ID18);
  assert.equal(results[0].success, true);
  assert.equal(results[0].created, true);
  assert.deepEqual(results[0].errors, []);
  assert.equal(results[1].id, null);
  assert.equal(results[1].success, false);
  assert.deepEqual(results[1].errors, ['REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --']);
  assert.equal(results[2].success, true);
  const b = await conn.sobject('Account').retrieve(results[2].id);
  assert.equal(b.Name, 'Bulk1 B');
  assert.equal(b.NumberOfEmployees, 12);
});

test('load update and upsert by external id', async () => {
  const [created] = await conn.bulk.load('Account', 'insert', [{ Name: 'Bulk1 U', Ext_Key__c: 'B1-U' }]);
  const updated = await conn.bulk.load('Account', 'update', [{ Id: created.id, Phone: '222' }]);
  assert.deepEqual(updated, [{ id: created.id, success: true, created: false, errors: [] }]);
  const after1 = await conn.sobject('Account').retrieve(created.id);
  assert.equal(after1.Phone, '222');
  assert.equal(after1.Name, 'Bulk1 U', 'an absent column leaves the field alone');

  const upserted = await conn.bulk.load('Account', 'upsert', { extIdField: 'Ext_Key__c' }, [
    { Ext_Key__c: 'B1-U', Name: 'Bulk1 U2' },
    { Ext_Key__c: 'B1-NEW', Name: 'Bulk1 New' },
  ]);
  assert.equal(upserted.length, 2);
  assert.deepEqual(upserted[0], { id: created.id, success: true, created: false, errors: [] });
  assert.match(upserted[1].id, ID18);
  assert.equal(upserted[1].created, true);
  assert.equal((await conn.sobject('Account').retrieve(created.id)).Name, 'Bulk1 U2');
  assert.equal((await conn.sobject('Account').retrieve(upserted[1].id)).Ext_Key__c, 'B1-NEW');
});

test('load delete', async () => {
  const made = await conn.bulk.load('Account', 'insert', [{ Name: 'Bulk1 D1' }, { Name: 'Bulk1 D2' }]);
  const deleted = await conn.bulk.load('Account', 'delete', made.map((r) => ({ Id: r.id })));
  assert.deepEqual(deleted.map((r) => [r.id, r.success, r.created]), made.map((r) => [r.id, true, false]));
  const e = await rejection(conn.sobject('Account').retrieve(made[0].id));
  assert.equal(e.errorCode, 'NOT_FOUND');
});

test('query returns the records as CSV rows', async () => {
  await conn.bulk.load('Account', 'insert', [
    { Name: 'Bulk1 Q 1', Phone: '555' },
    { Name: 'Bulk1 Q 2' },
  ]);
  const records = await bulkQuery("SELECT Id, Name, Phone FROM Account WHERE Name LIKE 'Bulk1 Q %' ORDER BY Name");
  assert.equal(records.length, 2);
  assert.deepEqual(Object.keys(records[0]), ['Id', 'Name', 'Phone']);
  assert.match(records[0].Id, ID18);
  assert.equal(records[0].Name, 'Bulk1 Q 1');
  assert.equal(records[0].Phone, '555');
  assert.equal(records[1].Name, 'Bulk1 Q 2');
  assert.equal(records[1].Phone, '', 'a null is an empty quoted cell');
});

test('a query with a bad field fails the batch with its stateMessage', async () => {
  const e = await rejection(bulkQuery('SELECT Nope__c FROM Account'));
  assert.match(e.message, /^InvalidBatch : Failed to process query: INVALID_FIELD: /);
});

test('a bad session is InvalidSessionId', async () => {
  const bad = new jsforce.Connection({ instanceUrl: conn.instanceUrl, accessToken: 'bogus', version: conn.version });
  const e = await rejection(bad.bulk.load('Account', 'insert', [{ Name: 'x' }]));
  assert.equal(e.name, 'InvalidSessionId');
});
