import { describe, expect, it } from 'vitest';
import { createAdoApi } from '../../../connectors/azure-devops/client.ts';
import { enumerateScope, scopeConditions } from '../../../connectors/azure-devops/scope.ts';
import { createHttpPolicy } from '../../../src/http/policy.ts';
import { classifyAdoError } from '../../../connectors/azure-devops/client.ts';
import { silentLogger } from '../../../src/util/log.ts';
import { config, connector, makeFake, newStore, route, story, sync, useNock } from './helpers.ts';

function api(cfg = config()) {
  return createAdoApi(cfg, createHttpPolicy({ name: 'ado', classify: classifyAdoError, log: silentLogger(), sleep: async () => undefined }));
}

describe('WIQL scope past the 20,000-result cap', () => {
  useNock();

  it('writes the scope as WIQL, quoting names', () => {
    expect(scopeConditions("O'Brien", { areaPaths: ["O'Brien\\Web", 'O\'Brien\\App'], wiql: "[System.WorkItemType] <> 'Test Case'" })).toBe(
      "[System.TeamProject] = 'O''Brien' AND ([System.AreaPath] UNDER 'O''Brien\\Web' OR [System.AreaPath] UNDER 'O''Brien\\App') AND ([System.WorkItemType] <> 'Test Case')",
    );
  });

  it('lists 25,000 items although one query may return only 20,000 (VS402337 splits the id window)', async () => {
    const fake = makeFake();
    route(fake);
    for (let id = 1; id <= 25_000; id++) fake.create('Fabrikam', { 'System.WorkItemType': 'Task', 'System.Title': `t${id}` }, { at: '2026-11-01T09:00:00Z' });

    const { ids, windows } = await enumerateScope(api(), 'Fabrikam', config());

    expect(ids).toHaveLength(25_000);
    expect(ids[0]).toBe(1);
    expect(ids[24_999]).toBe(25_000);
    expect(new Set(ids).size).toBe(25_000);
    expect(fake.count(/\/wiql$/)).toBe(windows);
    expect(windows).toBeGreaterThan(2);
    expect(windows).toBeLessThan(80);

    // Knowing the highest id the feed showed, the windows start where the items are.
    const hinted = await enumerateScope(api(), 'Fabrikam', config(), 25_000);

    expect(hinted.ids).toEqual(ids);
    expect(hinted.windows).toBeLessThanOrEqual(5);
  });

  it('a full sync reconciles through windows when the scope overflows the cap (cap lowered to 5)', async () => {
    const fake = makeFake({ wiqlCap: 5 });
    route(fake);
    const ids = Array.from({ length: 23 }, () => story(fake));
    const c = connector(config());
    const store = newStore();
    await sync(c, store);
    fake.items.get(ids[7]!)!.fields['System.TeamProject'] = 'Elsewhere';

    const { result } = await sync(c, store, true);

    expect(result).toMatchObject({ ok: true, removed: 1 });
    expect(store.items.count({ source: 'ado' })).toBe(22);
    expect(fake.requests.filter((r) => r.path.endsWith('/wiql')).length).toBeGreaterThan(10);
  });

  it('keeps only items meeting the admin WIQL condition', async () => {
    const fake = makeFake();
    route(fake);
    const keep = story(fake);
    const drop = fake.create('Fabrikam', { 'System.WorkItemType': 'Task', 'System.Title': 'chore', 'System.AreaPath': 'Fabrikam\\Checkout' });

    const { result, store } = await sync(connector(config({ wiql: "[System.WorkItemType] <> 'Task'" })));

    expect(result).toMatchObject({ ok: true, upserted: 1, removed: 0 });
    expect([...store.items.iterate({ source: 'ado' })].map((i) => i.nativeKey)).toEqual([String(keep)]);
    expect(store.items.get(`ado:${drop}`)).toBeUndefined();
  });
});
