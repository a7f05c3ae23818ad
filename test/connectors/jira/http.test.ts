import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.ts';
import { syncSource } from '../../../src/sync/sync.ts';
import { shapeOf } from '../../../connectors/jira/index.ts';
import { CLOUD, cloudConfig, fixture, harness, useHttpMock } from './helpers.ts';

useHttpMock();

/** A sync that needs only /field and one empty search (sprints off, reconciliation off). */
function quietConfig(over: Record<string, unknown> = {}) {
  return cloudConfig({ projects: [], jql: 'project = PAY', sprintRefreshMinutes: 100_000, reconcileEveryHours: 100_000, ...over });
}

async function run(h: ReturnType<typeof harness>, config = quietConfig()) {
  const s = openStore(':memory:');
  // A stored watermark makes this an incremental sync (a first sync would also reconcile).
  const shape = shapeOf(config);
  s.putSyncState({ source: 'acme', watermark: JSON.stringify({ updated: '2026-11-21T08:00:00.000Z', reconciledAt: '2026-11-21T08:00:00.000Z', sprintsAt: '2026-11-21T08:00:00.000Z', estimateByProject: {}, shape }), cursor: null, lastFullSyncAt: null, lastSyncAt: null });
  return syncSource(h.connector, { store: s, clock: h.clock, log: h.log });
}

describe('Jira HTTP discipline', () => {
  it.each([
    ['a 429', 429, { errorMessages: ['Rate limit exceeded'] }, { 'Retry-After': '7', 'RateLimit-Reason': 'jira-burst-based' }, 7000],
    // jira.js drops the header for 5xx; the fetch observer keeps it.
    ['a 503', 503, 'Service Unavailable', { 'Retry-After': '3', 'Content-Type': 'text/plain' }, 3000],
  ])('waits exactly as long as Retry-After on %s says, then retries', async (_what, status, body, headers, waitMs) => {
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(status, body, headers)
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'))
      .post('/rest/api/3/search/jql')
      .reply(200, fixture('cloud/search-empty.json'));
    const h = harness(quietConfig());

    const result = await run(h);

    expect(result).toMatchObject({ ok: true, requests: 3 });
    expect(h.sleeps).toEqual([waitMs]);
  });

  it('retries 5xx with capped exponential backoff and gives up after maxAttempts with a clear error', async () => {
    nock(CLOUD).get('/rest/api/3/field').times(3).reply(500, { errorMessages: ['Internal server error'] });
    const config = quietConfig({ maxAttempts: 3 });
    const h = harness(config);

    const result = await run(h, config);

    // base 100 ms, jitter pinned at the middle: 75, 150.
    expect(h.sleeps).toEqual([75, 150]);
    expect(result.ok).toBe(false);
    expect(result.error).toBe('acme: Jira sync failed (HTTP 500): Internal server error');
  });

  it('retries an HTML page served with 200 (a proxy or a restart) and a cut-off JSON body', async () => {
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(200, '<html><body><h1>Jira is starting up</h1></body></html>', { 'Content-Type': 'text/html' })
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'))
      .post('/rest/api/3/search/jql')
      .reply(200, '{"issues":[{"id":"10001","key":"PAY-1","fields":{"summ', { 'Content-Type': 'application/json' })
      .post('/rest/api/3/search/jql')
      .reply(200, fixture('cloud/search-empty.json'));
    const h = harness(quietConfig());

    const result = await run(h);

    expect(result).toMatchObject({ ok: true, requests: 4 });
    expect(h.sleeps).toHaveLength(2);
  });

  it('slows down before the limit when X-RateLimit-NearLimit says so', async () => {
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'), { 'X-RateLimit-NearLimit': 'true', 'X-RateLimit-Limit': '350', 'X-RateLimit-Remaining': '40' })
      .post('/rest/api/3/search/jql')
      .reply(200, fixture('cloud/search-empty.json'));
    const h = harness(quietConfig());

    const result = await run(h);

    expect(result.ok).toBe(true);
    // No reset time given: a fixed short pause before the next request.
    expect(h.sleeps).toEqual([1000]);
  });

  it('spreads the remaining budget until the reset when X-RateLimit-Remaining runs low', async () => {
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'), { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '100', 'X-RateLimit-Reset': '2026-11-21T09:01Z' })
      .post('/rest/api/3/search/jql')
      .reply(200, fixture('cloud/search-empty.json'));
    const h = harness(quietConfig());

    await run(h);

    // 10 % left: 60 s to the reset over 100 requests.
    expect(h.sleeps).toEqual([600]);
  });

  it('stops at the request budget and resumes from its watermark next time', async () => {
    nock(CLOUD).get('/rest/api/3/field').reply(200, fixture('cloud/field.json'));
    const config = quietConfig({ maxRequests: 1 });
    const h = harness(config);

    const result = await run(h, config);

    expect(result.ok).toBe(false);
    expect(result.error).toContain('request budget of 1 requests for this sync is spent');
  });

  it('searches project by project when one project is refused, and reports which', async () => {
    const config = cloudConfig({ projects: ['PAY', 'SEC'], sprintRefreshMinutes: 100_000, reconcileEveryHours: 100_000 });
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'))
      .post('/rest/api/3/search/jql', (b: { jql: string }) => b.jql.includes('"PAY", "SEC"'))
      .reply(400, { errorMessages: ["The value 'SEC' does not exist for the field 'project'."], errors: {} })
      .post('/rest/api/3/search/jql', (b: { jql: string }) => b.jql.startsWith('(project in ("PAY"))'))
      .reply(200, fixture('cloud/search-page-2.json'))
      .post('/rest/api/3/search/jql', (b: { jql: string }) => b.jql.startsWith('(project in ("SEC"))'))
      .reply(400, { errorMessages: ["The value 'SEC' does not exist for the field 'project'."], errors: {} });
    const h = harness(config);

    const result = await run(h, config);

    expect(result).toMatchObject({ ok: true, upserted: 1 });
    expect(h.sleeps).toEqual([]);
    const refused = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'Jira refused this project; it is skipped (run `sync --full` once access is granted)');
    expect(refused).toMatchObject({ level: 'error', project: 'SEC', status: 400, reason: "The value 'SEC' does not exist for the field 'project'." });
  });

  it('fails the source when every project is refused', async () => {
    const refused = { errorMessages: ['You do not have permission to view these issues.'], errors: {} };
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'))
      .post('/rest/api/3/search/jql')
      .times(3)
      .reply(403, refused);
    const config = cloudConfig({ projects: ['PAY', 'SEC'], sprintRefreshMinutes: 100_000, reconcileEveryHours: 100_000 });
    const h = harness(config);

    const result = await run(h, config);

    expect(result).toMatchObject({ ok: false, error: 'acme: Jira refused every configured project (PAY, SEC); see the log for each reason' });
  });

  it('closes a full sync cleanly when one project is refused (no resume loop, no reconciliation)', async () => {
    const config = cloudConfig({ projects: ['PAY', 'SEC'] });
    const refused = { errorMessages: ["The value 'SEC' does not exist for the field 'project'."], errors: {} };
    nock(CLOUD)
      .get('/rest/api/3/field')
      .reply(200, fixture('cloud/field.json'))
      .get('/rest/agile/1.0/board')
      .query(true)
      .times(2)
      .reply(200, { maxResults: 50, startAt: 0, total: 0, isLast: true, values: [] })
      .post('/rest/api/3/search/jql', (b: { jql: string }) => b.jql.includes('"PAY", "SEC"'))
      .reply(400, refused)
      .post('/rest/api/3/search/jql', (b: { jql: string }) => b.jql.startsWith('(project in ("PAY"))'))
      .reply(200, fixture('cloud/search-page-2.json'))
      .post('/rest/api/3/search/jql', (b: { jql: string }) => b.jql.startsWith('(project in ("SEC"))'))
      .reply(400, refused);
    const h = harness(config);
    const s = openStore(':memory:');

    const result = await syncSource(h.connector, { store: s, clock: h.clock, log: h.log });

    expect(result).toMatchObject({ ok: true, upserted: 1, removed: 0 });
    expect(s.syncState('acme')).toMatchObject({ cursor: null, lastFullSyncAt: null });
  });

  it('names the likely cause when every answer is an HTML page', async () => {
    nock(CLOUD).get('/rest/api/3/field').times(2).reply(200, '<html><body>Log in with SSO</body></html>', { 'Content-Type': 'text/html' });
    const config = quietConfig({ maxAttempts: 2 });
    const h = harness(config);

    const result = await run(h, config);

    expect(result.error).toBe(
      'acme: Jira sync failed: Expected a JSON response to validate against the schema, got text/html; is baseUrl the Jira site itself, not an SSO login page or a proxy?',
    );
  });
});
