import { describe, expect, it } from 'vitest';
import { hashUniform, parseInstant, percentile } from '../../src/alignment/stats.ts';

describe('stats helpers', () => {
  it.each(['2026-11-21T12:34:56.789Z', '2024-02-29T00:00:00.000Z', '1999-12-31T23:59:59.999Z', '2026-11-21T12:34:56+01:00', '2026-11-21T12:34:56Z', '2026-03-29T01:30:00.000-05:00'])(
    'parseInstant(%s) equals Date.parse',
    (iso) => {
      expect(parseInstant(iso)).toBe(Date.parse(iso));
    },
  );

  it('nearest-rank percentiles', () => {
    expect([0.5, 0.85, 1].map((p) => percentile([5, 1, 4, 2, 3], p))).toEqual([3, 5, 5]);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('hashUniform is a pure function of its inputs, in [0, 1), and roughly uniform', () => {
    const draws = Array.from({ length: 20_000 }, (_, i) => hashUniform(7, i));

    expect(hashUniform(7, 3)).toBe(draws[3]);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeCloseTo(0.5, 1);
    const lowQuarter = draws.filter((d) => d < 0.25).length / draws.length;
    expect(Math.abs(lowQuarter - 0.25)).toBeLessThan(0.02);
  });
});
