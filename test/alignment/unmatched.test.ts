import { describe, expect, it } from 'vitest';
import { unmatchedObjectives } from '../../src/alignment/service.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { openStore } from '../../src/store/index.ts';
import { makeWorkItem } from '../helpers/builders.ts';

describe('objectives that match nothing', () => {
  it('are named when the config meets a store, and only then', () => {
    const config = ConfigSchema.parse({
      sources: [{ id: 'test', kind: 'sample' }],
      objectives: [
        { id: 'O1', title: 'Grow', match: { labels: ['growth'] } },
        { id: 'O2', title: 'Typo in the epic key', match: { epics: ['PAY-9999'] } },
      ],
    });
    const store = openStore(':memory:');

    const empty = unmatchedObjectives(store, config);
    store.transaction(() => store.items.upsert([makeWorkItem({ nativeKey: 'PAY-1', labels: ['growth'] })], '2026-11-21T00:00:00.000Z'));
    const filled = unmatchedObjectives(store, config);

    expect(empty).toEqual([]);
    expect(filled).toEqual([{ id: 'O2', title: 'Typo in the epic key' }]);
  });
});
