import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.ts';
import { syncSource } from '../../../src/sync/sync.ts';
import { fixedClock } from '../../../src/util/clock.ts';
import { API_TOKEN, CLOUD, cloudConfig, fixture, harness, mockCloudPreamble, NOW, useHttpMock, type SearchBody } from './helpers.ts';

useHttpMock();

function store() {
  return openStore(':memory:');
}

/** A first full sync of the PAY fixtures (two search pages), returning the store and harness. */
async function fullSync() {
  const h = harness(cloudConfig());
  const bodies: SearchBody[] = [];
  mockCloudPreamble(nock(CLOUD))
    .post('/rest/api/3/search/jql', (b: SearchBody) => (bodies.push(b), b.nextPageToken === undefined))
    .reply(200, fixture('cloud/search-page-1.json'))
    .post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: ['10002'], fieldIds: ['status', 'assignee', 'duedate', 'priority', 'labels', 'resolution', 'customfield_10020', 'customfield_10016', 'customfield_10021', 'parent'] })
    .reply(200, fixture('cloud/bulk-changelog.json'))
    .get('/rest/api/3/status')
    .reply(200, fixture('cloud/status.json'))
    .post('/rest/api/3/search/jql', (b: SearchBody) => (bodies.push(b), b.nextPageToken === 'CAEaAggD'))
    .reply(200, fixture('cloud/search-page-2.json'));
  const s = store();
  const result = await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });
  return { h, s, result, bodies };
}

describe('Jira Cloud sync', () => {
  it('pulls every page of the enhanced JQL search, with the fields pmo-bot uses and the changelog', async () => {
    const { result, bodies, s } = await fullSync();

    expect(result).toMatchObject({ ok: true, error: null, fetched: 3, upserted: 3, quarantined: 0, removed: 0, pages: 2, requests: 8 });
    expect(bodies[0]).toMatchObject({ jql: '(project in ("PAY")) ORDER BY updated ASC, key ASC', maxResults: 100, expand: 'changelog' });
    expect(bodies[0]?.fields).toEqual(expect.arrayContaining(['summary', 'status', 'parent', 'issuelinks', 'customfield_10016', 'customfield_10026', 'customfield_10020', 'customfield_10021', 'customfield_10015', 'customfield_10050', 'customfield_10100']));
    expect(bodies[0]?.fields).not.toContain('*all');
    expect(bodies[1]?.nextPageToken).toBe('CAEaAggD');
    expect(s.items.count()).toBe(3);
    expect(s.syncState('acme')).toMatchObject({ cursor: null, lastFullSyncAt: NOW });
  });

  it('maps a Cloud story: ADF description, sprint, epic parent, links, assignee with email, history', async () => {
    const { s } = await fullSync();

    const pay1 = s.items.get('acme:PAY-1');
    expect(pay1).toMatchObject({
      url: 'https://acme.atlassian.net/browse/PAY-1',
      project: 'PAY',
      type: 'Story',
      typeCategory: 'story',
      title: 'Pay with a saved card',
      status: 'In Progress',
      statusCategory: 'in_progress',
      assignee: { id: '5b10a2844c20165700ede21g', name: 'Ann Lee', email: 'ann@acme.example' },
      priority: 'Medium',
      labels: ['checkout', 'growth'],
      components: ['payments-api'],
      estimate: 5,
      createdAt: '2026-10-20T07:00:00.000Z',
      updatedAt: '2026-11-18T09:15:00.000Z',
      startedAt: '2026-10-22T07:30:00.000Z',
      resolvedAt: null,
      dueDate: '2026-11-28',
      sprint: { id: '12', name: 'PAY Sprint 12', state: 'active', startDate: '2026-11-02T08:00:00.000Z', endDate: '2026-11-16T08:00:00.000Z' },
      parentKey: 'PAY-100',
      epicKey: 'PAY-100',
      links: [
        { type: 'is blocked by', targetKey: 'PAY-3' },
        { type: 'relates to', targetKey: 'WEB-7' },
      ],
      blocked: true,
    });
    expect(pay1?.description).toBe(
      'Customers can pay with a saved card.\nAcceptance criteria\n- Card is tokenised\n- 3DS challenge shown\nCase | Result\nexpired card | declined\n{"token": "tok_123"}',
    );
    expect(pay1?.fields).toMatchObject({ fixVersions: ['2026.12'], startDate: '2026-10-21', acceptanceCriteria: 'Saved card charged once', 'Risk level': { value: 'High' }, sprintIds: ['11', '12'] });
    expect(pay1?.transitions).toEqual([{ at: '2026-10-22T07:30:00.000Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress', by: 'Ann Lee' }]);
    expect(pay1?.history).toEqual([
      { at: '2026-11-03T09:00:00.000Z', field: 'sprint', from: '11', to: '11, 12', by: 'Ann Lee' },
      { at: '2026-11-04T10:00:00.000Z', field: 'estimate', from: '3', to: '5', by: 'Bob Stone' },
      { at: '2026-11-04T10:00:00.000Z', field: 'assignee', from: 'Bob Stone', to: 'Ann Lee', by: 'Bob Stone' },
    ]);
  });

  it('completes a truncated embedded changelog from the bulk changelog endpoint', async () => {
    const { s } = await fullSync();

    const pay2 = s.items.get('acme:PAY-2');
    expect(pay2?.transitions.map((t) => `${t.at} ${t.from}→${t.to}`)).toEqual([
      '2026-11-02T08:00:00.000Z To Do→In Progress',
      '2026-11-17T11:00:00.000Z In Progress→In Review',
      '2026-11-18T15:40:00.000Z In Review→Done',
    ]);
    expect(pay2).toMatchObject({ typeCategory: 'bug', statusCategory: 'done', startedAt: '2026-11-02T08:00:00.000Z', resolvedAt: '2026-11-18T15:40:00.000Z', priority: 'High' });
    // Privacy settings hide Bob's email: the person is kept without it.
    expect(pay2?.assignee).toEqual({ id: '5b10ac8d82e05b22cc7d4ef5', name: 'Bob Stone', email: null });
    expect(pay2?.history).toContainEqual({ at: '2026-11-03T08:00:00.000Z', field: 'dueDate', from: null, to: '2026-11-20', by: 'Bob Stone' });
  });

  it('stores the agile sprints of the project boards and flags impediments', async () => {
    const { s } = await fullSync();

    expect(s.items.sprints('acme').map((sp) => [sp.key, sp.state, sp.goal, sp.project])).toEqual([
      ['acme:sprint-13', 'future', null, 'PAY'],
      ['acme:sprint-11', 'closed', 'Checkout v2', 'PAY'],
      ['acme:sprint-12', 'active', 'Refunds', 'PAY'],
    ]);
    expect(s.items.get('acme:PAY-3')).toMatchObject({ blocked: true, sprint: null, typeCategory: 'task', fields: { flagged: true, subtasks: ['PAY-4'] } });
  });

  it('syncs incrementally from the watermark with an overlap, deduplicating what the overlap re-reads', async () => {
    const { s, h } = await fullSync();
    const later = fixedClock('2026-11-21T09:45:00.000Z');
    const h2 = harness(cloudConfig(), later);
    let jql = '';
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'))
      .post('/rest/api/3/search/jql', (b: SearchBody) => ((jql = b.jql), true))
      .reply(200, fixture('cloud/search-incremental.json'))
      // The changelog names "To Do" (10000), which this page does not show: statuses are read once.
      .get('/rest/api/3/status')
      .reply(200, fixture('cloud/status.json'));

    const result = await syncSource(h2.connector, { store: s, clock: later, log: h.log });

    // Watermark = PAY-3's updated 2026-11-19T08:05Z: 2,980 minutes before 09:45 on the 21st, plus 5 of overlap.
    expect(jql).toBe('(project in ("PAY")) AND updated >= -2985m ORDER BY updated ASC, key ASC');
    expect(result).toMatchObject({ ok: true, fetched: 1, upserted: 1, removed: 0, requests: 3 });
    expect(s.items.count()).toBe(3);
    expect(s.items.get('acme:PAY-3')).toMatchObject({ statusCategory: 'in_progress', estimate: 3, blocked: false, startedAt: '2026-11-21T07:55:00.000Z' });
    expect(JSON.parse(s.syncState('acme').watermark ?? '{}')).toMatchObject({ updated: '2026-11-21T07:55:00.000Z' });
  });

  it('costs one search request (after field discovery) when nothing changed', async () => {
    const { s, h } = await fullSync();
    const before = s.syncState('acme').watermark;
    nock(CLOUD).get('/rest/api/3/field').reply(200, fixture('cloud/field.json')).post('/rest/api/3/search/jql').reply(200, fixture('cloud/search-empty.json'));

    const result = await syncSource(harness(cloudConfig(), fixedClock('2026-11-21T09:10:00.000Z')).connector, { store: s, clock: h.clock, log: h.log });

    expect(result).toMatchObject({ ok: true, fetched: 0, requests: 2, pages: 1 });
    expect(s.syncState('acme').watermark).toBe(before);
  });

  it('marks items deleted or moved out of scope as removed at the periodic key reconciliation', async () => {
    const { s, h } = await fullSync();
    const dayLater = fixedClock('2026-11-22T09:30:00.000Z');
    let idsBody: SearchBody | undefined;
    mockCloudPreamble(nock(CLOUD))
      .post('/rest/api/3/search/jql', (b: SearchBody) => b.fields.length > 1)
      .reply(200, fixture('cloud/search-empty.json'))
      .post('/rest/api/3/search/jql', (b: SearchBody) => ((idsBody = b), b.fields.length === 1))
      .reply(200, fixture('cloud/search-ids.json'));

    const result = await syncSource(harness(cloudConfig(), dayLater).connector, { store: s, clock: dayLater, log: h.log });

    expect(idsBody).toMatchObject({ jql: '(project in ("PAY")) ORDER BY key ASC', fields: ['key'], maxResults: 5000 });
    expect(result).toMatchObject({ ok: true, removed: 1 });
    expect(s.items.count({ source: 'acme' })).toBe(2);
    expect([...s.items.iterate({ source: 'acme' })].map((i) => i.nativeKey)).toEqual(['PAY-1', 'PAY-3']);
    expect(s.items.count({ source: 'acme', includeRemoved: true })).toBe(3);
  });

  it('quarantines malformed issues with the field and project, and keeps the rest of the page', async () => {
    const h = harness(cloudConfig({ projects: ['PAY'] }));
    mockCloudPreamble(nock(CLOUD)).post('/rest/api/3/search/jql').reply(200, fixture('cloud/search-malformed.json'));
    const s = store();

    const result = await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });

    expect(result).toMatchObject({ ok: true, fetched: 5, upserted: 1, quarantined: 4 });
    expect(s.items.quarantined('acme').map((q) => [q.nativeKey, q.error])).toEqual([
      ['PAY-10', 'fields.status: missing (project PAY)'],
      ['PAY-11', 'fields.customfield_10016: estimate is not a number (got "lots") (project PAY)'],
      ['PAY-13', 'fields.created: not a date-time (got "last tuesday") (project PAY)'],
      ['PAY-14', 'fields: Invalid input: expected record, received undefined'],
    ]);
    expect(s.items.get('acme:PAY-12')).toMatchObject({ type: 'Widget', typeCategory: 'other' });
    expect(h.logs.some((l) => l.includes('Issue type not recognised') && l.includes('"type":"Widget"'))).toBe(true);
  });

  it('fails with a clear, token-free error on a 401 and keeps what is stored', async () => {
    const { s } = await fullSync();
    const h = harness(cloudConfig());
    nock(CLOUD).get('/rest/api/3/field').reply(401, { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });

    const result = await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });

    expect(result.ok).toBe(false);
    expect(result.error).toBe('acme: Jira sync failed (HTTP 401): Client must be authenticated to access this resource.; check the credentials in sources[].auth');
    expect(s.items.count()).toBe(3);
    expect(h.logs.join('\n')).not.toContain(API_TOKEN);
    expect(h.logs.join('\n')).not.toContain(Buffer.from(`pmo-bot@acme.example:${API_TOKEN}`).toString('base64'));
  });

  it('resumes a full sync that failed midway from its watermark, then finishes it and reconciles', async () => {
    const h = harness(cloudConfig({ maxAttempts: 2 }));
    mockCloudPreamble(nock(CLOUD))
      .post('/rest/api/3/search/jql', (b: SearchBody) => b.nextPageToken === undefined)
      .reply(200, fixture('cloud/search-page-1.json'))
      .post('/rest/api/3/changelog/bulkfetch')
      .reply(200, fixture('cloud/bulk-changelog.json'))
      .get('/rest/api/3/status')
      .reply(200, fixture('cloud/status.json'))
      .post('/rest/api/3/search/jql', (b: SearchBody) => b.nextPageToken === 'CAEaAggD')
      .times(2)
      .reply(502, 'Bad Gateway', { 'Content-Type': 'text/plain' });
    const s = store();

    const crashed = await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });
    const afterCrash = s.syncState('acme');

    expect(crashed).toMatchObject({ ok: false, upserted: 2 });
    expect(afterCrash).toMatchObject({ cursor: 'full', lastFullSyncAt: null });
    expect(JSON.parse(afterCrash.watermark ?? '{}')).toMatchObject({ updated: '2026-11-18T15:40:00.000Z' });

    let jql = '';
    mockCloudPreamble(nock(CLOUD))
      .post('/rest/api/3/search/jql', (b: SearchBody) => ((jql = b.jql), b.fields.length > 1))
      .reply(200, fixture('cloud/search-page-2.json'))
      .post('/rest/api/3/search/jql', (b: SearchBody) => b.fields.length === 1)
      .reply(200, fixture('cloud/search-ids.json'));
    const resumed = await syncSource(harness(cloudConfig()).connector, { store: s, clock: h.clock, log: h.log });

    // From PAY-2's updated (15:40 on the 18th) to 09:00 on the 21st: 3,920 minutes, plus 5 of overlap.
    expect(jql).toBe('(project in ("PAY")) AND updated >= -3925m ORDER BY updated ASC, key ASC');
    expect(resumed).toMatchObject({ ok: true, upserted: 1, removed: 1 });
    expect(s.syncState('acme')).toMatchObject({ cursor: null, lastFullSyncAt: NOW });
    expect([...s.items.iterate({ source: 'acme' })].map((i) => i.nativeKey)).toEqual(['PAY-1', 'PAY-3']);
  });

  it('takes everything in scope again when the configured scope or fields change', async () => {
    const { s } = await fullSync();
    const h = harness(cloudConfig({ extraFields: ['Risk level', 'Start date'] }));
    let jql = '';
    mockCloudPreamble(nock(CLOUD))
      .post('/rest/api/3/search/jql', (b: SearchBody) => ((jql = b.jql), true))
      .reply(200, fixture('cloud/search-page-2.json'));

    const result = await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });

    expect(jql).toBe('(project in ("PAY")) ORDER BY updated ASC, key ASC');
    expect(result).toMatchObject({ ok: true, upserted: 1, removed: 2 });
    expect(h.logs.some((l) => l.includes('Jira scope or fields changed since the last sync'))).toBe(true);
  });

  it('never moves the watermark past its own clock, whatever `updated` an issue claims', async () => {
    const page = fixture<{ issues: Array<{ fields: Record<string, unknown> }> }>('cloud/search-page-2.json');
    const issue = page.issues[0];
    if (issue) issue.fields['updated'] = '2099-01-01T00:00:00.000+0000';
    const h = harness(cloudConfig());
    mockCloudPreamble(nock(CLOUD)).post('/rest/api/3/search/jql').reply(200, page);
    const s = store();

    await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });

    expect(JSON.parse(s.syncState('acme').watermark ?? '{}')).toMatchObject({ updated: NOW });
  });

  it("reads the estimate from the field the project's board estimates with when a site has several", async () => {
    const config = fixture<{ estimation: { field: { fieldId: string; displayName: string } } }>('cloud/board-1-configuration.json');
    config.estimation.field = { fieldId: 'customfield_10026', displayName: 'Story Points' };
    const page = fixture<{ issues: Array<{ fields: Record<string, unknown> }> }>('cloud/search-page-2.json');
    const issue = page.issues[0];
    if (issue) Object.assign(issue.fields, { customfield_10016: 1, customfield_10026: 13 });
    const h = harness(cloudConfig());
    mockCloudPreamble(nock(CLOUD), { boardConfiguration: config })
      .post('/rest/api/3/search/jql')
      .reply(200, page);
    const s = store();

    await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });

    expect(s.items.get('acme:PAY-3')?.estimate).toBe(13);
    expect(JSON.parse(s.syncState('acme').watermark ?? '{}')).toMatchObject({ estimateByProject: { PAY: 'customfield_10026' } });
  });
});
