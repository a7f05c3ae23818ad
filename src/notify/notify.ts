import type { Config } from '../config/schema.ts';
import type { Finding } from '../model/finding.ts';
import type { Store } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';
import { alertMessage, compareFindings, type ChannelAlerts } from './blocks/alerts.ts';
import type { SlackMessage } from './message.ts';
import { channelFor } from './route.ts';

const RESOLVED_LISTED = 10;

/**
 * Builds this run's alert messages: findings that opened (or re-opened) in the run, and those that
 * resolved, grouped into one message per channel. Streams the findings and keeps only what is shown.
 */
export function buildAlerts(store: Store, runId: number, config: Config, cycleAt: string): SlackMessage[] {
  const byChannel = new Map<string, ChannelAlerts>();
  const limit = config.slack.maxFindingsPerMessage;
  const group = (channel: string): ChannelAlerts => {
    let g = byChannel.get(channel);
    if (!g) {
      g = { channel, shown: [], counts: { critical: 0, warning: 0, info: 0 }, resolved: [], resolvedCount: 0 };
      byChannel.set(channel, g);
    }
    return g;
  };
  for (const f of store.findings.iterate({ changedInRun: runId })) {
    const g = group(channelFor(f, config.slack));
    if (f.state === 'open') {
      g.counts[f.severity]++;
      keepTop(g.shown, f, limit);
    } else if (f.state === 'resolved') {
      g.resolvedCount++;
      if (g.resolved.length < RESOLVED_LISTED) g.resolved.push(f);
    }
  }
  const moreHint = 'Run `pmo-bot findings --state open` to see them all.';
  return [...byChannel.values()]
    .sort((a, b) => a.channel.localeCompare(b.channel))
    .map((g) => alertMessage(g, { cycleAt, moreHint }));
}

/** Keeps the `limit` most severe findings, sorted, without holding the rest. */
function keepTop(shown: Finding[], f: Finding, limit: number): void {
  if (shown.length >= limit && compareFindings(f, shown[shown.length - 1]!) >= 0) return;
  const at = shown.findIndex((s) => compareFindings(f, s) < 0);
  shown.splice(at < 0 ? shown.length : at, 0, f);
  if (shown.length > limit) shown.pop();
}

/** Puts messages into the outbox in one transaction; the dedupe key makes a retried cycle harmless. */
export function enqueueMessages(store: Store, messages: readonly SlackMessage[], kind: string, dedupePrefix: string, clock: Clock): number {
  const now = clock.now().toISOString();
  return store.transaction(() => {
    let added = 0;
    for (const m of messages) {
      if (store.outbox.enqueue({ dedupeKey: `${dedupePrefix}:${m.channel}`, channel: m.channel, kind, payload: m }, now)) added++;
    }
    return added;
  });
}

export function formatInZone(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${timezone}`;
}
