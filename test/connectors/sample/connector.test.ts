import { describe, expect, it } from 'vitest';
import { SampleSourceConfig, sampleConnector } from '../../../connectors/sample/index.ts';
import { sprintCount } from '../../../connectors/sample/generate.ts';
import { DEFAULT_SIZE } from '../../../connectors/sample/portfolio.ts';
import { WorkItem } from '../../../src/model/work-item.ts';
import { fixedClock } from '../../../src/util/clock.ts';
import { createLogger, silentLogger } from '../../../src/util/log.ts';
import { NOW, collectPages, makeConnector, portfolio, syncState } from './helpers.ts';

describe('sample connector config', () => {
  it('applies defaults', () => {
    expect(SampleSourceConfig.parse({ id: 'demo', kind: 'sample' })).toEqual({ id: 'demo', kind: 'sample', size: DEFAULT_SIZE, seed: 42, pageSize: 500 });
  });

  it.each([
    ['an unknown key', { id: 'demo', kind: 'sample', sizes: 10 }],
    ['another kind', { id: 'demo', kind: 'jira' }],
    ['an empty id', { id: '', kind: 'sample' }],
    ['size 0', { id: 'demo', kind: 'sample', size: 0 }],
    ['size above a million', { id: 'demo', kind: 'sample', size: 1_000_001 }],
    ['a fractional seed', { id: 'demo', kind: 'sample', seed: 1.5 }],
    ['pageSize 0', { id: 'demo', kind: 'sample', pageSize: 0 }],
  ])('rejects %s', (_, input) => {
    expect(SampleSourceConfig.safeParse(input).success).toBe(false);
  });

  it('describes every key', () => {
    for (const [key, schema] of Object.entries(SampleSourceConfig.shape)) expect(schema.description, key).toBeTruthy();
  });

  it('registers as kind sample', () => {
    const connector = sampleConnector.create(sampleConnector.configSchema.parse({ id: 'demo', kind: 'sample' }), { clock: fixedClock(NOW), log: silentLogger() });

    expect(sampleConnector.kind).toBe('sample');
    expect(connector).toMatchObject({ id: 'demo', kind: 'sample' });
  });
});

describe('sample connector pull', () => {
  it('yields everything on the first sync: sprints first, watermark now, cursor until the last page', async () => {
    const pages = await collectPages(makeConnector({ pageSize: 100 }));

    expect(pages.map((p) => p.items.length)).toEqual([100, 100, 100, 60]);
    expect(pages.map((p) => p.sprints.length)).toEqual([35, 0, 0, 0]);
    expect(pages.map((p) => p.cursor === null)).toEqual([false, false, false, true]);
    expect(pages.map((p) => p.fullSyncDone ?? false)).toEqual([false, false, false, true]);
    expect(pages.every((p) => p.watermark === NOW && p.requests === 0 && p.removed.length === 0 && p.reconciled === undefined)).toBe(true);
  });

  it('quarantines exactly two malformed payloads, each with its reason', async () => {
    const quarantined = (await collectPages(makeConnector())).flatMap((p) => p.quarantined);

    expect(quarantined.map((q) => q.nativeKey)).toEqual(['PAY-61', '4161']);
    expect(quarantined[0]?.error).toMatch(/no summary/);
    expect(quarantined[1]?.error).toMatch(/System\.CreatedDate is 'not-a-date'/);
    expect(quarantined[1]?.payload).toMatchObject({ id: 4161, fields: { 'System.CreatedDate': 'not-a-date' } });
  });

  it('is deterministic: same seed and clock give byte-identical pages', async () => {
    const a = await collectPages(makeConnector());
    const b = await collectPages(makeConnector());
    const other = await collectPages(makeConnector({ seed: 7 }));

    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(a));
  });

  it('keeps the same keys when the clock moves, with dates relative to it', async () => {
    const later = await portfolio({}, fixedClock('2027-01-15T16:00:00.000Z'));
    const base = await portfolio();

    expect([...later.byKey.keys()]).toEqual([...base.byKey.keys()]);
    expect(later.items.every((i) => i.updatedAt <= '2027-01-15T16:00:00.000Z')).toBe(true);
    expect(later.items.some((i) => i.updatedAt > NOW)).toBe(true);
  });

  it('resumes from the cursor after page k with no gap and no duplicate, on the original clock', async () => {
    const full = await collectPages(makeConnector({ pageSize: 50 }));
    const firstThree = await collectPages(makeConnector({ pageSize: 50 }), syncState(), false, 3);
    const state = syncState({ watermark: firstThree[2]?.watermark ?? null, cursor: firstThree[2]?.cursor ?? null });

    const rest = await collectPages(makeConnector({ pageSize: 50 }, { clock: fixedClock('2026-11-21T12:00:00.000Z') }), state);

    expect(JSON.stringify([...firstThree, ...rest])).toBe(JSON.stringify(full));
  });

  it('restarts the full pull with a warning when the cursor does not fit the portfolio', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', format: 'json', write: (l) => lines.push(l) });

    const pages = await collectPages(makeConnector({ pageSize: 100 }, { log }), syncState({ watermark: NOW, cursor: '200@2026-11-20T09:30:00.000Z/999/42' }));

    expect(pages.flatMap((p) => p.items)).toHaveLength(DEFAULT_SIZE);
    expect(lines.join('\n')).toContain('Sample cursor does not match this portfolio');
  });

  it('yields one empty page on an incremental sync, keeping the watermark', async () => {
    const pages = await collectPages(makeConnector(), syncState({ watermark: '2026-11-19T00:00:00.000Z' }));

    expect(pages).toEqual([{ items: [], quarantined: [], sprints: [], removed: [], watermark: '2026-11-19T00:00:00.000Z', cursor: null, requests: 0 }]);
  });

  it('takes everything again when full is set', async () => {
    const pages = await collectPages(makeConnector(), syncState({ watermark: '2026-11-19T00:00:00.000Z' }), true);

    expect(pages.flatMap((p) => p.items)).toHaveLength(DEFAULT_SIZE);
    expect(pages.at(-1)?.watermark).toBe(NOW);
  });

  it('reports itself in check()', async () => {
    expect(await makeConnector({ size: 1234 }).check()).toEqual([{ name: 'sample', ok: true, detail: 'embedded demo portfolio, 1234 items' }]);
  });
});

describe('sample connector at other sizes', () => {
  it.each([1, 7, 50, 359, 361, 1000])('size %i: exact count, unique keys, parents present, two quarantined', async (size) => {
    const { items, byKey, pages } = await portfolio({ size });
    const quarantined = pages.flatMap((p) => p.quarantined);

    expect(items).toHaveLength(size);
    expect(byKey.size).toBe(size);
    for (const item of items) {
      expect(() => WorkItem.parse(item)).not.toThrow();
      if (item.parentKey) expect(byKey.has(item.parentKey), item.key).toBe(true);
      for (const l of item.links) expect(byKey.has(l.targetKey), item.key).toBe(true);
    }
    expect(quarantined).toHaveLength(2);
    for (const q of quarantined) expect(byKey.has(`demo:${q.nativeKey}`)).toBe(false);
  });

  it('streams size 20000 in pages of pageSize with parents consistent across pages', async () => {
    const keys = new Set<string>();
    const references: string[] = [];
    const sizes: number[] = [];
    let sprints = 0;
    let quarantined = 0;
    let sampled = 0;

    for await (const page of makeConnector({ size: 20_000 }).pull({ state: syncState(), full: false })) {
      sizes.push(page.items.length);
      sprints += page.sprints.length;
      quarantined += page.quarantined.length;
      for (const [n, item] of page.items.entries()) {
        keys.add(item.key);
        if (item.parentKey) references.push(item.parentKey);
        if (item.epicKey) references.push(item.epicKey);
        for (const l of item.links) references.push(l.targetKey);
        if (n % 97 === 0) {
          WorkItem.parse(item);
          sampled++;
        }
      }
    }

    expect(sizes).toEqual(Array.from({ length: 40 }, () => 500));
    expect(keys.size).toBe(20_000);
    expect(references.filter((r) => !keys.has(r))).toEqual([]);
    expect(sprints).toBe(sprintCount(20_000));
    expect(quarantined).toBe(2);
    expect(sampled).toBeGreaterThan(100);
    expect([...keys].some((k) => k.startsWith('demo:PAY2-'))).toBe(true);
  });
});
