// jsforce 3.10.16 against the UI resources and the Tooling API (docs/rest-api.md "UI resources",
// docs/tooling.md): describe layouts, compact layouts, list views and their results, recent,
// tabs, theme, quick actions, and conn.tooling's describe, query and executeAnonymous.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { test, startOrg, oauthConnection, VERSION } from './fixture.mjs';

let org;
let conn;
before(async () => {
  org = await startOrg();
  conn = await oauthConnection(org);
  await conn.sobject('Account').create([{ Name: 'Layout one' }, { Name: 'Layout two' }]);
});
after(async () => {
  await org?.stop();
});

test('layouts and compact layouts', async () => {
  const layouts = await conn.sobject('Account').layouts();
  assert.equal(layouts.recordTypeMappings[0].recordTypeId, '012000000000000AAA');
  assert.match(layouts.layouts[0].id, /^00h/);
  const compact = await conn.sobject('Contact').compactLayouts();
  assert.equal(compact.compactLayouts[0].name, 'SYSTEM');
  const approval = await conn.sobject('Account').approvalLayouts();
  assert.deepEqual(approval, { approvalLayouts: [] });
});

test('list views, their describe and results', async () => {
  const { listviews } = await conn.sobject('Account').listviews();
  const all = listviews.find((v) => v.developerName === 'AllAccounts');
  const view = conn.sobject('Account').listview(all.id);
  const described = await view.describe();
  assert.match(described.query, /^SELECT Name, .* FROM Account ORDER BY Name ASC NULLS FIRST/);
  const results = await view.results();
  assert.equal(results.size, 2);
  const names = results.records.map((r) => r.columns.find((c) => c.fieldNameOrPath === 'Name').value);
  assert.deepEqual(names, ['Layout one', 'Layout two']);
});

test('recent, tabs, theme, quick actions', async () => {
  assert.deepEqual(await conn.recent(), []);
  const tabs = await conn.tabs();
  assert.ok(tabs.some((t) => t.name === 'standard-Account'));
  const theme = await conn.theme();
  assert.ok(theme.themeItems.some((t) => t.name === 'Account'));
  const actions = await conn.quickActions();
  assert.ok(actions.some((a) => a.name === 'LogACall'));
});

test('tooling: describeGlobal, query, executeAnonymous', async () => {
  const global = await conn.tooling.describeGlobal();
  assert.ok(global.sobjects.some((s) => s.name === 'EntityDefinition'));
  const result = await conn.tooling.query(
    "SELECT QualifiedApiName, KeyPrefix FROM EntityDefinition WHERE QualifiedApiName = 'Account'");
  assert.equal(result.totalSize, 1);
  assert.equal(result.records[0].KeyPrefix, '001');
  assert.equal(result.records[0].attributes.url.startsWith(`/services/data/v${VERSION}/tooling/sobjects/EntityDefinition/`), true);
  const fields = await conn.tooling.query(
    "SELECT QualifiedApiName FROM FieldDefinition WHERE EntityDefinition.QualifiedApiName = 'Account'");
  assert.ok(fields.records.some((f) => f.QualifiedApiName === 'Ext_Key__c'));
  const run = await conn.tooling.executeAnonymous("System.debug('x');");
  assert.equal(run.compiled, false);
  assert.equal(run.success, false);
  assert.match(run.compileProblem, /no Apex runtime/);
});
