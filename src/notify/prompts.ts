import type { Config } from '../config/schema.ts';
import type { Finding } from '../model/finding.ts';
import type { Store } from '../store/index.ts';
import type { FindingWithNotice } from '../store/slack.ts';
import type { Clock } from '../util/clock.ts';
import { findingLine } from './blocks/alerts.ts';
import { promptMessage } from './blocks/prompt.ts';
import { plain, SLACK_LIMITS, type Block, type SlackMessage } from './message.ts';
import type { MentionResolver } from './mentions.ts';
import { channelFor } from './route.ts';
import { parseDuration } from './time.ts';

export interface PromptTally {
  messages: number;
  findings: number;
  /** Owners without a Slack user (not found, opted out, or not looked up yet this cycle). */
  unreachable: number;
}

/** Where a person's prompts go: their Slack user id (a DM), or `@email` in console mode. */
export function promptChannel(email: string, mentions: MentionResolver | undefined, interactive: boolean): string | null | undefined {
  if (/^[UW][A-Z0-9]+$/.test(email)) return email; // a lead configured by Slack id
  const known = mentions?.known(email);
  if (!interactive) return known ?? `@${email}`;
  return known;
}

/**
 * Open findings a prompt can fix that nobody was asked about yet, by the person to ask: the owner, or
 * for items nobody owns (e.g. "in progress but unassigned") the project's lead from `slack.projectLeads`.
 */
export function promptCandidates(store: Store, config: Config, rows: Iterable<FindingWithNotice> = store.slack.openWithNotices()): Map<string, Finding[]> {
  const byPerson = new Map<string, Finding[]>();
  for (const row of rows) {
    const f = row.finding;
    if (!f.fix || f.subject.kind !== 'item') continue;
    const person = f.owner?.email ?? (f.project ? config.slack.projectLeads[f.project] : undefined);
    if (!person) continue;
    const asked = row.prompt;
    // Asked already, unless they snoozed it and the snooze has run out (the finding is open again).
    if (asked && !(asked.answeredAt && asked.answer?.startsWith('snoozed'))) continue;
    const email = person.includes('@') ? person.toLowerCase() : person;
    let list = byPerson.get(email);
    if (!list) byPerson.set(email, (list = []));
    list.push(f);
  }
  return byPerson;
}

/**
 * One DM per person per cycle listing their items (batched, never one DM per item), recorded in
 * `prompts` in the same transaction as the outbox entry.
 */
export function enqueuePrompts(
  store: Store,
  candidates: Map<string, Finding[]>,
  ctx: { config: Config; runId: number; clock: Clock; mentions?: MentionResolver | undefined; interactive: boolean },
): PromptTally {
  const tally: PromptTally = { messages: 0, findings: 0, unreachable: 0 };
  if (!ctx.config.slack.prompts.enabled) return tally;
  const now = ctx.clock.now().toISOString();
  const max = ctx.config.slack.prompts.maxItemsPerMessage;
  store.transaction(() => {
    for (const [email, findings] of [...candidates].sort(([a], [b]) => a.localeCompare(b))) {
      const channel = promptChannel(email, ctx.mentions, ctx.interactive);
      if (!channel) {
        tally.unreachable++;
        continue;
      }
      const asked = findings.slice(0, max);
      const message = promptMessage(channel, asked, { maxItems: max, kind: 'prompt' });
      const { id, added } = store.outbox.add({ dedupeKey: `prompt:run-${ctx.runId}:${channel}`, channel, kind: 'prompt', payload: message }, now);
      if (!added) continue;
      for (const f of asked) store.slack.putPrompt(f.id, email, channel, id, now);
      tally.messages++;
      tally.findings += asked.length;
    }
  });
  return tally;
}

export interface ReminderTally {
  reminders: number;
  escalations: number;
}

/**
 * Reminds people of prompts left unanswered for `remindAfter` (one DM each, listing them all), and
 * after `escalateAfter` reminders raises the items once in the channel their alerts go to.
 */
export function enqueueReminders(store: Store, ctx: { config: Config; clock: Clock; userOf?: (email: string) => string | null | undefined }): ReminderTally {
  const { config, clock } = ctx;
  const now = clock.now();
  const nowIso = now.toISOString();
  const after = parseDuration(config.slack.prompts.remindAfter);
  const remind = new Map<string, Finding[]>();
  const escalate = new Map<string, Finding[]>();
  for (const { prompt, finding } of store.slack.openPrompts()) {
    const last = new Date(prompt.lastRemindedAt ?? prompt.promptedAt).getTime();
    if (now.getTime() - last < after) continue;
    if (prompt.reminders >= config.slack.prompts.escalateAfter) {
      if (prompt.escalatedAt) continue;
      const channel = channelFor(finding, config.slack);
      escalate.set(channel, [...(escalate.get(channel) ?? []), finding]);
      continue;
    }
    remind.set(prompt.slackUser, [...(remind.get(prompt.slackUser) ?? []), finding]);
  }
  const tally: ReminderTally = { reminders: 0, escalations: 0 };
  const max = config.slack.prompts.maxItemsPerMessage;
  store.transaction(() => {
    for (const [user, findings] of remind) {
      const message = promptMessage(user, findings, { maxItems: max, kind: 'reminder' });
      if (!store.outbox.add({ dedupeKey: `reminder:${nowIso}:${user}`, channel: user, kind: 'reminder', payload: message }, nowIso).added) continue;
      for (const f of findings.slice(0, max)) store.slack.remindPrompt(f.id, nowIso);
      tally.reminders++;
    }
    for (const [channel, findings] of escalate) {
      const message = escalationMessage(channel, findings, config.slack.prompts.escalateAfter, ctx.userOf);
      if (!store.outbox.add({ dedupeKey: `escalation:${nowIso}:${channel}`, channel, kind: 'escalation', payload: message }, nowIso).added) continue;
      for (const f of findings) store.slack.escalatePrompt(f.id, nowIso);
      tally.escalations++;
    }
  });
  return tally;
}

const ESCALATION_LISTED = 20;

export function escalationMessage(
  channel: string,
  findings: readonly Finding[],
  reminders: number,
  userOf?: (email: string) => string | null | undefined,
): SlackMessage {
  const n = findings.length;
  const blocks: Block[] = [
    { type: 'header', text: plain(`pmo-bot · ${n} unanswered prompt${n === 1 ? '' : 's'}`, SLACK_LIMITS.headerText) },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Their owners were asked and reminded ${reminders} time${reminders === 1 ? '' : 's'}. Can someone help?` }] },
  ];
  const ctx = { cycleAt: '', moreHint: '', ...(userOf ? { userOf } : {}) };
  for (const f of findings.slice(0, ESCALATION_LISTED)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: findingLine(f, ctx) } });
  if (n > ESCALATION_LISTED) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${n - ESCALATION_LISTED} more.` }] });
  return { channel, text: `pmo-bot: ${n} unanswered prompt${n === 1 ? '' : 's'}`, blocks };
}
