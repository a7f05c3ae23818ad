import { evaluate, type EvaluationSummary } from '../engine/evaluate.ts';
import { deliverOutbox, type DeliveryTally } from '../notify/deliver.ts';
import { buildAlerts, enqueueMessages, formatInZone } from '../notify/notify.ts';
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
  messages: number;
  delivery: DeliveryTally | null;
}

/** One worker cycle: sync every source, evaluate the rules, announce what changed. */
export async function runCycle(rt: Runtime, signal?: AbortSignal): Promise<CycleSummary> {
  const { store, clock, log, config } = rt;
  const started = performance.now();
  const startedAt = clock.now();
  const runId = store.startRun('cycle', startedAt.toISOString());
  const summary: CycleSummary = { runId, ok: true, error: null, seconds: 0, sync: [], evaluation: null, messages: 0, delivery: null };
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
    const messages = buildAlerts(store, runId, config, formatInZone(startedAt, config.timezone));
    summary.messages = enqueueMessages(store, messages, 'alerts', `alerts:run-${runId}`, clock);
    summary.delivery = await deliverOutbox({ store, transport: rt.transport, clock, log });
  } catch (err) {
    summary.ok = false;
    summary.error = errorMessage(err);
  }
  summary.seconds = (performance.now() - started) / 1000;
  if (summary.sync.some((s) => !s.ok)) summary.ok = false;
  store.finishRun(runId, clock.now().toISOString(), summary.ok, summary);
  return summary;
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
