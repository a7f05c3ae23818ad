import type { AlignItem } from './portfolio.ts';
import { WEEK, isoDate, round } from './stats.ts';

export interface ProgressCounts {
  items: { done: number; total: number };
  points: { done: number; total: number };
}

export interface BurnupPoint {
  /** The week's last day (the series ends today). */
  week: string;
  done: number;
  total: number;
  donePoints: number;
  totalPoints: number;
}

/** Scope accumulates per subject (objective, key result) in one pass over the items. */
export class ProgressAccumulator {
  readonly counts: ProgressCounts = { items: { done: 0, total: 0 }, points: { done: 0, total: 0 } };
  readonly added = { items: 0, points: 0 };
  private readonly ends: readonly number[];
  private readonly windowFrom: number;
  private readonly doneAt: Float64Array;
  private readonly createdAt: Float64Array;
  private readonly doneP: Float64Array;
  private readonly createdP: Float64Array;

  constructor(ends: readonly number[], windowFrom: number) {
    this.ends = ends;
    this.windowFrom = windowFrom;
    this.doneAt = new Float64Array(ends.length);
    this.createdAt = new Float64Array(ends.length);
    this.doneP = new Float64Array(ends.length);
    this.createdP = new Float64Array(ends.length);
  }

  add(it: AlignItem): void {
    if (!it.work) return;
    const pts = it.estimate ?? 0;
    this.counts.items.total++;
    this.counts.points.total += pts;
    if (it.status === 'done') {
      this.counts.items.done++;
      this.counts.points.done += pts;
    }
    if (it.created >= this.windowFrom) {
      this.added.items++;
      this.added.points += pts;
    }
    for (let k = 0; k < this.ends.length; k++) {
      const end = this.ends[k]!;
      if (it.created <= end) {
        this.createdAt[k]!++;
        this.createdP[k]! += pts;
      }
      if (it.resolved !== null && it.resolved <= end) {
        this.doneAt[k]!++;
        this.doneP[k]! += pts;
      }
    }
  }

  burnup(): BurnupPoint[] {
    return this.ends.map((end, k) => ({
      week: isoDate(end - 1),
      done: this.doneAt[k]!,
      total: this.createdAt[k]!,
      donePoints: round(this.doneP[k]!, 2),
      totalPoints: round(this.createdP[k]!, 2),
    }));
  }
}

/** Week ends for a burn-up of `weeks` points, the last one being `now`. */
export function weekEnds(now: number, weeks: number): number[] {
  return Array.from({ length: weeks }, (_, k) => now - (weeks - 1 - k) * WEEK);
}
