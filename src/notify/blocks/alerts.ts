import { SEVERITY_RANK, type Finding, type Severity } from '../../model/finding.ts';
import { SLACK_LIMITS, escapeMrkdwn, mention, mrkdwnLink, truncate, type Block, type SlackMessage } from '../message.ts';

export const SEVERITY_EMOJI: Record<Severity, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

export interface ChannelAlerts {
  channel: string;
  /** The most severe first, at most the listing limit. */
  shown: Finding[];
  counts: Record<Severity, number>;
  resolved: Finding[];
  resolvedCount: number;
  /** Findings over the channel cap, left to the weekly digest. */
  overflow?: number;
  /** Findings announced again (still-open critical, re-opened after the cool-down), by id. */
  repeated?: ReadonlySet<string>;
}

/** Why a finding is in an alert: first seen, re-opened, or a scheduled reminder of an open critical one. */
export type AlertReason = 'new' | 'reopened' | 'reminder';

export interface AlertContext {
  /** When the cycle ran, already formatted in the configured timezone. */
  cycleAt: string;
  /** What to tell readers to see everything. */
  moreHint: string;
  /** The owner's Slack user id, when known (a mention instead of a name). */
  userOf?: (email: string) => string | null | undefined;
  /** Value of a "Show all" button (the alert's outbox key); no button without it (console). */
  showAllValue?: string;
}

/** The short name people recognise (PAY-123, 4711, a person's name), not the store's `source:key`. */
export function displayKey(f: Finding): string {
  if (f.subject.kind === 'person') return f.owner?.name ?? f.subject.key;
  if (f.subject.kind !== 'item') return f.subject.key;
  const i = f.subject.key.indexOf(':');
  return i >= 0 ? f.subject.key.slice(i + 1) : f.subject.key;
}

/** Links to the items behind an aggregate finding, from its `items` and `urls` evidence. */
function evidenceLinks(f: Finding): string | null {
  const { items, urls } = f.evidence;
  if (!Array.isArray(items) || !Array.isArray(urls) || items.length !== urls.length || items.length === 0) return null;
  return items.map((key, i) => mrkdwnLink(String(urls[i]), String(key))).join(', ');
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.subject.key.localeCompare(b.subject.key)
  );
}

function ownerText(f: Finding, ctx: AlertContext): string {
  if (!f.owner) return ' · no owner';
  const id = f.owner.email && ctx.userOf ? ctx.userOf(f.owner.email) : null;
  return ` · owner ${mention(id, f.owner.name)}`;
}

/** One finding as a mrkdwn line: severity, linked key, message, rule, project and owner. */
export function findingLine(f: Finding, ctx: AlertContext, repeated = false): string {
  const name = displayKey(f);
  const link = mrkdwnLink(f.url, name);
  // Messages name their subject first; the linked name replaces it rather than repeating it.
  const rest = f.message.startsWith(`${name} `) ? f.message.slice(name.length + 1) : f.message;
  const owner = ownerText(f, ctx);
  const where = f.project ? ` · ${escapeMrkdwn(f.project)}` : '';
  const links = evidenceLinks(f);
  const again = repeated ? ` · :repeat: open since ${f.firstSeenAt.slice(0, 10)}` : '';
  return truncate(
    `${SEVERITY_EMOJI[f.severity]} *${link}* ${escapeMrkdwn(rest)}${links ? `: ${links}` : ''}\n_${f.ruleId}${where}${owner}${again}_`,
    SLACK_LIMITS.sectionText,
  );
}

function countsLine(counts: Record<Severity, number>): string {
  return (['critical', 'warning', 'info'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(' · ');
}

/** One message per channel per cycle: new findings, most severe first, then what resolved. */
export function alertMessage(a: ChannelAlerts, ctx: AlertContext): SlackMessage {
  const total = a.counts.critical + a.counts.warning + a.counts.info;
  const blocks: Block[] = [];
  const repeated = a.repeated?.size ?? 0;
  const title =
    total === 0
      ? `${a.resolvedCount} finding${a.resolvedCount === 1 ? '' : 's'} resolved`
      : repeated === 0
        ? `${total} new finding${total === 1 ? '' : 's'}`
        : `${total} open finding${total === 1 ? '' : 's'} (${total - repeated} new)`;
  blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(`pmo-bot · ${title}`, SLACK_LIMITS.headerText), emoji: true } });
  const summary = [total > 0 ? countsLine(a.counts) : null, `cycle ${ctx.cycleAt}`].filter(Boolean).join('  ·  ');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: summary }] });

  for (const f of a.shown) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: findingLine(f, ctx, a.repeated?.has(f.id) ?? false) } });
  const overflow = a.overflow ?? 0;
  const hidden = total - a.shown.length - overflow;
  const more: string[] = [];
  if (hidden > 0) more.push(`…and ${hidden} more.${ctx.showAllValue ? '' : ` ${ctx.moreHint}`}`);
  if (overflow > 0) more.push(`${overflow} more over this channel's limit go to the weekly digest.`);
  if (more.length > 0) {
    const section: Block = { type: 'section', text: { type: 'mrkdwn', text: more.join(' ') } };
    if (ctx.showAllValue && hidden > 0) {
      section.accessory = { type: 'button', action_id: 'pmo_show_all', text: { type: 'plain_text', text: 'Show all' }, value: ctx.showAllValue };
    }
    blocks.push(section);
  }
  if (a.resolvedCount > 0) {
    if (total > 0) blocks.push({ type: 'divider' });
    const names = a.resolved.map((f) => `${mrkdwnLink(f.url, displayKey(f))} (${f.ruleId})`);
    const rest = a.resolvedCount - a.resolved.length;
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: truncate(`:white_check_mark: Resolved: ${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`, SLACK_LIMITS.sectionText),
        },
      ],
    });
  }
  const text =
    total > 0
      ? `${title}: ${countsLine(a.counts)}${a.resolvedCount ? `; ${a.resolvedCount} resolved` : ''}`
      : title;
  return { channel: a.channel, text, blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}
