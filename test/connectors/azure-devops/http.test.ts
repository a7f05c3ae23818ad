import { describe, expect, it } from 'vitest';
import { classifyAdoError, slowDownMs, toAdoError } from '../../../connectors/azure-devops/client.ts';
import { FakeAdo } from './fake-ado.ts';
import { ORG, PAT, captureLog, config, connector, makeFake, newStore, project, route, story, sync, useNock, virtualTime } from './helpers.ts';

const FEED = /reporting\/workItemRevisions$/;
const BATCH = /workItemsBatch$/;

describe('classifying typed-rest-client errors', () => {
  const sdkError = (statusCode: number, headers: Record<string, string> = {}) => Object.assign(new Error('boom'), { statusCode, responseHeaders: headers });

  it.each([
    [sdkError(429, { 'retry-after': '12' }), { kind: 'rate-limit', retryAfterMs: 12_000, status: 429 }],
    [sdkError(503), { kind: 'transient', retryAfterMs: null, status: 503 }],
    [sdkError(500, { 'retry-after': '2' }), { kind: 'transient', retryAfterMs: 2000, status: 500 }],
    [sdkError(401), { kind: 'fatal', status: 401 }],
    [sdkError(400), { kind: 'fatal', status: 400 }],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), { kind: 'transient' }],
  ])('%#', (err, expected) => {
    expect(classifyAdoError(toAdoError(err, 'x'))).toEqual(expected);
  });

  it.each([
    [{ delay: 0.25 }, 250],
    [{ limit: 200, remaining: 150 }, 0],
    [{ limit: 200, remaining: 12 }, 1000],
    [{ limit: 200, remaining: 0, delay: 3.5 }, 3500],
    [undefined, 0],
  ])('slows down for %j by %i ms', (hint, ms) => {
    expect(slowDownMs(hint)).toBe(ms);
  });

  it('keeps HTML pages out of messages', () => {
    expect(toAdoError(Object.assign(new Error('<!DOCTYPE html><html>…long page…</html>'), { statusCode: 500 }), 'revisions of P').message).toBe('revisions of P: HTTP 500: an HTML page instead of JSON (HTTP 500)');
  });
});

describe('azure-devops HTTP discipline', () => {
  useNock();

  it('waits out a 429 for its Retry-After, then carries on', async () => {
    const fake = makeFake();
    route(fake);
    story(fake);
    fake.fail({
      path: FEED,
      status: 429,
      headers: { 'Retry-After': '7', 'X-RateLimit-Resource': 'ATCPU', 'X-RateLimit-Limit': '200', 'X-RateLimit-Remaining': '0' },
      body: JSON.stringify({ message: 'TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource ATCPU in namespace User.' }),
    });
    const time = virtualTime();

    const { result } = await sync(connector(config(), undefined, time.policy));

    expect(result).toMatchObject({ ok: true, upserted: 1 });
    expect(fake.count(FEED)).toBe(2);
    expect(time.sleeps[0]).toBe(7000);
  });

  it('retries a 5xx with exponential backoff and jitter', async () => {
    const fake = makeFake();
    route(fake);
    story(fake);
    fake.fail({ path: BATCH, status: 503, times: 2, body: '<!DOCTYPE html><html><body>Service Unavailable</body></html>' });
    const time = virtualTime();

    const { result } = await sync(connector(config(), undefined, time.policy));

    expect(result).toMatchObject({ ok: true, upserted: 1 });
    expect(fake.count(BATCH)).toBe(3);
    // base 500 ms: half the backoff plus random (0.5) times the other half.
    expect(time.sleeps).toEqual([375, 750]);
  });

  it.each([
    ['as soon as Azure DevOps announces a delay (X-RateLimit-Delay)', { 'X-RateLimit-Delay': '1.5', 'X-RateLimit-Limit': '200', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1795000000' }, 1500],
    ['when X-RateLimit-Remaining runs low, before any delay', { 'X-RateLimit-Limit': '200', 'X-RateLimit-Remaining': '8' }, 1000],
  ])('slows down %s', async (_, headers, ms) => {
    const fake = makeFake({ extraHeaders: { 'X-RateLimit-Resource': 'ATCPU', ...headers } });
    route(fake);
    story(fake);
    const time = virtualTime();

    const { result } = await sync(connector(config(), undefined, time.policy));

    expect(result.ok).toBe(true);
    expect(time.sleeps.length).toBeGreaterThan(0);
    expect(time.sleeps.every((w) => w === ms)).toBe(true);
  });

  it('gives up on a persistent 5xx with a one-line message naming the project', async () => {
    const fake = makeFake();
    route(fake);
    story(fake);
    fake.fail({ path: FEED, status: 502, times: 10, headers: { 'content-type': 'text/html' }, body: '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>' });

    const { result } = await sync(connector(config()));

    expect(result.ok).toBe(false);
    expect(result.error).toBe('Fabrikam: ado: revisions of Fabrikam: HTTP 502: an HTML page instead of JSON (HTTP 502) (gave up after 5 attempts)');
    expect(fake.count(FEED)).toBe(5);
  });

  it.each([
    ['a 403 on one project', { status: 403, body: JSON.stringify({ message: 'TF400813: The user is not authorized to access this resource.' }) }, /ERP: revisions of ERP: HTTP 403: TF400813/],
    ['a 404 (project renamed)', { status: 404, body: '' }, /ERP: revisions of ERP: no JSON in the reply/],
    ['truncated JSON', { status: 200, body: '{"values":[{"id":1,"rev":1,"fie' }, /ERP: revisions of ERP: no JSON in the reply/],
    ['an HTML sign-in page', { status: 203, headers: { 'content-type': 'text/html' }, body: '<html><head><title>Azure DevOps Services | Sign In</title></head></html>' }, /ERP: revisions of ERP: no JSON in the reply/],
  ])('%s: reported with the project, the other projects still sync', async (_, fault, message) => {
    const fake = new FakeAdo({ orgUrl: ORG, auth: { pat: PAT }, projects: [project('ERP', 'scrum'), project('Fabrikam', 'agile')] });
    route(fake);
    const id = story(fake);
    fake.fail({ path: /^\/ERP\/_apis\/wit\/reporting/, ...fault, times: 10 });
    const { log, lines } = captureLog();

    const { result, store } = await sync(connector(config({ projects: ['ERP', 'Fabrikam'] }), log));

    expect(result.ok).toBe(false);
    expect(result.error).toMatch(message);
    expect(store.items.get(`ado:${id}`)).toMatchObject({ project: 'Fabrikam' });
    expect(lines.some((l) => l.includes('"project":"ERP"') && l.includes('Azure DevOps project failed'))).toBe(true);
  });

  it('quarantines the one item a batch cannot read (500 from the 10,000-revision limit) and keeps the rest', async () => {
    const fake = makeFake();
    route(fake);
    const ids = Array.from({ length: 6 }, () => story(fake));
    const stuck = ids[3]!;
    const original = fake.handle.bind(fake);
    fake.handle = (method, path, headers, body) => {
      const ids = typeof body === 'string' && body ? (JSON.parse(body) as { ids?: number[] }).ids : undefined;
      if (BATCH.test(path) && ids?.includes(stuck)) {
        return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `VS403691: Work item ${stuck} exceeded the revision limit of 10000.` }) };
      }
      return original(method, path, headers, body);
    };

    const { result, store } = await sync(connector(config()));

    expect(result).toMatchObject({ ok: true, upserted: 5, quarantined: 1 });
    expect(store.items.quarantined('ado')[0]).toMatchObject({ nativeKey: String(stuck), error: expect.stringContaining('VS403691') });
  });

  it('syncs an item at the revision limit and warns once', async () => {
    const fake = makeFake();
    route(fake);
    const id = story(fake);
    const item = fake.items.get(id)!;
    item.rev = 9_999;
    fake.update(id, { 'System.State': 'Active' });
    const { log, lines } = captureLog();

    const { result, store } = await sync(connector(config(), log));

    expect(result.ok).toBe(true);
    expect(store.items.get(`ado:${id}`)!.fields['rev']).toBe(10_000);
    expect(lines.filter((l) => l.includes('10,000-revision limit'))).toHaveLength(1);
  });

  it('stops cleanly at the request budget and resumes from the watermark', async () => {
    const fake = makeFake({ maxPageSize: 100 });
    route(fake);
    for (let i = 0; i < 1000; i++) story(fake);
    const c = connector(config({ pageSize: 100, maxRequests: 15 }));
    const store = newStore();

    const first = await sync(c, store);
    const later = [await sync(c, store), await sync(c, store), await sync(c, store)];

    expect(first.result.ok).toBe(false);
    expect(first.result.error).toMatch(/request budget of 15 requests/);
    expect(first.result.upserted).toBeGreaterThan(0);
    expect(first.result.upserted).toBeLessThan(1000);
    expect(later.map((r) => r.result.ok)).toContain(true);
    expect(store.items.count({ source: 'ado' })).toBe(1000);
    expect(later.reduce((n, r) => n + r.result.upserted, first.result.upserted)).toBeLessThan(1100);
  });
});
