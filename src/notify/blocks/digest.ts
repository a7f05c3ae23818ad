import type { Severity } from '../../model/finding.ts';
import type { DigestData, ProjectHealth, Rag } from '../digest.ts';
import { SLACK_LIMITS, escapeMrkdwn, mention, mrkdwnLink, plain, truncate, type Block, type SlackMessage } from '../message.ts';
import { displayKey } from './alerts.ts';

const RAG_EMOJI: Record<Rag, string> = { red: ':red_circle:', amber: ':large_yellow_circle:', green: ':large_green_circle:' };
const SPARK = '▁▂▃▄▅▆▇█';
/** Blocks kept back for the sections after the project list and the closing hint. */
const RESERVED_BLOCKS = 14;

export function percent(v: number): string {
  return `${Math.round(v * 100)}%`;
}

/** A sparkline of 0..1 values (low to high). */
export function sparkline(values: readonly number[]): string {
  if (values.length < 2) return '';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return values.map((v) => SPARK[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (SPARK.length - 1))]).join('');
}

/** Week-over-week change in percentage points, with an arrow; empty without last week. */
export function change(now: number, prev: number | null): string {
  if (prev === null) return '';
  const d = Math.round((now - prev) * 100);
  if (d === 0) return ' ±0';
  return d > 0 ? ` ▲${d}` : ` ▼${-d}`;
}

function bar(share: number, width = 10): string {
  const filled = Math.max(0, Math.min(width, Math.round(share * width)));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

function severityCounts(open: Record<Severity, number>): string {
  const parts = (['critical', 'warning', 'info'] as const).filter((s) => open[s] > 0).map((s) => `${open[s]} ${s}`);
  return parts.length ? parts.join(' · ') : 'no open findings';
}

function projectLine(p: ProjectHealth): string {
  const was = p.prevRag && p.prevRag !== p.rag ? ` (was ${p.prevRag})` : '';
  const spark = sparkline(p.trend);
  return `${RAG_EMOJI[p.rag]} *${escapeMrkdwn(p.project)}*${was} · compliance ${percent(p.compliance)}${change(p.compliance, p.prevCompliance)}${spark ? ` ${spark}` : ''} · ${severityCounts(p.open)}`;
}

/** Packs lines into as few sections as possible, each within Slack's 3000 characters. */
function packLines(lines: readonly string[], maxBlocks: number): { blocks: Block[]; packed: number } {
  const blocks: Block[] = [];
  let chunk = '';
  let packed = 0;
  for (const line of lines) {
    const next = chunk ? `${chunk}\n${line}` : line;
    if (next.length > SLACK_LIMITS.sectionText) {
      if (blocks.length + 1 >= maxBlocks) break;
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
      chunk = truncate(line, SLACK_LIMITS.sectionText);
    } else {
      chunk = next;
    }
    packed++;
  }
  if (chunk) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  return { blocks, packed };
}

function totalChars(blocks: readonly Block[]): number {
  return JSON.stringify(blocks).length;
}

export interface DigestRenderOptions {
  userOf?: ((email: string) => string | null | undefined) | undefined;
}

/**
 * The weekly digest as one message within Slack's limits for any portfolio size: 50 blocks, 3000
 * characters per section and a whole-message budget; long lists end in "…and N more" with the
 * command that shows the rest.
 */
export function digestMessage(d: DigestData, options: DigestRenderOptions = {}): SlackMessage {
  const audience = d.scope.kind === 'pmo' ? 'Portfolio' : `Team digest for ${d.scope.channel}`;
  const blocks: Block[] = [
    { type: 'header', text: plain(`pmo-bot · Weekly digest · week of ${d.week}`, SLACK_LIMITS.headerText) },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${escapeMrkdwn(audience)} · ${d.projects.length} project${d.projects.length === 1 ? '' : 's'} · generated ${d.generatedAt}` }],
    },
  ];
  const fields = [
    `*Compliance*\n${percent(d.compliance.value)}${change(d.compliance.value, d.compliance.prev)} ${sparkline(d.compliance.trend)}`.trimEnd(),
    `*Open findings*\n${severityCounts(d.open)}`,
    `*New this week*\n${d.newFindings}`,
    `*Resolved this week*\n${d.resolvedFindings}`,
  ];
  if (d.alignment) fields.push(`*Alignment*\n${percent(d.alignment.aligned)} ${sparkline(d.alignment.trend ?? [])} · unaligned ${percent(d.alignment.unaligned)}`);
  blocks.push({ type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) });

  if (d.alignment && d.alignment.objectives.length > 0) {
    const lines = d.alignment.objectives.map((o) => {
      const target = o.targetShare !== undefined && o.targetShare !== null ? ` (target ${percent(o.targetShare)})` : '';
      return `\`${bar(o.share)}\` ${percent(o.share)}${target} *${escapeMrkdwn(o.id)}* ${escapeMrkdwn(truncate(o.title, 80))}`;
    });
    lines.push(`\`${bar(d.alignment.unaligned)}\` ${percent(d.alignment.unaligned)} _unaligned_`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Effort by objective*\n${lines.join('\n')}`, SLACK_LIMITS.sectionText) } });
  }

  blocks.push({ type: 'divider' });
  const projectLines = d.projects.map(projectLine);
  const room = SLACK_LIMITS.blocksPerMessage - blocks.length - RESERVED_BLOCKS;
  const budget = SLACK_LIMITS.messageChars / 2;
  const { blocks: projectBlocks, packed } = packLines(['*Health by project*', ...projectLines], Math.max(1, room));
  let shownProjects = packed - 1;
  // Keep the project list within half the message budget so the other sections always fit.
  while (projectBlocks.length > 1 && totalChars(projectBlocks) > budget) {
    const dropped = projectBlocks.pop()!;
    shownProjects -= (dropped.type === 'section' && dropped.text ? dropped.text.text.split('\n').length : 0);
  }
  blocks.push(...projectBlocks);
  if (shownProjects < d.projects.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${d.projects.length - Math.max(0, shownProjects)} more projects (the healthiest): \`/pmo status PROJECT\` or \`pmo-bot digest\` for all.` }] });
  }

  if (d.topRisks.length > 0) {
    const lines = d.topRisks.map((f) => {
      const owner = f.owner ? mention(f.owner.email && options.userOf ? options.userOf(f.owner.email) : null, f.owner.name) : 'no owner';
      const name = displayKey(f);
      const rest = f.message.startsWith(`${name} `) ? f.message.slice(name.length + 1) : f.message;
      return `• *${mrkdwnLink(f.url, name)}* ${escapeMrkdwn(truncate(rest, 200))} · ${owner}`;
    });
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Top risks*\n${lines.join('\n')}`, SLACK_LIMITS.sectionText) } });
  }

  if (d.forecasts && d.forecasts.objectives.length > 0) {
    const lines = d.forecasts.objectives.map((o) => {
      const p = o.probabilityByTarget === null ? '' : ` · ${percent(o.probabilityByTarget)} likely by target`;
      const risk = o.probabilityByTarget !== null && o.probabilityByTarget < 0.5 ? ':warning: ' : '';
      return `• ${risk}*${escapeMrkdwn(o.id)}* ${escapeMrkdwn(truncate(o.title, 80))}: target ${o.targetDate ?? '—'}, forecast ${o.p50 ?? '—'} (85%: ${o.p85 ?? '—'})${p}`;
    });
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Objective forecasts*\n${lines.join('\n')}`, SLACK_LIMITS.sectionText) } });
  }

  if (d.waivers.length > 0) {
    const listed = d.waivers.slice(0, 10).map((w) => {
      const who = w.actor.replace(/^slack:/, '').replace(/ \(.*\)$/, '');
      return `• *${mrkdwnLink(w.finding.url, displayKey(w.finding))}* (${escapeMrkdwn(w.finding.ruleId)}) by ${mention(who, who)}: “${escapeMrkdwn(truncate(w.reason, 200))}”`;
    });
    const more = d.waivers.length > 10 ? `\n…and ${d.waivers.length - 10} more: \`pmo-bot findings --state waived\`` : '';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Waivers granted this week*\n${listed.join('\n')}${more}`, SLACK_LIMITS.sectionText) } });
  }

  if (d.overflow.length > 0) {
    const listed = d.overflow.slice(0, 10).map((f) => `• *${mrkdwnLink(f.url, displayKey(f))}* ${escapeMrkdwn(truncate(f.message, 150))}`);
    const more = d.overflow.length > 10 ? `\n…and ${d.overflow.length - 10} more: \`pmo-bot findings --state open\`` : '';
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*Not alerted (over a channel's limit)*: ${d.overflow.length}\n${listed.join('\n')}${more}`, SLACK_LIMITS.sectionText) },
    });
  }

  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Details: `/pmo status PROJECT` · your items: `/pmo mine` · why something is flagged: `/pmo why KEY`' }] });
  const text = `Weekly digest (${audience}): compliance ${percent(d.compliance.value)}, ${severityCounts(d.open)}, ${d.newFindings} new, ${d.resolvedFindings} resolved`;
  return { channel: d.scope.channel, text: truncate(text, 3000), blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}
