import type { types } from '@slack/bolt';
import { displayKey } from '../../notify/blocks/alerts.ts';
import { fieldLabel, promptLine } from '../../notify/blocks/prompt.ts';
import { SLACK_LIMITS, plain, truncate, type Block } from '../../notify/message.ts';
import { findingLine } from '../../notify/blocks/alerts.ts';
import type { Finding, FixSpec } from '../../model/finding.ts';

export type ModalView = types.ModalView;

export const VIEW_IDS = {
  fix: 'pmo_fix_submit',
  waive: 'pmo_waive_submit',
  showAll: 'pmo_show_all_view',
} as const;

/** The input's block and action ids (a view submission reads its value by them). */
export const ANSWER_BLOCK = 'answer';
export const ANSWER_ACTION = 'value';

/** Where the modal came from, so the submission can update the message the person clicked in. */
export interface ModalOrigin {
  findingId: string;
  channel: string | null;
  ts: string | null;
}

export function encodeOrigin(o: ModalOrigin): string {
  return truncate(JSON.stringify({ f: o.findingId, c: o.channel, t: o.ts }), SLACK_LIMITS.privateMetadata);
}

export function decodeOrigin(text: string | undefined): ModalOrigin | null {
  try {
    const v = JSON.parse(text ?? '') as { f?: unknown; c?: unknown; t?: unknown };
    if (typeof v.f !== 'string') return null;
    return { findingId: v.f, channel: typeof v.c === 'string' ? v.c : null, ts: typeof v.t === 'string' ? v.t : null };
  } catch {
    return null;
  }
}

/** The one input a fix needs, with the right element for its type (number, date, text, user). */
export function answerElement(spec: FixSpec): Extract<Block, { type: 'input' }>['element'] {
  switch (spec.input) {
    case 'number':
      return { type: 'number_input', action_id: ANSWER_ACTION, is_decimal_allowed: true, min_value: '0', focus_on_load: true };
    case 'date':
      return { type: 'datepicker', action_id: ANSWER_ACTION, focus_on_load: true };
    case 'user':
      return { type: 'users_select', action_id: ANSWER_ACTION, focus_on_load: true };
    default:
      return { type: 'plain_text_input', action_id: ANSWER_ACTION, multiline: spec.field === 'acceptanceCriteria' || spec.field === 'description', focus_on_load: true };
  }
}

/** A modal asking exactly the missing field. */
export function fixModal(f: Finding & { fix: FixSpec }, origin: ModalOrigin): ModalView {
  const label = fieldLabel(f.fix.field);
  return {
    type: 'modal',
    callback_id: VIEW_IDS.fix,
    private_metadata: encodeOrigin(origin),
    title: plain(`Set ${label}`, SLACK_LIMITS.modalTitle),
    submit: plain('Save', SLACK_LIMITS.modalTitle),
    close: plain('Cancel', SLACK_LIMITS.modalTitle),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: promptLine(f) } },
      {
        type: 'input',
        block_id: ANSWER_BLOCK,
        label: plain(`${label[0]!.toUpperCase()}${label.slice(1)} of ${displayKey(f)}`, 2000),
        element: answerElement(f.fix),
        hint: plain(`Saved to ${f.source ?? 'the tool'} as you; the rule is checked again right away.`, 2000),
      },
    ],
  };
}

/** A waiver needs a reason, kept in the audit trail and shown in the weekly digest. */
export function waiveModal(f: Finding, origin: ModalOrigin): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW_IDS.waive,
    private_metadata: encodeOrigin(origin),
    title: plain('Waive finding', SLACK_LIMITS.modalTitle),
    submit: plain('Waive', SLACK_LIMITS.modalTitle),
    close: plain('Cancel', SLACK_LIMITS.modalTitle),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: promptLine(f) } },
      {
        type: 'input',
        block_id: ANSWER_BLOCK,
        label: plain('Why is this acceptable?', 2000),
        element: { type: 'plain_text_input', action_id: ANSWER_ACTION, multiline: true, min_length: 5, max_length: 1000 },
        hint: plain('Shown to the PMO in the weekly digest.', 2000),
      },
    ],
  };
}

/** Every finding behind an alert's "and N more", within a modal's 100 blocks. */
export function showAllModal(findings: readonly Finding[]): ModalView {
  const room = SLACK_LIMITS.modalBlocks - 1;
  const lines = findings.map((f) => findingLine(f, { cycleAt: '', moreHint: '' }));
  const blocks: Block[] = [];
  // Several findings per section keep long lists inside the block limit.
  let chunk = '';
  for (const line of lines) {
    if (chunk && chunk.length + line.length + 2 > SLACK_LIMITS.sectionText) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n\n${line}` : line;
  }
  if (chunk) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  const shown = blocks.slice(0, room);
  if (blocks.length > room) shown.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'More than fit here: run `pmo-bot findings --state open`.' }] });
  if (shown.length === 0) shown.push({ type: 'section', text: { type: 'mrkdwn', text: 'All of these findings are resolved now.' } });
  return { type: 'modal', callback_id: VIEW_IDS.showAll, title: plain(`${findings.length} findings`, SLACK_LIMITS.modalTitle), close: plain('Close', SLACK_LIMITS.modalTitle), blocks: shown };
}
