import { table } from '../cli/output.ts';
import type { Forecast } from './forecast.ts';
import { KPI_HIGHER_IS_BETTER, KPI_NAMES, type KpiName } from './kpis.ts';
import type { AlignmentReport, EpicForecast, ObjectiveReport } from './report.ts';
import type { KpiReport, KpiTrend } from './snapshots.ts';

/** Human-readable tables for `alignment`, `kpis` and `forecast` (JSON output never passes here). */

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(0)}%`);
const signedPts = (v: number | null): string => (v === null ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(0)} pp`);
const num = (v: number | null, digits = 1): string => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(digits));

const HEALTH: Record<ObjectiveReport['health'], string> = {
  done: '✅ done',
  'on-track': '🟢 on track',
  'at-risk': '🔴 at risk',
  'no-target': '⚪ no target date',
  unknown: '⚪ no forecast',
};

export function renderAlignment(r: AlignmentReport): string {
  const out: string[] = [];
  if (r.objectives.length === 0) out.push('No objectives configured: add `objectives:` to the config to map work to strategy (see docs/alignment.md).', '');
  out.push(`Alignment ${r.window.from} → ${r.window.to} (${r.window.days} days; share by ${r.measure}): ${num(r.total.points)} points, ${r.total.items} items done, ${num(r.total.inProgressDays)} in-progress days`);
  out.push('');
  out.push(
    table(
      ['objective', 'share', 'target', 'drift', 'points', 'items', 'progress', 'P50', 'P85', 'by target', 'health'],
      [
        ...r.objectives.map((o) => [
          `${o.id} ${truncate(o.title, 34)}`,
          pct(o.share),
          pct(o.targetShare),
          o.drift === null ? '—' : `${signedPts(o.drift)}${o.drifting ? ' ⚠' : ''}`,
          num(o.points),
          o.items,
          `${o.progress.done}/${o.progress.total}`,
          o.forecast.p50 ?? '—',
          o.forecast.p85 ?? '—',
          o.forecast.targetDate ? `${pct(o.forecast.probabilityByTarget)} by ${o.forecast.targetDate}` : '—',
          HEALTH[o.health] + (o.forecast.lowConfidence ? ' (low confidence)' : ''),
        ]),
        ['unaligned', pct(r.unaligned.share), '', '', num(r.unaligned.points), r.unaligned.items, '', '', '', '', ''],
      ],
    ),
  );
  const krs = r.objectives.flatMap((o) => o.keyResults.map((k) => [o.id, `${k.id} ${truncate(k.title, 40)}`, `${k.progress.done}/${k.progress.total}`, k.target.points !== null ? `${num(k.progress.points.done)}/${k.target.points} pts` : k.target.items !== null ? `${k.progress.done}/${k.target.items} items` : 'all matched', pct(k.progress.fraction)]));
  if (krs.length > 0) out.push('Key results', table(['objective', 'key result', 'done/total', 'target', 'progress'], krs));
  if (r.themes.length > 0) {
    out.push(
      'Themes',
      table(
        ['theme', 'share', 'target', 'drift', 'points', 'items'],
        [...r.themes.map((t) => [`${t.id} ${truncate(t.title, 30)}`, pct(t.share), pct(t.targetShare), signedPts(t.drift), num(t.points), t.items]), ['(no theme)', pct(r.unthemed.share), '', '', num(r.unthemed.points), r.unthemed.items]],
      ),
    );
  }
  const ids = r.objectives.map((o) => o.id);
  out.push(
    'By team',
    table(
      ['team', 'points', ...ids, 'unaligned'],
      r.teams.map((t) => [t.name, num(t.total.points), ...ids.map((id) => pct(t.objectives[id]?.share ?? 0)), pct(t.unaligned.share)]),
    ),
  );
  out.push(
    'By project',
    table(
      ['project', 'points', ...ids, 'unaligned'],
      r.projects.map((t) => [t.name, num(t.total.points), ...ids.map((id) => pct(t.objectives[id]?.share ?? 0)), pct(t.unaligned.share)]),
    ),
  );
  const atRisk = r.objectives.filter((o) => o.health === 'at-risk');
  for (const o of atRisk) out.push(`🔴 ${o.id} "${o.title}": ${pct(o.forecast.probabilityByTarget)} chance by ${o.targetDate}; P85 ${o.forecast.p85 ?? 'beyond the horizon'} (${o.forecast.remaining} ${o.forecast.unit} left)`);
  const budgets = r.objectives.filter((o) => o.budget !== null);
  if (budgets.length > 0) {
    out.push(
      '',
      'Budget (estimated from allocation)',
      table(
        ['objective', 'since', 'spent', 'per week', 'budget', 'projected at target', 'status'],
        budgets.map((o) => {
          const b = o.budget!;
          return [o.id, b.since, money(b.spent, b.currency), money(b.perWeek, b.currency), b.budget === null ? '—' : money(b.budget, b.currency), b.projectedAtTarget === null ? '—' : money(b.projectedAtTarget, b.currency), b.overBudget === null ? '' : b.overBudget ? '⚠ over' : 'within'];
        }),
      ),
    );
  }
  if (r.conflicts.count > 0) {
    out.push(`Conflicts (${r.conflicts.count}, ${r.conflicts.affected} items):`);
    for (const c of r.conflicts.items.slice(0, 10)) out.push(`  ${c.key}: ${c.objectives.join(' vs ')} → ${c.winner} (${c.affected} items)`);
  }
  for (const w of r.warnings) out.push(`⚠ ${w}`);
  return out.join('\n');
}

export function renderKpis(r: KpiReport): string {
  const out: string[] = [`KPIs for the week of ${r.week} (window ${r.windowDays} days; Δ = vs last week; trend = ${r.trendWeeks} weeks)`, ''];
  out.push(
    table(
      ['kpi', 'value', 'Δ', 'trend'],
      KPI_NAMES.map((k) => [k, fmt(k, r.overall[k].value), delta(k, r.overall[k]), spark(r.overall[k].trend.map((t) => t.value))]),
    ),
  );
  const cols: KpiName[] = ['throughput', 'cycleTimeP50', 'leadTimeP85', 'predictability', 'onTimeRate', 'blockedShare', 'compliance', 'alignment'];
  out.push('By team', table(['team', ...cols], r.teams.map((t) => [t.team, ...cols.map((k) => `${fmt(k, t.kpis[k].value)} ${arrow(k, t.kpis[k].delta)}`.trim())])));
  out.push(
    `Capacity (velocity over ${r.capacity.velocityWeeks} weeks)`,
    table(
      ['person', 'teams', 'WIP', 'committed', 'capacity', 'load', ''],
      r.capacity.people.slice(0, 25).map((p) => [p.name, p.teams.join(', '), p.wip, num(p.committedPoints), num(p.sprintCapacity), p.load === null ? '—' : `${Math.round(p.load * 100)}%`, p.overCommitted ? '⚠ over-committed' : '']),
    ),
  );
  return out.join('\n');
}

export function renderForecasts(objectives: ObjectiveReport[], epics: EpicForecast[]): string {
  const out: string[] = [];
  const row = (name: string, target: string | null, f: Forecast) => [name, target ?? '—', f.remaining, f.p50 ?? '—', f.p85 ?? '—', f.p95 ?? '—', pct(f.probabilityByTarget), f.lowConfidence ? `low: ${truncate(f.reasons[0] ?? '', 60)}` : 'ok'];
  const headers = ['subject', 'target', 'remaining', 'P50', 'P85', 'P95', 'by target', 'confidence'];
  if (objectives.length > 0) out.push('Objectives', table(headers, objectives.map((o) => row(`${o.id} ${truncate(o.title, 30)}`, o.targetDate, o.forecast))));
  if (epics.length > 0) out.push('Epics', table(headers, epics.map((e) => row(`${e.key.slice(e.key.indexOf(':') + 1)} ${truncate(e.title, 30)}`, e.dueDate, e.forecast))));
  if (objectives.length === 1) {
    const f = objectives[0]!.forecast;
    out.push(`Monte Carlo: ${f.runs} runs, seed ${f.seed}, unit ${f.unit}.`);
    for (const s of f.samples) out.push(`  ${s.team}: ${s.remaining} left, focus ${pct(s.focus)}, weekly throughput [${s.weeks.join(', ')}]`);
    for (const reason of f.reasons) out.push(`  ⚠ ${reason}`);
  }
  return out.join('\n');
}

const RATIOS: ReadonlySet<KpiName> = new Set(['predictability', 'onTimeRate', 'blockedShare', 'compliance', 'alignment']);

function fmt(k: KpiName, v: number | null): string {
  if (v === null) return '—';
  if (RATIOS.has(k)) return pct(v);
  if (k.startsWith('cycle') || k.startsWith('lead')) return `${v.toFixed(1)} d`;
  return num(v);
}

function delta(k: KpiName, t: KpiTrend): string {
  if (t.delta === null) return '—';
  // A change in a ratio is in percentage points, not percent.
  const shown = RATIOS.has(k) ? `${Math.round(Math.abs(t.delta) * 100)} pp` : fmt(k, Math.abs(t.delta));
  return `${t.delta >= 0 ? '+' : '−'}${shown} ${arrow(k, t.delta)}`.trim();
}

function arrow(k: KpiName, d: number | null): string {
  if (d === null || d === 0) return '';
  const good = d > 0 === KPI_HIGHER_IS_BETTER[k];
  return d > 0 ? (good ? '↑' : '↑!') : good ? '↓' : '↓!';
}

const BARS = '▁▂▃▄▅▆▇█';
function spark(values: Array<number | null>): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return values.map((v) => (v === null ? ' ' : BARS[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * 7)])).join('');
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function money(v: number, currency: string): string {
  return `${currency} ${Math.round(v).toLocaleString('en-US')}`;
}
