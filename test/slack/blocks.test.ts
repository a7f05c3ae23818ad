import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.ts';
import { findingLine, alertMessage } from '../../src/notify/blocks/alerts.ts';
import { digestMessage } from '../../src/notify/blocks/digest.ts';
import { promptMessage, withOutcome } from '../../src/notify/blocks/prompt.ts';
import { escalationMessage } from '../../src/notify/prompts.ts';
import { fixModal, showAllModal, waiveModal, decodeOrigin } from '../../src/slack/blocks/modals.ts';
import { whyReply, statusReply } from '../../src/slack/blocks/command.ts';
import { homeView } from '../../src/slack/blocks/home.ts';
import { openFinding } from '../notify/harness.ts';

const finding = (key: string, overrides: Partial<Finding> = {}): Finding => openFinding(key, { id: `id-${key}`, ...overrides });

describe('prompt blocks', () => {
  it('lists each item with Fix (when fixable), Snooze, Waive and Not mine', () => {
    const msg = promptMessage('UADA', [finding('PAY-1')], { maxItems: 10, kind: 'prompt' });

    expect(msg).toEqual({
      channel: 'UADA',
      text: 'pmo-bot: 1 item needs an answer',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'pmo-bot · 1 item needs an answer', emoji: true } },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: 'Answer here: *Set …* writes the value back to Jira / Azure DevOps; snooze, waive (with a reason) or hand an item on.' }],
        },
        {
          type: 'section',
          block_id: 'prompt:text:id-PAY-1',
          text: { type: 'mrkdwn', text: ':large_orange_circle: *<https://acme.atlassian.net/browse/PAY-1|PAY-1>* "Story PAY-1" has no estimate\n_estimate-required · PAY_' },
        },
        {
          type: 'actions',
          block_id: 'prompt:actions:id-PAY-1',
          elements: [
            { type: 'button', action_id: 'pmo_fix', style: 'primary', text: { type: 'plain_text', text: 'Set estimate', emoji: true }, value: 'id-PAY-1' },
            {
              type: 'static_select',
              action_id: 'pmo_snooze',
              placeholder: { type: 'plain_text', text: 'Snooze…', emoji: true },
              options: [
                { text: { type: 'plain_text', text: '1 day', emoji: true }, value: 'id-PAY-1:1d' },
                { text: { type: 'plain_text', text: '3 days', emoji: true }, value: 'id-PAY-1:3d' },
                { text: { type: 'plain_text', text: '1 week', emoji: true }, value: 'id-PAY-1:1w' },
              ],
            },
            { type: 'button', action_id: 'pmo_waive', text: { type: 'plain_text', text: 'Waive', emoji: true }, value: 'id-PAY-1' },
            { type: 'button', action_id: 'pmo_not_mine', text: { type: 'plain_text', text: 'Not mine', emoji: true }, value: 'id-PAY-1' },
          ],
        },
      ],
    });
  });

  it('stays within 50 blocks for many items and points to the rest', () => {
    const many = Array.from({ length: 60 }, (_, i) => finding(`PAY-${i}`));

    const msg = promptMessage('UADA', many, { maxItems: 20, kind: 'reminder' });

    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(msg.text).toBe('pmo-bot: Reminder: 60 items still need an answer');
    expect(msg.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: "…and 40 more: open pmo-bot's *Home* tab or type `/pmo mine`." }] });
  });

  it('replaces only the clicked item\'s buttons with the outcome', () => {
    const msg = promptMessage('UADA', [finding('PAY-1'), finding('PAY-2')], { maxItems: 10, kind: 'prompt' });

    const blocks = withOutcome(msg.blocks, 'id-PAY-2', ':zzz: snoozed');

    expect(blocks.map((b) => b.block_id ?? b.type)).toEqual(['header', 'context', 'prompt:text:id-PAY-1', 'prompt:actions:id-PAY-1', 'prompt:text:id-PAY-2', 'prompt:done:id-PAY-2']);
    expect(blocks[5]).toEqual({ type: 'context', block_id: 'prompt:done:id-PAY-2', elements: [{ type: 'mrkdwn', text: ':zzz: snoozed' }] });
  });
});

describe('modals', () => {
  it.each([
    ['estimate', 'number', { type: 'number_input', action_id: 'value', is_decimal_allowed: true, min_value: '0', focus_on_load: true }],
    ['dueDate', 'date', { type: 'datepicker', action_id: 'value', focus_on_load: true }],
    ['acceptanceCriteria', 'text', { type: 'plain_text_input', action_id: 'value', multiline: true, focus_on_load: true }],
    ['assignee', 'user', { type: 'users_select', action_id: 'value', focus_on_load: true }],
  ] as const)('asks for %s with a %s input', (field, input, element) => {
    const f = finding('PAY-1', { fix: { field, input } });

    const view = fixModal({ ...f, fix: { field, input } }, { findingId: f.id, channel: 'D1', ts: '1.2' });

    expect(view.callback_id).toBe('pmo_fix_submit');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks[1]).toMatchObject({ type: 'input', block_id: 'answer', element });
    expect(decodeOrigin(view.private_metadata)).toEqual({ findingId: 'id-PAY-1', channel: 'D1', ts: '1.2' });
  });

  it('waiver asks for a reason of 5 to 1000 characters', () => {
    const view = waiveModal(finding('PAY-1'), { findingId: 'id-PAY-1', channel: null, ts: null });

    expect(view.blocks[1]).toMatchObject({ type: 'input', element: { type: 'plain_text_input', multiline: true, min_length: 5, max_length: 1000 } });
  });

  it('"Show all" fits 500 findings into a modal\'s 100 blocks', () => {
    const view = showAllModal(Array.from({ length: 500 }, (_, i) => finding(`PAY-${i}`)));

    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(view.title.text).toBe('500 findings');
  });

  it('App Home stays within 100 blocks for a busy person', () => {
    const view = homeView(Array.from({ length: 80 }, (_, i) => finding(`PAY-${i}`)), 'ada@acme.example');

    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view.blocks)).toContain('…and 33 more');
  });
});

/** Every text Slack parses as mrkdwn (plain_text is never parsed for mentions or links). */
function mrkdwnTexts(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o['type'] === 'mrkdwn' && typeof o['text'] === 'string') out.push(o['text']);
    for (const x of Object.values(o)) walk(x);
  };
  walk(value);
  return out.join('\n');
}

describe('mrkdwn injection', () => {
  const nasty = [
    '<!channel> deploy now',
    '<!here|here> please',
    'ping <@U0123ABC> and <#C0123|general>',
    '<https://evil.example|https://acme.atlassian.net/browse/PAY-1>',
    'a & b < c > d',
  ];

  it.each(nasty)('no builder lets %j ping anyone or forge a link', (title) => {
    const f = finding('PAY-1', { message: `PAY-1 "${title}" has no estimate`, owner: { id: 'x', name: title, email: null }, project: title });
    const outputs = [
      findingLine(f, { cycleAt: '', moreHint: '' }),
      mrkdwnTexts(alertMessage({ channel: '#a', shown: [f], counts: { critical: 0, warning: 1, info: 0 }, resolved: [f], resolvedCount: 1 }, { cycleAt: '', moreHint: '' }).blocks),
      mrkdwnTexts(promptMessage('U1', [f], { maxItems: 5, kind: 'handover', from: title }).blocks),
      mrkdwnTexts(escalationMessage('#a', [f], 2).blocks),
      mrkdwnTexts(whyReply('PAY-1', [{ finding: { ...f, evidence: { note: title } }, rule: undefined, events: [] }]).blocks),
      mrkdwnTexts(statusReply([{ project: title, rag: 'red', prevRag: null, compliance: 0.5, prevCompliance: null, trend: [0.5], open: { critical: 1, warning: 0, info: 0 }, items: 2 }], title).blocks),
      mrkdwnTexts(
        digestMessage({
          scope: { channel: '#a', kind: 'pmo', projects: [title] },
          week: '2026-11-23',
          generatedAt: 'now',
          projects: [{ project: title, rag: 'red', prevRag: null, compliance: 0.5, prevCompliance: null, trend: [0.5], open: { critical: 1, warning: 0, info: 0 }, items: 2 }],
          compliance: { value: 0.5, prev: null, trend: [0.5] },
          open: { critical: 1, warning: 0, info: 0 },
          newFindings: 1,
          resolvedFindings: 0,
          topRisks: [f],
          waivers: [{ finding: f, actor: 'slack:U1', reason: title, at: 'now' }],
          overflow: [f],
          alignment: { aligned: 0.5, unaligned: 0.5, objectives: [{ id: title, title, share: 0.5 }] },
          forecasts: { objectives: [{ id: title, title, targetDate: null, p50: null, p85: null, probabilityByTarget: null }] },
        }).blocks,
      ),
    ];

    expect(outputs.every((o) => o.length > 0)).toBe(true);
    for (const out of outputs) {
      expect(out).not.toMatch(/<!(channel|here|everyone)/);
      expect(out).not.toContain('<@U0123ABC>');
      expect(out).not.toContain('<#C0123');
      expect(out).not.toContain('<https://evil.example');
    }
  });
});
