import type { Config } from '../config/schema.ts';
import type { Store } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import type { MentionResolver } from './mentions.ts';
import { enqueueAlerts, enqueueResolvedReplies, planAlerts, shownOwners, type NotifyTally } from './notify.ts';
import { enqueuePrompts, promptCandidates, type PromptTally } from './prompts.ts';
import { formatInZone, inQuietHours } from './time.ts';

export interface CycleNotifySummary extends NotifyTally {
  /** Messages put in the outbox this cycle (alerts, thread replies, prompts). */
  messages: number;
  prompts: PromptTally;
  userLookups: number;
  /** Where the step spent its time: planning, Slack user look-ups, building and enqueueing messages. */
  seconds: { plan: number; lookups: number; build: number };
}

export interface NotifyDeps {
  store: Store;
  config: Config;
  clock: Clock;
  log: Logger;
  mentions: MentionResolver | undefined;
  /** Whether messages go to a real Slack app (buttons work) rather than the console. */
  interactive: boolean;
}

/**
 * The notify step of a worker cycle: plan alerts per channel, look up the Slack users to mention and
 * DM (cached, budgeted), then enqueue alerts, resolution thread replies and batched prompts.
 */
export async function notifyCycle(deps: NotifyDeps, runId: number, cycleStart: Date): Promise<CycleNotifySummary> {
  const { store, config, clock } = deps;
  const t0 = performance.now();
  // One scan of the open findings serves both the alerts and the prompts.
  const rows = [...store.slack.openWithNotices()];
  const plan = planAlerts(store, config, runId, clock.now(), rows);
  // Prompts are DMs to people: none during the global quiet hours (they go out in the next cycle).
  const quiet = config.slack.alerts.quietHours;
  const promptsNow = config.slack.prompts.enabled && !(quiet && inQuietHours(clock.now(), quiet, config.timezone));
  const candidates = promptsNow ? promptCandidates(store, config, rows) : new Map();
  const emails = [...shownOwners(plan, config.slack.maxFindingsPerMessage), ...[...candidates.keys()].filter((k) => k.includes('@'))];
  const t1 = performance.now();
  const userLookups = deps.mentions ? await deps.mentions.resolve(emails) : 0;
  const t2 = performance.now();
  const ctx = { config, runId, clock, mentions: deps.mentions, interactive: deps.interactive };
  const alerts = enqueueAlerts(store, plan, { ...ctx, cycleAt: formatInZone(cycleStart, config.timezone) });
  alerts.resolvedReplies = config.slack.alerts.threadResolved ? enqueueResolvedReplies(store, runId, clock) : 0;
  const prompts = enqueuePrompts(store, candidates, ctx);
  const t3 = performance.now();
  const seconds = { plan: round((t1 - t0) / 1000), lookups: round((t2 - t1) / 1000), build: round((t3 - t2) / 1000) };
  return { ...alerts, messages: alerts.alerts + alerts.resolvedReplies + prompts.messages, prompts, userLookups, seconds };
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}
