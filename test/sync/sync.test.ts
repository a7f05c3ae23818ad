import { describe, expect, it } from 'vitest';
import { sampleConnector } from '../../connectors/sample/index.ts';
import type { Connector, PullPage, PullRequest } from '../../src/model/connector.ts';
import { openStore } from '../../src/store/index.ts';
import { syncSource } from '../../src/sync/sync.ts';
import { fixedClock } from '../../src/util/clock.ts';
import { silentLogger } from '../../src/util/log.ts';
import { makeWorkItem } from '../helpers/builders.ts';

const clock = fixedClock('2026-11-21T09:00:00.000Z');
const deps = (store: ReturnType<typeof openStore>) => ({ store, clock, log: silentLogger() });

function demo(size: number): Connector {
  const config = sampleConnector.configSchema.parse({ id: 'demo', kind: 'sample', size, pageSize: 100 });
  return sampleConnector.create(config, { clock, log: silentLogger() });
}

/** Lets `pages` pages through, then fails as a process would that died between two pages. */
function crashingAfter(inner: Connector, pages: number): Connector {
  return {
    id: inner.id,
    kind: inner.kind,
    check: () => inner.check(),
    async *pull(request: PullRequest): AsyncIterable<PullPage> {
      let n = 0;
      for await (const page of inner.pull(request)) {
        if (n++ === pages) throw new Error('killed between pages');
        yield page;
      }
    },
  };
}

describe('sync', () => {
  it('resumes an interrupted sync from its cursor with no duplicate and no gap', async () => {
    const reference = openStore(':memory:');
    await syncSource(demo(1000), deps(reference));
    const expected = [...reference.items.iterate()].map((i) => i.key);

    const store = openStore(':memory:');
    const crashed = await syncSource(crashingAfter(demo(1000), 3), deps(store));
    const afterCrash = store.items.count();
    const cursorAfterCrash = store.syncState('demo').cursor;
    const resumed = await syncSource(demo(1000), deps(store));

    expect(crashed.ok).toBe(false);
    expect(crashed.error).toBe('killed between pages');
    expect(afterCrash).toBe(crashed.upserted);
    expect(cursorAfterCrash).not.toBeNull();
    expect(resumed.ok).toBe(true);
    expect(crashed.upserted + resumed.upserted).toBe(expected.length);
    expect([...store.items.iterate()].map((i) => i.key)).toEqual(expected);
    expect(store.syncState('demo')).toMatchObject({ cursor: null, lastFullSyncAt: '2026-11-21T09:00:00.000Z' });
  });

  it('quarantines items that fail validation, keeps the rest, and lifts the quarantine once fixed', async () => {
    const good = makeWorkItem({ source: 'stub', nativeKey: 'OK-1', key: 'stub:OK-1' });
    const bad = { ...makeWorkItem({ source: 'stub', nativeKey: 'BAD-1', key: 'stub:BAD-1' }), createdAt: 'yesterday' };
    const pages: PullPage[][] = [[{ items: [good, bad], quarantined: [], sprints: [], removed: [], watermark: 'w1', cursor: null, requests: 1 }]];
    const stub: Connector = {
      id: 'stub',
      kind: 'stub',
      check: async () => [],
      async *pull() {
        yield* pages.shift() ?? [];
      },
    };
    const store = openStore(':memory:');

    const first = await syncSource(stub, deps(store));
    pages.push([{ items: [{ ...bad, createdAt: '2026-11-01T00:00:00.000Z' }], quarantined: [], sprints: [], removed: ['OK-1'], watermark: 'w2', cursor: null, requests: 1 }]);
    const second = await syncSource(stub, deps(store));

    expect(first).toMatchObject({ fetched: 2, upserted: 1, quarantined: 1, requests: 1, ok: true });
    expect(second).toMatchObject({ fetched: 1, upserted: 1, quarantined: 0, removed: 1 });
    expect(store.items.quarantined()).toEqual([]);
    expect([...store.items.iterate()].map((i) => i.nativeKey)).toEqual(['BAD-1']);
    expect(store.syncState('stub').watermark).toBe('w2');
  });

  it('records the quarantine error with the field that failed', async () => {
    const bad = { ...makeWorkItem({ source: 'stub', nativeKey: 'BAD-2', key: 'stub:BAD-2' }), statusCategory: 'doing' };
    const stub: Connector = {
      id: 'stub',
      kind: 'stub',
      check: async () => [],
      async *pull() {
        yield { items: [bad as never], quarantined: [], sprints: [], removed: [], watermark: null, cursor: null, requests: 0 };
      },
    };
    const store = openStore(':memory:');

    await syncSource(stub, deps(store));

    expect(store.items.quarantined()).toMatchObject([{ source: 'stub', nativeKey: 'BAD-2', error: expect.stringMatching(/^statusCategory: /) }]);
  });

  it('quarantines an item whose key is not `<source>:<nativeKey>`, which the store looks items up by', async () => {
    const odd = makeWorkItem({ source: 'stub', nativeKey: 'ODD-1', key: 'stub:odd-1' });
    const good = makeWorkItem({ source: 'stub', nativeKey: 'OK-2', key: 'stub:OK-2' });
    const stub: Connector = {
      id: 'stub',
      kind: 'stub',
      check: async () => [],
      async *pull() {
        yield { items: [odd, good], quarantined: [], sprints: [], removed: [], watermark: null, cursor: null, requests: 0 };
      },
    };
    const store = openStore(':memory:');

    const result = await syncSource(stub, deps(store));

    expect(result).toMatchObject({ upserted: 1, quarantined: 1, ok: true });
    expect(store.items.quarantined()).toMatchObject([{ source: 'stub', nativeKey: 'ODD-1', error: 'key is "stub:odd-1", expected "stub:ODD-1"' }]);
    expect([...store.items.iterate()].map((i) => i.key)).toEqual(['stub:OK-2']);
  });
});
