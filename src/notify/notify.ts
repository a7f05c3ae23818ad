import type { Config } from '../config/schema.ts';
import { SEVERITY_RANK, type Finding, type Severity } from '../model/finding.ts';
import type { Store } from '../store/index.ts';
import type { FindingWithNotice } from '../store/slack.ts';
import type { Clock } from '../util/clock.ts';
import { alertMessage, compareFindings, displayKey, type AlertReason } from './blocks/alerts.ts';
import { mrkdwnLink, truncate, SLACK_LIMITS, type SlackMessage } from './message.ts';
import type { MentionResolver } from './mentions.ts';
import { destinationFor } from './route.ts';
import { inQuietHours, parseDuration } from './time.ts';

/** One channel's share of a cycle: what is announced now, and what the cap leaves to the digest. */
export interface ChannelPlan {
  channel: string;
  /** Most severe first, at most `alerts.channelCap`. */
  due: Array<{ finding: Finding; reason: AlertReason }>;
  overflow: Finding[];
}

export interface AlertPlan {
  channels: ChannelPlan[];
  /** Findings held by quiet hours, with their channel; announced when the quiet hours end. */
  held: Array<{ finding: Finding; channel: string }>;
}

export interface NotifyTally {
  alerts: number;
  announced: number;
  held: number;
  overflow: number;
  resolvedReplies: number;
}

const MORE_HINT = 'Run `pmo-bot findings --state open` to see them all.';

/**
 * Decides what this cycle announces, per channel: findings never announced (or held by quiet hours),
 * findings re-opened after their rule's cool-down, and still-open critical findings whose last alert
 * is older than `renotifyCritical`. Streams the open findings once.
 */
export function planAlerts(store: Store, config: Config, runId: number, now: Date, rows: Iterable<FindingWithNotice> = store.slack.openWithNotices()): AlertPlan {
  const slack = config.slack;
  const renotify = slack.alerts.renotifyCritical ? parseDuration(slack.alerts.renotifyCritical) : null;
  const cooldownOf = memo((rule: string) => parseDuration(slack.alerts.cooldowns[rule] ?? slack.alerts.cooldown));
  const quietCache = new Map<object | undefined, boolean>();
  const isQuiet = (q: NonNullable<Config['slack']['alerts']['quietHours']> | undefined): boolean => {
    if (!q) return false;
    let v = quietCache.get(q);
    if (v === undefined) quietCache.set(q, (v = inQuietHours(now, q, config.timezone)));
    return v;
  };
  const byChannel = new Map<string, Array<{ finding: Finding; reason: AlertReason }>>();
  const held: AlertPlan['held'] = [];
  for (const row of rows) {
    const f = row.finding;
    const dest = destinationFor(f, slack);
    if (dest.minSeverity && SEVERITY_RANK[f.severity] < SEVERITY_RANK[dest.minSeverity]) continue;
    const reason = dueReason(row, runId, now, cooldownOf(f.ruleId), renotify);
    if (!reason) continue;
    if (isQuiet(dest.quietHours) && !(f.severity === 'critical' && dest.quietHours?.allowCritical)) {
      held.push({ finding: f, channel: dest.channel });
      continue;
    }
    let list = byChannel.get(dest.channel);
    if (!list) byChannel.set(dest.channel, (list = []));
    list.push({ finding: f, reason });
  }
  const cap = slack.alerts.channelCap;
  const channels = [...byChannel]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([channel, list]) => {
      list.sort((a, b) => compareFindings(a.finding, b.finding));
      return { channel, due: list.slice(0, cap), overflow: list.slice(cap).map((d) => d.finding) };
    });
  return { channels, held };
}

function dueReason(row: FindingWithNotice, runId: number, now: Date, cooldownMs: number, renotifyMs: number | null): AlertReason | null {
  const n = row.notice;
  if (!n || n.state === 'held') return 'new';
  if (n.state === 'overflow') return null;
  const last = n.notifiedAt ? new Date(n.notifiedAt).getTime() : 0;
  const since = now.getTime() - last;
  if (row.changedRun === runId) {
    // Re-opened in this run: announce again only once the rule's cool-down has passed.
    if (since >= cooldownMs) return 'reopened';
  }
  if (renotifyMs !== null && row.finding.severity === 'critical' && since >= renotifyMs) return 'reminder';
  return null;
}

function memo<T>(fn: (k: string) => T): (k: string) => T {
  const cache = new Map<string, T>();
  return (k) => {
    if (!cache.has(k)) cache.set(k, fn(k));
    return cache.get(k)!;
  };
}

/** Owners' e-mails of the findings an alert shows, for mention look-ups. */
export function shownOwners(plan: AlertPlan, perMessage: number): string[] {
  const out = new Set<string>();
  for (const c of plan.channels) for (const d of c.due.slice(0, perMessage)) if (d.finding.owner?.email) out.add(d.finding.owner.email);
  return [...out];
}

/**
 * Turns a plan into one message per channel and puts them in the outbox together with the notices
 * (which alert announced which finding), in one transaction: a crash leaves both or neither.
 */
export function enqueueAlerts(
  store: Store,
  plan: AlertPlan,
  ctx: { config: Config; runId: number; cycleAt: string; clock: Clock; mentions?: MentionResolver | undefined; interactive: boolean },
): NotifyTally {
  const now = ctx.clock.now().toISOString();
  const perMessage = ctx.config.slack.maxFindingsPerMessage;
  const tally: NotifyTally = { alerts: 0, announced: 0, held: plan.held.length, overflow: 0, resolvedReplies: 0 };
  store.transaction(() => {
    for (const h of plan.held) store.slack.putNotice(h.finding.id, h.channel, 'held', null, null);
    for (const c of plan.channels) {
      const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
      for (const d of c.due) counts[d.finding.severity]++;
      for (const f of c.overflow) counts[f.severity]++;
      const dedupeKey = `alerts:run-${ctx.runId}:${c.channel}`;
      const message = alertMessage(
        {
          channel: c.channel,
          shown: c.due.slice(0, perMessage).map((d) => d.finding),
          counts,
          resolved: [],
          resolvedCount: 0,
          overflow: c.overflow.length,
          repeated: new Set(c.due.filter((d) => d.reason !== 'new').map((d) => d.finding.id)),
        },
        {
          cycleAt: ctx.cycleAt,
          moreHint: MORE_HINT,
          userOf: ctx.mentions ? (email) => ctx.mentions!.known(email) : undefined,
          ...(ctx.interactive ? { showAllValue: dedupeKey } : {}),
        },
      );
      const { id, added } = store.outbox.add({ dedupeKey, channel: c.channel, kind: 'alerts', payload: message }, now);
      if (!added) continue;
      tally.alerts++;
      for (const d of c.due) store.slack.putNotice(d.finding.id, c.channel, 'announced', id, now);
      for (const f of c.overflow) store.slack.putNotice(f.id, c.channel, 'overflow', null, null);
      tally.announced += c.due.length;
      tally.overflow += c.overflow.length;
    }
  });
  return tally;
}

const RESOLVED_PER_REPLY = 40;

/** A thread reply under each alert whose findings resolved in this run ("✅ PAY-12 resolved"). */
export function enqueueResolvedReplies(store: Store, runId: number, clock: Clock): number {
  const rows = store.slack.resolvedAwaitingReply(runId);
  if (rows.length === 0) return 0;
  const now = clock.now().toISOString();
  const byParent = new Map<number, { channel: string; findings: Finding[] }>();
  for (const { finding, notice } of rows) {
    const parent = notice.outboxId!;
    let g = byParent.get(parent);
    if (!g) byParent.set(parent, (g = { channel: notice.channel, findings: [] }));
    g.findings.push(finding);
  }
  return store.transaction(() => {
    let added = 0;
    for (const [parent, g] of byParent) {
      const names = g.findings.slice(0, RESOLVED_PER_REPLY).map((f) => `${mrkdwnLink(f.url, displayKey(f))} (${f.ruleId})`);
      const rest = g.findings.length - names.length;
      const text = truncate(
        `:white_check_mark: Resolved: ${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`,
        SLACK_LIMITS.sectionText,
      );
      const message: SlackMessage = {
        channel: g.channel,
        text: `${g.findings.length} finding${g.findings.length === 1 ? '' : 's'} resolved`,
        blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }],
        threadOfOutboxId: parent,
      };
      if (store.outbox.add({ dedupeKey: `resolved:run-${runId}:${parent}`, channel: g.channel, kind: 'resolved', payload: message }, now).added) added++;
      store.slack.markResolvedReplied(g.findings.map((f) => f.id));
    }
    return added;
  });
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
