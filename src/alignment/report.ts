import type { Sprint, WorkItem } from '../model/work-item.ts';
import { allocate, roundEffort, sharesOf, type AllocationTable, type Effort, type Window } from './allocation.ts';
import { budgetSince, estimateSpend } from './budget.ts';
import type { AlignmentConfig, Objective } from './config.ts';
import { forecastScopes, throughputHistory, type Forecast, type UnitHistory } from './forecast.ts';
import { mapPortfolio, type Conflict, type Mapping } from './mapping.ts';
import { loadPortfolio, type AlignItem, type Portfolio } from './portfolio.ts';
import { ProgressAccumulator, weekEnds, type BurnupPoint, type ProgressCounts } from './progress.ts';
import { DAY, WEEK, isoDate, isoInstant, round } from './stats.ts';

/** The portfolio mapped to objectives at one instant: the input of every alignment report. */
export interface Analysis {
  config: AlignmentConfig;
  now: number;
  window: Window;
  portfolio: Portfolio;
  mapping: Mapping;
  sprints: readonly Sprint[];
  history: Map<string, UnitHistory>;
}

export function analyse(items: Iterable<WorkItem>, sprints: readonly Sprint[], config: AlignmentConfig, now: Date): Analysis {
  const portfolio = loadPortfolio(items, config);
  return analyseFrom(portfolio, mapPortfolio(portfolio, config), sprints, config, now);
}

export function analyseFrom(portfolio: Portfolio, mapping: Mapping, sprints: readonly Sprint[], config: AlignmentConfig, now: Date): Analysis {
  const t = now.getTime();
  return {
    config,
    now: t,
    window: { from: t - config.alignment.windowDays * DAY, to: t },
    portfolio,
    mapping,
    sprints,
    history: throughputHistory(portfolio.items, t, config.alignment.forecast),
  };
}

export interface ShareRow extends Effort {
  share: number;
  shares: ReturnType<typeof sharesOf>;
}

export interface KeyResultReport {
  id: string;
  title: string;
  targetDate: string | null;
  target: { items: number | null; points: number | null };
  progress: ProgressCounts & { done: number; total: number; fraction: number | null; scopeAdded: { items: number; points: number } };
  burnup: BurnupPoint[];
}

export interface ObjectiveReport extends ShareRow {
  id: string;
  title: string;
  owner: string | null;
  targetDate: string | null;
  targetShare: number | null;
  drift: number | null;
  drifting: boolean;
  priority: number | null;
  theme: string | null;
  /** Items it matched by their own attributes, before inheritance. */
  matchedDirectly: number;
  /** Work items mapped to it (any status). */
  mappedItems: number;
  progress: ProgressCounts & { done: number; total: number; scopeAdded: { items: number; points: number } };
  keyResults: KeyResultReport[];
  burnup: BurnupPoint[];
  forecast: Forecast;
  health: 'done' | 'on-track' | 'at-risk' | 'no-target' | 'unknown';
  budget: BudgetReport | null;
}

export interface BudgetReport {
  currency: string;
  budget: number | null;
  since: string;
  spent: number;
  perWeek: number;
  remaining: number | null;
  projectedAtTarget: number | null;
  overBudget: boolean | null;
}

export interface BreakdownRow {
  name: string;
  total: Effort;
  objectives: Record<string, ShareRow>;
  unaligned: ShareRow;
}

export interface EpicForecast {
  key: string;
  title: string;
  url: string;
  project: string;
  team: string | null;
  objective: string | null;
  dueDate: string | null;
  progress: { done: number; total: number };
  forecast: Forecast;
}

/** `pmo-bot alignment --json` (contract: DESIGN.md; fields are only ever added). */
export interface AlignmentReport {
  generatedAt: string;
  window: { from: string; to: string; days: number };
  measure: AlignmentConfig['alignment']['measure'];
  total: Effort;
  objectives: ObjectiveReport[];
  unaligned: ShareRow;
  themes: Array<ShareRow & { id: string; title: string; targetShare: number | null; drift: number | null }>;
  unthemed: ShareRow;
  teams: BreakdownRow[];
  projects: BreakdownRow[];
  conflicts: { count: number; affected: number; items: Conflict[] };
  cycles: string[][];
  warnings: string[];
}

/** Conflicts and cycles listed in full up to this many (the counts are always complete). */
const MAX_CONFLICTS_LISTED = 100;

export function alignmentReport(a: Analysis): AlignmentReport {
  const { config, portfolio: p, mapping: m } = a;
  const settings = config.alignment;
  const O = config.objectives.length;
  const T = config.themes.length;
  const table = allocate(p, m, O, T, a.window);
  // `share` is a number in 0..1 by contract: 0 when the window holds no effort at all (`shares` says null).
  const row = (e: Effort, whole: Effort): ShareRow => {
    const shares = sharesOf(e, whole);
    return { ...roundEffort(e), share: shares[settings.measure] ?? 0, shares };
  };

  const ends = weekEnds(a.now, settings.burnupWeeks);
  const objectiveProgress = config.objectives.map(() => new ProgressAccumulator(ends, a.window.from));
  const krProgress = config.objectives.map((o) => o.keyResults.map(() => new ProgressAccumulator(ends, a.window.from)));
  const scopes = config.objectives.map(() => [] as AlignItem[]);
  for (let i = 0; i < p.items.length; i++) {
    const o = m.objective[i]!;
    if (o < 0) continue;
    const it = p.items[i]!;
    objectiveProgress[o]!.add(it);
    scopes[o]!.push(it);
    for (const k of m.keyResults[i]!) krProgress[o]![p.matchers.list[k]!.kr]!.add(it);
  }

  const focus = focusByUnit(a, (i) => m.objective[i]!);
  const openScopes = openScopesByUnit(a, (i) => m.objective[i]!);
  const spend = settings.budget ? estimateSpend(p, m, O, settings.budget, budgetSince(settings.budget, a.window.from), a.now) : null;

  const forecasts = forecastScopes(
    config.objectives.map((o, idx) => ({ id: o.id, items: scopes[idx]!, targetDate: o.targetDate ?? null, focus: focus.get(idx) ?? new Map(), openScopes })),
    a.history,
    a.now,
    settings.forecast,
  );
  const objectives = config.objectives.map((o, idx): ObjectiveReport => {
    const share = row(table.byObjective[idx]!, table.total);
    const prog = objectiveProgress[idx]!;
    const forecast = forecasts[idx]!;
    const drift = o.targetShare !== undefined && table.total[settings.measure] > 0 ? round(share.share - o.targetShare, 4) : null;
    return {
      id: o.id,
      title: o.title,
      owner: o.owner ?? null,
      targetDate: o.targetDate ?? null,
      targetShare: o.targetShare ?? null,
      ...share,
      drift,
      drifting: drift !== null && Math.abs(drift) > settings.driftTolerance,
      priority: o.priority ?? null,
      theme: o.theme ?? null,
      matchedDirectly: m.directMatches[idx] ?? 0,
      mappedItems: prog.counts.items.total,
      progress: { ...roundCounts(prog.counts), done: prog.counts.items.done, total: prog.counts.items.total, scopeAdded: { items: prog.added.items, points: round(prog.added.points, 2) } },
      keyResults: o.keyResults.map((kr, k) => keyResultReport(kr, krProgress[idx]![k]!)),
      burnup: prog.burnup(),
      forecast,
      health: healthOf(forecast, settings.atRiskThreshold),
      budget: spend ? budgetReport(o, spend.byObjective[idx]!, spend.weeks, settings, a, spend.from) : null,
    };
  });

  const themes = config.themes.map((t, idx) => {
    const share = row(table.byTheme[idx]!, table.total);
    return { id: t.id, title: t.title, targetShare: t.targetShare ?? null, drift: t.targetShare !== undefined && table.total[settings.measure] > 0 ? round(share.share - t.targetShare, 4) : null, ...share };
  });

  return {
    generatedAt: isoInstant(a.now),
    window: { from: isoDate(a.window.from), to: isoDate(a.window.to), days: settings.windowDays },
    measure: settings.measure,
    total: roundEffort(table.total),
    objectives,
    unaligned: row(table.byObjective[O]!, table.total),
    themes,
    unthemed: row(table.byTheme[T]!, table.total),
    teams: breakdown(table.byTeam, config.objectives, row),
    projects: breakdown(table.byProject, config.objectives, row),
    conflicts: {
      count: m.conflicts.length,
      affected: m.conflicts.reduce((s, c) => s + c.affected, 0),
      items: m.conflicts.slice(0, MAX_CONFLICTS_LISTED),
    },
    cycles: m.cycles.slice(0, MAX_CONFLICTS_LISTED),
    warnings: warningsOf(a),
  };
}

/** Open epics with remaining work and their forecasts (for `pmo-bot forecast`). */
export function epicForecasts(a: Analysis): EpicForecast[] {
  const { portfolio: p, mapping: m, config } = a;
  const scopes = new Map<number, AlignItem[]>();
  for (let i = 0; i < p.items.length; i++) {
    const e = m.epic[i]!;
    if (e < 0 || e === i || !p.items[i]!.work) continue;
    let list = scopes.get(e);
    if (!list) scopes.set(e, (list = []));
    list.push(p.items[i]!);
  }
  const focus = focusByUnit(a, (i) => m.epic[i]!);
  const openScopes = openScopesByUnit(a, (i) => m.epic[i]!);
  const open = [...scopes].filter(([e, items]) => p.items[e]!.status !== 'done' && items.some((i) => i.status !== 'done'));
  const forecasts = forecastScopes(
    open.map(([e, items]) => ({ id: p.items[e]!.key, items, targetDate: p.items[e]!.dueDate, focus: focus.get(e) ?? new Map(), openScopes })),
    a.history,
    a.now,
    config.alignment.forecast,
  );
  const out = open.map(([e, items], k): EpicForecast => {
    const epic = p.items[e]!;
    const o = m.objective[e]!;
    return {
      key: epic.key,
      title: epic.title,
      url: epic.url,
      project: epic.project,
      team: epic.team,
      objective: o >= 0 ? config.objectives[o]!.id : null,
      dueDate: epic.dueDate,
      progress: { done: items.filter((i) => i.status === 'done').length, total: items.length },
      forecast: forecasts[k]!,
    };
  });
  return out.sort((x, y) => (x.forecast.probabilityByTarget ?? 2) - (y.forecast.probabilityByTarget ?? 2) || (x.key < y.key ? -1 : 1));
}

export function healthOf(f: Forecast, threshold: number): ObjectiveReport['health'] {
  if (f.status === 'done') return 'done';
  if (f.status !== 'forecast') return 'unknown';
  if (f.probabilityByTarget === null) return 'no-target';
  return f.probabilityByTarget < threshold ? 'at-risk' : 'on-track';
}

/** Per scope (objective or epic index) and unit: the share of the unit's recent completions it got. */
function focusByUnit(a: Analysis, scopeOf: (i: number) => number): Map<number, Map<string, number>> {
  const { items } = a.portfolio;
  const settings = a.config.alignment.forecast;
  const from = a.now - settings.historyWeeks * WEEK;
  const totals = new Map<string, number>();
  const per = new Map<number, Map<string, number>>();
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (!it.work || it.resolved === null || it.resolved < from || it.resolved >= a.now) continue;
    const size = settings.unit === 'points' ? (it.estimate ?? 0) : 1;
    totals.set(it.unit, (totals.get(it.unit) ?? 0) + size);
    const s = scopeOf(i);
    if (s < 0) continue;
    let m = per.get(s);
    if (!m) per.set(s, (m = new Map()));
    m.set(it.unit, (m.get(it.unit) ?? 0) + size);
  }
  for (const m of per.values()) for (const [unit, v] of m) m.set(unit, v / (totals.get(unit) ?? 1));
  return per;
}

/** Per unit: how many scopes (the unscoped rest counting as one) have open work there. */
function openScopesByUnit(a: Analysis, scopeOf: (i: number) => number): Map<string, number> {
  const seen = new Map<string, Set<number>>();
  a.portfolio.items.forEach((it, i) => {
    if (!it.work || it.status === 'done') return;
    let s = seen.get(it.unit);
    if (!s) seen.set(it.unit, (s = new Set()));
    s.add(scopeOf(i));
  });
  return new Map([...seen].map(([unit, s]) => [unit, s.size]));
}

function roundCounts(c: ProgressCounts): ProgressCounts {
  return { items: { ...c.items }, points: { done: round(c.points.done, 2), total: round(c.points.total, 2) } };
}

function keyResultReport(kr: Objective['keyResults'][number], acc: ProgressAccumulator): KeyResultReport {
  const c = acc.counts;
  let fraction: number | null;
  if (kr.target?.points !== undefined) fraction = c.points.done / kr.target.points;
  else if (kr.target?.items !== undefined) fraction = c.items.done / kr.target.items;
  else fraction = c.items.total > 0 ? c.items.done / c.items.total : null;
  return {
    id: kr.id,
    title: kr.title,
    targetDate: kr.targetDate ?? null,
    target: { items: kr.target?.items ?? null, points: kr.target?.points ?? null },
    progress: {
      ...roundCounts(c),
      done: c.items.done,
      total: c.items.total,
      fraction: fraction === null ? null : round(Math.min(1, fraction), 4),
      scopeAdded: { items: acc.added.items, points: round(acc.added.points, 2) },
    },
    burnup: acc.burnup(),
  };
}

function budgetReport(o: Objective, spent: number, weeks: number, settings: AlignmentConfig['alignment'], a: Analysis, from: number): BudgetReport {
  const perWeek = spent / weeks;
  const weeksToTarget = o.targetDate ? Math.max(0, (Date.parse(`${o.targetDate}T00:00:00Z`) + DAY - a.now) / WEEK) : null;
  const projected = weeksToTarget === null ? null : Math.round(spent + perWeek * weeksToTarget);
  const budget = o.budget ?? null;
  return {
    currency: settings.budget!.currency,
    budget,
    since: isoDate(from),
    spent: Math.round(spent),
    perWeek: Math.round(perWeek),
    remaining: budget === null ? null : Math.round(budget - spent),
    projectedAtTarget: projected,
    overBudget: budget === null ? null : (projected ?? spent) > budget,
  };
}

function breakdown(map: AllocationTable['byTeam'], objectives: readonly Objective[], row: (e: Effort, whole: Effort) => ShareRow): BreakdownRow[] {
  return [...map]
    .map(([name, efforts]) => {
      const total: Effort = { points: 0, items: 0, inProgressDays: 0 };
      for (const e of efforts) {
        total.points += e.points;
        total.items += e.items;
        total.inProgressDays += e.inProgressDays;
      }
      const byObjective: Record<string, ShareRow> = {};
      objectives.forEach((o, i) => {
        const e = efforts[i]!;
        if (e.points > 0 || e.items > 0 || e.inProgressDays > 0) byObjective[o.id] = row(e, total);
      });
      return { name, total: roundEffort(total), objectives: byObjective, unaligned: row(efforts[objectives.length]!, total) };
    })
    .sort((x, y) => (x.name < y.name ? -1 : 1));
}

function warningsOf(a: Analysis): string[] {
  const out: string[] = [];
  a.config.objectives.forEach((o, i) => {
    if ((a.mapping.directMatches[i] ?? 0) === 0) out.push(`objective ${o.id} ("${o.title}") matches no stored work item; check its match`);
  });
  for (const [expr, tally] of a.portfolio.celErrors) out.push(`CEL expression ${JSON.stringify(expr)} failed on ${tally.count} items (first: ${tally.first}); those items did not match`);
  for (const c of a.mapping.cycles.slice(0, 10)) out.push(`parent links form a cycle: ${c.join(' → ')} → ${c[0]}; the closing link is ignored`);
  if (a.mapping.cycles.length > 10) out.push(`${a.mapping.cycles.length - 10} more cycles in parent links (see cycles)`);
  if (a.mapping.conflicts.length > 0) out.push(`${a.mapping.conflicts.length} items are matched by more than one objective; resolved by priority (see conflicts)`);
  return out;
}
