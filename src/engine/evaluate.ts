import { SEVERITY_RANK } from '../model/finding.ts';
import type { Sprint, WorkItem } from '../model/work-item.ts';
import { availableParallelism } from 'node:os';
import type { Store } from '../store/index.ts';
import { findingId, prepareFinding, type PreparedFinding, type RecordTally, type ReportedFinding } from '../store/findings.ts';
import { WEEK_MS, type Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import { isSprintOnly, type AnyRule } from './rule.ts';
import { compileRulePlan, type RuleOverride, type RulePlan, type RuleSettings } from './rule-config.ts';
import { cachedLookup, createRuleRunner, ruleFailure, type LiveVisitor, type RuleFailure } from './rule-runner.ts';
import { factsInGroups, indexUsers, touchGroups, type UsersIndex } from './grouped.ts';
import { FactTable, RecheckTimes, type FactColumn } from './fact-table.ts';
import type { TypeMappingEntry } from './type-mapping.ts';
import type { ObjectiveSpec } from './objective-match.ts';
import { ThreadsUnavailable, rangeSize, planFingerprint, runParallelItemPass, type ItemPassSink } from './parallel.ts';
import type { SetupRecipe } from './setup.ts';
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
   * How many threads a full run's item pass uses (1: this thread only). Default: one per core (up to
   * four) from 200,000 items on, when the setup can be rebuilt on a thread (`recipe`) and the store is
   * a file. Findings, facts and rule errors come out exactly as on one thread.
   */
  threads?: number;
  /** How threads compile this setup (`RuleSetup.recipe`; without it the pass stays on this thread). */
  recipe?: SetupRecipe;
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
  sprintCount(): number;
}

function storedPortfolio(store: Store): Portfolio {
  return {
    items: () => store.items.iterate(),
    item: (key) => store.items.getLive(key),
    sprint: (key) => store.items.sprint(key),
    sprints: () => store.items.sprints(),
    sprintCount: () => store.items.sprintCount(),
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
  /** Threads the item pass ran on (1: this one; more: a parallel full run, see `threads`). */
  threads: number;
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
  /** Aggregate facts: per visitor signature, item key → fact. */
  facts: FactTable;
  /** Earliest instant (epoch ms) an unchanged item's verdict may change. */
  recheck: RecheckTimes;
  /**
   * What was last written for each aggregate finding, so an unchanged one costs no database read
   * (up to `RECORDED_MAX` characters: a status column's finding lists every item in it).
   */
  recorded: Map<string, string>;
  /** Grouped aggregate rules whose `done()` failed last run: judged over all their groups next time. */
  doneFailed: Set<string>;
  /** Who uses whom among the facts of grouped rules (see `RuleVisitor.uses`). */
  users: UsersIndex;
  /** The subject kinds each aggregate rule reported since the last full run (where its live findings can be). */
  kinds: Map<string, Set<string>>;
  /** Rules with findings stored (`findings.ruleIds()` at the last full run, plus every rule that reported since). */
  known: Set<string> | null;
  /** When the last full run was (epoch ms): a week later the next run is a full one again. */
  fullAt: number | null;
  /** `store.items.sprintMark()` when the last run started: sprint-only rules re-judge sprints changed since. */
  sprintMark: number | null;
  /** A sprint rule failed on a sprint last run: every sprint is judged again (its rule error stays live while it fails). */
  sprintFailed: boolean;
}

export function createEvaluatorState(): EvaluatorState {
  const facts = new FactTable();
  return { plan: null, typeMapping: null, timezone: null, mark: null, facts, recheck: new RecheckTimes(facts), recorded: new Map(), doneFailed: new Set(), users: new Map(), kinds: new Map(), known: null, fullAt: null, sprintMark: null, sprintFailed: false };
}

/** The pseudo-rule under which failures of a rule on a subject are reported. */
export const RULE_ERROR_ID = 'rule-error';

// Findings per write transaction, written in id order: finding ids are hashes, so the id index and the
// audit trail's index take each batch at random places; sorted and 20,000 at a time, a batch dirties
// each index page once (measured on 315,000 new findings: 8.6 instead of 10 CPU-s, a third less WAL).
export const FLUSH_EVERY = 20_000;
const NO_MAPPING: readonly TypeMappingEntry[] = [];
/**
 * How long a worker goes on incrementally before it evaluates in full again: kept state only grows
 * in between (removed items keep their slot, a fact that moves keeps its old `uses` entries), and a
 * full run also re-derives everything from the store as it is.
 */
const FULL_EVERY_MS = WEEK_MS;
/** Longest finding JSON kept in `EvaluatorState.recorded` (longer ones are compared in the store). */
const RECORDED_MAX = 2048;
const MAX_LOGGED_ERRORS = 20;

/** The order findings are written in (see `FLUSH_EVERY`). */
export function byId(a: PreparedFinding, b: PreparedFinding): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Fewest items for which a full run spreads its item pass over threads (each costs ≈0.5 CPU-s to start). */
const PARALLEL_MIN_ITEMS = 200_000;
/** Item-pass threads by default: one per core, up to this many. */
const MAX_THREADS = 4;

/** How many threads a full run's item pass uses when `threads` is not given. */
export function defaultItemPassThreads(): number {
  return Math.min(MAX_THREADS, availableParallelism());
}

/** Whether (and how) this full run's item pass goes to threads; undefined: on this thread. */
function threadPlan(options: EvaluateOptions, store: Store): { path: string; recipe: SetupRecipe; threads: number; bounds: string[] } | undefined {
  const threads = options.threads ?? defaultItemPassThreads();
  // Threads read the store: a portfolio given in memory (a backtest) is evaluated here.
  if (threads < 2 || options.portfolio || !options.recipe || store.path === undefined || store.path === ':memory:') return undefined;
  const total = store.items.countKeys();
  if (options.threads === undefined && total < PARALLEL_MIN_ITEMS) return undefined;
  return { path: store.path, recipe: options.recipe, threads, bounds: store.items.keyBounds(rangeSize(total, threads)) };
}

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
    state.mark !== null &&
    state.fullAt !== null &&
    nowMs - state.fullAt < FULL_EVERY_MS;
  if (!incremental) {
    state.facts = new FactTable();
    state.recheck = new RecheckTimes(state.facts);
    state.recorded = new Map();
    state.doneFailed = new Set();
    state.users = new Map();
    state.kinds = new Map();
    state.known = null;
    state.sprintMark = null;
    state.sprintFailed = false;
  }
  const mark = dry ? null : store.items.changeMark();
  const sprintMark = dry ? null : store.items.sprintMark();
  // Findings of rules with none stored yet (a first run, a newly enabled rule) are written without a look-up.
  // (A walk of the rule index: 60 ms at 1M items, so an incremental run starts from what the last run knew.)
  const known = dry ? undefined : (state.known ?? store.findings.ruleIds());

  // Looked-up items are cached for this run only: kept between runs, 50,000 of them held 150 MB at 1M items.
  const lookup = cachedLookup({ get: (key) => portfolio.item(key), sprint: (key) => portfolio.sprint(key) }, new Map());
  const seen = new Set<string>();
  const tally: RecordTally = { opened: 0, reopened: 0, ongoing: 0 };
  const byRule: Record<string, number> = {};
  const aborted = new Set<string>();
  let buffer = new Map<string, PreparedFinding>();
  let pendingFlush = false;
  let ruleErrors = 0;
  let phase: 'items' | 'aggregate' = 'items';

  const flush = (): void => {
    if (buffer.size === 0) return;
    const batch = [...buffer.values()];
    buffer = new Map();
    if (dry) {
      for (const f of batch) dry(JSON.parse(f.data) as ReportedFinding);
      return;
    }
    // Aggregate findings come back every run: those written unchanged last time are skipped.
    const toRecord: PreparedFinding[] = [];
    const written = new Map<string, string | null>();
    for (const f of batch) {
      if (!fromAggregate.has(f.id)) {
        toRecord.push(f);
        continue;
      }
      const signature = f.data;
      if (state.recorded.get(f.id) === signature) {
        tally.ongoing++;
        continue;
      }
      toRecord.push(f);
      written.set(f.id, signature.length <= RECORDED_MAX ? signature : null);
    }
    toRecord.sort(byId);
    const t = store.transaction(() => store.findings.record(toRecord, runId, nowIso, known));
    for (const [id, signature] of written) {
      if (signature === null) state.recorded.delete(id);
      else state.recorded.set(id, signature);
    }
    tally.opened += t.opened;
    tally.reopened += t.reopened;
    tally.ongoing += t.ongoing;
  };

  const fromAggregate = new Set<string>();
  const add = (finding: PreparedFinding): void => {
    seen.add(finding.id);
    if (phase === 'aggregate') {
      fromAggregate.add(finding.id);
      let kinds = state.kinds.get(finding.ruleId);
      if (!kinds) state.kinds.set(finding.ruleId, (kinds = new Set()));
      kinds.add(finding.subjectKind);
    }
    const prior = buffer.get(finding.id);
    if (prior && SEVERITY_RANK[prior.severity] >= SEVERITY_RANK[finding.severity]) return;
    if (!prior) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
    buffer.set(finding.id, finding);
    if (buffer.size >= FLUSH_EVERY) pendingFlush = true;
  };

  const fail = (failure: RuleFailure): void => {
    const { ruleId, subject } = failure;
    if (failure.abort) {
      aborted.add(ruleId);
      log.warn({ rule: ruleId, error: failure.message }, 'Rule stopped for this run; its findings are kept');
    } else {
      ruleErrors++;
      if (ruleErrors <= MAX_LOGGED_ERRORS) log.warn({ rule: ruleId, subject: subject.key, error: failure.message }, 'Rule failed on a subject; skipped');
    }
    const message = failure.abort ? `rule ${ruleId} was stopped: ${failure.message}` : `rule ${ruleId} failed on ${subject.key}: ${failure.message}`;
    add(prepareFinding({
      id: findingId(`${RULE_ERROR_ID}/${ruleId}`, subject),
      ruleId: RULE_ERROR_ID,
      category: 'compliance',
      severity: 'warning',
      subject: { kind: subject.kind, key: subject.key },
      message,
      evidence: { kind: RULE_ERROR_ID, rule: ruleId, error: failure.message },
      owner: null,
      url: subject.url ?? null,
      source: subject.source ?? null,
      project: subject.project ?? null,
      team: subject.team ?? null,
      fix: null,
    }));
  };

  const factsFor = (signature: string): FactColumn => state.facts.column(signature);
  const recheck = (key: string, at: number): void => state.recheck.set(state.facts.slot(key), at);

  // Grouped aggregate rules (`RuleVisitor.groups`): per rule, the groups this run's changes touched.
  const touched = new Map<string, Set<string>>();
  const touch = (live: LiveVisitor, key: string, fact: unknown): void => {
    const id = live.eff.rule.meta.id;
    let groups = touched.get(id);
    if (!groups) touched.set(id, (groups = new Set()));
    const g = live.visitor.groups!(key, fact);
    if (typeof g === 'string') groups.add(g);
    else for (const one of g) groups.add(one);
  };
  const forget = (key: string): void => {
    const slot = state.facts.forget(key, (signature, old) => {
      // The groups the item's old fact counted in are judged again, as are those of its new one.
      const live = visitors.get(signature);
      if (live?.visitor.groups) touch(live, key, old);
    });
    if (slot !== undefined) state.recheck.clear(slot);
  };

  const objectives = options.objectives ?? [];
  const runner = createRuleRunner({ plan, typeMapping, now, timezone: options.timezone, objectives, lookup, aborted, report: (f) => add(prepareFinding(f)), fail, factsFor, recheck });
  const { visitors, liveFor } = runner;
  const visitItem = (item: WorkItem): void => {
    runner.visitItem(item);
    if (pendingFlush) {
      pendingFlush = false;
      flush();
    }
  };

  let items = 0;
  let threads = 1;
  const evaluated: string[] = [];
  if (incremental) {
    const due = new Set<string>();
    for (const { key, removed } of store.items.changedSince(state.mark ?? '')) {
      forget(key);
      if (!removed) due.add(key);
      evaluated.push(key);
    }
    // Most instants are the same few (the next local midnight): until the earliest one, nothing is due.
    for (const key of state.recheck.due(nowMs)) {
      if (due.has(key)) continue;
      forget(key);
      due.add(key);
      evaluated.push(key);
    }
    // In key order: a sync changes items all over the table, and neighbouring reads share pages.
    for (const item of store.items.getMany([...due])) {
      items++;
      visitItem(item);
    }
  } else {
    const pass = threadPlan(options, store);
    let done = false;
    if (pass) {
      let slotsOf: readonly string[] | undefined;
      let slots: number[] = [];
      const sink: ItemPassSink = {
        // Output of a rule stopped on another thread is dropped from the stop on, as one thread would not have made it.
        finding: (f) => {
          if (aborted.size === 0 || !aborted.has(f.ruleId)) add(f);
        },
        facts: (signature, entries, keys) => {
          if (aborted.size > 0 && aborted.has(signature.slice(0, signature.indexOf('|')))) return;
          // A batch's keys get their slots once, for all its configurations.
          if (keys !== slotsOf) {
            slotsOf = keys;
            slots = keys.map((key) => state.facts.slot(key));
          }
          const column = factsFor(signature);
          for (let i = 0; i < entries.length; i += 2) column.setAt(slots[entries[i] as number]!, entries[i + 1]);
        },
        recheck,
        failure: (f) => {
          if (!aborted.has(f.ruleId)) fail(f);
        },
        batchDone: () => {
          if (pendingFlush) {
            pendingFlush = false;
            flush();
          }
        },
      };
      try {
        items = runParallelItemPass({
          ...pass,
          fingerprint: planFingerprint(plan, typeMapping, objectives),
          library: plan.library.map((r) => r.meta.id),
          now,
          timezone: options.timezone,
          sink,
        });
        threads = pass.threads;
        done = true;
      } catch (err) {
        if (!(err instanceof ThreadsUnavailable)) throw err;
        log.warn({ error: err.message }, 'Item-pass threads could not start; evaluating on this thread');
      }
    }
    if (!done) {
      for (const item of portfolio.items()) {
        items++;
        visitItem(item);
      }
    }
  }

  if (incremental) touchGroups(visitors, state.facts, state.users, evaluated, touch);
  else if (!dry) {
    // Indexed once here, so the next incremental run finds the users of a changed item without a walk of every fact.
    for (const [signature, live] of visitors) {
      if (live.visitor.groups && live.visitor.uses) state.users.set(signature, indexUsers(live.visitor, state.facts.get(signature) ?? new Map()));
    }
  }

  phase = 'aggregate';
  runner.startAggregates();
  /** Aggregate rules judged over some subjects only (incremental): those subjects; other aggregate rules are judged in full. */
  const partly = new Map<string, ReadonlySet<string>>();
  // Sprints are read only for rules that judge them (the recommended preset has none; 1M items have ~100,000).
  // Sprint-only rules judge a sprint from itself alone: after a full run, only sprints a sync changed are judged again.
  const sprintVisitors = [...visitors.values()].filter((l) => l.visitor.sprint !== undefined);
  const sprintRules = sprintVisitors.length > 0;
  const changedSince = incremental && !state.sprintFailed && sprintVisitors.every((l) => isSprintOnly(l.visitor)) ? state.sprintMark : null;
  const sprints = !sprintRules ? [] : changedSince !== null ? store.items.sprintsChangedSince(changedSince) : portfolio.sprints();
  if (changedSince !== null) {
    const keys = new Set(sprints.map((sprint) => sprint.key));
    for (const live of sprintVisitors) partly.set(live.eff.rule.meta.id, keys);
  }
  let sprintFailed = false;
  for (const sprint of sprints) {
    for (const eff of plan.forSubject({ source: sprint.source, project: sprint.project, team: sprint.team })) {
      const live = liveFor(eff);
      if (!live?.visitor.sprint) continue;
      try {
        live.visitor.sprint(sprint);
      } catch (err) {
        sprintFailed = true;
        fail(ruleFailure(eff.rule.meta.id, { kind: 'sprint', key: sprint.key, source: sprint.source, project: sprint.project, team: sprint.team }, err));
      }
    }
  }
  const empty = new Map<string, unknown>();
  const doneFailed = new Set<string>();
  for (const [signature, live] of visitors) {
    if (!live.visitor.done) continue;
    const id = live.eff.rule.meta.id;
    const all: ReadonlyMap<string, unknown> = state.facts.get(signature) ?? empty;
    let facts = all;
    const groups = incremental && live.visitor.groups && !state.doneFailed.has(id) ? (touched.get(id) ?? new Set<string>()) : undefined;
    if (groups) {
      partly.set(id, groups);
      if (groups.size === 0) continue;
      facts = factsInGroups(live.visitor, facts, groups);
      runner.judgeOnly(id, groups);
    }
    try {
      live.visitor.done(facts, all);
    } catch (err) {
      if (live.visitor.groups) doneFailed.add(id);
      fail(ruleFailure(id, { kind: 'project', key: `(all: ${id})` }, err));
    } finally {
      runner.judgeOnly(id, null);
    }
  }
  flush();

  const aggregateRules = [...new Set([...visitors.values()].filter((l) => l.aggregate && !partly.has(l.eff.rule.meta.id)).map((l) => l.eff.rule.meta.id))];
  const resolved = dry ? 0 : store.transaction(() => {
    const returned = store.findings.expireParked(nowIso, runId);
    for (const id of returned) state.recorded.delete(id);
    const groups = [...partly].map(([rule, subjects]) => ({ rule, subjects: [...subjects], kinds: [...(state.kinds.get(rule) ?? [])] }));
    const gone = store.findings.resolveUnseenIn(runId, nowIso, { all: !incremental, rules: aggregateRules, groups, items: evaluated, keep: [...aborted], seen, subjectsOf: [RULE_ERROR_ID] });
    for (const id of gone) state.recorded.delete(id);
    const n = gone.length;
    store.findings.markEvaluated(nowIso);
    if (options.waivers) applyConfigWaivers(store, options.waivers, nowIso);
    return n;
  });
  if (known) for (const rule of Object.keys(byRule)) known.add(rule);
  if (!dry) Object.assign(state, { plan, typeMapping, timezone: options.timezone, mark, sprintMark, sprintFailed, doneFailed, known, fullAt: incremental ? state.fullAt : nowMs });

  const enabled = new Set<string>();
  for (const live of visitors.values()) enabled.add(live.eff.rule.meta.id);
  const summary: EvaluationSummary = {
    runId,
    mode: incremental ? 'incremental' : 'full',
    items,
    sprints: sprintRules ? sprints.length : portfolio.sprintCount(),
    rules: enabled.size,
    findings: { ...tally, resolved, open: store.findings.count('open') },
    byRule,
    ruleErrors,
    threads,
    seconds: (performance.now() - started) / 1000,
  };
  if (options.runId === undefined && !dry) store.finishRun(runId, clock.now().toISOString(), true, summary);
  return summary;
}

export { toFinding } from './to-finding.ts';
