import { describe, expect, it } from 'vitest';
import { forecastScope, throughputHistory } from '../../src/alignment/forecast.ts';
import { probabilityWithin, simulate, simulateMany, weeksAt } from '../../src/alignment/monte-carlo.ts';
import { compact } from '../../src/alignment/portfolio.ts';
import { makeWorkItem } from '../helpers/builders.ts';
import { NOW, alignmentConfig, doneItem } from './helpers.ts';

const settings = alignmentConfig().alignment.forecast;

describe('Monte Carlo forecast', () => {
  it('constant throughput gives an exact number of weeks: ceil(remaining / throughput)', () => {
    const r = simulate({ streams: [{ name: 'A', remaining: 23, samples: [5, 5, 5], focus: 1 }], runs: 1000, seed: 1, horizonWeeks: 100 });

    expect([weeksAt(r, 0.5), weeksAt(r, 0.85), weeksAt(r, 0.95)]).toEqual([5, 5, 5]);
    expect(probabilityWithin(r, 4)).toBe(0);
    expect(probabilityWithin(r, 5)).toBe(1);
  });

  it('the slowest of several streams decides, and focus scales a team\'s throughput', () => {
    const r = simulate({
      streams: [
        { name: 'A', remaining: 10, samples: [10], focus: 1 },
        { name: 'B', remaining: 6, samples: [4], focus: 0.5 },
      ],
      runs: 100,
      seed: 3,
      horizonWeeks: 100,
    });

    expect(weeksAt(r, 0.5)).toBe(3);
  });

  it('a known distribution: throughput 0 or 2 with equal odds and 1 item left is geometric(½)', () => {
    // P(done within k weeks) = 1 − ½^k = 0.5, 0.75, 0.875, 0.9375, 0.96875 for k = 1…5, so the
    // 40th percentile is 1 week, the 60th 2, the 85th 3 and the 95th 5 (each well clear of a step).
    const r = simulate({ streams: [{ name: 'A', remaining: 1, samples: [0, 2], focus: 1 }], runs: 10_000, seed: 42, horizonWeeks: 200 });

    expect([weeksAt(r, 0.4), weeksAt(r, 0.6), weeksAt(r, 0.85), weeksAt(r, 0.95)]).toEqual([1, 2, 3, 5]);
    expect(probabilityWithin(r, 1)).toBeCloseTo(0.5, 1);
    expect(probabilityWithin(r, 2)).toBeCloseTo(0.75, 1);
    expect(Math.abs(probabilityWithin(r, 3) - 0.875)).toBeLessThan(0.015);
  });

  it('a scope\'s forecast does not depend on the other scopes forecast with it (common random numbers per team)', () => {
    const scope = [{ name: 'A', remaining: 30, samples: [0, 2, 5, 9], focus: 0.5 }];
    const other = [{ name: 'A', remaining: 80, samples: [0, 2, 5, 9], focus: 0.25 }, { name: 'B', remaining: 10, samples: [1, 3], focus: 1 }];
    const options = { runs: 5000, seed: 9, horizonWeeks: 260 };

    const alone = simulateMany([scope], options)[0]!;
    const together = simulateMany([other, scope], options)[1]!;

    expect(Array.from(together.weeks)).toEqual(Array.from(alone.weeks));
  });

  it('is reproducible with a seed and differs with another', () => {
    const input = { streams: [{ name: 'A', remaining: 40, samples: [0, 1, 3, 7, 2], focus: 1 }], runs: 2000, horizonWeeks: 300 };

    const a = simulate({ ...input, seed: 7 });
    const b = simulate({ ...input, seed: 7 });
    const c = simulate({ ...input, seed: 8 });

    expect(Array.from(a.weeks)).toEqual(Array.from(b.weeks));
    expect(Array.from(a.weeks)).not.toEqual(Array.from(c.weeks));
  });

  it('runs beyond the horizon count as unfinished, not as a date', () => {
    const r = simulate({ streams: [{ name: 'A', remaining: 100, samples: [1], focus: 1 }], runs: 10, seed: 1, horizonWeeks: 52 });

    expect(r.unfinished).toBe(10);
    expect(weeksAt(r, 0.5)).toBeNull();
  });
});

describe('forecastScope: dates from each team\'s own weekly throughput', () => {
  const identities = {};
  // Team A completed 2 items in each of the last 12 weeks (one on day 1 and one on day 4 of every week).
  const history = Array.from({ length: 12 }, (_, w) => [doneItem(`H-${w}a`, w * 7 + 1), doneItem(`H-${w}b`, w * 7 + 4)]).flat();

  it('constant throughput → exact P50/P85/P95 dates and probability by the target date', () => {
    const open = Array.from({ length: 6 }, (_, i) => compact(makeWorkItem({ nativeKey: `R-${i}`, createdAt: '2026-01-01T00:00:00.000Z' }), [], identities));
    const items = [...history.map((h) => compact({ ...h, createdAt: '2026-01-01T00:00:00.000Z' }, [], identities)), ...open];

    const f = forecastScope(
      { id: 'O1', items: open, targetDate: '2026-12-10', focus: new Map([['Payments', 1]]), openScopes: new Map() },
      throughputHistory(items, NOW.getTime(), settings),
      NOW.getTime(),
      settings,
    );

    expect(f).toMatchObject({ status: 'forecast', remaining: 6, p50: '2026-12-12', p85: '2026-12-12', p95: '2026-12-12', weeks: { p50: 3, p85: 3, p95: 3 }, probabilityByTarget: 0, lowConfidence: false });
    expect(f.samples).toEqual([{ team: 'Payments', weeks: Array(12).fill(2), focus: 1, remaining: 6 }]);
  });

  it('a team with too little history is marked low-confidence with the reason; no throughput gives no date', () => {
    const young = [doneItem('Y-1', 2, { team: 'New', createdAt: new Date(NOW.getTime() - 20 * 86_400_000).toISOString() })];
    const open = [compact(makeWorkItem({ nativeKey: 'N-1', team: 'New', createdAt: young[0]!.createdAt }), [], identities)];
    const idle = [compact(makeWorkItem({ nativeKey: 'I-1', team: 'Idle', createdAt: '2026-01-01T00:00:00.000Z' }), [], identities)];
    const all = [...young.map((y) => compact(y, [], identities)), ...open, ...idle];
    const history = throughputHistory(all, NOW.getTime(), settings);

    const lowHistory = forecastScope({ id: 'O1', items: open, targetDate: null, focus: new Map([['New', 1]]), openScopes: new Map() }, history, NOW.getTime(), settings);
    const noThroughput = forecastScope({ id: 'O2', items: idle, targetDate: '2027-01-01', focus: new Map(), openScopes: new Map() }, history, NOW.getTime(), settings);

    expect(lowHistory.lowConfidence).toBe(true);
    expect(lowHistory.reasons).toEqual(['New has 3 weeks of throughput history (fewer than 6)', 'New completed only 1 work items in the last 12 weeks (fewer than 5)']);
    expect(lowHistory.p50).not.toBeNull();
    expect(noThroughput).toMatchObject({ status: 'no-throughput', p50: null, p85: null, p95: null, probabilityByTarget: null, lowConfidence: true });
    expect(noThroughput.reasons).toContain('Idle completed no work items in the last 12 weeks: no date can be forecast');
  });
});
