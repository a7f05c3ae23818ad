import { hashUniform } from '../../../src/alignment/stats.ts';
import type { Sprint, WorkItem } from '../../../src/model/work-item.ts';

/**
 * A synthetic portfolio for the alignment benchmarks: `n` items over 20 teams, 25 epics per team,
 * a year of history with sprints and sprint moves, and 50 objectives matching by epic, label,
 * component, area path and (two of them) CEL. Deterministic for a given `n`.
 */
export const TEAMS = 20;
export const NOW = new Date('2026-11-21T12:00:00.000Z');
const DAY = 86_400_000;
const EPICS_PER_TEAM = 25;

export function objectivesConfig(): unknown[] {
  return Array.from({ length: 50 }, (_, k) => {
    const base = { id: `O${k + 1}`, title: `Objective ${k + 1}`, targetDate: k % 3 === 0 ? '2027-03-31' : '2027-12-31', targetShare: 0.018, priority: (k % 5) + 1 };
    if (k < 2) return { ...base, match: { cel: `item.priority == "P${k}" && item.estimate >= 5.0` } };
    if (k < 20) return { ...base, match: { epics: Array.from({ length: 12 }, (_, e) => `E-${k * 12 + e}`) } };
    if (k < 30) return { ...base, match: { labels: [`okr-${k}`] } };
    if (k < 40) return { ...base, match: { components: [`comp-${k}`] } };
    return { ...base, match: { areaPaths: [`Proj${k % 8}\\Area${k}`] } };
  });
}

export function sprintsOf(): Sprint[] {
  const out: Sprint[] = [];
  for (let t = 0; t < TEAMS; t++) {
    for (let s = 0; s < 26; s++) {
      const start = NOW.getTime() - (26 - s) * 14 * DAY + 7 * DAY;
      const end = start + 14 * DAY;
      out.push({
        key: `bench:sprint-${t}-${s}`,
        source: 'bench',
        id: `${t}-${s}`,
        name: `Team ${t} Sprint ${s}`,
        state: end <= NOW.getTime() ? 'closed' : 'active',
        startDate: new Date(start).toISOString(),
        endDate: new Date(end).toISOString(),
        completeDate: end <= NOW.getTime() ? new Date(end).toISOString() : null,
        goal: null,
        project: `Proj${t % 8}`,
        team: `Team ${t}`,
      });
    }
  }
  return out;
}

export function* portfolio(n: number): Generator<WorkItem> {
  let draws = 0;
  const rnd = () => hashUniform(42, draws++);
  const epics = TEAMS * EPICS_PER_TEAM;
  const iso = (t: number) => new Date(t).toISOString();
  for (let i = 0; i < n; i++) {
    const t = i % TEAMS;
    const isEpic = i < epics;
    const epicIdx = isEpic ? i : Math.floor(rnd() * EPICS_PER_TEAM) * TEAMS + t;
    const created = NOW.getTime() - Math.floor(rnd() * 360) * DAY - Math.floor(rnd() * DAY);
    const r = rnd();
    const status = isEpic ? 'in_progress' : r < 0.6 ? 'done' : r < 0.75 ? 'in_progress' : 'todo';
    const started = status === 'todo' ? null : Math.min(NOW.getTime() - DAY, created + Math.floor(rnd() * 20) * DAY);
    const resolved = status === 'done' ? Math.min(NOW.getTime() - 3600_000, started! + Math.floor(1 + rnd() * 15) * DAY) : null;
    const transitions: WorkItem['transitions'] = [{ at: iso(created), from: null, to: 'To Do', fromCategory: null, toCategory: 'todo', by: null }];
    if (started !== null) transitions.push({ at: iso(started), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress', by: null });
    if (resolved !== null) transitions.push({ at: iso(resolved), from: 'In Progress', to: 'Done', fromCategory: 'in_progress', toCategory: 'done', by: null });
    const sprintNo = Math.max(0, Math.min(25, 26 - Math.ceil((NOW.getTime() - (started ?? created)) / (14 * DAY))));
    const sprintName = `Team ${t} Sprint ${sprintNo}`;
    const k = i % 50;
    const person = i % 120;
    yield {
      key: `bench:${isEpic ? 'E' : 'I'}-${i}`,
      source: 'bench',
      sourceKind: 'sample',
      nativeKey: `${isEpic ? 'E' : 'I'}-${i}`,
      url: `https://bench.example/browse/${i}`,
      project: `Proj${t % 8}`,
      team: `Team ${t}`,
      type: isEpic ? 'Epic' : 'Story',
      typeCategory: isEpic ? 'epic' : i % 9 === 0 ? 'bug' : 'story',
      title: `Item ${i}`,
      description: null,
      status: status === 'done' ? 'Done' : status === 'in_progress' ? 'In Progress' : 'To Do',
      statusCategory: status,
      assignee: { id: `u${person}`, name: `Person ${person}`, email: `person${person}@bench.example` },
      priority: `P${i % 4}`,
      labels: k >= 20 && k < 30 && i % 7 === 0 ? [`okr-${k}`] : [],
      components: k >= 30 && k < 40 && i % 5 === 0 ? [`comp-${k}`] : [],
      estimate: isEpic ? null : [1, 2, 3, 5, 8][i % 5]!,
      createdAt: iso(created),
      updatedAt: iso(resolved ?? started ?? created),
      startedAt: started === null ? null : iso(started),
      resolvedAt: resolved === null ? null : iso(resolved),
      dueDate: i % 6 === 0 ? iso(created + 30 * DAY).slice(0, 10) : null,
      sprint: isEpic ? null : { id: `${t}-${sprintNo}`, name: sprintName, state: sprintNo === 25 ? 'active' : 'closed', startDate: null, endDate: null },
      parentKey: isEpic ? null : `bench:E-${epicIdx}`,
      epicKey: isEpic ? null : `bench:E-${epicIdx}`,
      links: [],
      blocked: status === 'in_progress' && i % 13 === 0,
      fields: k >= 40 && i % 3 === 0 ? { 'System.AreaPath': `Proj${k % 8}\\Area${k}` } : {},
      transitions,
      history: isEpic ? [] : [{ at: iso(Math.min(created, (started ?? created) - DAY)), field: 'sprint', from: null, to: sprintName, by: null }],
    };
  }
}
