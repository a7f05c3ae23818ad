import { SEVERITY_RANK, type FindingSubject, type Severity } from '../model/finding.ts';
import type { Sprint, WorkItem } from '../model/work-item.ts';
import type { Store } from '../store/index.ts';
import { findingId, type RecordTally, type ReportedFinding } from '../store/findings.ts';
import type { Clock } from '../util/clock.ts';
import { errorMessage } from '../util/errors.ts';
import type { Logger } from '../util/log.ts';
import { renderMessage } from './message.ts';
import { RuleAbort, isAggregate, type AnyRule, type PortfolioLookup, type RuleReport, type RuleVisitor } from './rule.ts';
import { compileRulePlan, itemSubject, type EffectiveRule, type RuleOverride, type RulePlan, type RuleSettings } from './rule-config.ts';
import { classify, type TypeMappingEntry } from './type-mapping.ts';
import type { ObjectiveSpec } from './objective-match.ts';
import { applyConfigWaivers, type ConfigWaiver } from './waivers.ts';
import { builtInPresets } from '../../rules/presets/api.ts';

export interface EvaluateOptions {
  store: Store;
  /** The compiled rule configuration (see `planFromConfig`). */
  plan?: RulePlan;
  /** Without `plan`: a library with `rules`/`overrides` on top of the `recommended` preset. */
  library?: readonly AnyRule[];
  rules?: RuleSettings;
  overrides?: readonly RuleOverride[];
  typeMapping?: readonly TypeMappingEntry[];
  objectives?: readonly ObjectiveSpec[];
  /** Accepted exceptions from the config (`waivers:`). */
  waivers?: readonly ConfigWaiver[];
  clock: Clock;
  timezone: string;
  log: Logger;
  /** The worker cycle this evaluation belongs to; a run of its own is recorded otherwise. */
  runId?: number;
  /**
   * Memory kept between evaluations by a long-running process (the worker). With it, a run after
   * the first re-evaluates only items synced or removed since, plus items whose verdict the clock
   * may have changed; aggregate rules always see every item through their kept facts.
   */
  state?: EvaluatorState;
  /** Ignore `state` and evaluate everything (it is rebuilt). */
  full?: boolean;
  /**
   * Dry run: every finding goes here instead of the store; nothing is recorded, resolved or waived
   * (for `check --diff`). Implies a full run without state.
   */
  collect?: (finding: ReportedFinding) => void;
  /**
   * With `collect` only: the items and sprints to evaluate instead of the stored ones (a backtest
   * evaluates the portfolio as it stood weeks ago).
   */
  portfolio?: Portfolio;
}

/** What an evaluation reads: every item, one item or sprint by key, and every sprint. */
export interface Portfolio {
  items(): Iterable<WorkItem>;
  item(key: string): WorkItem | undefined;
  sprint(key: string): Sprint | undefined;
  sprints(): Sprint[];
}

function storedPortfolio(store: Store): Portfolio {
  return {
    items: () => store.items.iterate(),
    item: (key) => store.items.get(key),
    sprint: (key) => store.items.sprint(key),
    sprints: () => store.items.sprints(),
  };
}

export interface EvaluationSummary {
  runId: number;
  mode: 'full' | 'incremental';
  items: number;
  sprints: number;
  rules: number;
  findings: RecordTally & { resolved: number; open: number };
  byRule: Record<string, number>;
  ruleErrors: number;
  seconds: number;
}

/** What incremental evaluation remembers between runs. */
export interface EvaluatorState {
  /** The plan the memory belongs to: another plan (a config reload) means a full run. */
  plan: RulePlan | null;
  typeMapping: readonly TypeMappingEntry[] | null;
  timezone: string | null;
  /** `store.items.changeMark()` when the last run started. */
  mark: string | null;
  /** Aggregate facts: visitor signature → item key → fact. */
  facts: Map<string, Map<string, unknown>>;
  /** Earliest instant (epoch ms) an unchanged item's verdict may change. */
  recheck: Map<string, number>;
  /** Items aggregate rules looked up (dependency targets, ancestors); dropped when they change. */
  lookups: Map<string, WorkItem | null>;
  /** What was last written for each aggregate finding, so an unchanged one costs no database read. */
  recorded: Map<string, string>;
}

export function createEvaluatorState(): EvaluatorState {
  return { plan: null, typeMapping: null, timezone: null, mark: null, facts: new Map(), recheck: new Map(), lookups: new Map(), recorded: new Map() };
}

/** The pseudo-rule under which failures of a rule on a subject are reported. */
export const RULE_ERROR_ID = 'rule-error';

const FLUSH_EVERY = 5000;
const NO_MAPPING: readonly TypeMappingEntry[] = [];
/** Looked-up items kept between runs; beyond this the cache starts over. */
const MAX_LOOKUPS = 50_000;
const MAX_LOGGED_ERRORS = 20;

/**
 * One streaming pass of every enabled rule over the stored portfolio. Findings are written in
 * batches as they accumulate; afterwards every live finding the pass re-derived but did not report
 * again is resolved. With `state`, later runs only re-read what changed (see `EvaluatorState`).
 */
export function evaluate(options: EvaluateOptions): EvaluationSummary {
  const { store, log, clock } = options;
  const started = performance.now();
  const now = clock.now();
  const nowMs = now.getTime();
  const nowIso = now.toISOString();
  const dry = options.collect;
  if (options.portfolio && !dry) throw new Error('evaluate: a portfolio other than the store needs collect (a dry run)');
  const portfolio = options.portfolio ?? storedPortfolio(store);
  const runId = dry ? 0 : (options.runId ?? store.startRun('check', nowIso));
  const plan = options.plan ?? compileRulePlan(options.library ?? [], { rules: options.rules, overrides: options.overrides }, builtInPresets);
  const typeMapping = options.typeMapping ?? NO_MAPPING;

  const state = (dry ? undefined : options.state) ?? createEvaluatorState();
  const incremental =
    !dry &&
    options.state !== undefined &&
    !options.full &&
    state.plan === plan &&
    state.typeMapping === typeMapping &&
    state.timezone === options.timezone &&
    state.mark !== null;
  if (!incremental) {
    state.facts = new Map();
    state.recheck = new Map();
    state.lookups = new Map();
    state.recorded = new Map();
  }
  const mark = dry ? null : store.items.changeMark();

  const lookup: PortfolioLookup = {
    item: (key) => {
      let found = state.lookups.get(key);
      if (found === undefined) {
        if (state.lookups.size >= MAX_LOOKUPS) state.lookups.clear();
        found = portfolio.item(key) ?? null;
        state.lookups.set(key, found);
      }
      return found ?? undefined;
    },
    sprint: (key) => portfolio.sprint(key),
  };
  const seen = new Set<string>();
  const tally: RecordTally = { opened: 0, reopened: 0, ongoing: 0 };
  const byRule: Record<string, number> = {};
  const aborted = new Set<string>();
  let buffer = new Map<string, ReportedFinding>();
  let pendingFlush = false;
  let ruleErrors = 0;
  /** The item whose `item()` verdicts are being computed, for `recheckAt`. */
  let current: string | null = null;
  /** The earliest `recheckAt` instant reported for `current` so far. */
  let currentRecheck = Number.POSITIVE_INFINITY;
  let phase: 'items' | 'aggregate' = 'items';

  const flush = (): void => {
    if (buffer.size === 0) return;
    const batch = [...buffer.values()];
    buffer = new Map();
    if (dry) {
      for (const f of batch) dry(f);
      return;
    }
    // Aggregate findings come back every run: those written unchanged last time are skipped.
    const toRecord: ReportedFinding[] = [];
    const written = new Map<string, string>();
    for (const f of batch) {
      if (!fromAggregate.has(f.id)) {
        toRecord.push(f);
        continue;
      }
      const signature = JSON.stringify(f);
      if (state.recorded.get(f.id) === signature) {
        tally.ongoing++;
        continue;
      }
      toRecord.push(f);
      written.set(f.id, signature);
    }
    const t = store.transaction(() => store.findings.record(toRecord, runId, nowIso));
    for (const [id, signature] of written) state.recorded.set(id, signature);
    tally.opened += t.opened;
    tally.reopened += t.reopened;
    tally.ongoing += t.ongoing;
  };

  const fromAggregate = new Set<string>();
  const add = (finding: ReportedFinding): void => {
    seen.add(finding.id);
    if (phase === 'aggregate') fromAggregate.add(finding.id);
    const prior = buffer.get(finding.id);
    if (prior && SEVERITY_RANK[prior.severity] >= SEVERITY_RANK[finding.severity]) return;
    if (!prior) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
    buffer.set(finding.id, finding);
    if (buffer.size >= FLUSH_EVERY) pendingFlush = true;
  };

  interface Live {
    eff: EffectiveRule;
    visitor: RuleVisitor;
    aggregate: boolean;
  }
  const visitors = new Map<string, Live>();
  const liveFor = (eff: EffectiveRule): Live | undefined => {
    if (eff.severity === 'off' || aborted.has(eff.rule.meta.id)) return undefined;
    const existing = visitors.get(eff.signature);
    if (existing) return existing;
    const severity = eff.severity;
    const rule = eff.rule;
    let aggregate = false;
    const visitor = rule.create({
      options: eff.options,
      severity,
      now,
      timezone: options.timezone,
      lookup,
      objectives: options.objectives ?? [],
      report: (r) => {
        if (aggregate && phase === 'items') throw new Error(`rule ${rule.meta.id} reports outside done()/sprint()`);
        add(toFinding(rule, severity, r));
      },
      recheckAt: (instant) => {
        // Kept for the item being visited and stored once after it (a lookup in a map of every
        // item per rule per item was a measurable share of a 1M-item run).
        if (current === null || !Number.isFinite(instant)) return;
        if (instant < currentRecheck) currentRecheck = instant;
      },
    });
    aggregate = isAggregate(visitor);
    const live = { eff, visitor, aggregate };
    visitors.set(eff.signature, live);
    return live;
  };

  const fail = (rule: AnyRule, subject: FindingSubject & { url?: string | null; project?: string | null; team?: string | null; source?: string | null }, err: unknown): void => {
    if (err instanceof RuleAbort) {
      aborted.add(rule.meta.id);
      log.warn({ rule: rule.meta.id, error: err.message }, 'Rule stopped for this run; its findings are kept');
    } else {
      ruleErrors++;
      if (ruleErrors <= MAX_LOGGED_ERRORS) log.warn({ rule: rule.meta.id, subject: subject.key, error: errorMessage(err) }, 'Rule failed on a subject; skipped');
    }
    const message = err instanceof RuleAbort ? `rule ${rule.meta.id} was stopped: ${err.message}` : `rule ${rule.meta.id} failed on ${subject.key}: ${errorMessage(err)}`;
    add({
      id: findingId(`${RULE_ERROR_ID}/${rule.meta.id}`, subject),
      ruleId: RULE_ERROR_ID,
      category: 'compliance',
      severity: 'warning',
      subject: { kind: subject.kind, key: subject.key },
      message,
      evidence: { kind: RULE_ERROR_ID, rule: rule.meta.id, error: errorMessage(err) },
      owner: null,
      url: subject.url ?? null,
      source: subject.source ?? null,
      project: subject.project ?? null,
      team: subject.team ?? null,
      fix: null,
    });
  };

  const forget = (key: string): void => {
    for (const facts of state.facts.values()) facts.delete(key);
    state.recheck.delete(key);
    state.lookups.delete(key);
  };

  /** Per distinct configuration: the enabled visitors and their fact maps, resolved once. */
  const byVariant = new Map<EffectiveRule[], Array<{ live: Live; facts: Map<string, unknown> | null }>>();
  const livesFor = (variant: EffectiveRule[]) => {
    let lives = byVariant.get(variant);
    if (lives) return lives;
    lives = [];
    for (const eff of variant) {
      const live = liveFor(eff);
      if (!live) continue;
      let facts: Map<string, unknown> | null = null;
      if (live.visitor.collect) {
        facts = state.facts.get(eff.signature) ?? new Map();
        state.facts.set(eff.signature, facts);
      }
      lives.push({ live, facts });
    }
    byVariant.set(variant, lives);
    return lives;
  };

  const visitItem = (raw: WorkItem): void => {
    const { item, classes } = classify(typeMapping, raw);
    current = item.key;
    for (const { live, facts } of livesFor(plan.forSubject(itemSubject(item, classes)))) {
      const { visitor } = live;
      if (aborted.size > 0 && aborted.has(live.eff.rule.meta.id)) continue;
      try {
        if (visitor.item) visitor.item(item, classes);
        if (facts !== null) {
          const fact = visitor.collect!(item);
          if (fact !== undefined) facts.set(item.key, fact);
        }
      } catch (err) {
        fail(live.eff.rule, { kind: 'item', key: item.key, url: item.url, source: item.source, project: item.project, team: item.team }, err);
      }
    }
    if (currentRecheck !== Number.POSITIVE_INFINITY) {
      const prior = state.recheck.get(item.key);
      if (prior === undefined || currentRecheck < prior) state.recheck.set(item.key, currentRecheck);
      currentRecheck = Number.POSITIVE_INFINITY;
    }
    current = null;
    if (pendingFlush) {
      pendingFlush = false;
      flush();
    }
  };

  // Create every configured visitor up front, so aggregate rules run even over an empty portfolio.
  for (const variant of [plan.forSubject({ source: null, project: null, team: null }), ...plan.variants()]) {
    for (const eff of variant) liveFor(eff);
  }

  let items = 0;
  const evaluated: string[] = [];
  if (incremental) {
    const due = new Set<string>();
    for (const { key, removed } of store.items.changedSince(state.mark ?? '')) {
      forget(key);
      if (!removed) due.add(key);
      evaluated.push(key);
    }
    for (const [key, at] of state.recheck) {
      if (at > nowMs || due.has(key)) continue;
      forget(key);
      due.add(key);
      evaluated.push(key);
    }
    for (const key of due) {
      const item = store.items.get(key);
      if (!item) continue;
      items++;
      visitItem(item);
    }
  } else {
    for (const item of portfolio.items()) {
      items++;
      visitItem(item);
    }
  }

  phase = 'aggregate';
  const sprints = portfolio.sprints();
  for (const sprint of sprints) {
    for (const eff of plan.forSubject({ source: sprint.source, project: sprint.project, team: sprint.team })) {
      const live = liveFor(eff);
      if (!live?.visitor.sprint) continue;
      try {
        live.visitor.sprint(sprint);
      } catch (err) {
        fail(eff.rule, { kind: 'sprint', key: sprint.key, source: sprint.source, project: sprint.project, team: sprint.team }, err);
      }
    }
  }
  const empty = new Map<string, unknown>();
  for (const [signature, live] of visitors) {
    if (!live.visitor.done) continue;
    try {
      live.visitor.done(state.facts.get(signature) ?? empty);
    } catch (err) {
      fail(live.eff.rule, { kind: 'project', key: `(all: ${live.eff.rule.meta.id})` }, err);
    }
  }
  flush();

  const aggregateRules = [...new Set([...visitors.values()].filter((l) => l.aggregate).map((l) => l.eff.rule.meta.id))];
  const resolved = dry ? 0 : store.transaction(() => {
    const returned = store.findings.expireParked(nowIso, runId);
    for (const id of returned) state.recorded.delete(id);
    const gone = store.findings.resolveUnseenIn(runId, nowIso, { all: !incremental, rules: aggregateRules, items: evaluated, keep: [...aborted], seen, subjectsOf: [RULE_ERROR_ID] });
    for (const id of gone) state.recorded.delete(id);
    const n = gone.length;
    store.findings.markEvaluated(nowIso);
    if (options.waivers) applyConfigWaivers(store, options.waivers, nowIso);
    return n;
  });
  if (!dry) Object.assign(state, { plan, typeMapping, timezone: options.timezone, mark });

  const enabled = new Set<string>();
  for (const live of visitors.values()) enabled.add(live.eff.rule.meta.id);
  const summary: EvaluationSummary = {
    runId,
    mode: incremental ? 'incremental' : 'full',
    items,
    sprints: sprints.length,
    rules: enabled.size,
    findings: { ...tally, resolved, open: store.findings.count('open') },
    byRule,
    ruleErrors,
    seconds: (performance.now() - started) / 1000,
  };
  if (options.runId === undefined && !dry) store.finishRun(runId, clock.now().toISOString(), true, summary);
  return summary;
}

function isWorkItem(subject: RuleReport['subject']): subject is WorkItem {
  return 'nativeKey' in subject && 'sourceKind' in subject;
}

export function toFinding(rule: AnyRule, severity: Severity, r: RuleReport): ReportedFinding {
  const template = rule.meta.messages[r.messageId];
  if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown messageId "${r.messageId}"`);
  const item = isWorkItem(r.subject) ? r.subject : undefined;
  const other = isWorkItem(r.subject) ? undefined : r.subject;
  const subject: FindingSubject = item ? { kind: 'item', key: item.key } : { kind: other!.kind, key: other!.key };
  return {
    id: findingId(rule.meta.id, subject),
    ruleId: rule.meta.id,
    category: rule.meta.category,
    severity,
    subject,
    message: renderMessage(template, r.data),
    evidence: r.evidence ?? {},
    owner: r.owner !== undefined ? r.owner : (item?.assignee ?? null),
    url: item?.url ?? other?.url ?? null,
    source: item?.source ?? other?.source ?? null,
    project: item?.project ?? other?.project ?? null,
    team: item?.team ?? other?.team ?? null,
    fix: rule.meta.fix ?? null,
  };
}
