import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.ts';
import { syncSource } from '../../../src/sync/sync.ts';
import { DC, dcConfig, fixture, harness, mockDcPreamble, PAT, useHttpMock } from './helpers.ts';

useHttpMock();

interface DcSearchBody {
  jql: string;
  startAt: number;
  maxResults: number;
  fields: string[];
  expand?: string[];
}

/** A DC site that clamps maxResults to 2 (jira.search.views.default.max) and has no agile boards for OPS. */
function mockDcSite(bodies: DcSearchBody[]) {
  return mockDcPreamble(nock(DC, { reqheaders: { authorization: `Bearer ${PAT}` } }))
    .post('/rest/api/2/search', (b: DcSearchBody) => (bodies.push(b), b.startAt === 0))
    .reply(200, fixture('datacenter/search-page-1.json'))
    .get('/rest/api/2/issue/OPS-1/changelog')
    .query({ startAt: '0', maxResults: '100' })
    .reply(200, fixture('datacenter/changelog-OPS-1-0.json'))
    .get('/rest/api/2/issue/OPS-1/changelog')
    .query({ startAt: '2', maxResults: '100' })
    .reply(200, fixture('datacenter/changelog-OPS-1-2.json'))
    .get('/rest/api/2/status')
    .reply(200, fixture('datacenter/status.json'))
    .post('/rest/api/2/search', (b: DcSearchBody) => (bodies.push(b), b.startAt === 2))
    .reply(200, fixture('datacenter/search-page-2.json'));
}

describe('Jira Data Center sync', () => {
  it('pages /rest/api/2/search by the maxResults the server echoes, with a PAT as Bearer', async () => {
    const bodies: DcSearchBody[] = [];
    mockDcSite(bodies);
    const h = harness(dcConfig());
    const s = openStore(':memory:');

    const result = await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });

    expect(result.error).toBeNull();
    expect(result).toMatchObject({ ok: true, fetched: 3, upserted: 3, quarantined: 0, pages: 2, requests: 7 });
    // Asked for 100, the server answered 2 per page: the next page starts after what came back.
    expect(bodies.map((b) => [b.startAt, b.maxResults])).toEqual([
      [0, 100],
      [2, 100],
    ]);
    expect(bodies[0]).toMatchObject({ jql: '(project in ("OPS")) ORDER BY updated ASC, key ASC', expand: ['changelog'] });
    expect(bodies[0]?.fields).toEqual(expect.arrayContaining(['customfield_10002', 'customfield_10005', 'customfield_10008', 'customfield_10300', 'customfield_10003', 'customfield_10400']));
  });

  it('maps Data Center issues: legacy sprint strings, Epic Link, Parent Link, wiki description, user names', async () => {
    mockDcSite([]);
    const h = harness(dcConfig());
    const s = openStore(':memory:');

    await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });

    expect(s.items.get('corp:OPS-1')).toMatchObject({
      url: 'https://jira.corp.example/browse/OPS-1',
      team: 'Platform',
      typeCategory: 'story',
      statusCategory: 'in_progress',
      assignee: { id: 'JIRAUSER140', name: 'Carl Diaz', email: 'carl@corp.example' },
      estimate: 8,
      priority: 'Major',
      epicKey: 'OPS-50',
      parentKey: 'OPS-50',
      description: 'h3. Acceptance criteria\n* all nodes patched\n* no downtime',
      sprint: { id: '42', name: 'OPS Sprint 42', state: 'active', startDate: '2026-11-09T08:00:00.000Z', endDate: '2026-11-23T08:00:00.000Z' },
      startedAt: '2026-10-28T09:00:00.000Z',
    });
    expect(s.items.get('corp:OPS-50')).toMatchObject({ typeCategory: 'epic', parentKey: 'OPS-1000', epicKey: null });
    expect(s.items.get('corp:OPS-2')).toMatchObject({ statusCategory: 'done', resolvedAt: '2026-11-19T10:00:00.000Z', assignee: null });
    expect(s.items.sprints('corp').map((sp) => [sp.id, sp.name, sp.state, sp.goal, sp.completeDate])).toEqual([
      ['41', 'OPS Sprint 41', 'closed', 'Patch, then upgrade', '2026-11-09T09:00:00.000Z'],
      ['42', 'OPS Sprint 42', 'active', null, null],
    ]);
  });

  it('pages a truncated changelog per issue and keeps every entry once', async () => {
    mockDcSite([]);
    const h = harness(dcConfig());
    const s = openStore(':memory:');

    await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });

    expect(s.items.get('corp:OPS-1')?.history).toEqual([
      { at: '2026-10-27T08:30:00.000Z', field: 'estimate', from: '', to: '5', by: 'Carl Diaz' },
      { at: '2026-11-09T08:05:00.000Z', field: 'sprint', from: '41', to: '41, 42', by: 'Carl Diaz' },
      { at: '2026-11-12T13:00:00.000Z', field: 'estimate', from: '5', to: '8', by: 'Carl Diaz' },
    ]);
    expect(s.items.get('corp:OPS-1')?.transitions).toHaveLength(1);
  });

  it('falls back to the issue with its embedded changelog on servers without the paged endpoint', async () => {
    const whole = fixture<{ values: unknown[] }>('datacenter/changelog-OPS-1-0.json').values.concat(fixture<{ values: unknown[] }>('datacenter/changelog-OPS-1-2.json').values);
    mockDcPreamble(nock(DC))
      .post('/rest/api/2/search')
      .reply(200, { ...fixture<object>('datacenter/search-page-1.json'), total: 2 })
      .get('/rest/api/2/issue/OPS-1/changelog')
      .query(true)
      .reply(404, '<html><title>404 Not Found</title></html>', { 'Content-Type': 'text/html' })
      .get('/rest/api/2/issue/OPS-1')
      .query({ fields: 'key', expand: 'changelog' })
      .reply(200, { id: '20001', key: 'OPS-1', fields: {}, changelog: { startAt: 0, maxResults: 4, total: 4, histories: whole } })
      .get('/rest/api/2/status')
      .reply(200, fixture('datacenter/status.json'));
    const h = harness(dcConfig());
    const s = openStore(':memory:');

    const result = await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });

    expect(result).toMatchObject({ ok: true, upserted: 2 });
    expect(s.items.get('corp:OPS-1')?.history.map((c) => c.field)).toEqual(['estimate', 'sprint', 'estimate']);
  });

  it('re-reads a few issues across each page boundary, so an edit during paging cannot shift one out of sight', async () => {
    const template = fixture<{ issues: Array<{ id: string; key: string; fields: Record<string, unknown>; changelog: unknown }> }>('datacenter/search-page-1.json').issues[1];
    const issue = (n: number) => ({ ...template, id: String(30_000 + n), key: `OPS-${100 + n}`, changelog: { startAt: 0, maxResults: 0, total: 0, histories: [] } });
    const starts: number[] = [];
    mockDcPreamble(nock(DC))
      .post('/rest/api/2/search', (b: DcSearchBody) => (starts.push(b.startAt), b.startAt === 0))
      .reply(200, { startAt: 0, maxResults: 12, total: 20, issues: Array.from({ length: 12 }, (_, i) => issue(i)) })
      .post('/rest/api/2/search', (b: DcSearchBody) => (starts.push(b.startAt), b.startAt === 7))
      .reply(200, { startAt: 7, maxResults: 12, total: 20, issues: Array.from({ length: 12 }, (_, i) => issue(i + 7)) })
      .post('/rest/api/2/search', (b: DcSearchBody) => (starts.push(b.startAt), b.startAt === 14))
      .reply(200, { startAt: 14, maxResults: 12, total: 20, issues: Array.from({ length: 6 }, (_, i) => issue(i + 14)) });
    const h = harness(dcConfig());
    const s = openStore(':memory:');

    const result = await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });

    expect(starts.filter((x, i) => starts.indexOf(x) === i)).toEqual([0, 7, 14]);
    expect(result).toMatchObject({ ok: true, fetched: 30, upserted: 30, quarantined: 0 });
    expect(s.items.count({ source: 'corp' })).toBe(20);
  });

  it('sends user name + password as Basic auth', async () => {
    const basic = `Basic ${Buffer.from('svc-pmo:hunter22').toString('base64')}`;
    nock(DC, { reqheaders: { authorization: basic } }).get('/rest/api/2/serverInfo').reply(200, fixture('datacenter/server-info.json')).get('/rest/api/2/myself').reply(401, { errorMessages: ['Basic auth is disabled'] });
    const h = harness(dcConfig({ auth: { username: 'svc-pmo', password: 'hunter22' } }));

    const checks = await h.connector.check();

    expect(checks).toEqual([
      { name: 'reachable', ok: true, detail: 'https://jira.corp.example answers: Jira 10.3.4 (Server)' },
      { name: 'auth', ok: false, detail: 'HTTP 401: Basic auth is disabled' },
    ]);
  });
});
