import { snapshotDue, snapshotKpis } from '../alignment/service.ts';
import { evaluate, type EvaluationSummary } from '../engine/evaluate.ts';
import { recordHealth, type Health } from '../engine/health.ts';
import { deliverOutbox, type DeliveryTally } from '../notify/deliver.ts';
import { notifyCycle, type CycleNotifySummary } from '../notify/cycle.ts';
import { syncSource, type SourceSyncResult } from '../sync/sync.ts';
import { errorMessage } from '../util/errors.ts';
import type { Runtime } from './runtime.ts';

export interface CycleSummary {
  runId: number;
  ok: boolean;
  error: string | null;
  seconds: number;
  sync: SourceSyncResult[];
  evaluation: EvaluationSummary | null;
  /** Whether this cycle refreshed the week's KPI snapshot (at most every six hours). */
  kpiSnapshot: boolean;
  /** Projects by RAG after this cycle's evaluation, and the portfolio's compliance (null: unchanged since the last cycle, or failed). */
  health: HealthTally | null;
  messages: number;
  delivery: DeliveryTally | null;
  /** What the notify step did: alerts, holds, overflow, thread replies, prompts, user look-ups. */
  notify: CycleNotifySummary | null;
  /** Messages kept in the outbox after this cycle: waiting for a retry, failed, or uncertain after a crash. */
  outbox: { pending: number; failed: number; uncertain: number } | null;
}

/** One worker cycle: sync every source, evaluate the rules, announce what changed. */
export async function runCycle(rt: Runtime, signal?: AbortSignal): Promise<CycleSummary> {
  const { store, clock, log, config } = rt;
  const started = performance.now();
  const startedAt = clock.now();
  const runId = store.startRun('cycle', startedAt.toISOString());
  const summary: CycleSummary = { runId, ok: true, error: null, seconds: 0, sync: [], evaluation: null, kpiSnapshot: false, health: null, messages: 0, delivery: null, notify: null, outbox: null };
  try {
    summary.sync = await syncAll(rt, { signal });
    if (signal?.aborted) throw new Error('stopped before evaluation');
    summary.evaluation = evaluate({
      store,
      ...rt.ruleSetup,
      state: rt.evaluatorState,
      clock,
      timezone: config.timezone,
      log,
      runId,
    });
    summary.health = takeHealth(rt, runId);
    summary.kpiSnapshot = takeKpiSnapshot(rt);
    summary.notify = await notifyCycle(rt, runId, startedAt);
    summary.messages = summary.notify.messages;
    summary.delivery = await deliverOutbox({ store, transport: rt.transport, clock, log, pacer: rt.pacer });
    const kept = store.outbox.counts();
    summary.outbox = { pending: kept.pending, failed: kept.failed, uncertain: kept.uncertain };
  } catch (err) {
    summary.ok = false;
    summary.error = errorMessage(err);
  }
  summary.seconds = (performance.now() - started) / 1000;
  if (summary.sync.some((s) => !s.ok)) summary.ok = false;
  store.finishRun(runId, clock.now().toISOString(), summary.ok, summary);
  return summary;
}

export interface HealthTally {
  red: number;
  amber: number;
  green: number;
  compliance: number;
}

/** Projects by RAG and the portfolio's compliance, from health rows. */
export function tallyHealth(health: readonly Health[]): HealthTally {
  const tally: HealthTally = { red: 0, amber: 0, green: 0, compliance: 1 };
  for (const h of health) {
    if (h.scope === 'project') tally[h.rag]++;
    else if (h.scope === 'portfolio') tally.compliance = h.compliance;
  }
  return tally;
}

/** Stores this run's health per project, team and person; never fails a cycle. */
function takeHealth(rt: Runtime, runId: number): HealthTally | null {
  try {
    const health = recordHealth(rt.store, rt.config.health, runId, rt.clock.now().toISOString());
    return health && tallyHealth(health);
  } catch (err) {
    rt.log.warn({ error: errorMessage(err) }, 'Health snapshot failed; the next cycle tries again');
    return null;
  }
}

/** Keeps this week's KPI snapshot fresh (for week-over-week deltas and trends); never fails a cycle. */
function takeKpiSnapshot(rt: Runtime): boolean {
  const now = rt.clock.now();
  try {
    if (!snapshotDue(rt.store, now)) return false;
    snapshotKpis(rt.store, rt.config, now);
    return true;
  } catch (err) {
    rt.log.warn({ error: errorMessage(err) }, 'KPI snapshot failed; the next cycle tries again');
    return false;
  }
}

export async function syncAll(
  rt: Runtime,
  options: { full?: boolean; only?: string | undefined; signal?: AbortSignal | undefined } = {},
): Promise<SourceSyncResult[]> {
  const results: SourceSyncResult[] = [];
  for (const connector of rt.connectors) {
    if (options.only && connector.id !== options.only) continue;
    if (options.signal?.aborted) break;
    results.push(await syncSource(connector, { store: rt.store, clock: rt.clock, log: rt.log }, { full: options.full ?? false, signal: options.signal }));
  }
  return results;
}
