import { WEEK, hashSeed, mulberry32, percentileSorted } from './stats.ts';

/**
 * Monte Carlo completion forecast (the Troy Magennis / ActionableAgile method): each run draws one
 * historical week of throughput per contributing team, week after week, until every team has burnt
 * its remaining scope; the run finishes with the slowest team.
 *
 * Runs use common random numbers: run r of team T is one random sequence of weeks, shared by every
 * scope T works on (each scope takes its `focus` share of it). So the cost is one path table per
 * team, not one simulation per scope and team, and a scope's forecast does not depend on which other
 * scopes are forecast alongside it. Same seed and data ⇒ same forecast.
 */
export interface Stream {
  /** The team; streams with the same name share their random path and must share `samples`. */
  name: string;
  /** Remaining scope in the forecast unit. */
  remaining: number;
  /** Historical weekly throughput in the same unit, one entry per week. */
  samples: readonly number[];
  /** Share of the team's throughput that goes to this scope (0..1]. */
  focus: number;
}

export interface SimulationOptions {
  runs: number;
  seed: number;
  horizonWeeks: number;
}

export interface SimulationInput extends SimulationOptions {
  streams: readonly Stream[];
}

export interface SimulationResult {
  /** Weeks to finish in ascending order, one per run; runs beyond the horizon are +Infinity. */
  weeks: Float64Array;
  /** Runs that did not finish inside the horizon. */
  unfinished: number;
}

const EPSILON = 1e-9;

export function simulate(input: SimulationInput): SimulationResult {
  return simulateMany([input.streams], input)[0]!;
}

/** Forecasts many scopes at once; element i of the result belongs to `scopes[i]`. */
export function simulateMany(scopes: ReadonlyArray<readonly Stream[]>, options: SimulationOptions): SimulationResult[] {
  const { runs, horizonWeeks } = options;
  const byTeam = new Map<string, Array<{ scope: number; threshold: number; samples: readonly number[] }>>();
  scopes.forEach((streams, scope) => {
    for (const s of streams) {
      if (s.remaining <= 0) continue;
      let list = byTeam.get(s.name);
      if (!list) byTeam.set(s.name, (list = []));
      list.push({ scope, threshold: s.focus > 0 ? s.remaining / s.focus - EPSILON : Infinity, samples: s.samples });
    }
  });
  const finish = scopes.map(() => new Float64Array(runs));
  for (const [team, requests] of [...byTeam].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const samples = Float64Array.from(requests[0]!.samples);
    let target = 0;
    for (const r of requests) target = Math.max(target, r.threshold);
    const columns = pathColumns(samples, runs, hashSeed(options.seed, team), horizonWeeks, target);
    for (const req of requests) {
      const out = finish[req.scope]!;
      for (let r = 0; r < runs; r++) {
        const w = firstWeekReaching(columns, r, req.threshold);
        if (w > out[r]!) out[r] = w;
      }
    }
  }
  return finish.map((weeks) => {
    weeks.sort();
    let unfinished = 0;
    for (let i = weeks.length - 1; i >= 0 && weeks[i] === Infinity; i--) unfinished++;
    return { weeks, unfinished };
  });
}

/**
 * Cumulative throughput per run, one column per week (column w holds the sum of weeks 1..w+1), grown
 * until every run has reached `target` or the horizon.
 */
function pathColumns(samples: Float64Array, runs: number, seed: number, horizon: number, target: number): Float64Array[] {
  const rnd = mulberry32(seed);
  const n = samples.length;
  const columns: Float64Array[] = [];
  let previous: Float64Array | null = null;
  while (columns.length < horizon) {
    const col = new Float64Array(runs);
    let lowest = Infinity;
    for (let r = 0; r < runs; r++) {
      const v = (previous === null ? 0 : previous[r]!) + samples[(rnd() * n) | 0]!;
      col[r] = v;
      if (v < lowest) lowest = v;
    }
    columns.push(col);
    previous = col;
    if (lowest >= target) break;
  }
  return columns;
}

/** Weeks until run r's cumulative throughput reaches `threshold` (binary search), +Infinity if never. */
function firstWeekReaching(columns: Float64Array[], r: number, threshold: number): number {
  let lo = 0;
  let hi = columns.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (columns[mid]![r]! >= threshold) hi = mid;
    else lo = mid + 1;
  }
  return lo === columns.length ? Infinity : lo + 1;
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
