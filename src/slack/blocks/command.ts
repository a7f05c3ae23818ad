import type { Config } from '../../config/schema.ts';
import type { AnyRule } from '../../engine/rule.ts';
import type { Finding, FindingEvent } from '../../model/finding.ts';
import { displayKey, findingLine } from '../../notify/blocks/alerts.ts';
import { percent } from '../../notify/blocks/digest.ts';
import { promptActions, promptLine } from '../../notify/blocks/prompt.ts';
import type { AlignmentSection, ProjectHealth } from '../../notify/digest.ts';
import { SLACK_LIMITS, escapeMrkdwn, plain, truncate, type Block } from '../../notify/message.ts';

/** What `/pmo` answers: text for notifications plus blocks, shown only to the person who asked. */
export interface CommandReply {
  text: string;
  blocks: Block[];
}

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } });
const context = (text: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) }] });

export const HELP_LINES = [
  '`/pmo status [PROJECT|TEAM]`: health, compliance and open findings per project',
  '`/pmo mine`: your open findings, with Fix / Snooze / Waive / Not mine',
  '`/pmo objectives`: strategic objectives, effort share and forecasts',
  '`/pmo digest`: preview this week\'s digest (only you see it)',
  '`/pmo why KEY`: why an item (e.g. PAY-12) is flagged, with the rule\'s rationale and history',
  '`/pmo help`: this list',
];

export function helpReply(prefix?: string): CommandReply {
  return {
    text: 'pmo-bot commands',
    blocks: [...(prefix ? [section(prefix)] : []), section(`*pmo-bot commands*\n${HELP_LINES.map((l) => `• ${l}`).join('\n')}`)],
  };
}

const RAG_EMOJI = { red: ':red_circle:', amber: ':large_yellow_circle:', green: ':large_green_circle:' } as const;

export function statusReply(projects: readonly ProjectHealth[], filter: string | null): CommandReply {
  if (projects.length === 0) {
    return { text: 'No matching project', blocks: [section(filter ? `No project or team called *${escapeMrkdwn(filter)}*. Try \`/pmo status\` for all.` : 'No projects synced yet.')] };
  }
  const lines = projects.map((p) => {
    const open = (['critical', 'warning', 'info'] as const).filter((s) => p.open[s] > 0).map((s) => `${p.open[s]} ${s}`).join(' · ') || 'no open findings';
    return `${RAG_EMOJI[p.rag]} *${escapeMrkdwn(p.project)}* · ${p.items} items · compliance ${percent(p.compliance)} · ${open}`;
  });
  const blocks: Block[] = [{ type: 'header', text: plain(`Status${filter ? ` · ${filter}` : ''}`, SLACK_LIMITS.headerText) }];
  let chunk = '';
  for (const line of lines) {
    if (chunk.length + line.length + 1 > SLACK_LIMITS.sectionText) {
      blocks.push(section(chunk));
      chunk = '';
      if (blocks.length >= SLACK_LIMITS.blocksPerMessage - 2) break;
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push(section(chunk));
  return { text: `Status of ${projects.length} project${projects.length === 1 ? '' : 's'}`, blocks };
}

/** The person's open findings with the same buttons as a prompt, within a message's 50 blocks. */
export function findingsWithActions(findings: readonly Finding[], maxBlocks: number): Block[] {
  const blocks: Block[] = [];
  const room = Math.floor((maxBlocks - 1) / 2);
  for (const f of findings.slice(0, room)) {
    blocks.push({ type: 'section', block_id: `prompt:text:${f.id}`, text: { type: 'mrkdwn', text: promptLine(f) } });
    blocks.push(promptActions(f));
  }
  if (findings.length > room) blocks.push(context(`…and ${findings.length - room} more: \`pmo-bot findings --state open\`.`));
  return blocks;
}

export function mineReply(findings: readonly Finding[], email: string | null): CommandReply {
  if (!email) return { text: 'Unknown e-mail', blocks: [section('Slack did not share your e-mail address with pmo-bot, so it cannot tell which items are yours.')] };
  if (findings.length === 0) return { text: 'Nothing open', blocks: [section(':white_check_mark: You have no open findings. Nice.')] };
  return {
    text: `${findings.length} open finding${findings.length === 1 ? '' : 's'}`,
    blocks: [section(`*Your open findings (${findings.length})*`), ...findingsWithActions(findings, SLACK_LIMITS.blocksPerMessage - 1)],
  };
}

export function objectivesReply(config: Config, alignment: AlignmentSection | null): CommandReply {
  if (config.objectives.length === 0) return { text: 'No objectives', blocks: [section('No objectives are configured (`objectives:` in the config).')] };
  const share = new Map(alignment?.objectives.map((o) => [o.id, o.share]) ?? []);
  const lines = config.objectives.map((o) => {
    const s = share.get(o.id);
    const effort = s === undefined ? '' : ` · effort ${percent(s)}`;
    const target = o.targetShare !== undefined ? ` (target ${percent(o.targetShare)})` : '';
    const date = o.targetDate ? ` · due ${o.targetDate}` : '';
    return `• *${escapeMrkdwn(o.id)}* ${escapeMrkdwn(o.title)}${effort}${target}${date}`;
  });
  const blocks = [section(`*Objectives*\n${lines.join('\n')}`)];
  blocks.push(context(alignment ? `Unaligned effort: ${percent(alignment.unaligned)}` : 'Effort shares and forecasts appear here once alignment is computed (`pmo-bot alignment`).'));
  return { text: `${config.objectives.length} objectives`, blocks };
}

export function whyReply(key: string, found: ReadonlyArray<{ finding: Finding; rule: AnyRule | undefined; events: FindingEvent[] }>): CommandReply {
  if (found.length === 0) return { text: 'Nothing flagged', blocks: [section(`Nothing is flagged for *${escapeMrkdwn(key)}* right now.`)] };
  const blocks: Block[] = [{ type: 'header', text: plain(`Why ${key} is flagged`, SLACK_LIMITS.headerText) }];
  for (const { finding: f, rule, events } of found.slice(0, 10)) {
    const evidence = Object.entries(f.evidence)
      .filter(([k]) => k !== 'urls')
      .map(([k, v]) => `${escapeMrkdwn(k)}: ${escapeMrkdwn(Array.isArray(v) ? v.join(', ') : String(v))}`)
      .join(' · ');
    const about = rule ? `\n>${escapeMrkdwn(rule.meta.description)}\n>_${escapeMrkdwn(rule.meta.rationale)}_` : '';
    blocks.push(section(`${findingLine(f, { cycleAt: '', moreHint: '' })}${about}${evidence ? `\nEvidence: ${evidence}` : ''}`));
    const history = events.slice(-5).map((e) => `${e.at.slice(0, 16).replace('T', ' ')} ${e.type} by ${escapeMrkdwn(e.actor)}${e.reason ? `: ${escapeMrkdwn(truncate(e.reason, 120))}` : ''}`);
    blocks.push(context(`State: *${f.state}* since ${(f.resolvedAt ?? f.firstSeenAt).slice(0, 10)}${history.length ? ` · ${history.join(' · ')}` : ''}`));
  }
  return { text: `${found.length} finding${found.length === 1 ? '' : 's'} for ${escapeMrkdwn(displayKey(found[0]!.finding))}`, blocks };
}
