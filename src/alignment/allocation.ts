import type { AlignmentConfig } from './config.ts';
import type { Mapping } from './mapping.ts';
import { overlapDays, type Portfolio } from './portfolio.ts';
import { round } from './stats.ts';

/** Effort in a window, by the three measures. */
export interface Effort {
  points: number;
  items: number;
  inProgressDays: number;
}

export type Measure = AlignmentConfig['alignment']['measure'];

export interface Window {
  from: number;
  to: number;
}

export function emptyEffort(): Effort {
  return { points: 0, items: 0, inProgressDays: 0 };
}

export function addEffort(into: Effort, e: Effort): void {
  into.points += e.points;
  into.items += e.items;
  into.inProgressDays += e.inProgressDays;
}

/** Effort shares by each measure (null when the whole is zero). */
export function sharesOf(part: Effort, whole: Effort): { points: number | null; items: number | null; inProgressDays: number | null } {
  const s = (a: number, b: number) => (b > 0 ? round(a / b, 4) : null);
  return { points: s(part.points, whole.points), items: s(part.items, whole.items), inProgressDays: s(part.inProgressDays, whole.inProgressDays) };
}

/**
 * Effort of every work item in the window: story points and count of items whose status became
 * done inside it, and days spent in progress inside it. Containers (epics, features) and risks
 * carry no effort of their own: their children do.
 */
export interface AllocationTable {
  total: Effort;
  /** Index = objective, last entry = unaligned. */
  byObjective: Effort[];
  /** Index = theme, last entry = no theme. */
  byTheme: Effort[];
  /** unit (team, else project) → per objective (last = unaligned). */
  byTeam: Map<string, Effort[]>;
  byProject: Map<string, Effort[]>;
}

export function allocate(p: Portfolio, m: Mapping, objectiveCount: number, themeCount: number, w: Window): AllocationTable {
  const fresh = (n: number) => Array.from({ length: n + 1 }, emptyEffort);
  const table: AllocationTable = { total: emptyEffort(), byObjective: fresh(objectiveCount), byTheme: fresh(themeCount), byTeam: new Map(), byProject: new Map() };
  for (let i = 0; i < p.items.length; i++) {
    const it = p.items[i]!;
    if (!it.work) continue;
    const doneIn = it.resolved !== null && it.resolved >= w.from && it.resolved < w.to;
    const days = it.progress.length > 0 ? overlapDays(it.progress, w.from, w.to) : 0;
    if (!doneIn && days === 0) continue;
    const e: Effort = { points: doneIn ? (it.estimate ?? 0) : 0, items: doneIn ? 1 : 0, inProgressDays: days };
    const o = m.objective[i]! < 0 ? objectiveCount : m.objective[i]!;
    const t = m.theme[i]! < 0 ? themeCount : m.theme[i]!;
    addEffort(table.total, e);
    addEffort(table.byObjective[o]!, e);
    addEffort(table.byTheme[t]!, e);
    let team = table.byTeam.get(it.unit);
    if (!team) table.byTeam.set(it.unit, (team = fresh(objectiveCount)));
    addEffort(team[o]!, e);
    let project = table.byProject.get(it.project);
    if (!project) table.byProject.set(it.project, (project = fresh(objectiveCount)));
    addEffort(project[o]!, e);
  }
  return table;
}

export function roundEffort(e: Effort): Effort {
  return { points: round(e.points, 2), items: e.items, inProgressDays: round(e.inProgressDays, 1) };
}
