import type { Config } from '../config/schema.ts';
import { SEVERITY_RANK, type Finding, type Severity } from '../model/finding.ts';
import { computeHealth, ragOf, type Health, type Rag } from '../engine/health.ts';
import type { Store } from '../store/index.ts';
import type { DigestSnapshot } from '../store/slack.ts';
import { WEEK_MS, type Clock } from '../util/clock.ts';
import { digestMessage } from './blocks/digest.ts';
import type { SlackMessage } from './message.ts';
import { destinationFor, digestChannels } from './route.ts';
import { formatInZone } from './time.ts';
import { weekOf } from './time.ts';

export type { Rag };

export interface ProjectHealth {
  project: string;
  rag: Rag;
  prevRag: Rag | null;
  /** Share of the project's items without an open compliance finding, 0..1. */
  compliance: number;
  prevCompliance: number | null;
  /** Compliance of earlier weeks then this one, oldest first (sparkline). */
  trend: number[];
  open: Record<Severity, number>;
  items: number;
}

/** Alignment of effort to objectives; provided by src/alignment when it is there. */
export interface AlignmentSection {
  /** Share of effort mapped to an objective, 0..1, and earlier weeks for a trend. */
  aligned: number;
  trend?: number[];
  objectives: Array<{ id: string; title: string; share: number; targetShare?: number | null }>;
  unaligned: number;
}

export interface ForecastSection {
  objectives: Array<{ id: string; title: string; targetDate: string | null; p50: string | null; p85: string | null; probabilityByTarget: number | null }>;
}

/** Who a digest is for: the PMO (whole portfolio) or one routed team channel. */
export interface DigestScope {
  channel: string;
  kind: 'pmo' | 'team';
  /** Projects in scope (all for the PMO). */
  projects: string[];
}

/**
 * The pluggable parts of the digest. src/alignment provides them once it exists; a section is
 * rendered when its provider returns data and left out otherwise.
 */
export interface DigestExtensions {
  alignment?(scope: DigestScope): AlignmentSection | null;
  forecasts?(scope: DigestScope): ForecastSection | null;
}

export interface WaiverNote {
  finding: Finding;
  actor: string;
  reason: string;
  at: string;
}

export interface DigestData {
  scope: DigestScope;
  week: string;
  generatedAt: string;
  projects: ProjectHealth[];
  compliance: { value: number; prev: number | null; trend: number[] };
  open: Record<Severity, number>;
  newFindings: number;
  resolvedFindings: number;
  topRisks: Finding[];
  waivers: WaiverNote[];
  /** Open findings a channel cap left out of alerts. */
  overflow: Finding[];
  alignment: AlignmentSection | null;
  forecasts: ForecastSection | null;
}

const TREND_WEEKS = 7;

interface PortfolioFacts {
  /** Each project's health (items, compliance, open findings by severity, RAG), as `pmo-bot health` has it. */
  projects: Map<string, Health>;
  openFindings: Finding[];
}

function gatherFacts(store: Store, config: Config): PortfolioFacts {
  const projects = new Map<string, Health>();
  for (const h of computeHealth(store, config.health)) if (h.scope === 'project') projects.set(h.subject, h);
  return { projects, openFindings: store.findings.list({ state: 'open' }) };
}

/** The audiences of this week's digest: the PMO channel, then each routed team channel. */
export function digestScopes(config: Config, store: Store): DigestScope[] {
  const all = (store.db.prepare('SELECT DISTINCT project FROM work_items WHERE removed_at IS NULL ORDER BY project').pluck().all() as string[]);
  const scopes: DigestScope[] = [{ channel: config.slack.channels.digest, kind: 'pmo', projects: all }];
  for (const { channel, matches } of digestChannels(config.slack)) {
    const named = new Set(matches.flatMap((m) => (m.project === undefined ? [] : Array.isArray(m.project) ? m.project : [m.project])));
    const projects = named.size > 0 ? all.filter((p) => named.has(p)) : all;
    scopes.push({ channel, kind: 'team', projects });
  }
  return scopes;
}

/** Computes one audience's digest from the store (and the extensions, when present). */
export function computeDigest(
  store: Store,
  config: Config,
  scope: DigestScope,
  now: Date,
  extensions: DigestExtensions = {},
  facts: PortfolioFacts = gatherFacts(store, config),
): DigestData {
  const week = weekOf(now, config.timezone);
  const since = new Date(now.getTime() - WEEK_MS).toISOString();
  const inScope = (f: Finding): boolean =>
    scope.kind === 'pmo' || (destinationFor(f, config.slack).channel === scope.channel && (f.project === null || scope.projects.includes(f.project)));
  const history = store.slack.snapshots(week, TREND_WEEKS);
  const byProject = new Map<string, DigestSnapshot[]>();
  for (const s of history) byProject.set(s.project, [...(byProject.get(s.project) ?? []), s]);

  const projects: ProjectHealth[] = scope.projects.map((project) => {
    const health = facts.projects.get(project);
    const items = health?.items ?? 0;
    const compliance = health?.compliance ?? 1;
    const open = health?.open ?? { critical: 0, warning: 0, info: 0 };
    const past = byProject.get(project) ?? [];
    const prev = past.at(-1) ?? null;
    return {
      project,
      rag: health?.rag ?? ragOf(0, compliance, 0, config.health),
      prevRag: prev?.rag ?? null,
      compliance,
      prevCompliance: prev?.compliance ?? null,
      trend: [...past.map((s) => s.compliance), compliance],
      open,
      items,
    };
  });
  const ragRank: Record<Rag, number> = { red: 0, amber: 1, green: 2 };
  projects.sort((a, b) => ragRank[a.rag] - ragRank[b.rag] || a.compliance - b.compliance || a.project.localeCompare(b.project));

  const totalItems = projects.reduce((s, p) => s + p.items, 0);
  const weighted = (pick: (p: ProjectHealth) => number | null): number | null => {
    if (totalItems === 0) return null;
    let sum = 0;
    for (const p of projects) {
      const v = pick(p);
      if (v === null) return null;
      sum += v * p.items;
    }
    return sum / totalItems;
  };
  const weeks = [...new Set(history.map((s) => s.week))].sort();
  const trend = weeks.map((w) => {
    const rows = history.filter((s) => s.week === w && scope.projects.includes(s.project));
    const n = rows.reduce((s, r) => s + (facts.projects.get(r.project)?.items ?? 0), 0);
    return n === 0 ? 1 : rows.reduce((s, r) => s + r.compliance * (facts.projects.get(r.project)?.items ?? 0), 0) / n;
  });
  const value = weighted((p) => p.compliance) ?? 1;

  const openInScope = facts.openFindings.filter(inScope);
  const open: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const f of openInScope) open[f.severity]++;
  const topRisks = openInScope
    .filter((f) => f.category === 'risk')
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.firstSeenAt.localeCompare(b.firstSeenAt))
    .slice(0, config.slack.digest.topRisks);

  const count = (sql: string) => {
    let n = 0;
    for (const row of store.db.prepare(sql).iterate(since) as Iterable<{ data: string; project: string | null; state: string; first_seen_at: string; last_seen_at: string; resolved_at: string | null; snoozed_until: string | null }>) {
      const f = { ...(JSON.parse(row.data) as Finding), state: row.state } as Finding;
      if (inScope(f)) n++;
    }
    return n;
  };
  const newFindings = count('SELECT data, project, state FROM findings WHERE first_seen_at >= ?');
  const resolvedFindings = count("SELECT data, project, state FROM findings WHERE state = 'resolved' AND resolved_at >= ?");

  const waivers: WaiverNote[] = [];
  for (const e of store.db.prepare("SELECT finding_id, actor, reason, at FROM finding_events WHERE type = 'waived' AND at >= ? ORDER BY at").all(since) as Array<{ finding_id: string; actor: string; reason: string | null; at: string }>) {
    const f = store.findings.get(e.finding_id);
    if (f && inScope(f)) waivers.push({ finding: f, actor: e.actor, reason: e.reason ?? '', at: e.at });
  }

  return {
    scope,
    week,
    generatedAt: formatInZone(now, config.timezone),
    projects,
    compliance: { value, prev: trend.at(-1) ?? null, trend: [...trend, value] },
    open,
    newFindings,
    resolvedFindings,
    topRisks,
    waivers,
    overflow: store.slack.overflow(scope.kind === 'pmo' ? undefined : scope.channel),
    alignment: extensions.alignment?.(scope) ?? null,
    forecasts: extensions.forecasts?.(scope) ?? null,
  };
}

/** Every audience's digest message for this week. */
export function buildDigests(store: Store, config: Config, now: Date, extensions: DigestExtensions = {}, only?: DigestScope['kind']): Array<{ data: DigestData; message: SlackMessage }> {
  const facts = gatherFacts(store, config);
  return digestScopes(config, store)
    .filter((s) => !only || s.kind === only)
    .map((scope) => {
      const data = computeDigest(store, config, scope, now, extensions, facts);
      return { data, message: digestMessage(data, { userOf: undefined }) };
    });
}

/** Remembers this week's health per project, for next week's change and the sparklines. */
export function recordSnapshots(store: Store, data: DigestData): void {
  store.transaction(() => {
    for (const p of data.projects) store.slack.putSnapshot({ week: data.week, project: p.project, rag: p.rag, compliance: p.compliance, open: p.open.critical + p.open.warning + p.open.info });
  });
}

/** Posts this week's digests through the outbox (once per audience per week, whatever the retries). */
export function enqueueDigests(store: Store, config: Config, clock: Clock, extensions: DigestExtensions = {}, userOf?: (email: string) => string | null | undefined): number {
  const now = clock.now();
  const nowIso = now.toISOString();
  const facts = gatherFacts(store, config);
  let added = 0;
  for (const scope of digestScopes(config, store)) {
    const data = computeDigest(store, config, scope, now, extensions, facts);
    const message = digestMessage(data, { userOf });
    const ok = store.transaction(() => {
      const { added: isNew } = store.outbox.add({ dedupeKey: `digest:${data.week}:${scope.channel}`, channel: scope.channel, kind: 'digest', payload: message }, nowIso);
      return isNew;
    });
    if (ok) added++;
    if (scope.kind === 'pmo') recordSnapshots(store, data);
  }
  // The findings a cap left to this digest have now been shown.
  store.db.prepare("UPDATE finding_notices SET state = 'announced', notified_at = ? WHERE state = 'overflow'").run(nowIso);
  return added;
}
