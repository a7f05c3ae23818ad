import { describe, expect, it } from 'vitest';
import { FakeAdo, type FakeIteration } from './fake-ado.ts';
import { ADA, GRACE, ORG, PAT, sprints, captureLog, config, connector, makeFake, project, route, story, sync, useNock, newStore } from './helpers.ts';

describe('azure-devops sync', () => {
  useNock();

  it('pulls every item over several feed pages, following continuation tokens, in whole batches of 200', async () => {
    const fake = makeFake({ maxPageSize: 100 });
    route(fake);
    for (let i = 0; i < 450; i++) story(fake, { 'System.Title': `Story ${i}` });

    const { result, store } = await sync(connector(config({ pageSize: 100 })));

    expect(result).toMatchObject({ ok: true, upserted: 450, quarantined: 0, removed: 0 });
    expect(store.items.count({ source: 'ado' })).toBe(450);
    const feedCalls = fake.requests.filter((r) => /reporting\/workItemRevisions$/.test(r.path));
    expect(feedCalls).toHaveLength(5);
    // First call: no token; later calls: the token the previous page handed out, never with startDateTime.
    expect(feedCalls[0]!.query.get('continuationToken')).toBeNull();
    expect(feedCalls.slice(1).map((r) => r.query.get('continuationToken'))).toEqual(['100', '200', '300', '400']);
    expect(feedCalls.every((r) => r.query.get('startDateTime') === null)).toBe(true);
    expect(feedCalls[0]!.query.get('$maxPageSize')).toBe('100');
    // ceil(450 / 200) batch calls: items wait for a full batch across feed pages.
    expect(fake.requests.filter((r) => /workItemsBatch$/.test(r.path)).map((r) => (r.body as { ids: number[] }).ids.length)).toEqual([200, 200, 50]);
    expect(store.syncState('ado')).toMatchObject({ watermark: JSON.stringify({ v: 1, tokens: { Fabrikam: '450' } }), cursor: null });
    expect(store.syncState('ado').lastFullSyncAt).not.toBeNull();
  });

  it('an item whose revisions straddle feed pages is read once, with all its history', async () => {
    const fake = makeFake({ maxPageSize: 3 });
    route(fake);
    const id = story(fake);
    for (const state of ['Active', 'Resolved', 'Closed', 'Active']) fake.update(id, { 'System.State': state });

    const { store } = await sync(connector(config({ pageSize: 3 })));

    expect(fake.count(/workItemsBatch$/)).toBe(1);
    expect(store.items.get(`ado:${id}`)!.transitions.map((t) => t.to)).toEqual(['New', 'Active', 'Resolved', 'Closed', 'Active']);
  });

  it('costs one request per project when nothing changed', async () => {
    const fake = new FakeAdo({ orgUrl: ORG, auth: { pat: PAT }, projects: [project('Fabrikam', 'agile'), project('ERP', 'scrum')] });
    route(fake);
    story(fake);
    fake.create('ERP', { 'System.WorkItemType': 'Product Backlog Item', 'System.Title': 'Ledger export', 'System.AreaPath': 'ERP\\Checkout' });
    const c = connector(config({ projects: ['Fabrikam', 'ERP'] }));
    const store = newStore();
    await sync(c, store);
    const before = fake.requests.length;

    const { result } = await sync(c, store);

    expect(result).toMatchObject({ ok: true, requests: 2, fetched: 0 });
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /Fabrikam/_apis/wit/reporting/workItemRevisions',
      'GET /ERP/_apis/wit/reporting/workItemRevisions',
    ]);
  });

  it('picks up edits incrementally and extends the history from the stored copy', async () => {
    const fake = makeFake();
    route(fake);
    const id = story(fake, { 'System.IterationPath': 'Fabrikam\\Checkout\\Sprint 1' });
    fake.update(id, { 'System.State': 'Active' }, { by: GRACE, at: '2026-11-02T10:00:00Z' });
    const c = connector(config());
    const store = newStore();
    await sync(c, store);

    // Moved into the running sprint after it started (scope added), then resolved and closed.
    fake.update(id, { 'System.IterationPath': 'Fabrikam\\Checkout\\Sprint 2', 'Microsoft.VSTS.Scheduling.StoryPoints': 8 }, { by: ADA, at: '2026-11-17T08:00:00Z' });
    fake.update(id, { 'System.State': 'Resolved' }, { by: ADA, at: '2026-11-18T08:00:00Z' });
    fake.update(id, { 'System.State': 'Closed' }, { by: GRACE, at: '2026-11-19T08:00:00Z' });
    const { result } = await sync(c, store);
    const item = store.items.get(`ado:${id}`)!;
    const [sprint1, sprint2] = sprints('Fabrikam', 'Checkout') as [FakeIteration, FakeIteration];

    expect(result).toMatchObject({ ok: true, upserted: 1 });
    expect(store.items.sprint(`ado:${sprint2.id}`)).toMatchObject({ name: 'Sprint 2', startDate: '2026-11-16T00:00:00.000Z' });
    expect(item.transitions.map((t) => [t.to, t.toCategory, t.by])).toEqual([
      ['New', 'todo', 'Jamal Hartnett'],
      ['Active', 'in_progress', 'Grace Hopper'],
      ['Resolved', 'in_progress', 'Ada Lovelace'],
      ['Closed', 'done', 'Grace Hopper'],
    ]);
    expect(item.history).toEqual([
      { at: '2026-11-17T08:00:00.000Z', field: 'sprint', from: sprint1.id, to: sprint2.id, by: 'Ada Lovelace' },
      { at: '2026-11-17T08:00:00.000Z', field: 'estimate', from: '5', to: '8', by: 'Ada Lovelace' },
    ]);
    expect(item).toMatchObject({ status: 'Closed', statusCategory: 'done', estimate: 8, startedAt: '2026-11-02T10:00:00.000Z', resolvedAt: '2026-11-19T08:00:00.000Z' });
    expect(item.sprint).toMatchObject({ name: 'Sprint 2', state: 'active' });
  });

  it('marks deleted items and items moved out of the area paths as removed', async () => {
    const fake = makeFake();
    route(fake);
    const keep = story(fake);
    const gone = story(fake);
    const moved = story(fake);
    const c = connector(config({ areaPaths: ['Fabrikam\\Checkout'] }));
    const store = newStore();
    await sync(c, store);

    fake.remove(gone);
    fake.update(moved, { 'System.AreaPath': 'Fabrikam\\Mobile' });
    const { result } = await sync(c, store);

    expect(result).toMatchObject({ ok: true, removed: 2 });
    expect([...store.items.iterate({ source: 'ado' })].map((i) => i.nativeKey)).toEqual([String(keep)]);
  });

  it('a full sync reconciles: items moved to another project disappear', async () => {
    const fake = new FakeAdo({ orgUrl: ORG, auth: { pat: PAT }, projects: [project('Fabrikam', 'agile'), project('Archive', 'agile')] });
    route(fake);
    const a = story(fake);
    const b = story(fake);
    const c = connector(config());
    const store = newStore();
    await sync(c, store);
    // A cross-project move: the Fabrikam feed never sees the item again.
    fake.items.get(b)!.fields['System.TeamProject'] = 'Archive';

    const { result } = await sync(c, store, true);

    expect(result).toMatchObject({ ok: true, removed: 1 });
    expect([...store.items.iterate({ source: 'ado' })].map((i) => i.nativeKey)).toEqual([String(a)]);
  });

  it('asks for startDateTime only on the first call when `since` is set', async () => {
    const fake = makeFake({ maxPageSize: 2 });
    route(fake);
    story(fake, {}, 'Fabrikam');
    fake.tick(60 * 24 * 30);
    for (let i = 0; i < 3; i++) story(fake);

    const { result, store } = await sync(connector(config({ since: '2026-11-15', pageSize: 2 })));

    const feed = fake.requests.filter((r) => /workItemRevisions$/.test(r.path));
    expect(result.ok).toBe(true);
    expect(feed[0]!.query.get('startDateTime')).toBe('Sun, 15 Nov 2026 00:00:00 GMT');
    expect(feed.slice(1).every((r) => r.query.get('startDateTime') === null && r.query.get('continuationToken') !== null)).toBe(true);
    expect(store.items.count({ source: 'ado' })).toBe(3);
  });

  it('resumes a failed sync from its watermark without gaps or duplicates', async () => {
    const fake = makeFake({ maxPageSize: 100 });
    route(fake);
    for (let i = 0; i < 450; i++) story(fake, { 'System.Title': `Story ${i}` });
    fake.update(250, { 'System.State': 'Active' });
    const c = connector(config({ pageSize: 100 }));
    const store = newStore();
    // The fourth feed page is refused (403): the first 200 items stay committed.
    let feedCalls = 0;
    const original = fake.handle.bind(fake);
    fake.handle = (method, path, headers, body) => {
      if (/workItemRevisions/.test(path) && ++feedCalls === 4) return { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'TF400813: The user is not authorized to access this resource.' }) };
      return original(method, path, headers, body);
    };

    const first = await sync(c, store);
    const second = await sync(c, store);

    expect(first.result).toMatchObject({ ok: false, upserted: 200 });
    expect(first.result.error).toContain('Fabrikam');
    expect(second.result).toMatchObject({ ok: true, removed: 0 });
    expect(store.items.count({ source: 'ado' })).toBe(450);
    expect(store.items.get('ado:250')!.transitions.map((t) => t.to)).toEqual(['New', 'Active']);
    expect(store.syncState('ado').lastFullSyncAt).not.toBeNull();
  });

  it('works against Azure DevOps Server (no resource areas) with a bearer token', async () => {
    const fake = new FakeAdo({ orgUrl: 'https://ado.contoso.example/tfs/DefaultCollection', auth: { token: 'eyJ0eXAiOiJKV1Qi.bearer' }, deployment: 'server', projects: [project('Fabrikam', 'cmmi')] });
    route(fake);
    fake.create('Fabrikam', { 'System.WorkItemType': 'Requirement', 'System.Title': 'Audit trail', 'System.State': 'Proposed', 'System.AreaPath': 'Fabrikam\\Checkout', 'System.AssignedTo': { displayName: 'Linus Domain', uniqueName: 'CONTOSO\\linus', id: 'b1' }, 'Microsoft.VSTS.Scheduling.Size': 13 });
    const cfg = config({ orgUrl: 'https://ado.contoso.example/tfs/DefaultCollection/', auth: { token: 'eyJ0eXAiOiJKV1Qi.bearer' } });

    const { result, store } = await sync(connector(cfg));
    const [item] = [...store.items.iterate()];

    expect(result.ok).toBe(true);
    expect(fake.requests[1]).toMatchObject({ method: 'GET', path: '/_apis/ResourceAreas' });
    expect(item).toMatchObject({ url: 'https://ado.contoso.example/tfs/DefaultCollection/Fabrikam/_workitems/edit/1', estimate: 13, statusCategory: 'todo', assignee: { id: 'b1', name: 'Linus Domain', email: null } });
  });

  it('never logs the token, even when the server refuses it', async () => {
    const fake = makeFake({ auth: { pat: 'another-pat-entirely-0000000000000000000000000000' } });
    route(fake);
    const { log, lines } = captureLog();

    const { result } = await sync(connector(config(), log));

    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/HTTP 401/);
    expect(lines.join('\n')).not.toContain(PAT);
    expect(result.error).not.toContain(PAT);
  });
});
