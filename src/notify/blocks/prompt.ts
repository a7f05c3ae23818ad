import type { Finding, FixSpec } from '../../model/finding.ts';
import { SLACK_LIMITS, escapeMrkdwn, mrkdwnLink, plain, truncate, type Block, type SlackMessage } from '../message.ts';
import { SEVERITY_EMOJI, displayKey } from './alerts.ts';

/** Action ids of the prompt buttons; listeners in src/slack/listeners register these. */
export const PROMPT_ACTIONS = {
  fix: 'pmo_fix',
  snooze: 'pmo_snooze',
  waive: 'pmo_waive',
  notMine: 'pmo_not_mine',
} as const;

export const SNOOZE_CHOICES = [
  { value: '1d', label: '1 day' },
  { value: '3d', label: '3 days' },
  { value: '1w', label: '1 week' },
] as const;
export type SnoozeChoice = (typeof SNOOZE_CHOICES)[number]['value'];

const FIELD_LABEL: Record<FixSpec['field'], string> = {
  estimate: 'estimate',
  dueDate: 'due date',
  assignee: 'assignee',
  acceptanceCriteria: 'acceptance criteria',
  description: 'description',
  priority: 'priority',
  labels: 'labels',
  parent: 'parent',
};

export function fieldLabel(field: FixSpec['field']): string {
  return FIELD_LABEL[field];
}

/** The block id that carries a finding through a prompt: actions find their row by it. */
export const promptBlockId = (findingId: string, part: 'text' | 'actions') => `prompt:${part}:${findingId}`;

/** A finding's text line in a prompt (no owner: the prompt is addressed to them). */
export function promptLine(f: Finding): string {
  const name = displayKey(f);
  const rest = f.message.startsWith(`${name} `) ? f.message.slice(name.length + 1) : f.message;
  const where = f.project ? ` · ${escapeMrkdwn(f.project)}` : '';
  return truncate(`${SEVERITY_EMOJI[f.severity]} *${mrkdwnLink(f.url, name)}* ${escapeMrkdwn(rest)}\n_${f.ruleId}${where}_`, SLACK_LIMITS.sectionText);
}

/** Fix / Snooze / Waive / Not mine for one finding; the value is the finding id. */
export function promptActions(f: Finding): Block {
  const elements: Extract<Block, { type: 'actions' }>['elements'] = [];
  if (f.fix) {
    elements.push({
      type: 'button',
      action_id: PROMPT_ACTIONS.fix,
      style: 'primary',
      text: plain(`Set ${fieldLabel(f.fix.field)}`, SLACK_LIMITS.buttonText),
      value: f.id,
    });
  }
  elements.push(
    {
      type: 'static_select',
      action_id: PROMPT_ACTIONS.snooze,
      placeholder: plain('Snooze…', SLACK_LIMITS.buttonText),
      options: SNOOZE_CHOICES.map((c) => ({ text: plain(c.label, 75), value: `${f.id}:${c.value}` })),
    },
    { type: 'button', action_id: PROMPT_ACTIONS.waive, text: plain('Waive', SLACK_LIMITS.buttonText), value: f.id },
    { type: 'button', action_id: PROMPT_ACTIONS.notMine, text: plain('Not mine', SLACK_LIMITS.buttonText), value: f.id },
  );
  return { type: 'actions', block_id: promptBlockId(f.id, 'actions'), elements };
}

export interface PromptOptions {
  /** Items beyond this are left for the next prompt (they stay visible in App Home). */
  maxItems: number;
  kind: 'prompt' | 'reminder' | 'handover';
  /** For a hand-over: who passed these on. */
  from?: string;
}

/** One DM per person per cycle listing their items, each with its own buttons. */
export function promptMessage(channel: string, findings: readonly Finding[], options: PromptOptions): SlackMessage {
  const shown = findings.slice(0, options.maxItems);
  const n = findings.length;
  const items = `${n} item${n === 1 ? '' : 's'}`;
  const title =
    options.kind === 'reminder' ? `Reminder: ${items} still need${n === 1 ? 's' : ''} an answer` : options.kind === 'handover' ? `${items} handed to you` : `${items} need${n === 1 ? 's' : ''} an answer`;
  const intro =
    options.kind === 'handover'
      ? `${escapeMrkdwn(options.from ?? 'The owner')} says ${n === 1 ? 'this is' : 'these are'} not theirs; as the project lead, please pick ${n === 1 ? 'it' : 'them'} up.`
      : 'Answer here: *Set …* writes the value back to Jira / Azure DevOps; snooze, waive (with a reason) or hand an item on.';
  const blocks: Block[] = [
    { type: 'header', text: plain(`pmo-bot · ${title}`, SLACK_LIMITS.headerText) },
    { type: 'context', elements: [{ type: 'mrkdwn', text: intro }] },
  ];
  for (const f of shown) {
    blocks.push({ type: 'section', block_id: promptBlockId(f.id, 'text'), text: { type: 'mrkdwn', text: promptLine(f) } });
    blocks.push(promptActions(f));
  }
  if (n > shown.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${n - shown.length} more: open pmo-bot's *Home* tab or type \`/pmo mine\`.` }] });
  }
  return { channel, text: `pmo-bot: ${title}`, blocks };
}

/**
 * The same message with one finding's buttons replaced by what happened to it, so the person sees the
 * outcome where they clicked. Blocks of other findings are left as they are.
 */
export function withOutcome(blocks: readonly Block[], findingId: string, outcome: string): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.block_id === promptBlockId(findingId, 'actions')) {
      out.push({ type: 'context', block_id: `prompt:done:${findingId}`, elements: [{ type: 'mrkdwn', text: truncate(outcome, SLACK_LIMITS.sectionText) }] });
      continue;
    }
    out.push(b);
  }
  return out;
}
