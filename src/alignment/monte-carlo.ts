import { WEEK, mulberry32, percentileSorted } from './stats.ts';

/**
 * Monte Carlo completion forecast (the Troy Magennis / ActionableAgile method): each run draws one
 * historical week of throughput per contributing stream, week after week, until every stream has
 * burnt its remaining scope. The finishing week of a run is the slowest stream's.
 */
export interface Stream {
  /** Name for evidence (a team). */
  name: string;
  /** Remaining scope in the forecast unit. */
  remaining: number;
  /** Historical weekly throughput in the same unit, one entry per week. */
  samples: readonly number[];
  /** Share of the stream's throughput that goes to this scope (0..1]. */
  focus: number;
}

export interface SimulationInput {
  streams: readonly Stream[];
  runs: number;
  seed: number;
  horizonWeeks: number;
}

export interface SimulationResult {
  /** Weeks to finish in ascending order, one per run; runs beyond the horizon are +Infinity. */
  weeks: Float64Array;
  /** Runs that did not finish inside the horizon. */
  unfinished: number;
}

export function simulate(input: SimulationInput): SimulationResult {
  const rnd = mulberry32(input.seed);
  const weeks = new Float64Array(input.runs);
  let unfinished = 0;
  const streams = input.streams.filter((s) => s.remaining > 0);
  for (let r = 0; r < input.runs; r++) {
    let slowest = 0;
    for (const s of streams) {
      let left = s.remaining;
      let w = 0;
      const n = s.samples.length;
      while (left > 1e-9 && w < input.horizonWeeks) {
        left -= s.samples[Math.floor(rnd() * n)]! * s.focus;
        w++;
      }
      if (left > 1e-9) {
        slowest = Infinity;
        continue;
      }
      if (w > slowest) slowest = w;
    }
    if (slowest === Infinity) unfinished++;
    weeks[r] = slowest;
  }
  weeks.sort();
  return { weeks, unfinished };
}

/** Percentile of weeks to finish (null when that percentile lies beyond the horizon). */
export function weeksAt(result: SimulationResult, p: number): number | null {
  const w = percentileSorted(result.weeks, p);
  return w === null || !Number.isFinite(w) ? null : w;
}

/** Share of runs finishing within `weeks` whole weeks. */
export function probabilityWithin(result: SimulationResult, weeks: number): number {
  const arr = result.weeks;
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! <= weeks) lo = mid + 1;
    else hi = mid;
  }
  return arr.length === 0 ? 0 : lo / arr.length;
}

/** The date a forecast of `weeks` weeks from `start` lands on. */
export function dateAfterWeeks(start: number, weeks: number): number {
  return start + weeks * WEEK;
}
