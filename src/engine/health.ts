import { z } from 'zod';
import { SEVERITIES, type Severity } from '../model/finding.ts';
import type { Store } from '../store/index.ts';

export type Rag = 'red' | 'amber' | 'green';
export const HEALTH_SCOPES = ['portfolio', 'project', 'team', 'person'] as const;
export type HealthScope = (typeof HEALTH_SCOPES)[number];

/** `health:` in the config: how open findings weigh and where red and amber begin. */
export const HealthSettings = z
  .strictObject({
    weights: z
      .strictObject({
        critical: z.number().min(0).default(5),
        warning: z.number().min(0).default(1),
        info: z.number().min(0).default(0.2),
      })
      .prefault({})
      .describe('what one open finding of each severity weighs; the score is the weighted sum per item in scope'),
    redCompliance: z.number().min(0).max(1).default(0.7).describe('compliance below this is red'),
    amberCompliance: z.number().min(0).max(1).default(0.9).describe('compliance below this is amber'),
    redScore: z.number().min(0).default(0.5).describe('a weighted score per item above this is red'),
    amberScore: z.number().min(0).default(0.15).describe('a weighted score per item above this is amber'),
    amberOnCritical: z.boolean().default(true).describe('any open critical finding makes it at least amber'),
  })
  .prefault({})
  .describe('RAG health per project, team and person from weighted open findings and compliance; stored per run');
export type HealthSettings = z.infer<typeof HealthSettings>;

/** One subject's health: a project, a team, a person (by email) or the whole portfolio. */
export interface Health {
  scope: HealthScope;
  subject: string;
  rag: Rag;
  /** Weighted open findings per item in scope. */
  score: number;
  /** Share of the items in scope with no open compliance finding, 0..1 (1 with no items). */
  compliance: number;
  items: number;
  /** Items with an open compliance finding. */
  nonCompliant: number;
  open: Record<Severity, number>;
}

/** Red, amber or green from the weighted score and compliance (thresholds in `health:`). */
export function ragOf(score: number, compliance: number, critical: number, t: HealthSettings): Rag {
  if (compliance < t.redCompliance || score > t.redScore) return 'red';
  if (compliance < t.amberCompliance || score > t.amberScore || (t.amberOnCritical && critical > 0)) return 'amber';
  return 'green';
}

export function weightedScore(open: Record<Severity, number>, items: number, t: HealthSettings): number {
  let sum = 0;
  for (const s of SEVERITIES) sum += open[s] * t.weights[s];
  return sum / Math.max(items, 1);
}

interface Acc {
  items: number;
  nonCompliant: Set<string>;
  open: Record<Severity, number>;
}

/**
 * Health of every project, team and person and of the portfolio, from the live items and the open
 * findings (snoozed and waived ones do not count). A person is an assignee's email, so one person
 * working in Jira and Azure DevOps is one subject; a team is `team` as the connectors name it.
 */
export function computeHealth(store: Store, settings: HealthSettings): Health[] {
  const acc = new Map<string, Acc>();
  const get = (scope: HealthScope, subject: string): Acc => {
    const id = `${scope}\0${subject}`;
    let a = acc.get(id);
    if (!a) acc.set(id, (a = { items: 0, nonCompliant: new Set(), open: { critical: 0, warning: 0, info: 0 } }));
    return a;
  };
  const scopesOf = (project: string | null, team: string | null, person: string | null): Acc[] => {
    const out = [get('portfolio', 'all')];
    if (project !== null) out.push(get('project', project));
    if (team !== null) out.push(get('team', team));
    if (person !== null) out.push(get('person', person));
    return out;
  };
  const counts = store.db
    .prepare('SELECT project, team, assignee_email AS person, count(*) AS n FROM work_items WHERE removed_at IS NULL GROUP BY project, team, assignee_email')
    .iterate() as Iterable<{ project: string; team: string | null; person: string | null; n: number }>;
  for (const row of counts) for (const a of scopesOf(row.project, row.team, row.person)) a.items += row.n;
  const open = store.db
    .prepare("SELECT project, team, owner_email AS person, severity, category, subject_kind AS kind, subject_key AS key FROM findings WHERE state = 'open'")
    .iterate() as Iterable<{ project: string | null; team: string | null; person: string | null; severity: Severity; category: string; kind: string; key: string }>;
  for (const f of open) {
    const compliance = f.category === 'compliance' && f.kind === 'item';
    for (const a of scopesOf(f.project, f.team, f.person)) {
      a.open[f.severity]++;
      if (compliance) a.nonCompliant.add(f.key);
    }
  }
  const out: Health[] = [];
  for (const [id, a] of acc) {
    const [scope, subject] = id.split('\0') as [HealthScope, string];
    // Findings about people or teams with no item in scope (a sprint, say) still weigh on a score of one.
    const nonCompliant = Math.min(a.nonCompliant.size, a.items);
    const compliance = a.items === 0 ? 1 : (a.items - nonCompliant) / a.items;
    const score = weightedScore(a.open, a.items, settings);
    out.push({ scope, subject, rag: ragOf(score, compliance, a.open.critical, settings), score: round(score), compliance: round(compliance), items: a.items, nonCompliant, open: a.open });
  }
  const scopeRank = (s: HealthScope) => HEALTH_SCOPES.indexOf(s);
  return out.sort((x, y) => scopeRank(x.scope) - scopeRank(y.scope) || x.subject.localeCompare(y.subject));
}

const round = (v: number): number => Math.round(v * 10_000) / 10_000;

/**
 * Stores this run's health (call after an evaluation). A subject whose health is what was last
 * stored for it gets no new row: the trend is a step function read back with `healthAt`. When no
 * item and no finding changed since the last call (and the settings are the same) nothing can have
 * changed, and the portfolio is not read again: null.
 */
export function recordHealth(store: Store, settings: HealthSettings, runId: number, at: string): Health[] | null {
  const maxEvent = store.db.prepare('SELECT coalesce(max(id), 0) FROM finding_events').pluck().get() as number;
  const mark = JSON.stringify([store.items.changeMark(), maxEvent, settings]);
  const getMark = store.db.prepare("SELECT value FROM engine_state WHERE key = 'health_mark'").pluck();
  if (getMark.get() === mark) return null;
  const health = computeHealth(store, settings);
  const last = store.db.prepare(`
    SELECT rag, score, compliance, items, critical, warning, info FROM health_snapshots
     WHERE scope = ? AND subject = ? ORDER BY at DESC, run_id DESC LIMIT 1`);
  const insert = store.db.prepare(`
    INSERT OR REPLACE INTO health_snapshots (scope, subject, at, run_id, rag, score, compliance, items, non_compliant, critical, warning, info)
    VALUES (@scope, @subject, @at, @runId, @rag, @score, @compliance, @items, @nonCompliant, @critical, @warning, @info)`);
  store.transaction(() => {
    for (const h of health) {
      const prev = last.get(h.scope, h.subject) as { rag: string; score: number; compliance: number; items: number; critical: number; warning: number; info: number } | undefined;
      const same =
        prev !== undefined &&
        prev.rag === h.rag &&
        prev.score === h.score &&
        prev.compliance === h.compliance &&
        prev.items === h.items &&
        prev.critical === h.open.critical &&
        prev.warning === h.open.warning &&
        prev.info === h.open.info;
      if (same) continue;
      insert.run({ scope: h.scope, subject: h.subject, at, runId, rag: h.rag, score: h.score, compliance: h.compliance, items: h.items, nonCompliant: h.nonCompliant, ...h.open });
    }
    store.db.prepare("INSERT INTO engine_state (key, value) VALUES ('health_mark', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(mark);
  });
  return health;
}

/** The health each subject had at the instants given (oldest first), for trends; null before its first run. */
export function healthAt(store: Store, instants: readonly string[], scope?: HealthScope): Map<string, Array<Pick<Health, 'rag' | 'score' | 'compliance'> | null>> {
  const rows = store.db
    .prepare(`SELECT scope, subject, at, rag, score, compliance FROM health_snapshots ${scope ? 'WHERE scope = ?' : ''} ORDER BY scope, subject, at`)
    .all(...(scope ? [scope] : [])) as Array<{ scope: HealthScope; subject: string; at: string; rag: Rag; score: number; compliance: number }>;
  const out = new Map<string, Array<Pick<Health, 'rag' | 'score' | 'compliance'> | null>>();
  for (const r of rows) {
    const id = `${r.scope}\0${r.subject}`;
    let series = out.get(id);
    if (!series) out.set(id, (series = instants.map(() => null)));
    instants.forEach((t, i) => {
      if (r.at <= t) series![i] = { rag: r.rag, score: r.score, compliance: r.compliance };
    });
  }
  return out;
}
