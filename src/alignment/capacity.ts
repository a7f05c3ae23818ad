import type { Sprint } from '../model/work-item.ts';
import type { AlignmentSettings } from './config.ts';
import type { AlignItem } from './portfolio.ts';
import { DAY, WEEK, round } from './stats.ts';

/** Load against capacity for one person (merged across tools by email) or team. */
export interface CapacityRow {
  /** Person: canonical email or `id:<tool id>`; team: team name. */
  key: string;
  name: string;
  teams: string[];
  sources: string[];
  wip: number;
  /** Points in the active sprints (all states), assigned to them / belonging to the team. */
  committedPoints: number;
  /** Points completed per week over the velocity window. */
  velocityPerWeek: number;
  /** Velocity scaled to the active sprint length (null without an active sprint). */
  sprintCapacity: number | null;
  /** committed / sprintCapacity; null when either is unknown. */
  load: number | null;
  overCommitted: boolean;
}

export interface CapacityReport {
  velocityWeeks: number;
  people: CapacityRow[];
  teams: CapacityRow[];
}

interface Acc {
  name: string;
  teams: Set<string>;
  sources: Set<string>;
  wip: number;
  committed: number;
  completed: number;
  sprintDays: number;
}

export function computeCapacity(items: readonly AlignItem[], sprints: readonly Sprint[], now: number, settings: AlignmentSettings['capacity']): CapacityReport {
  const active = new Map<string, Sprint>();
  // Items name their sprint by source and native id (`AlignItem.sprintKey`).
  for (const s of sprints) if (s.state === 'active') active.set(`${s.source}:${s.id}`, s);
  const from = now - settings.velocityWeeks * WEEK;
  const people = new Map<string, Acc>();
  const teams = new Map<string, Acc>();
  const get = (map: Map<string, Acc>, key: string, name: string): Acc => {
    let a = map.get(key);
    if (!a) map.set(key, (a = { name, teams: new Set(), sources: new Set(), wip: 0, committed: 0, completed: 0, sprintDays: 0 }));
    return a;
  };
  for (const it of items) {
    if (!it.work) continue;
    const accs = [get(teams, it.unit, it.unit)];
    if (it.person !== null) accs.push(get(people, it.person, it.personName ?? it.person));
    const sprint = it.sprintKey !== null ? active.get(it.sprintKey) : undefined;
    for (const a of accs) {
      a.teams.add(it.unit);
      a.sources.add(it.source);
      if (it.status === 'in_progress') a.wip++;
      if (sprint) {
        a.committed += it.estimate ?? 0;
        a.sprintDays = Math.max(a.sprintDays, sprintDays(sprint));
      }
      if (it.resolved !== null && it.resolved >= from && it.resolved < now) a.completed += it.estimate ?? 0;
    }
  }
  const rows = (map: Map<string, Acc>): CapacityRow[] =>
    [...map]
      .map(([key, a]) => {
        const velocityPerWeek = a.completed / settings.velocityWeeks;
        const sprintCapacity = a.sprintDays > 0 ? round((velocityPerWeek * a.sprintDays) / 7, 1) : null;
        const load = sprintCapacity !== null && sprintCapacity > 0 ? round(a.committed / sprintCapacity, 2) : null;
        return {
          key,
          name: a.name,
          teams: [...a.teams].sort(),
          sources: [...a.sources].sort(),
          wip: a.wip,
          committedPoints: round(a.committed, 1),
          velocityPerWeek: round(velocityPerWeek, 1),
          sprintCapacity,
          load,
          overCommitted: load !== null ? load > settings.overCommitRatio : a.committed > 0 && sprintCapacity === 0,
        };
      })
      .sort((x, y) => (y.load ?? -1) - (x.load ?? -1) || y.wip - x.wip || (x.key < y.key ? -1 : 1));
  return { velocityWeeks: settings.velocityWeeks, people: rows(people), teams: rows(teams) };
}

function sprintDays(s: Sprint): number {
  if (s.startDate === null || s.endDate === null) return 14;
  return Math.max(1, Math.round((Date.parse(s.endDate) - Date.parse(s.startDate)) / DAY));
}
