import { WEEK, hashSeed, hashUniform, percentileSorted } from './stats.ts';

/**
 * Monte Carlo completion forecast (the Troy Magennis / ActionableAgile method): each run draws one
 * historical week of throughput per contributing team, week after week, until every team has burnt
 * its remaining scope; the run finishes with the slowest team.
 *
 * Runs use common random numbers: run r of team T is one random path of weeks, shared by every
 * scope T works on (each scope takes its `focus` share of it). So each run of a team is walked once
 * for all its scopes, and a scope's forecast does not depend on which other scopes are forecast
 * alongside it. Same seed and data ⇒ same forecast.
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
  // Weeks to finish per scope and run: the slowest of its teams.
  const finish = scopes.map(() => new Float64Array(runs));
  for (const [team, requests] of [...byTeam].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    requests.sort((a, b) => a.threshold - b.threshold);
    const samples = Float64Array.from(requests[0]!.samples);
    const n = samples.length;
    const thresholds = Float64Array.from(requests.map((r) => r.threshold));
    const targets = requests.map((r) => finish[r.scope]!);
    const teamSeed = hashSeed(options.seed, team);
    for (let r = 0; r < runs; r++) {
      // One random path of weekly throughput per run, walked once past every threshold in order.
      const runSeed = (teamSeed ^ Math.imul(r + 1, 0x9e3779b1)) >>> 0;
      let cum = 0;
      let w = 0;
      for (let k = 0; k < thresholds.length; k++) {
        const th = thresholds[k]!;
        while (cum < th && w < horizonWeeks) {
          // The draw for week w of this run is a pure function of (run seed, w): see hashUniform.
          cum += samples[(hashUniform(runSeed, w) * n) | 0]!;
          w++;
        }
        const weeks = cum >= th ? w : Infinity;
        const out = targets[k]!;
        if (weeks > out[r]!) out[r] = weeks;
      }
    }
  }
  return finish.map((weeks) => countingSort(weeks, horizonWeeks));
}

/** Weeks are whole numbers up to the horizon (or +Infinity): a counting sort beats a comparison sort. */
function countingSort(weeks: Float64Array, horizon: number): SimulationResult {
  const counts = new Uint32Array(horizon + 2);
  for (const w of weeks) counts[w === Infinity ? horizon + 1 : w]!++;
  let at = 0;
  for (let w = 0; w <= horizon; w++) {
    weeks.fill(w, at, at + counts[w]!);
    at += counts[w]!;
  }
  const unfinished = counts[horizon + 1]!;
  weeks.fill(Infinity, at, at + unfinished);
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
