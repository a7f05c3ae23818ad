import { describe, expect, it } from 'vitest';
import { ADA, GRACE, config, connector, makeFake, route, story, sync, useNock } from './helpers.ts';

describe('smoke', () => {
  useNock();
  it('syncs', async () => {
    const fake = makeFake();
    route(fake);
    const a = story(fake);
    fake.update(a, { 'System.State': 'Active' }, { by: GRACE });
    const c = connector(config());
    const { result, store } = await sync(c);
    console.log(JSON.stringify(result), fake.requests.map((r) => r.method + ' ' + r.path).join('\n'));
    console.log(JSON.stringify([...store.items.iterate()], null, 1));
    console.log(store.items.quarantined());
    expect(result.ok).toBe(true);
  });
});
