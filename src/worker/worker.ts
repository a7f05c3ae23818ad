import cron from 'node-cron';
import { slackMode, type Runtime } from './runtime.ts';
import { runCycle, type CycleSummary } from './cycle.ts';
import { runDigest, runReminders } from './scheduled.ts';
import { createSlackApp, type SlackAppHandle } from '../slack/app.ts';
import { errorMessage } from '../util/errors.ts';

export interface WorkerStats {
  cycles: number;
  failedCycles: number;
  skippedTicks: number;
  lastCycle: CycleSummary | null;
}

export interface WorkerHandle {
  stats: WorkerStats;
  /** Resolves once the worker has stopped: current cycle finished, database closed. */
  stopped: Promise<void>;
  stop(reason: string): Promise<void>;
}

/**
 * The long-running worker: a cycle at start, then on the `schedules.sync` cron in the configured
 * timezone. Cycles never overlap (a tick during a cycle is skipped and counted); a failing cycle is
 * logged and the next one still runs.
 */
export function startWorker(rt: Runtime, hooks: { onCycle?: (s: CycleSummary) => void; slackApp?: boolean } = {}): WorkerHandle {
  const { log, config } = rt;
  const stats: WorkerStats = { cycles: 0, failedCycles: 0, skippedTicks: 0, lastCycle: null };
  const abort = new AbortController();
  let current: Promise<void> | null = null;
  let stopping = false;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));

  const recovered = rt.store.outbox.recoverInterrupted();
  if (recovered > 0) log.warn({ messages: recovered }, 'Messages interrupted while sending are not resent; see the outbox');

  const cycle = (): void => {
    if (stopping) return;
    if (current) {
      stats.skippedTicks++;
      log.warn('Previous cycle still running; this tick is skipped');
      return;
    }
    current = runCycle(rt, abort.signal)
      .then((summary) => {
        stats.cycles++;
        stats.lastCycle = summary;
        if (!summary.ok) {
          stats.failedCycles++;
          log.error({ runId: summary.runId, error: summary.error, failedCycles: stats.failedCycles }, 'Cycle failed; the next one runs on schedule');
        }
        hooks.onCycle?.(summary);
      })
      .finally(() => {
        current = null;
      });
  };

  // Digest and reminders wait for a running cycle (and each other) rather than interleave with it.
  let side: Promise<void> = Promise.resolve();
  const scheduled = (name: string, fn: () => Promise<unknown>) => (): void => {
    if (stopping) return;
    side = side
      .then(() => current?.catch(() => undefined))
      .then(() => (stopping ? undefined : fn()))
      .then(
        (result) => log.info({ task: name, result }, 'Scheduled task finished'),
        (err: unknown) => log.error({ task: name, error: errorMessage(err) }, 'Scheduled task failed; it runs again on schedule'),
      );
  };

  const task = cron.schedule(config.schedules.sync, cycle, { timezone: config.timezone, noOverlap: true, name: 'sync' });
  const digestTask = cron.schedule(config.schedules.digest, scheduled('digest', () => runDigest(rt)), { timezone: config.timezone, noOverlap: true, name: 'digest' });
  const remindersTask = cron.schedule(config.schedules.reminders, scheduled('reminders', () => runReminders(rt)), {
    timezone: config.timezone,
    noOverlap: true,
    name: 'reminders',
  });
  let slackApp: SlackAppHandle | null = null;
  const mode = slackMode(config);
  if (hooks.slackApp !== false && rt.interactive && mode !== 'console') {
    try {
      slackApp = createSlackApp(config, rt);
      slackApp.start().catch((err: unknown) => log.error({ error: errorMessage(err) }, 'Slack app did not start; alerts still go out, buttons will not answer'));
    } catch (err) {
      log.error({ error: errorMessage(err) }, 'Slack app not started; alerts still go out, buttons will not answer');
    }
  }
  log.info(
    { schedule: config.schedules.sync, digest: config.schedules.digest, reminders: config.schedules.reminders, timezone: config.timezone, slack: mode, sources: rt.connectors.map((c) => c.id) },
    'Worker started',
  );
  cycle();

  const stop = async (reason: string): Promise<void> => {
    if (stopping) return stopped;
    stopping = true;
    log.info({ reason }, 'Stopping: finishing the current cycle');
    await task.destroy();
    await digestTask.destroy();
    await remindersTask.destroy();
    abort.abort();
    if (current) await current.catch(() => undefined);
    await side;
    if (slackApp) await slackApp.stop().catch(() => undefined);
    rt.store.close();
    log.info({ cycles: stats.cycles, failedCycles: stats.failedCycles }, 'Stopped');
    resolveStopped();
    return stopped;
  };
  return { stats, stopped, stop };
}
