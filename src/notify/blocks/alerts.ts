import { SEVERITY_RANK, type Finding, type Severity } from '../../model/finding.ts';
import { SLACK_LIMITS, escapeMrkdwn, mrkdwnLink, truncate, type Block, type SlackMessage } from '../message.ts';

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
}

export interface AlertContext {
  /** When the cycle ran, already formatted in the configured timezone. */
  cycleAt: string;
  /** What to tell readers to see everything. */
  moreHint: string;
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

function findingLine(f: Finding): string {
  const name = displayKey(f);
  const link = mrkdwnLink(f.url, name);
  // Messages name their subject first; the linked name replaces it rather than repeating it.
  const rest = f.message.startsWith(`${name} `) ? f.message.slice(name.length + 1) : f.message;
  const owner = f.owner ? ` · owner ${escapeMrkdwn(f.owner.name)}` : ' · no owner';
  const where = f.project ? ` · ${escapeMrkdwn(f.project)}` : '';
  const links = evidenceLinks(f);
  return truncate(
    `${SEVERITY_EMOJI[f.severity]} *${link}* ${escapeMrkdwn(rest)}${links ? `: ${links}` : ''}\n_${f.ruleId}${where}${owner}_`,
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
  const title =
    total > 0 ? `${total} new finding${total === 1 ? '' : 's'}` : `${a.resolvedCount} finding${a.resolvedCount === 1 ? '' : 's'} resolved`;
  blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(`pmo-bot · ${title}`, SLACK_LIMITS.headerText), emoji: true } });
  const summary = [total > 0 ? countsLine(a.counts) : null, `cycle ${ctx.cycleAt}`].filter(Boolean).join('  ·  ');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: summary }] });

  for (const f of a.shown) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: findingLine(f) } });
  const hidden = total - a.shown.length;
  if (hidden > 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `…and ${hidden} more. ${ctx.moreHint}` },
    });
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
