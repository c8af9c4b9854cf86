// jsforce 3.10.16 data calls against a local org: describeGlobal/describe, create / retrieve /
// update / upsert / destroy of one and of several records, queries over several pages (autoFetch,
// queryMore, find()), SOSL search, limits, the composite resources through requestPost, and the
// exact error names jsforce reports.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { test, jsforce, startOrg, oauthConnection, rejection, VERSION } from './fixture.mjs';

let org;
let conn; // v60.0
let conn41; // same session at v41.0: jsforce sends one request per record below 42.0
before(async () => {
  org = await startOrg();
  conn = await oauthConnection(org);
  conn41 = new jsforce.Connection({
    instanceUrl: conn.instanceUrl, accessToken: conn.accessToken, version: '41.0',
  });
});
after(async () => {
  await org?.stop();
});

const ID18 = /^[a-zA-Z0-9]{18}$/;
const MISSING_ACCOUNT = '001000000000000AAA'; // well-formed, never issued

test('describeGlobal and describe', async () => {
  const global = await conn.describeGlobal();
  assert.equal(global.encoding, 'UTF-8');
  assert.equal(global.maxBatchSize, 200);
  const account = global.sobjects.find((s) => s.name === 'Account');
  assert.equal(account.keyPrefix, '001');
  assert.equal(account.urls.sobject, `/services/data/v${VERSION}/sobjects/Account`);
  const d = await conn.sobject('Account').describe();
  assert.equal(d.name, 'Account');
  const name = d.fields.find((f) => f.name === 'Name');
  assert.equal(name.type, 'string');
  assert.equal(name.length, 255);
  const ext = d.fields.find((f) => f.name === 'Ext_Key__c');
  assert.equal(ext.externalId, true);
  assert.equal(ext.custom, true);
});

test('unknown object: NOT_FOUND', async () => {
  let e = await rejection(conn.describe('Nope__c'));
  assert.equal(e.name, 'NOT_FOUND');
  assert.equal(e.errorCode, 'NOT_FOUND');
  assert.equal(e.message, 'The requested resource does not exist');
  e = await rejection(conn.sobject('Nope__c').create({ Name: 'x' }));
  assert.equal(e.errorCode, 'NOT_FOUND');
});

test('create, retrieve, update, destroy one record', async () => {
  const created = await conn.sobject('Account').create({ Name: 'Single', Phone: '1234567890' });
  assert.deepEqual(Object.keys(created), ['id', 'success', 'errors']);
  assert.match(created.id, ID18);
  assert.equal(created.success, true);
  assert.deepEqual(created.errors, []);
  const got = await conn.sobject('Account').retrieve(created.id);
  assert.deepEqual(got.attributes, {
    type: 'Account', url: `/services/data/v${VERSION}/sobjects/Account/${created.id}`,
  });
  assert.equal(got.Id, created.id);
  assert.equal(got.Name, 'Single');
  assert.equal(got.Phone, '1234567890');
  const some = await conn.sobject('Account').retrieve(created.id, { fields: ['Name'] });
  assert.deepEqual(Object.keys(some).sort(), ['Id', 'Name', 'attributes']);

  const updated = await conn.sobject('Account').update({ Id: created.id, Name: 'Single 2' });
  assert.deepEqual(updated, { id: created.id, success: true, errors: [] });
  assert.equal((await conn.sobject('Account').retrieve(created.id)).Name, 'Single 2');

  const destroyed = await conn.sobject('Account').destroy(created.id);
  assert.deepEqual(destroyed, { id: created.id, success: true, errors: [] });
  const e = await rejection(conn.sobject('Account').retrieve(created.id));
  assert.equal(e.errorCode, 'NOT_FOUND');
});

test('upsert one record by external id', async () => {
  const first = await conn.sobject('Account').upsert({ Name: 'Upserted', Ext_Key__c: 'UP-1' }, 'Ext_Key__c');
  assert.equal(first.success, true);
  assert.equal(first.created, true);
  assert.match(first.id, ID18);
  const second = await conn.sobject('Account').upsert({ Name: 'Upserted again', Ext_Key__c: 'UP-1' }, 'Ext_Key__c');
  assert.equal(second.success, true);
  assert.equal(second.created, false);
  assert.equal(second.id, first.id);
  assert.equal((await conn.sobject('Account').retrieve(first.id)).Name, 'Upserted again');
});

test('several records, one request each (API 41.0)', async () => {
  const created = await conn41.sobject('Account').create([{ Name: 'Many 1' }, { Name: 'Many 2' }, { Name: 'Many 3' }]);
  assert.equal(created.length, 3);
  assert.ok(created.every((r) => r.success && ID18.test(r.id)));
  const ids = created.map((r) => r.id);
  const got = await conn41.sobject('Account').retrieve([...ids, MISSING_ACCOUNT]);
  assert.deepEqual(got.slice(0, 3).map((r) => r.Name), ['Many 1', 'Many 2', 'Many 3']);
  assert.equal(got[3], null, 'jsforce maps a NOT_FOUND record to null');
  const updated = await conn41.sobject('Account').update(ids.map((Id, i) => ({ Id, Name: `Many ${i + 1}b` })));
  assert.deepEqual(updated, ids.map((id) => ({ id, success: true, errors: [] })));
  const upserted = await conn41.sobject('Account').upsert(
    [{ Name: 'Ext A', Ext_Key__c: 'MANY-A' }, { Name: 'Ext B', Ext_Key__c: 'MANY-B' }], 'Ext_Key__c');
  assert.ok(upserted.every((r) => r.success));
  const destroyed = await conn41.sobject('Account').destroy(ids);
  assert.deepEqual(destroyed, ids.map((id) => ({ id, success: true, errors: [] })));
});

test('several records through sObject Collections (API 60.0)', async () => {
  const created = await conn.sobject('Account').create([{ Name: 'Coll 1' }, { Name: 'Coll 2' }]);
  assert.ok(created.every((r) => r.success));
  const ids = created.map((r) => r.id);
  const got = await conn.sobject('Account').retrieve(ids, { fields: ['Name'] });
  assert.deepEqual(got.map((r) => r.Name), ['Coll 1', 'Coll 2']);
  const updated = await conn.sobject('Account').update(ids.map((Id) => ({ Id, Phone: '1' })));
  assert.ok(updated.every((r) => r.success));
  const upserted = await conn.sobject('Account').upsert([{ Name: 'C', Ext_Key__c: 'COLL-1' }], 'Ext_Key__c');
  assert.equal(upserted[0].created, true);
  const destroyed = await conn.sobject('Account').destroy(ids);
  assert.ok(destroyed.every((r) => r.success));
});

test('sObject Collections: every field, per-record errors and allOrNone (API 60.0)', async () => {
  const [created] = await conn.sobject('Account').create([{ Name: 'Coll full', BillingCity: 'Oslo' }]);
  // Without fields, jsforce asks for every field describe lists (compound ones included).
  const [full] = await conn.sobject('Account').retrieve([created.id]);
  assert.equal(full.Name, 'Coll full');
  assert.equal(full.BillingAddress.city, 'Oslo');
  const missing = await conn.sobject('Account').retrieve([MISSING_ACCOUNT], { fields: ['Name'] });
  assert.deepEqual(missing, [null]);

  const partial = await conn.sobject('Contact').create([{ LastName: 'Kept' }, { FirstName: 'No last name' }]);
  assert.equal(partial[0].success, true);
  assert.deepEqual(partial[1], {
    success: false,
    errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }],
  });
  const atomic = await conn.sobject('Contact').create(
    [{ LastName: 'Rolled back' }, { FirstName: 'No last name' }], { allOrNone: true });
  assert.equal(atomic[0].success, false);
  assert.equal(atomic[0].errors[0].statusCode, 'ALL_OR_NONE_OPERATION_ROLLED_BACK');
  const rows = await conn.query("SELECT Id FROM Contact WHERE LastName = 'Rolled back'");
  assert.equal(rows.totalSize, 0);
  const destroyed = await conn.sobject('Account').destroy([created.id, created.id]);
  assert.equal(destroyed[0].success, true);
  assert.equal(destroyed[1].errors[0].statusCode, 'ENTITY_IS_DELETED');
});

test('unknown id: NOT_FOUND from retrieve, update and destroy', async () => {
  let e = await rejection(conn.sobject('Account').retrieve(MISSING_ACCOUNT));
  assert.equal(e.name, 'NOT_FOUND');
  assert.equal(e.message, 'The requested resource does not exist');
  e = await rejection(conn.sobject('Account').update({ Id: MISSING_ACCOUNT, Name: 'x' }));
  assert.equal(e.errorCode, 'NOT_FOUND');
  e = await rejection(conn.sobject('Account').destroy(MISSING_ACCOUNT));
  assert.equal(e.errorCode, 'NOT_FOUND');
});

test('query with autoFetch over several pages, and queryMore', async () => {
  const names = Array.from({ length: 450 }, (_, i) => `Page ${String(i).padStart(3, '0')}`);
  for (let i = 0; i < names.length; i += 25) {
    await Promise.all(names.slice(i, i + 25).map((Name) => conn.sobject('Account').create({ Name })));
  }
  const soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'Page %' ORDER BY Name";
  const headers = { 'Sforce-Query-Options': 'batchSize=200' };
  const q = conn.query(soql, { autoFetch: true, maxFetch: 1000, headers });
  let pages = 0;
  q.on('fetch', () => { pages += 1; });
  const all = await q;
  assert.equal(pages, 3, '450 rows in pages of 200');
  assert.equal(all.totalSize, 450);
  assert.equal(all.done, true);
  assert.deepEqual(all.records.map((r) => r.Name), names);

  // On the wire nextRecordsUrl is relative (§B.11); jsforce hands back its own absolute URL.
  const raw = await conn.request({
    method: 'GET', url: `/services/data/v${VERSION}/query?q=${encodeURIComponent(soql)}`, headers,
  });
  assert.deepEqual(Object.keys(raw), ['totalSize', 'done', 'nextRecordsUrl', 'records']);
  assert.match(raw.nextRecordsUrl, new RegExp(`^/services/data/v${VERSION}/query/01g[a-zA-Z0-9]{15}-200$`));
  const first = await conn.query(soql, { headers });
  assert.equal(first.done, false);
  assert.equal(first.records.length, 200);
  assert.match(first.nextRecordsUrl, new RegExp(`^${org.url}/services/data/v${VERSION}/query/01g[a-zA-Z0-9]{15}-200$`));
  const second = await conn.queryMore(first.nextRecordsUrl, { headers });
  assert.equal(second.records.length, 200);
  assert.equal(second.records[0].Name, 'Page 200');
  assert.equal(second.done, false);
  const third = await conn.queryMore(second.nextRecordsUrl);
  assert.equal(third.done, true);
  assert.equal(third.records.length, 50);
  assert.equal(third.records.at(-1).Name, 'Page 449');
});

test('find() with conditions, sort and limit', async () => {
  await conn.sobject('Account').create({ Name: 'Find Alpha', BillingCity: 'Paris', NumberOfEmployees: 10 });
  await conn.sobject('Account').create({ Name: 'Find Beta', BillingCity: 'Paris', NumberOfEmployees: 200 });
  await conn.sobject('Account').create({ Name: 'Find Gamma', BillingCity: 'Rome', NumberOfEmployees: 30 });
  const rows = await conn.sobject('Account')
    .find({ Name: { $like: 'Find %' }, BillingCity: 'Paris' }, ['Id', 'Name', 'NumberOfEmployees'])
    .sort({ NumberOfEmployees: -1 })
    .limit(5)
    .execute();
  assert.deepEqual(rows.map((r) => r.Name), ['Find Beta', 'Find Alpha']);
  assert.equal(rows[0].NumberOfEmployees, 200);
  const one = await conn.sobject('Account').findOne({ Name: 'Find Gamma' }, ['BillingCity']);
  assert.equal(one.BillingCity, 'Rome');
  const count = await conn.sobject('Account').count({ Name: { $like: 'Find %' } });
  assert.equal(count, 3);
});

test('bad SOQL: MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE', async () => {
  let e = await rejection(conn.query('SELEC Id FROM Account'));
  assert.equal(e.name, 'MALFORMED_QUERY');
  assert.equal(e.errorCode, 'MALFORMED_QUERY');
  e = await rejection(conn.query('SELECT Nope__c FROM Account'));
  assert.equal(e.errorCode, 'INVALID_FIELD');
  assert.match(e.message, /No such column 'Nope__c' on entity 'Account'\. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name\./);
  e = await rejection(conn.query('SELECT Id FROM Nope__c'));
  assert.equal(e.errorCode, 'INVALID_TYPE');
  assert.match(e.message, /sObject type 'Nope__c' is not supported\./);
  assert.match(e.message, /^\nSELECT Id FROM Nope__c\n\s+\^\nERROR at Row:1:Column:16\n/);
});

test('SOSL search', async () => {
  await conn.sobject('Account').create({ Name: 'Searchable Zebra' });
  const res = await conn.search('FIND {Zebra} IN NAME FIELDS RETURNING Account(Id, Name)');
  assert.deepEqual(res.searchRecords.map((r) => r.Name), ['Searchable Zebra']);
  assert.equal(res.searchRecords[0].attributes.type, 'Account');
  const e = await rejection(conn.search('FIND Zebra'));
  assert.equal(e.errorCode, 'MALFORMED_SEARCH');
});

test('Composite through requestPost: references and allOrNone rollback', async () => {
  const base = `/services/data/v${VERSION}`;
  const res = await conn.requestPost(`${base}/composite`, {
    allOrNone: true,
    compositeRequest: [
      { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'refAccount', body: { Name: 'Composite Co' } },
      {
        method: 'POST', url: `${base}/sobjects/Contact`, referenceId: 'refContact',
        body: { LastName: 'Composite', AccountId: '@{refAccount.id}' },
      },
      {
        method: 'GET', referenceId: 'refQuery',
        url: `${base}/query?q=${encodeURIComponent("SELECT Id, Account.Name FROM Contact WHERE LastName = 'Composite'")}`,
      },
    ],
  });
  const [account, contact, query] = res.compositeResponse;
  assert.deepEqual(Object.keys(account), ['body', 'httpHeaders', 'httpStatusCode', 'referenceId']);
  assert.equal(account.httpStatusCode, 201);
  assert.match(account.body.id, ID18);
  assert.deepEqual(account.httpHeaders, { Location: `${base}/sobjects/Account/${account.body.id}` });
  assert.equal(contact.httpStatusCode, 201);
  assert.equal(query.body.records[0].Id, contact.body.id);
  assert.equal(query.body.records[0].Account.Name, 'Composite Co');

  // A failure takes the whole request back; the other subrequests report PROCESSING_HALTED.
  const failed = await conn.requestPost(`${base}/composite`, {
    allOrNone: true,
    compositeRequest: [
      { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'a', body: { Name: 'Never kept' } },
      { method: 'POST', url: `${base}/sobjects/Contact`, referenceId: 'c', body: { AccountId: '@{a.id}' } },
    ],
  });
  assert.deepEqual(failed.compositeResponse[0], {
    body: [{
      errorCode: 'PROCESSING_HALTED',
      message: 'The transaction was rolled back since another operation in the same transaction failed.',
    }],
    httpHeaders: {},
    httpStatusCode: 400,
    referenceId: 'a',
  });
  assert.equal(failed.compositeResponse[1].body[0].errorCode, 'REQUIRED_FIELD_MISSING');
  const kept = await conn.query("SELECT Id FROM Account WHERE Name = 'Never kept'");
  assert.equal(kept.totalSize, 0);

  // A malformed request is refused whole, as an error jsforce raises.
  const e = await rejection(conn.requestPost(`${base}/composite`, {
    compositeRequest: [{ method: 'GET', url: `${base}/limits` }],
  }));
  assert.equal(e.errorCode, 'JSON_PARSER_ERROR');
  assert.equal(e.message, "'referenceId' is a required field.");
});

test('Composite Batch and sObject Tree through requestPost', async () => {
  const batch = await conn.requestPost(`/services/data/v${VERSION}/composite/batch`, {
    haltOnError: true,
    batchRequests: [
      { method: 'POST', url: `v${VERSION}/sobjects/Account`, richInput: { Name: 'Batch Co' } },
      { method: 'GET', url: `v${VERSION}/sobjects/Nope__c` },
      { method: 'GET', url: `v${VERSION}/limits` },
    ],
  });
  assert.equal(batch.hasErrors, true);
  assert.deepEqual(batch.results.map((r) => r.statusCode), [201, 404, 412]);
  assert.equal(batch.results[2].result[0].errorCode, 'BATCH_PROCESSING_HALTED');
  assert.equal((await conn.query("SELECT Id FROM Account WHERE Name = 'Batch Co'")).totalSize, 1);

  const tree = await conn.requestPost(`/services/data/v${VERSION}/composite/tree/Account`, {
    records: [{
      attributes: { type: 'Account', referenceId: 'ref1' },
      Name: 'Tree Co',
      Contacts: { records: [{ attributes: { type: 'Contact', referenceId: 'ref2' }, LastName: 'Leaf' }] },
    }],
  });
  assert.equal(tree.hasErrors, false);
  assert.deepEqual(tree.results.map((r) => r.referenceId), ['ref1', 'ref2']);
  const leaf = await conn.sobject('Contact').retrieve(tree.results[1].id);
  assert.equal(leaf.AccountId, tree.results[0].id);
});

test('limits', async () => {
  const limits = await conn.limits();
  const daily = limits.DailyApiRequests;
  assert.equal(typeof daily.Max, 'number');
  assert.equal(typeof daily.Remaining, 'number');
  assert.ok(daily.Remaining < daily.Max, 'calls made by this suite are counted');
  assert.deepEqual(Object.keys(limits), Object.keys(limits).slice().sort());
});
