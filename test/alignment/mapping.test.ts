import { describe, expect, it } from 'vitest';
import { mapPortfolio } from '../../src/alignment/mapping.ts';
import { loadPortfolio } from '../../src/alignment/portfolio.ts';
import { makeWorkItem } from '../helpers/builders.ts';
import { alignmentConfig, epic } from './helpers.ts';

function map(items: ReturnType<typeof makeWorkItem>[], objectives: unknown[], themes: unknown[] = []) {
  const config = alignmentConfig({ objectives, themes });
  const p = loadPortfolio(items, config);
  const m = mapPortfolio(p, config);
  const objectiveOf = (nativeKey: string) => {
    const i = p.items.findIndex((it) => it.nativeKey === nativeKey);
    const o = m.objective[i]!;
    return o < 0 ? null : config.objectives[o]!.id;
  };
  const themeOf = (nativeKey: string) => {
    const t = m.theme[p.items.findIndex((it) => it.nativeKey === nativeKey)]!;
    return t < 0 ? null : config.themes[t]!.id;
  };
  return { p, m, objectiveOf, themeOf };
}

describe('objective mapping through the hierarchy', () => {
  it('sub-task → story → feature → epic → initiative: every level inherits the ancestor match', () => {
    const items = [
      makeWorkItem({ nativeKey: 'INIT-1', typeCategory: 'other', type: 'Initiative' }),
      epic('PAY-1', { parentKey: 'test:INIT-1' }),
      makeWorkItem({ nativeKey: 'PAY-2', typeCategory: 'feature', parentKey: 'test:PAY-1' }),
      makeWorkItem({ nativeKey: 'PAY-3', parentKey: 'test:PAY-2' }),
      makeWorkItem({ nativeKey: 'PAY-4', typeCategory: 'subtask', parentKey: 'test:PAY-3' }),
      makeWorkItem({ nativeKey: 'PAY-9' }),
    ];

    const { objectiveOf } = map(items, [{ id: 'O1', title: 'Initiative', match: { epics: ['INIT-1'] } }]);

    expect(['INIT-1', 'PAY-1', 'PAY-2', 'PAY-3', 'PAY-4', 'PAY-9'].map(objectiveOf)).toEqual(['O1', 'O1', 'O1', 'O1', 'O1', null]);
  });

  it('matches an epic that is referenced but not stored (source-qualified or native key), via epicKey when there is no parent', () => {
    const items = [makeWorkItem({ nativeKey: 'MOB-7', epicKey: 'test:MOB-1' }), makeWorkItem({ nativeKey: 'MOB-8', parentKey: 'test:MOB-2' })];

    const { objectiveOf } = map(items, [
      { id: 'O1', title: 'a', match: { epics: ['MOB-1'] } },
      { id: 'O2', title: 'b', match: { epics: ['test:MOB-2'] } },
    ]);

    expect([objectiveOf('MOB-7'), objectiveOf('MOB-8')]).toEqual(['O1', 'O2']);
  });

  it.each([
    ['labels', { labels: ['growth'] }, { labels: ['growth'] }],
    ['tags from System.Tags, case-insensitive', { tags: ['Growth'] }, { labels: [], fields: { 'System.Tags': 'web; growth' } }],
    ['components', { components: ['auth'] }, { components: ['auth', 'api'] }],
    ['projects', { projects: ['PAY'] }, { project: 'PAY' }],
    ['teams', { teams: ['Payments'] }, { team: 'Payments' }],
    ['area path and the paths under it', { areaPaths: ['Fabrikam\\Checkout'] }, { fields: { 'System.AreaPath': 'Fabrikam\\Checkout\\Wallets' } }],
    ['a CEL expression', { cel: 'item.priority == "Highest" && item.estimate >= 5' }, { priority: 'Highest', estimate: 8 }],
  ])('matches by %s', (_name, match, overrides) => {
    const { objectiveOf } = map([makeWorkItem({ nativeKey: 'X-1', project: 'OTHER', team: null, ...overrides }), makeWorkItem({ nativeKey: 'X-2', project: 'OTHER', team: null, priority: 'Low' })], [{ id: 'O1', title: 't', match }]);

    expect([objectiveOf('X-1'), objectiveOf('X-2')]).toEqual(['O1', null]);
  });

  it('does not match an area path that merely shares a prefix', () => {
    const { objectiveOf } = map([makeWorkItem({ nativeKey: 'A-1', fields: { 'System.AreaPath': 'Fabrikam\\CheckoutLegacy' } })], [{ id: 'O1', title: 't', match: { areaPaths: ['Fabrikam\\Checkout'] } }]);

    expect(objectiveOf('A-1')).toBeNull();
  });

  it('resolves two objectives by declared priority, then declaration order, and reports the conflict once at its origin', () => {
    const items = [
      epic('PAY-1', { labels: ['growth'] }),
      makeWorkItem({ nativeKey: 'PAY-2', parentKey: 'test:PAY-1', components: ['auth'] }),
      makeWorkItem({ nativeKey: 'PAY-3', typeCategory: 'subtask', parentKey: 'test:PAY-2' }),
      makeWorkItem({ nativeKey: 'PAY-4', parentKey: 'test:PAY-1', labels: ['klt'] }),
    ];

    const { objectiveOf, m } = map(items, [
      { id: 'GROW', title: 'g', match: { labels: ['growth'] } },
      { id: 'KTLO', title: 'k', match: { labels: ['klt'] } },
      { id: 'AUDIT', title: 'a', priority: 1, match: { components: ['auth'] } },
    ]);

    expect(['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4'].map(objectiveOf)).toEqual(['GROW', 'AUDIT', 'AUDIT', 'GROW']);
    expect(m.conflicts).toEqual([
      { key: 'test:PAY-2', url: expect.any(String), objectives: ['GROW', 'AUDIT'], winner: 'AUDIT', affected: 2 },
      { key: 'test:PAY-4', url: expect.any(String), objectives: ['GROW', 'KTLO'], winner: 'GROW', affected: 1 },
    ]);
  });

  it('detects a cycle in parent links, reports it and still maps every item', () => {
    const items = [
      makeWorkItem({ nativeKey: 'C-1', parentKey: 'test:C-3', labels: ['growth'] }),
      makeWorkItem({ nativeKey: 'C-2', parentKey: 'test:C-1' }),
      makeWorkItem({ nativeKey: 'C-3', parentKey: 'test:C-2' }),
      makeWorkItem({ nativeKey: 'C-4', parentKey: 'test:C-4' }),
    ];

    const { objectiveOf, m } = map(items, [{ id: 'O1', title: 't', match: { labels: ['growth'] } }]);

    expect(m.cycles).toEqual([['test:C-1', 'test:C-3', 'test:C-2'], ['test:C-4']]);
    // Walking up from C-1: C-3, C-2, then C-2 → C-1 closes the cycle and is not followed.
    expect(['C-1', 'C-2', 'C-3', 'C-4'].map(objectiveOf)).toEqual(['O1', null, null, null]);
  });

  it('themes are an independent dimension: their own match by priority, else the objective\'s theme', () => {
    const items = [
      epic('E-1', { labels: ['growth'] }),
      makeWorkItem({ nativeKey: 'S-1', parentKey: 'test:E-1' }),
      makeWorkItem({ nativeKey: 'B-1', parentKey: 'test:E-1', typeCategory: 'bug' }),
      makeWorkItem({ nativeKey: 'U-1' }),
    ];

    const { themeOf, objectiveOf } = map(
      items,
      [{ id: 'O1', title: 'g', theme: 'growth', match: { labels: ['growth'] } }],
      [
        { id: 'ktlo', title: 'KTLO', priority: 1, match: { cel: 'item.typeCategory == "bug"' } },
        { id: 'growth', title: 'Growth' },
      ],
    );

    expect(['S-1', 'B-1', 'U-1'].map(themeOf)).toEqual(['growth', 'ktlo', null]);
    expect(objectiveOf('B-1')).toBe('O1');
  });

  it('a CEL expression that fails on an item does not match it and is tallied', () => {
    const config = alignmentConfig({ objectives: [{ id: 'O1', title: 't', match: { cel: 'item.fields["Custom.Gate"] == "G3"' } }] });

    const p = loadPortfolio([makeWorkItem({ nativeKey: 'G-1', fields: { 'Custom.Gate': 'G3' } }), makeWorkItem({ nativeKey: 'G-2' })], config);

    expect(p.items.map((i) => i.own)).toEqual([[0], []]);
    expect(p.celErrors.get('item.fields["Custom.Gate"] == "G3"')).toMatchObject({ count: 1, first: expect.stringContaining('test:G-2') });
  });
});
