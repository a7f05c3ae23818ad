import type { Config } from '../config/schema.ts';
import { itemSubject } from '../engine/rule-config.ts';
import type { RuleSetup } from '../engine/setup.ts';
import { classify } from '../engine/type-mapping.ts';
import type { AnyRule } from '../engine/rule.ts';
import type { Connector, WriteBackChange } from '../model/connector.ts';
import type { Finding, FixSpec } from '../model/finding.ts';
import type { WorkItem } from '../model/work-item.ts';
import { displayKey } from '../notify/blocks/alerts.ts';
import { fieldLabel, promptMessage, SNOOZE_CHOICES, type SnoozeChoice } from '../notify/blocks/prompt.ts';
import { escapeMrkdwn, mention } from '../notify/message.ts';
import { parseDuration } from '../notify/time.ts';
import type { Store } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';
import { errorMessage } from '../util/errors.ts';
import type { Logger } from '../util/log.ts';

/** Who clicked: their Slack id and, when Slack told us, their e-mail (for waiver rights, "mine"). */
export interface Actor {
  userId: string;
  email: string | null;
}

/** What happened, as a line for the message the person clicked in; `changed` is false for repeats. */
export interface Outcome {
  ok: boolean;
  changed: boolean;
  text: string;
}

export interface DecisionDeps {
  store: Store;
  config: Config;
  clock: Clock;
  log: Logger;
  connectors: readonly Connector[];
  rules: readonly AnyRule[];
  /** The compiled rule configuration (presets, methodology, overrides, custom rules). */
  ruleSetup: RuleSetup;
}

const actorTag = (a: Actor) => `slack:${a.userId}${a.email ? ` (${a.email})` : ''}`;

/** Snooze, waive, hand over and fix, each audited in `finding_events` and safe to repeat. */
export function createDecisions(deps: DecisionDeps) {
  const { store, config, clock, log } = deps;
  const inFlight = new Set<string>();

  const load = (findingId: string): Finding | Outcome => {
    const f = store.findings.get(findingId);
    if (!f) return { ok: false, changed: false, text: ':warning: This finding no longer exists.' };
    return f;
  };
  /** A repeated click on something already decided: say what happened instead of doing it twice. */
  const settled = (f: Finding): Outcome | null => {
    const name = displayKey(f);
    if (f.state === 'resolved') return { ok: true, changed: false, text: `:white_check_mark: ${escapeMrkdwn(name)} is already resolved.` };
    if (f.state === 'waived') return { ok: true, changed: false, text: `:no_entry: ${escapeMrkdwn(name)} is already waived.` };
    if (f.state === 'snoozed') return { ok: true, changed: false, text: `:zzz: ${escapeMrkdwn(name)} is already snoozed until ${f.snoozedUntil?.slice(0, 10) ?? '?'}.` };
    return null;
  };

  return {
    /** What can be said about a finding nobody can act on any more (gone, resolved, waived, snoozed). */
    current(findingId: string): Outcome {
      const f = load(findingId);
      if (!('id' in f)) return f;
      return settled(f) ?? { ok: true, changed: false, text: `${escapeMrkdwn(displayKey(f))} is open.` };
    },

    snooze(findingId: string, choice: SnoozeChoice, actor: Actor): Outcome {
      const f = load(findingId);
      if (!('id' in f)) return f;
      const done = settled(f);
      if (done) return done;
      const label = SNOOZE_CHOICES.find((c) => c.value === choice)?.label ?? choice;
      const now = clock.now();
      const until = new Date(now.getTime() + parseDuration(choice)).toISOString();
      store.transaction(() => {
        store.findings.setState(f.id, { state: 'snoozed', actor: actorTag(actor), reason: `snoozed for ${label} from Slack`, until }, now.toISOString());
        store.slack.answerPrompt(f.id, `snoozed ${choice}`, now.toISOString());
      });
      return { ok: true, changed: true, text: `:zzz: ${mention(actor.userId, '')} snoozed ${escapeMrkdwn(displayKey(f))} for ${label} (until ${until.slice(0, 10)}).` };
    },

    /** Whether this person may waive this finding (critical ones only by the configured people). */
    mayWaive(f: Finding, actor: Actor): boolean {
      if (f.severity !== 'critical') return true;
      const allowed = config.slack.waivers.critical.map((s) => s.toLowerCase());
      return allowed.includes(actor.userId.toLowerCase()) || (actor.email !== null && allowed.includes(actor.email.toLowerCase()));
    },

    waive(findingId: string, reason: string, actor: Actor): Outcome {
      const f = load(findingId);
      if (!('id' in f)) return f;
      const done = settled(f);
      if (done) return done;
      const why = reason.trim();
      if (!why) return { ok: false, changed: false, text: 'A waiver needs a reason.' };
      if (!this.mayWaive(f, actor)) {
        return { ok: false, changed: false, text: `:lock: Only ${config.slack.waivers.critical.length ? 'the people listed in slack.waivers.critical' : 'people listed in slack.waivers.critical (nobody yet)'} may waive critical findings.` };
      }
      const now = clock.now().toISOString();
      store.transaction(() => {
        store.findings.setState(f.id, { state: 'waived', actor: actorTag(actor), reason: why }, now);
        store.slack.answerPrompt(f.id, 'waived', now);
      });
      return { ok: true, changed: true, text: `:no_entry: ${mention(actor.userId, '')} waived ${escapeMrkdwn(displayKey(f))}: “${escapeMrkdwn(why)}”` };
    },

    /** Hands the prompt to the project's lead (slack.projectLeads) as a DM of its own. */
    notMine(findingId: string, actor: Actor, leadChannel: (lead: string) => string | null): Outcome & { outboxId?: number } {
      const f = load(findingId);
      if (!('id' in f)) return f;
      const done = settled(f);
      if (done) return done;
      const lead = f.project ? config.slack.projectLeads[f.project] : undefined;
      if (!lead) return { ok: false, changed: false, text: `:warning: No lead is configured for project ${escapeMrkdwn(f.project ?? '?')} (slack.projectLeads); ask your PMO.` };
      const channel = leadChannel(lead);
      if (!channel) return { ok: false, changed: false, text: `:warning: The lead of ${escapeMrkdwn(f.project ?? '?')} (${escapeMrkdwn(lead)}) is not on Slack.` };
      const existing = store.slack.prompt(f.id);
      if (existing?.slackUser === channel && existing.answeredAt === null) {
        return { ok: true, changed: false, text: `:arrow_right: ${escapeMrkdwn(displayKey(f))} is already with the project lead.` };
      }
      const now = clock.now().toISOString();
      const message = promptMessage(channel, [f], { maxItems: 1, kind: 'handover', from: actor.email ?? actor.userId });
      const outboxId = store.transaction(() => {
        store.slack.answerPrompt(f.id, 'not mine', now);
        store.findings.recordAnswer(f.id, { type: 'handed_over', actor: actorTag(actor), reason: 'not mine', data: { to: lead } }, now);
        const { id } = store.outbox.add({ dedupeKey: `handover:${f.id}:${channel}:${now}`, channel, kind: 'prompt', payload: message }, now);
        store.slack.putPrompt(f.id, lead.toLowerCase(), channel, id, now);
        return id;
      });
      return { ok: true, changed: true, outboxId, text: `:arrow_right: ${mention(actor.userId, '')} handed ${escapeMrkdwn(displayKey(f))} to the ${escapeMrkdwn(f.project ?? '')} lead.` };
    },

    /** Parses a modal answer for a field; an error message names what is wrong. */
    parseAnswer(spec: FixSpec, raw: string | null): { value: WriteBackChange['value'] } | { error: string } {
      const text = (raw ?? '').trim();
      if (!text) return { error: `Enter the ${fieldLabel(spec.field)}.` };
      switch (spec.input) {
        case 'number': {
          const n = Number(text);
          if (!Number.isFinite(n) || n < 0) return { error: 'Enter a number of 0 or more.' };
          return { value: n };
        }
        case 'date':
          if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) return { error: 'Pick a date.' };
          return { value: text };
        default:
          return { value: text.slice(0, 10_000) };
      }
    },

    /**
     * Writes the answer back through the connector that owns the item, then re-checks the rule on the
     * updated item: resolved when it no longer reports, kept open (and said so) otherwise.
     */
    async fix(findingId: string, value: WriteBackChange['value'], actor: Actor): Promise<Outcome> {
      const f = load(findingId);
      if (!('id' in f)) return f;
      const done = settled(f);
      if (done) return done;
      if (!f.fix) return { ok: false, changed: false, text: 'This finding cannot be fixed with one answer.' };
      if (inFlight.has(f.id)) return { ok: true, changed: false, text: `:hourglass_flowing_sand: ${escapeMrkdwn(displayKey(f))} is being written back already.` };
      const item = store.items.get(f.subject.key);
      const connector = deps.connectors.find((c) => c.id === (item?.source ?? f.source));
      if (!item || !connector?.writeBack) {
        return { ok: false, changed: false, text: `:warning: ${escapeMrkdwn(displayKey(f))} cannot be written back: its source ${escapeMrkdwn(f.source ?? '?')} does not support it.` };
      }
      inFlight.add(f.id);
      const field = f.fix.field === 'parent' ? null : f.fix.field;
      try {
        if (!field) return { ok: false, changed: false, text: 'Setting the parent from Slack is not supported.' };
        const change: WriteBackChange = { field, value, actor: actor.email ?? actor.userId };
        let result;
        try {
          result = await connector.writeBack(item.nativeKey, change);
        } catch (err) {
          result = { ok: false, message: errorMessage(err) };
        }
        const now = clock.now().toISOString();
        if (!result.ok) {
          store.findings.recordAnswer(f.id, { type: 'write_back_failed', actor: actorTag(actor), reason: result.message, data: { field, before: fieldValue(item, field), value } }, now);
          log.warn({ finding: f.id, source: connector.id, error: result.message }, 'Write-back failed');
          return { ok: false, changed: false, text: `:warning: Could not update ${escapeMrkdwn(displayKey(f))}: ${escapeMrkdwn(result.message)}. Try again, or fix it in the tool.` };
        }
        const updated = applyChange(item, change);
        const still = recheck(deps, f, updated);
        store.transaction(() => {
          store.items.upsert([updated], now);
          store.findings.recordAnswer(f.id, { type: 'fixed', actor: actorTag(actor), reason: `${field} set from Slack`, data: { field, before: fieldValue(item, field), value, stillReported: still }, resolve: !still }, now);
          store.slack.answerPrompt(f.id, `fixed ${field}`, now);
        });
        const shown = field === 'assignee' ? mention(String(value).startsWith('U') ? String(value) : null, String(value)) : escapeMrkdwn(String(value));
        return still
          ? { ok: true, changed: true, text: `:warning: ${fieldLabel(f.fix.field)} of ${escapeMrkdwn(displayKey(f))} set to ${shown}, but ${escapeMrkdwn(f.ruleId)} still reports it.` }
          : { ok: true, changed: true, text: `:white_check_mark: ${fieldLabel(f.fix.field)} of ${escapeMrkdwn(displayKey(f))} set to ${shown} by ${mention(actor.userId, '')}; written back to ${escapeMrkdwn(connector.id)}.` };
      } finally {
        inFlight.delete(f.id);
      }
    },
  };
}

export type Decisions = ReturnType<typeof createDecisions>;

/** The stored item as it is after the write-back, until the next sync brings the tool's version. */
export function applyChange(item: WorkItem, change: WriteBackChange): WorkItem {
  const v = change.value;
  switch (change.field) {
    case 'estimate':
      return { ...item, estimate: typeof v === 'number' ? v : Number(v) };
    case 'dueDate':
      return { ...item, dueDate: typeof v === 'string' ? v : null };
    case 'assignee': {
      const id = String(v);
      return { ...item, assignee: { id, name: id, email: id.includes('@') ? id : null } };
    }
    case 'description':
      return { ...item, description: typeof v === 'string' ? v : null };
    case 'priority':
      return { ...item, priority: typeof v === 'string' ? v : null };
    case 'labels':
      return { ...item, labels: Array.isArray(v) ? v : String(v).split(/[,\s]+/).filter(Boolean) };
    default:
      return { ...item, fields: { ...item.fields, [change.field]: v } };
  }
}

/** An item's value of a write-back field before the change, for the audit trail. */
export function fieldValue(item: WorkItem, field: WriteBackChange['field']): WriteBackChange['value'] {
  switch (field) {
    case 'estimate':
      return item.estimate;
    case 'dueDate':
      return item.dueDate;
    case 'assignee':
      return item.assignee ? (item.assignee.email ?? item.assignee.name) : null;
    case 'description':
      return item.description;
    case 'priority':
      return item.priority;
    case 'labels':
      return item.labels;
    default: {
      // Acceptance criteria live in a field named by the source (Azure DevOps) or normalised (Jira).
      const v = item.fields[field] ?? (field === 'acceptanceCriteria' ? item.fields['Microsoft.VSTS.Common.AcceptanceCriteria'] : undefined);
      return v === undefined || v === null ? null : typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
}

/** Runs the finding's rule, with the item's effective configuration, on the updated item alone. */
function recheck(deps: DecisionDeps, f: Finding, stored: WorkItem): boolean {
  const { item, classes } = classify(deps.ruleSetup.typeMapping, stored);
  const eff = deps.ruleSetup.plan.forSubject(itemSubject(item, classes)).find((e) => e.rule.meta.id === f.ruleId);
  if (!eff || eff.severity === 'off') return false;
  let reported = false;
  const visitor = eff.rule.create({
    options: eff.options,
    severity: eff.severity,
    now: deps.clock.now(),
    timezone: deps.config.timezone,
    lookup: { item: (key) => deps.store.items.get(key), sprint: (key) => deps.store.items.sprint(key) },
    objectives: deps.ruleSetup.objectives,
    recheckAt: () => undefined,
    report: (r) => {
      if ('key' in r.subject && r.subject.key === item.key) reported = true;
    },
  });
  // Only per-item verdicts can be re-checked on one item; aggregates wait for the next cycle.
  visitor.item?.(item, classes);
  return reported;
}
